import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { SUPPORTED_EXTENSIONS } from "./load-file.js";
import { extensionOf } from "./text-utils.js";

/** A file of the corpus: where to read it, and its path relative to the corpus (forward slashes). */
export interface CorpusFile {
  absPath: string;
  relPath: string;
}

const SKIPPED_DIRS = new Set(["node_modules"]);

function skippedName(name: string): boolean {
  return name.startsWith(".") || SKIPPED_DIRS.has(name);
}

function isMetadataOrDoc(name: string): boolean {
  return /^(readme|license|licence)(\.|$)/i.test(name) || /\.(json|tsv)$/i.test(name);
}

async function walk(
  dir: string,
  rel: string,
  accept: (name: string) => boolean,
  out: CorpusFile[],
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (rel === "") throw error;
    return;
  }
  for (const entry of entries) {
    if (skippedName(entry.name)) continue;
    const absPath = join(dir, entry.name);
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(absPath).catch(() => undefined);
      isFile = target?.isFile() ?? false;
      isDir = false;
    }
    if (isDir) await walk(absPath, relPath, accept, out);
    else if (isFile && accept(entry.name)) out.push({ absPath, relPath });
  }
}

const byRelPath = (a: CorpusFile, b: CorpusFile) =>
  a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0;

/**
 * Lists the files to ingest under `corpusDir`, recursively, sorted by relative path.
 * Only supported extensions (.pdf .md .markdown .txt .vtt .srt) are listed; dot-files and
 * dot-folders, `node_modules`, README* and LICENSE* files and metadata (`*.json`, `*.tsv`)
 * are skipped. Symbolic links to files are followed, links to folders are not.
 *
 * @throws the file-system error when `corpusDir` itself cannot be read.
 */
export async function listCorpusFiles(corpusDir: string): Promise<CorpusFile[]> {
  const out: CorpusFile[] = [];
  await walk(
    corpusDir,
    "",
    (name) => !isMetadataOrDoc(name) && SUPPORTED_EXTENSIONS.includes(extensionOf(name)),
    out,
  );
  return out.sort(byRelPath);
}

/**
 * Every `lectures.json` under `corpusDir` (same skipping rules as {@link listCorpusFiles}),
 * sorted by relative path; their entries are merged into one lecture map.
 */
export async function findLecturesJson(corpusDir: string): Promise<CorpusFile[]> {
  const out: CorpusFile[] = [];
  await walk(corpusDir, "", (name) => name.toLowerCase() === "lectures.json", out);
  return out.sort(byRelPath);
}
