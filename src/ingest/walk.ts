import type { Dirent } from "node:fs";
import { readdir, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import { IngestError } from "./errors.js";
import { SUPPORTED_EXTENSIONS } from "./load-file.js";
import { extensionOf } from "./text-utils.js";

/** A file of the corpus: where to read it, and its path relative to the corpus (forward slashes). */
export interface CorpusFile {
  absPath: string;
  relPath: string;
}

/** Something the walk found but could not list: a file or a folder, and why. */
export interface WalkProblem {
  /** Path relative to the corpus (forward slashes). */
  relPath: string;
  /** `file` when it would have been indexed (its sources are missing), `folder` otherwise. */
  kind: "file" | "folder";
  error: IngestError;
}

/** Everything one walk of the corpus found. */
export interface CorpusListing {
  /** Files to ingest, sorted by relative path. */
  files: CorpusFile[];
  /** Every `lectures.json`, sorted by relative path. */
  lectureFiles: CorpusFile[];
  /** Dangling links, unreadable folders, names that are not valid UTF-8. */
  problems: WalkProblem[];
}

const SKIPPED_DIRS = new Set(["node_modules"]);
const utf8 = new TextDecoder("utf-8", { fatal: true });

function skippedName(name: string): boolean {
  return name.startsWith(".") || SKIPPED_DIRS.has(name);
}

function isMetadataOrDoc(name: string): boolean {
  return /^(readme|license|licence)(\.|$)/i.test(name) || /\.(json|tsv)$/i.test(name);
}

function isSource(name: string): boolean {
  return !isMetadataOrDoc(name) && SUPPORTED_EXTENSIONS.includes(extensionOf(name));
}

function isLectureMeta(name: string): boolean {
  return name.toLowerCase() === "lectures.json";
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM")
    return "permission denied; make it readable for the user running Padoms";
  if (code === "ENOENT") return "it does not exist";
  return error instanceof Error ? error.message : String(error);
}

async function walk(dir: string, rel: string, out: CorpusListing): Promise<void> {
  let entries: Dirent<Buffer>[];
  try {
    entries = await readdir(dir, { withFileTypes: true, encoding: "buffer" });
  } catch (error) {
    if (rel === "") throw error;
    out.problems.push({
      relPath: rel,
      kind: "folder",
      error: new IngestError(
        "unreadable",
        `${rel}/: cannot read the folder (${reasonOf(error)}); its files are not indexed.`,
        rel,
        { cause: error },
      ),
    });
    return;
  }
  for (const entry of entries) {
    let name: string;
    try {
      name = utf8.decode(entry.name);
    } catch {
      const shown = entry.name.toString("utf8");
      const relPath = rel ? `${rel}/${shown}` : shown;
      if (skippedName(shown) || !(entry.isDirectory() || isSource(shown))) continue;
      out.problems.push({
        relPath,
        kind: entry.isDirectory() ? "folder" : "file",
        error: new IngestError(
          "unreadable",
          `${relPath}: the name is not valid UTF-8 (written in another encoding); rename it and ingest again.`,
          relPath,
        ),
      });
      continue;
    }
    if (skippedName(name)) continue;
    const absPath = join(dir, name);
    const relPath = rel ? `${rel}/${name}` : name;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      let target: Awaited<ReturnType<typeof stat>> | undefined;
      let failure: unknown;
      try {
        target = await stat(absPath);
      } catch (error) {
        failure = error;
      }
      isFile = target?.isFile() ?? false;
      isDir = false;
      if (!target && (isSource(name) || isLectureMeta(name))) {
        const to = await readlink(absPath).catch(() => "?");
        out.problems.push({
          relPath,
          kind: "file",
          error: new IngestError(
            "unreadable",
            `${relPath}: a link to ${to}, which cannot be read (${reasonOf(failure)}). Restore the target, or remove the link.`,
            relPath,
            { cause: failure },
          ),
        });
        continue;
      }
    }
    if (isDir) await walk(absPath, relPath, out);
    else if (isFile && isSource(name)) out.files.push({ absPath, relPath });
    else if (isFile && isLectureMeta(name)) out.lectureFiles.push({ absPath, relPath });
  }
}

const byRelPath = (a: { relPath: string }, b: { relPath: string }) =>
  a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0;

/**
 * Walks `corpusDir` once, recursively. Files: only supported extensions (.pdf .md .markdown
 * .txt .vtt .srt); dot-files and dot-folders, `node_modules`, README* and LICENSE* files and
 * metadata (`*.json`, `*.tsv`) are skipped. Symbolic links to files are followed, links to
 * folders are not. What cannot be listed (a dangling link, an unreadable folder, a name that is
 * not valid UTF-8) is returned as a problem, never silently skipped.
 *
 * @throws {@link IngestError} `"no-corpus"` when `corpusDir` itself cannot be read.
 */
export async function walkCorpus(corpusDir: string): Promise<CorpusListing> {
  const out: CorpusListing = { files: [], lectureFiles: [], problems: [] };
  try {
    await walk(corpusDir, "", out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw new IngestError(
      "no-corpus",
      code === "ENOENT"
        ? `Corpus folder ${corpusDir} does not exist. Put the handbook and transcripts there, or pass --corpus DIR (env PADOMS_CORPUS_DIR).`
        : `Cannot read the corpus folder ${corpusDir}: ${reasonOf(error)}. Fix it, or pass --corpus DIR (env PADOMS_CORPUS_DIR).`,
      corpusDir,
      { cause: error },
    );
  }
  out.files.sort(byRelPath);
  out.lectureFiles.sort(byRelPath);
  out.problems.sort(byRelPath);
  return out;
}

/**
 * The files to ingest under `corpusDir` (see {@link walkCorpus}), sorted by relative path.
 *
 * @throws {@link IngestError} `"no-corpus"` when `corpusDir` itself cannot be read.
 */
export async function listCorpusFiles(corpusDir: string): Promise<CorpusFile[]> {
  return (await walkCorpus(corpusDir)).files;
}

/**
 * Every `lectures.json` under `corpusDir` (same skipping rules as {@link listCorpusFiles}),
 * sorted by relative path; their entries are merged into one lecture map.
 */
export async function findLecturesJson(corpusDir: string): Promise<CorpusFile[]> {
  return (await walkCorpus(corpusDir)).lectureFiles;
}
