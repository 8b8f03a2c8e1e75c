import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ChunkDb } from "./chunk-db.js";
import { openChunkDb } from "./chunk-db.js";
import { StoreError } from "./errors.js";
import { type Manifest, readManifest, verifyFile } from "./manifest.js";
import { openQuantisedIndex } from "./quantised-index.js";
import type { VectorIndex } from "./vector-index.js";

/** A complete, read-only build of the index, as the live manifest names it. */
export interface OpenedIndex {
  manifest: Manifest;
  /** Folder of the build. */
  dir: string;
  db: ChunkDb;
  vectors: VectorIndex;
  /** Saved state of the embedder that built the index (e.g. the local embedder's IDF). */
  embedderState?: unknown;
  close(): void;
}

/** Folder that holds the builds of the index. */
export const buildsDir = (dataDir: string) => join(dataDir, "builds");

/**
 * Opens the live index of `dataDir`. Checks sizes and checksums before handing files to the
 * native libraries, so a damaged index is a clear error, not a crash.
 */
export async function openIndex(dataDir: string): Promise<OpenedIndex> {
  const manifest = await readManifest(dataDir);
  if (!manifest) {
    throw new StoreError(
      "no-index",
      `No index in ${dataDir} — run \`npm run ingest\` first (or pass --data DIR).`,
      resolve(dataDir),
    );
  }
  const dir = join(buildsDir(dataDir), manifest.build);
  await verifyFile(dir, manifest.db);
  await verifyFile(dir, manifest.vectors);
  await verifyFile(dir, manifest.codes);
  let embedderState: unknown;
  if (manifest.embedder.state) {
    const path = join(dir, manifest.embedder.state);
    try {
      embedderState = JSON.parse(await readFile(path, "utf8"));
    } catch (cause) {
      throw new StoreError(
        "corrupt-index",
        `Embedder state ${path} is missing or damaged. Run \`npm run ingest\` to rebuild the index.`,
        path,
        { cause },
      );
    }
  }
  const db = openChunkDb(join(dir, manifest.db.file), { readonly: true });
  let vectors: VectorIndex;
  try {
    vectors = openQuantisedIndex(
      join(dir, manifest.vectors.file),
      join(dir, manifest.codes.file),
      manifest.embedder.dimensions,
    );
  } catch (e) {
    db.close();
    throw e;
  }
  if (vectors.size !== manifest.chunkCount || db.count() !== manifest.chunkCount) {
    db.close();
    vectors.close?.();
    throw new StoreError(
      "corrupt-index",
      `Index in ${dir} is inconsistent (${vectors.size} vectors, ${manifest.chunkCount} chunks expected). Run \`npm run ingest\` to rebuild it.`,
      dir,
    );
  }
  const close = () => {
    db.close();
    vectors.close?.();
  };
  return { manifest, dir, db, vectors, embedderState, close };
}
