import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";
import { createIndexingEmbedder, embedderKind } from "../embed/create-embedder.js";
import type { Logger } from "../log.js";
import { silentLogger } from "../log.js";
import { type ChunkDb, openChunkDb } from "../store/chunk-db.js";
import { StoreError } from "../store/errors.js";
import {
  checkFile,
  hashFile,
  INDEX_FORMAT_VERSION,
  type Manifest,
  readManifest,
  writeManifest,
} from "../store/manifest.js";
import { buildsDir } from "../store/open-index.js";
import { CODES_FILE, createQuantisedWriter, VECTORS_FILE } from "../store/quantised-index.js";
import { analyze } from "../text/analyze.js";
import type { Chunk, LectureMeta } from "../types.js";
import { chunkDocument } from "./chunk.js";
import { IngestError } from "./errors.js";
import { parseLecturesJson } from "./lectures-meta.js";
import { loadSourceFile } from "./load-file.js";
import { findLecturesJson, listCorpusFiles } from "./walk.js";

/** Options of {@link ingestCorpus}. */
export interface IngestOptions {
  config: Config;
  /** Corpus folder. Default: `config.PADOMS_CORPUS_DIR`. */
  corpusDir?: string;
  /** Data folder. Default: `config.PADOMS_DATA_DIR`. */
  dataDir?: string;
  logger?: Logger;
  /** Progress of each stage: `load` (files) and `embed` (chunks). */
  onProgress?: (stage: "load" | "embed" | "index", done: number, total: number) => void;
  /** Aborting stops the run; the live index stays as it was. */
  signal?: AbortSignal;
  /** Rebuild even when nothing changed. */
  force?: boolean;
}

/** A file that could not be indexed, and why. */
export interface IngestFailure {
  path: string;
  code: string;
  message: string;
  /** True when the previous version of the file stays in the index. */
  keptPrevious: boolean;
}

/** What one ingest run did; `--json` prints it. */
export interface IngestSummary {
  status: "built" | "up-to-date" | "failed";
  corpusDir: string;
  dataDir: string;
  build?: string;
  embedder: string;
  files: { total: number; processed: number; reused: number; failed: number };
  chunks: number;
  failures: IngestFailure[];
  durationMs: number;
  /** Where a build's time went (only when status is "built"). */
  timings?: IngestTimings;
}

/** Stage times of a build, in ms. */
export interface IngestTimings {
  /** Walking, loading and chunking the corpus (and reusing unchanged files). */
  loadMs: number;
  /** Preparing the embedder (the local one fits its IDF table on the corpus). */
  fitMs: number;
  /** Embedding the passages. */
  embedMs: number;
  /** Inserting passages into SQLite (FTS5) and writing their float32 vectors. */
  indexMs: number;
  /** Writing the int8 codes and embedder state, checksums, the switch to the new build. */
  writeMs: number;
}

interface FileChunks {
  path: string;
  hash: string;
  chunks: Chunk[];
  kind: Chunk["kind"];
  title: string;
}

const LOCK_FILE = "ingest.lock";

/** Words whose analysis fingerprints the analyzer: when its rules change, every file is re-processed. */
const ANALYZER_PROBE =
  "Sociālā uzņēmuma statusu piešķir Labklājības ministrija; socialajiem uznemumiem pienakas atvieglojumi. " +
  "Grupām, zemju, sirdīm, tirgus, akmeņi, brāļiem — 2 800 eiro, 14,92 milj., Nr. 173, 2017. gada 12. oktobrī. " +
  "Raksta pa e-pastu vai pa pastu. What grants can a social enterprise get?";

/** Version of the chunking rules: a change re-processes every file (2: lists kept whole). */
const CHUNKER_VERSION = 2;

/** A short fingerprint of the text analyzer's behaviour and the chunking rules. */
export function analyzerFingerprint(): string {
  return createHash("sha1")
    .update(`${analyze(ANALYZER_PROBE).join(" ")}|chunker ${CHUNKER_VERSION}`)
    .digest("hex")
    .slice(0, 12);
}

async function acquireLock(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      let alive = false;
      if (pid > 0 && pid !== process.pid) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch {
          alive = false;
        }
      }
      if (alive) {
        throw new StoreError(
          "busy",
          `Another ingest (process ${pid}) is writing to ${dataDir}. Wait for it to finish, or delete ${path} if it is gone.`,
          path,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new StoreError("busy", `Cannot lock ${path}. Delete it if no ingest is running.`, path);
}

function failureOf(error: unknown, path: string): { code: string; message: string } {
  if (error instanceof IngestError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "unreadable", message: `${path}: ${message}` };
}

/** The chunks a previous build holds for a file, to reuse when the file did not change. */
function previousChunks(db: ChunkDb | undefined, path: string): Chunk[] | undefined {
  if (!db) return undefined;
  const rows = db.chunksOfFile(path);
  return rows.length > 0 ? rows.map((r) => r.chunk) : undefined;
}

/**
 * Builds the index of a corpus folder: load, chunk, analyse, embed, store. Unchanged files are
 * not re-parsed; the new build is written beside the live one and switched in (by replacing the
 * manifest) only when complete, so a crash or Ctrl-C leaves the previous index serving.
 * Bad files are reported and skipped; the rest of the corpus is still indexed.
 */
export async function ingestCorpus(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const { config } = options;
  const corpusDir = options.corpusDir ?? config.PADOMS_CORPUS_DIR;
  const dataDir = options.dataDir ?? config.PADOMS_DATA_DIR;
  const logger = options.logger ?? silentLogger;
  const signal = options.signal;
  const checkAbort = () => {
    if (signal?.aborted)
      throw new IngestError(
        "unsupported",
        "Ingest was interrupted; the previous index is still in place.",
        corpusDir,
      );
  };

  const files = await listCorpusFiles(corpusDir);
  if (files.length === 0) {
    throw new IngestError(
      "empty",
      `No corpus files in ${corpusDir} (PDF, Markdown, text, WebVTT or SRT). Put the handbook and transcripts there, or pass --corpus DIR.`,
      corpusDir,
    );
  }
  await mkdir(buildsDir(dataDir), { recursive: true });
  const release = await acquireLock(dataDir);
  try {
    // Lecture metadata: every lectures.json, keyed by corpus-relative path of the lecture file.
    const lectures = new Map<string, LectureMeta>();
    const lectureOrder: LectureMeta[] = [];
    const metaHashes: string[] = [];
    const failures: IngestFailure[] = [];
    for (const meta of await findLecturesJson(corpusDir)) {
      try {
        const text = await readFile(meta.absPath, "utf8");
        metaHashes.push(`${meta.relPath}:${await hashFile(meta.absPath)}`);
        const dir = meta.relPath.includes("/")
          ? meta.relPath.slice(0, meta.relPath.lastIndexOf("/") + 1)
          : "";
        for (const l of parseLecturesJson(text, meta.relPath)) {
          lectures.set(`${dir}${l.file}`, l);
          lectureOrder.push(l);
        }
      } catch (error) {
        failures.push({
          path: meta.relPath,
          ...failureOf(error, meta.relPath),
          keptPrevious: false,
        });
      }
    }

    const settings: Record<string, string | number> = {
      analyzer: analyzerFingerprint(),
      embedder: embedderKind(config),
      chunkMaxWords: config.CHUNK_MAX_WORDS,
      chunkTargetSeconds: config.CHUNK_TARGET_SECONDS,
      lectureMeta: metaHashes.sort().join(","),
    };

    const hashes = new Map<string, string>();
    for (const f of files) hashes.set(f.relPath, await hashFile(f.absPath));

    let previous: Manifest | undefined;
    try {
      previous = await readManifest(dataDir);
    } catch (error) {
      logger.warn("previous index unreadable; building from scratch", { error });
    }
    const sameSettings =
      previous !== undefined && JSON.stringify(previous.settings) === JSON.stringify(settings);

    const embedderName = settings.embedder as string;
    if (
      previous &&
      sameSettings &&
      !options.force &&
      failures.length === 0 &&
      Object.keys(previous.files).length === files.length &&
      files.every((f) => previous?.files[f.relPath]?.hash === hashes.get(f.relPath))
    ) {
      return {
        status: "up-to-date",
        corpusDir,
        dataDir,
        build: previous.build,
        embedder: previous.embedder.id,
        files: { total: files.length, processed: 0, reused: files.length, failed: 0 },
        chunks: previous.chunkCount,
        failures: [],
        durationMs: Math.round(performance.now() - started),
      };
    }

    let previousDb: ChunkDb | undefined;
    if (previous) {
      try {
        previousDb = openChunkDb(join(buildsDir(dataDir), previous.build, previous.db.file), {
          readonly: true,
        });
      } catch (error) {
        logger.warn("previous build unreadable; re-processing every file", { error });
      }
    }

    try {
      // Load and chunk; reuse the chunks of unchanged files.
      const loaded: FileChunks[] = [];
      let processed = 0;
      let reused = 0;
      for (const [i, f] of files.entries()) {
        checkAbort();
        const hash = hashes.get(f.relPath) as string;
        const old =
          sameSettings && previous?.files[f.relPath]?.hash === hash
            ? previousChunks(previousDb, f.relPath)
            : undefined;
        if (old) {
          loaded.push({
            path: f.relPath,
            hash,
            chunks: old,
            kind: old[0]?.kind ?? "document",
            title: old[0]?.title ?? f.relPath,
          });
          reused++;
        } else {
          try {
            const doc = await loadSourceFile(f.absPath, f.relPath, { lectures });
            const chunks = chunkDocument(doc, {
              maxWords: config.CHUNK_MAX_WORDS,
              targetSeconds: config.CHUNK_TARGET_SECONDS,
            });
            if (chunks.length === 0) {
              throw new IngestError(
                "no-text",
                `${f.relPath} has no text to index. Check the file, or remove it from the corpus.`,
                f.relPath,
              );
            }
            loaded.push({ path: f.relPath, hash, chunks, kind: doc.kind, title: doc.title });
            processed++;
          } catch (error) {
            const stale = previousChunks(previousDb, f.relPath);
            const prevHash = previous?.files[f.relPath]?.hash;
            if (stale && prevHash && sameSettings) {
              loaded.push({
                path: f.relPath,
                hash: prevHash,
                chunks: stale,
                kind: stale[0]?.kind ?? "document",
                title: stale[0]?.title ?? f.relPath,
              });
            }
            failures.push({
              path: f.relPath,
              ...failureOf(error, f.relPath),
              keptPrevious: Boolean(stale && prevHash && sameSettings),
            });
            logger.warn("file skipped", {
              path: f.relPath,
              reason: failureOf(error, f.relPath).message,
            });
          }
        }
        options.onProgress?.("load", i + 1, files.length);
      }

      const allChunks = loaded.flatMap((l) => l.chunks);
      if (allChunks.length === 0) {
        return {
          status: "failed",
          corpusDir,
          dataDir,
          embedder: embedderName,
          files: { total: files.length, processed, reused, failed: failures.length },
          chunks: 0,
          failures,
          durationMs: Math.round(performance.now() - started),
        };
      }

      // Embed.
      checkAbort();
      const embedStarted = performance.now();
      const texts = allChunks.map((c) =>
        c.section ? `${c.title}. ${c.section}. ${c.text}` : `${c.title}. ${c.text}`,
      );
      const indexing = await createIndexingEmbedder(config, texts, (d, t) =>
        options.onProgress?.("embed", d, t),
      );
      const dimensions = indexing.embedder.dimensions;
      const timings: IngestTimings = {
        loadMs: Math.round(embedStarted - started),
        fitMs: Math.round(performance.now() - embedStarted),
        embedMs: 0,
        indexMs: 0,
        writeMs: 0,
      };

      // Write the new build beside the live one, a batch at a time: each batch is embedded and
      // then inserted into SQLite and appended to the vectors file, so no vector outlives its
      // batch in JavaScript memory (at 100k passages, all of them would be 300 MiB more at the
      // peak). The int8 codes are written from that file at the end.
      checkAbort();
      const build = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(3).toString("hex")}`;
      const tmpDir = join(buildsDir(dataDir), `${build}.tmp`);
      try {
        await mkdir(tmpDir, { recursive: true });
        const db = openChunkDb(join(tmpDir, "chunks.sqlite"), { create: true });
        const vectorsOut = createQuantisedWriter(
          join(tmpDir, VECTORS_FILE),
          join(tmpDir, CODES_FILE),
          dimensions,
        );
        let finished = false;
        try {
          const items = loaded.flatMap((file) => file.chunks.map((chunk) => ({ file, chunk })));
          const batch = 256;
          for (let b = 0; b < items.length; b += batch) {
            checkAbort();
            let t = performance.now();
            const vectors = await indexing.embedder.embedDocuments(texts.slice(b, b + batch));
            timings.embedMs += performance.now() - t;
            options.onProgress?.("embed", Math.min(b + batch, items.length), items.length);
            t = performance.now();
            db.transaction(() => {
              items.slice(b, b + batch).forEach(({ file, chunk }, i) => {
                const vector = vectors[i];
                if (vector?.length !== dimensions)
                  throw new Error(
                    `The embedder returned ${vector ? `a vector of ${vector.length} numbers` : "no vector"} for a passage of ${file.path}; expected ${dimensions}. Check the embedding model (OPENAI_EMBEDDING_MODEL) and run the ingest again.`,
                  );
                const heading = [chunk.title, chunk.section ?? ""].join(" ");
                const label = db.addChunk(chunk, analyze(chunk.text), analyze(heading));
                vectorsOut.add(label, vector);
              });
            });
            timings.indexMs += performance.now() - t;
            options.onProgress?.("index", Math.min(b + batch, items.length), items.length);
          }
          db.transaction(() => {
            for (const file of loaded)
              db.addFile({
                path: file.path,
                hash: file.hash,
                kind: file.kind,
                title: file.title,
                chunkCount: file.chunks.length,
              });
            db.setLectures(lectureOrder);
          });
          const t = performance.now();
          vectorsOut.finish();
          finished = true;
          timings.writeMs += performance.now() - t;
        } finally {
          if (!finished) vectorsOut.abort();
          db.close();
        }
        const writeStarted = performance.now();
        let stateFile: string | undefined;
        if (indexing.state !== undefined) {
          stateFile = "embedder.json";
          await writeFile(join(tmpDir, stateFile), JSON.stringify(indexing.state));
        }
        checkAbort();
        const finalDir = join(buildsDir(dataDir), build);
        await rename(tmpDir, finalDir);
        const manifest: Manifest = {
          formatVersion: INDEX_FORMAT_VERSION,
          build,
          createdAt: new Date().toISOString(),
          embedder: {
            id: indexing.embedder.id,
            dimensions,
            ...(stateFile ? { state: stateFile } : {}),
          },
          settings,
          files: Object.fromEntries(
            loaded.map((l) => [l.path, { hash: l.hash, chunks: l.chunks.length }]),
          ),
          chunkCount: allChunks.length,
          vectors: await checkFile(finalDir, VECTORS_FILE),
          codes: await checkFile(finalDir, CODES_FILE),
          db: await checkFile(finalDir, "chunks.sqlite"),
        };
        await writeManifest(dataDir, manifest);
        timings.writeMs += performance.now() - writeStarted;
      } catch (error) {
        await rm(tmpDir, { recursive: true, force: true });
        throw error;
      } finally {
        indexing.close();
      }
      await removeOldBuilds(dataDir, build);
      logger.info("index built", { build, chunks: allChunks.length, failed: failures.length });
      return {
        status: "built",
        corpusDir,
        dataDir,
        build,
        embedder: indexing.embedder.id,
        files: { total: files.length, processed, reused, failed: failures.length },
        chunks: allChunks.length,
        failures,
        durationMs: Math.round(performance.now() - started),
        timings: {
          ...timings,
          embedMs: Math.round(timings.embedMs),
          indexMs: Math.round(timings.indexMs),
          writeMs: Math.round(timings.writeMs),
        },
      };
    } finally {
      previousDb?.close();
    }
  } finally {
    await release();
  }
}

/** Removes builds other than the live one (and leftovers of interrupted runs). */
async function removeOldBuilds(dataDir: string, keep: string): Promise<void> {
  const dir = buildsDir(dataDir);
  for (const name of await readdir(dir)) {
    if (name !== keep) await rm(join(dir, name), { recursive: true, force: true });
  }
}
