import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StoreError } from "./errors.js";

/**
 * Version of the manifest and index layout. 2: the vectors are a float32 file and an int8 codes
 * file scanned exactly (1 was an hnswlib graph).
 */
export const INDEX_FORMAT_VERSION = 2;

/** Size and checksum of one file of a build, checked before it is opened. */
export interface FileCheck {
  file: string;
  bytes: number;
  sha256: string;
}

/**
 * What a build of the index is made of. `data/manifest.json` names the live build; it is
 * replaced atomically (write + rename) only when a build is complete.
 */
export interface Manifest {
  formatVersion: number;
  /** Folder of the build under `data/builds/`. */
  build: string;
  createdAt: string;
  /** Absolute path of the corpus folder the build was made from (absent in older manifests). */
  corpusDir?: string;
  embedder: { id: string; dimensions: number; state?: string };
  /** Analyzer and chunking settings; a change re-processes every file. */
  settings: Record<string, string | number>;
  /** Corpus files: path → content hash and chunk count. */
  files: Record<string, { hash: string; chunks: number }>;
  chunkCount: number;
  /** The float32 vectors (`vectors.f32`), read when rescoring. */
  vectors: FileCheck;
  /** The int8 codes, scales and labels (`vectors.i8`), scanned for every search. */
  codes: FileCheck;
  db: FileCheck;
}

export const MANIFEST_FILE = "manifest.json";

/** SHA-256 of a file, streamed. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const part of createReadStream(path)) hash.update(part as Buffer);
  return hash.digest("hex");
}

/** Size and checksum of `file` inside `dir`. */
export async function checkFile(dir: string, file: string): Promise<FileCheck> {
  const path = join(dir, file);
  const info = await stat(path);
  return { file, bytes: info.size, sha256: await hashFile(path) };
}

/** Fails with a clear error when a build file is missing, truncated or changed. */
export async function verifyFile(dir: string, check: FileCheck): Promise<void> {
  const path = join(dir, check.file);
  const info = await stat(path).catch(() => undefined);
  const fix = "Run `npm run ingest` to rebuild the index.";
  if (!info) throw new StoreError("corrupt-index", `Index file ${path} is missing. ${fix}`, path);
  if (info.size !== check.bytes) {
    throw new StoreError(
      "corrupt-index",
      `Index file ${path} is truncated or damaged (${info.size} bytes, expected ${check.bytes}). ${fix}`,
      path,
    );
  }
  if ((await hashFile(path)) !== check.sha256) {
    throw new StoreError(
      "corrupt-index",
      `Index file ${path} is damaged (checksum mismatch). ${fix}`,
      path,
    );
  }
}

/** Reads `data/manifest.json`; `undefined` when there is no index yet. */
export async function readManifest(dataDir: string): Promise<Manifest | undefined> {
  const path = join(dataDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (cause) {
    throw new StoreError(
      "corrupt-index",
      `${path} is not valid JSON. Run \`npm run ingest\` to rebuild the index.`,
      path,
      { cause },
    );
  }
  if (typeof m.formatVersion === "number" && m.formatVersion < INDEX_FORMAT_VERSION) {
    throw new StoreError(
      "old-version",
      `The index in ${dataDir} has format ${m.formatVersion}; this version of Padoms reads format ${INDEX_FORMAT_VERSION} (an exact int8 vector scan instead of the hnswlib graph). Re-ingest needed: run \`npm run ingest\` to rebuild the index from the corpus.`,
      path,
    );
  }
  if (m.formatVersion !== INDEX_FORMAT_VERSION || !m.build || !m.vectors || !m.codes || !m.db) {
    throw new StoreError(
      "old-version",
      `${path} was written by another version of Padoms. Run \`npm run ingest\` to rebuild the index.`,
      path,
    );
  }
  return m;
}

/** Writes the manifest atomically: a reader sees the old one or the new one, never half. */
export async function writeManifest(dataDir: string, manifest: Manifest): Promise<void> {
  const path = join(dataDir, MANIFEST_FILE);
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, path);
}
