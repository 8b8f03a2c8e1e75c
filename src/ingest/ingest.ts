import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Config } from "../config.js";
import { createIndexingEmbedder, embedderKind } from "../embed/create-embedder.js";
import type { Logger } from "../log.js";
import { silentLogger } from "../log.js";
import { type ChunkDb, openChunkDb } from "../store/chunk-db.js";
import { acquireIngestLock } from "../store/ingest-lock.js";
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
import { loadSourceFile, readError } from "./load-file.js";
import { walkCorpus } from "./walk.js";

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
  /**
   * Let the new build drop sources the live one has (deleted files, broken links, unreadable
   * lecture metadata). Default false: such a run keeps the previous build live (`--allow-shrink`).
   */
  allowShrink?: boolean;
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
  /**
   * `built`: a new build is live; `up-to-date`: nothing changed; `failed`: nothing could be
   * indexed; `kept-previous`: the new build would have lost sources the live one has (see
   * `lost`), so the previous build stays live.
   */
  status: "built" | "up-to-date" | "failed" | "kept-previous";
  corpusDir: string;
  /** The corpus folder the live index was built from, when it is another one. */
  previousCorpusDir?: string;
  dataDir: string;
  build?: string;
  embedder: string;
  files: { total: number; processed: number; reused: number; failed: number };
  chunks: number;
  failures: IngestFailure[];
  /** Files processed in this run that were not UTF-8, with the encoding assumed for each. */
  encodings?: { path: string; encoding: string }[];
  /** Sources of the live index this run could not keep, and why (status `kept-previous`, or built with `allowShrink`). */
  lost: IngestFailure[];
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

/** Words whose analysis fingerprints the analyzer: when its rules change, every file is re-processed. */
const ANALYZER_PROBE =
  "Sociālā uzņēmuma statusu piešķir Labklājības ministrija; socialajiem uznemumiem pienakas atvieglojumi. " +
  "Grupām, zemju, sirdīm, tirgus, akmeņi, brāļiem — 2 800 eiro, 14,92 milj., Nr. 173, 2017. gada 12. oktobrī. " +
  "Raksta pa e-pastu vai pa pastu. What grants can a social enterprise get?";

/**
 * Version of the loading and chunking rules: a change re-processes every file (2: lists kept
 * whole; 3: laws sectioned by article, tables of contents dropped, captions punctuated; 4: PDF
 * structure from the layout, printed page labels, text set apart left out, languages; 5: one
 * sentence splitter, text/sentences.ts, for passages and answers).
 */
const CHUNKER_VERSION = 5;

/** A short fingerprint of the text analyzer's behaviour and the chunking rules. */
export function analyzerFingerprint(): string {
  return createHash("sha1")
    .update(`${analyze(ANALYZER_PROBE).join(" ")}|chunker ${CHUNKER_VERSION}`)
    .digest("hex")
    .slice(0, 12);
}

function failureOf(error: unknown, path: string): { code: string; message: string } {
  if (error instanceof IngestError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "unreadable", message: `${path}: ${message}` };
}

/**
 * The corpus folder when none was given: the one the live index was built from, so a plain
 * `padoms ingest` or `npm start` never swaps corpora; else `config.PADOMS_CORPUS_DIR`.
 */
export async function defaultCorpusDir(config: Config, dataDir = config.PADOMS_DATA_DIR) {
  if (!config.corpusDirDefaulted) return config.PADOMS_CORPUS_DIR;
  const previous = await readManifest(dataDir).catch(() => undefined);
  return previous?.corpusDir ?? config.PADOMS_CORPUS_DIR;
}

function isLectureMetaPath(path: string): boolean {
  return /(^|\/)lectures\.json$/i.test(path);
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
  const dataDir = options.dataDir ?? config.PADOMS_DATA_DIR;
  const logger = options.logger ?? silentLogger;
  const corpusDir = options.corpusDir ?? (await defaultCorpusDir(config, dataDir));
  const signal = options.signal;
  // Parsing, chunking and local embedding are synchronous work between awaits that do not wait
  // for I/O: the Ctrl-C handler only runs when the event loop gets a turn, so give it one.
  const checkAbort = async () => {
    if (signal) await yieldToEventLoop();
    if (signal?.aborted)
      throw new IngestError(
        "interrupted",
        "Ingest was interrupted; the previous index is still in place.",
        corpusDir,
      );
  };

  const listing = await walkCorpus(corpusDir);
  const files = listing.files;
  const fileProblems = listing.problems.filter((p) => p.kind === "file");
  if (files.length === 0 && fileProblems.length === 0) {
    throw new IngestError(
      "empty",
      `No corpus files in ${corpusDir} (PDF, Markdown, text, WebVTT or SRT). Put the handbook and transcripts there, or pass --corpus DIR.`,
      corpusDir,
    );
  }
  await mkdir(buildsDir(dataDir), { recursive: true });
  const release = await acquireIngestLock(dataDir);
  try {
    const failures: IngestFailure[] = [];
    const encodings: { path: string; encoding: string }[] = [];
    /** Corpus-relative paths of source files (not folders, not lecture metadata) that failed. */
    const failedFiles = new Set<string>();
    const fail = (path: string, error: unknown, keptPrevious: boolean, isFile: boolean) => {
      const reason = failureOf(error, path);
      failures.push({ path, ...reason, keptPrevious });
      if (isFile) failedFiles.add(path);
      logger.warn("file skipped", { path, reason: reason.message });
    };
    for (const p of listing.problems.filter((p) => p.kind === "folder"))
      fail(p.relPath, p.error, false, false);

    // Lecture metadata: every lectures.json, keyed by corpus-relative path of the lecture file.
    const lectures = new Map<string, LectureMeta>();
    const lectureOrder: LectureMeta[] = [];
    const metaHashes: string[] = [];
    const metaFailed = new Map<string, string>();
    for (const meta of listing.lectureFiles) {
      try {
        let text: string;
        try {
          text = await readFile(meta.absPath, "utf8");
        } catch (error) {
          throw readError(error, meta.relPath, meta.absPath);
        }
        const parsed = parseLecturesJson(text, meta.relPath);
        metaHashes.push(`${meta.relPath}:${await hashFile(meta.absPath)}`);
        const dir = meta.relPath.includes("/")
          ? meta.relPath.slice(0, meta.relPath.lastIndexOf("/") + 1)
          : "";
        for (const l of parsed) {
          lectures.set(`${dir}${l.file}`, l);
          lectureOrder.push(l);
        }
      } catch (error) {
        metaFailed.set(meta.relPath, failureOf(error, meta.relPath).message);
        fail(meta.relPath, error, false, false);
      }
    }
    for (const p of listing.problems.filter(
      (p) => p.kind === "file" && isLectureMetaPath(p.relPath),
    )) {
      metaFailed.set(p.relPath, p.error.message);
      fail(p.relPath, p.error, false, false);
    }

    const settings: Record<string, string | number> = {
      analyzer: analyzerFingerprint(),
      embedder: embedderKind(config),
      chunkMaxWords: config.CHUNK_MAX_WORDS,
      chunkTargetSeconds: config.CHUNK_TARGET_SECONDS,
      lectureMeta: metaHashes.sort().join(","),
    };

    // Hash every file; one that cannot be read (deleted since the walk, permission denied) is
    // reported like any other bad file, and the rest goes on.
    const hashes = new Map<string, string>();
    const unreadable = new Map<string, unknown>();
    for (const f of files) {
      await checkAbort();
      try {
        hashes.set(f.relPath, await hashFile(f.absPath));
      } catch (error) {
        unreadable.set(f.relPath, readError(error, f.relPath, f.absPath));
      }
    }
    for (const p of fileProblems) {
      if (!isLectureMetaPath(p.relPath)) unreadable.set(p.relPath, p.error);
    }
    const sourcePaths = [...files.map((f) => f.relPath), ...unreadable.keys()].filter(
      (p, i, all) => all.indexOf(p) === i,
    );

    let previous: Manifest | undefined;
    try {
      previous = await readManifest(dataDir);
    } catch (error) {
      logger.warn("previous index unreadable; building from scratch", { error });
    }
    const sameSettings =
      previous !== undefined && JSON.stringify(previous.settings) === JSON.stringify(settings);
    const absCorpus = resolve(corpusDir);
    const previousCorpusDir =
      previous?.corpusDir !== undefined && previous.corpusDir !== absCorpus
        ? previous.corpusDir
        : undefined;

    const embedderName = settings.embedder as string;
    if (
      previous &&
      sameSettings &&
      !options.force &&
      failures.length === 0 &&
      unreadable.size === 0 &&
      previous.corpusDir === absCorpus &&
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
        lost: [],
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
      const absOf = new Map(files.map((f) => [f.relPath, f.absPath]));
      for (const [i, path] of sourcePaths.entries()) {
        await checkAbort();
        const hash = hashes.get(path);
        const old =
          hash !== undefined && sameSettings && previous?.files[path]?.hash === hash
            ? previousChunks(previousDb, path)
            : undefined;
        if (old) {
          loaded.push({
            path,
            hash: hash as string,
            chunks: old,
            kind: old[0]?.kind ?? "document",
            title: old[0]?.title ?? path,
          });
          reused++;
        } else {
          try {
            const absPath = absOf.get(path);
            if (hash === undefined || absPath === undefined) throw unreadable.get(path);
            const doc = await loadSourceFile(absPath, path, { lectures });
            if (doc.encoding) encodings.push({ path, encoding: doc.encoding });
            const chunks = chunkDocument(doc, {
              maxWords: config.CHUNK_MAX_WORDS,
              targetSeconds: config.CHUNK_TARGET_SECONDS,
            });
            if (chunks.length === 0) {
              throw new IngestError(
                "no-text",
                `${path} has no text to index. Check the file, or remove it from the corpus.`,
                path,
              );
            }
            loaded.push({ path, hash, chunks, kind: doc.kind, title: doc.title });
            processed++;
          } catch (error) {
            const stale = previousChunks(previousDb, path);
            const prevHash = previous?.files[path]?.hash;
            const keep = Boolean(stale && prevHash && sameSettings);
            if (stale && prevHash && keep) {
              loaded.push({
                path,
                hash: prevHash,
                chunks: stale,
                kind: stale[0]?.kind ?? "document",
                title: stale[0]?.title ?? path,
              });
            }
            fail(path, error, keep, true);
          }
        }
        options.onProgress?.("load", i + 1, sourcePaths.length);
      }

      // A source the live index has and this build would not: keep the live build, unless allowed.
      const inBuild = new Set(loaded.map((l) => l.path));
      const lost: IngestFailure[] = [];
      if (previous) {
        for (const path of Object.keys(previous.files)) {
          if (inBuild.has(path)) continue;
          const failure = failures.find((f) => f.path === path || path.startsWith(`${f.path}/`));
          lost.push(
            failure ?? {
              path,
              code: "missing",
              message: previousCorpusDir
                ? `${path}: not in ${corpusDir}; the index was built from ${previousCorpusDir}.`
                : `${path}: no longer in ${corpusDir} (deleted, moved or renamed).`,
              keptPrevious: false,
            },
          );
        }
        for (const entry of String(previous.settings.lectureMeta ?? "").split(",")) {
          const path = entry.slice(0, entry.lastIndexOf(":"));
          if (!path || metaHashes.some((m) => m.startsWith(`${path}:`))) continue;
          lost.push({
            path,
            code: metaFailed.has(path) ? "corrupt" : "missing",
            message:
              metaFailed.get(path) ??
              `${path}: no longer in ${corpusDir}; lecture titles, links and key moments would be lost.`,
            keptPrevious: false,
          });
        }
      }
      const fileCounts = (failed: number) => ({
        total: sourcePaths.length,
        processed,
        reused,
        failed,
      });
      if (lost.length > 0 && previous && !options.allowShrink) {
        logger.warn("new build would lose sources; the previous index stays", {
          lost: lost.map((l) => l.path),
        });
        return {
          status: "kept-previous",
          corpusDir,
          ...(previousCorpusDir ? { previousCorpusDir } : {}),
          dataDir,
          build: previous.build,
          embedder: previous.embedder.id,
          files: fileCounts(failedFiles.size),
          chunks: previous.chunkCount,
          failures,
          ...(encodings.length ? { encodings } : {}),
          lost,
          durationMs: Math.round(performance.now() - started),
        };
      }

      const allChunks = loaded.flatMap((l) => l.chunks);
      if (allChunks.length === 0) {
        return {
          status: "failed",
          corpusDir,
          dataDir,
          embedder: embedderName,
          files: fileCounts(failedFiles.size),
          chunks: 0,
          failures,
          ...(encodings.length ? { encodings } : {}),
          lost,
          durationMs: Math.round(performance.now() - started),
        };
      }

      // Embed.
      await checkAbort();
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
      await checkAbort();
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
            await checkAbort();
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
        await checkAbort();
        const finalDir = join(buildsDir(dataDir), build);
        await rename(tmpDir, finalDir);
        const manifest: Manifest = {
          formatVersion: INDEX_FORMAT_VERSION,
          build,
          createdAt: new Date().toISOString(),
          corpusDir: absCorpus,
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
        ...(previousCorpusDir ? { previousCorpusDir } : {}),
        embedder: indexing.embedder.id,
        files: fileCounts(failedFiles.size),
        chunks: allChunks.length,
        failures,
        ...(encodings.length ? { encodings } : {}),
        lost,
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
