/**
 * The measuring core of `npm run bench`: ingest one corpus, then serve it (search, ask, hnswlib
 * against exact search). Each function runs in the calling process; `scripts/bench.ts` runs them
 * in a child process per phase so that peak RSS is per corpus size and per phase.
 */
import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import usearch from "usearch";
import { createApp } from "../../src/app.js";
import type { Config } from "../../src/config.js";
import { loadConfig } from "../../src/config.js";
import { type IngestSummary, ingestCorpus } from "../../src/ingest/ingest.js";
import { createRetriever, type SearchMode } from "../../src/retrieval/search.js";
import { MANIFEST_FILE } from "../../src/store/manifest.js";
import { readVectorBlocks } from "../../src/store/quantised-index.js";
import type { Neighbour } from "../../src/store/vector-index.js";
import { type AnnTruth, packBlocks, recall, TRUTH_K } from "./engines.js";
import { QUESTIONS, questionVariants, WARMUP_QUESTIONS } from "./questions.js";
import {
  type LatencySummary,
  type MemoryReport,
  startRssSampler,
  summarize,
  timed,
} from "./stats.js";

/** The offline configuration every phase uses (LLM off: `ask` is the extractive answer). */
export function benchConfig(
  dataDir: string,
  corpusDir: string,
  extra: Record<string, string> = {},
): Config {
  return loadConfig({
    PADOMS_DATA_DIR: dataDir,
    PADOMS_CORPUS_DIR: corpusDir,
    LLM: "off",
    LOG_LEVEL: "silent",
    PROGRESS: "false",
    ...extra,
  });
}

/** Bytes of the live build on disk. */
export interface IndexSize {
  sqliteBytes: number;
  /** The vector files (`vectors.f32` + `vectors.i8`; `.hnsw` before index format 2). */
  vectorBytes: number;
  otherBytes: number;
  totalBytes: number;
}

/** Sizes of the files of the live build of `dataDir` (plus the manifest). */
export async function indexSize(dataDir: string, buildDir: string): Promise<IndexSize> {
  let sqliteBytes = 0;
  let vectorBytes = 0;
  let otherBytes = (await stat(join(dataDir, MANIFEST_FILE))).size;
  for (const name of await readdir(buildDir)) {
    const { size } = await stat(join(buildDir, name));
    if (name.endsWith(".sqlite")) sqliteBytes += size;
    else if (/^vectors\./.test(name)) vectorBytes += size;
    else otherBytes += size;
  }
  return {
    sqliteBytes,
    vectorBytes,
    otherBytes,
    totalBytes: sqliteBytes + vectorBytes + otherBytes,
  };
}

/** What one ingest run cost. */
export interface IngestMetrics {
  status: IngestSummary["status"];
  files: number;
  passages: number;
  durationMs: number;
  passagesPerSec: number;
  /**
   * Stages, from the ingest summary's `timings`: `load` (read, parse, chunk), `embed` (fit the
   * local embedder's IDF, then embed batch by batch), `indexInsert` (per batch, one SQLite
   * transaction: analyse + insert + FTS5, with the float32 vectors appended to their file),
   * `indexWrite` (the int8 codes, checksums, manifest). `indexBuildMs` = both.
   */
  stages: {
    loadMs: number;
    embedMs: number;
    /** The part of `embedMs` spent fitting the embedder (name kept for older result files). */
    fitMsApprox: number;
    indexInsertMs: number;
    indexWriteMs: number;
    indexBuildMs: number;
  };
  size: IndexSize;
  memory: MemoryReport;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Ingests `corpusDir` into `dataDir` with the local embedder and times the stages. */
export async function measureIngest(options: {
  config: Config;
  force?: boolean;
}): Promise<IngestMetrics> {
  const sampler = startRssSampler();
  const started = performance.now();
  const summary = await ingestCorpus({
    config: options.config,
    force: options.force,
    onProgress: () => sampler.sample(),
  });
  const ended = performance.now();
  const memory = sampler.report();
  sampler.stop();
  const durationMs = ended - started;
  const t = summary.status === "built" ? summary.timings : undefined;
  const stages = t
    ? {
        loadMs: r1(t.loadMs),
        embedMs: r1(t.fitMs + t.embedMs),
        fitMsApprox: r1(t.fitMs),
        indexInsertMs: r1(t.indexMs),
        indexWriteMs: r1(t.writeMs),
        indexBuildMs: r1(t.indexMs + t.writeMs),
      }
    : { loadMs: 0, embedMs: 0, fitMsApprox: 0, indexInsertMs: 0, indexWriteMs: 0, indexBuildMs: 0 };
  const dataDir = options.config.PADOMS_DATA_DIR;
  const size = summary.build
    ? await indexSize(dataDir, join(dataDir, "builds", summary.build))
    : { sqliteBytes: 0, vectorBytes: 0, otherBytes: 0, totalBytes: 0 };
  return {
    status: summary.status,
    files: summary.files.total,
    passages: summary.chunks,
    durationMs: r1(durationMs),
    passagesPerSec: r1(summary.chunks / (durationMs / 1000)),
    stages,
    size,
    memory,
  };
}

/** Latencies of the opened index, in process. */
export interface ServeMetrics {
  chunks: number;
  /** `createApp` (open + verify the index, load the embedder state). */
  openMs: number;
  /** The first `ask` after opening (loads the vocabulary and builds the spelling corrector). */
  firstAskMs: number;
  queries: number;
  /** `Retriever.search(q, { k: 5, mode })`, a fresh retriever per mode. */
  search: Record<SearchMode, LatencySummary>;
  /** `engine.ask(q)` offline (extractive), no conversation. */
  ask: LatencySummary;
  /** Share of measured questions answered (not declined). */
  answeredShare: number;
  /** Memory of the serving process before the exact baseline is built. */
  memory: MemoryReport;
}

/** The live vector index against exact float32 search over the same vectors. */
export interface AnnMetrics {
  queries: number;
  vectors: number;
  dimensions: number;
  /** Neighbours asked for in the timed searches (the retriever's candidate count). */
  k: number;
  /** Tie-aware: a returned neighbour counts when its similarity reaches the exact k-th one. */
  recallAt10: number;
  recallAt40: number;
  /**
   * Sum of the similarities of the index's top 10 over the exact top 10's (1 = as good as exact):
   * how much worse the missed neighbours' replacements are, when recall is below 1.
   */
  similarityRatioAt10: number;
  /** `VectorIndex.search(v, k)` of the live index. */
  index: LatencySummary;
  /** usearch `exactSearch` over every float32 vector in memory, one thread. */
  exact: LatencySummary;
  /** Exact p50 / index p50. */
  speedup: number;
  /** Reading the float32 vectors back from the build. */
  readBackMs: number;
  /** Memory of the process with the float32 vectors loaded as well. */
  memory: MemoryReport;
}

export interface ServeResult {
  serve: ServeMetrics;
  ann: AnnMetrics;
}

const MODES: SearchMode[] = ["hybrid", "keyword", "vector"];
const ANN_K = 40;

/**
 * Opens the index of `config` with `createApp` and measures search (three modes), ask, and the
 * vector index against exact search. `rounds` distinct variants of each question are measured.
 * With `truthPath`, the query vectors and their exact top 40 are written there for the engine
 * comparison (`engines.ts`).
 */
export async function measureServing(options: {
  config: Config;
  rounds?: number;
  /** Queries for the ANN comparison (default: the question set). */
  annQueries?: readonly string[];
  truthPath?: string;
}): Promise<ServeResult> {
  const sampler = startRssSampler();
  const variants = questionVariants(options.rounds ?? 3);
  const opened = await timed(() => createApp({ config: options.config }));
  const app = opened.value;
  try {
    const first = await timed(() => app.engine.ask(WARMUP_QUESTIONS[0] as string));
    for (const q of WARMUP_QUESTIONS.slice(1)) await app.engine.ask(q);
    const stack = app.live.current();

    const search = {} as Record<SearchMode, LatencySummary>;
    for (const mode of MODES) {
      // A fresh retriever per mode: no mode reuses another's cached query embedding.
      const retriever = createRetriever(stack.index, stack.embedder);
      for (const q of WARMUP_QUESTIONS) await retriever.search(q, { mode });
      const ms: number[] = [];
      for (const q of variants) {
        const t = performance.now();
        await retriever.search(q, { k: 5, mode });
        ms.push(performance.now() - t);
        sampler.sample();
      }
      search[mode] = summarize(ms);
    }

    const askMs: number[] = [];
    let answered = 0;
    for (const q of variants) {
      const t = performance.now();
      const a = await app.engine.ask(q);
      askMs.push(performance.now() - t);
      if (a.answered) answered++;
      sampler.sample();
    }
    const serve: ServeMetrics = {
      chunks: stack.index.manifest.chunkCount,
      openMs: r1(opened.ms),
      firstAskMs: r1(first.ms),
      queries: variants.length,
      search,
      ask: summarize(askMs),
      answeredShare: Math.round((answered / variants.length) * 1000) / 1000,
      memory: sampler.report(),
    };

    const ann = await compareWithExact({
      vectorsPath: join(stack.index.dir, stack.index.manifest.vectors.file),
      codesPath: join(stack.index.dir, stack.index.manifest.codes.file),
      dimensions: stack.index.manifest.embedder.dimensions,
      truthPath: options.truthPath,
      search: (v, k) => stack.index.vectors.search(v, k),
      embedQuery: (q) => stack.embedder.embedQuery(stack.retriever.prepare(q).text),
      queries: options.annQueries ?? QUESTIONS,
    });
    ann.memory = sampler.report();
    return { serve, ann };
  } finally {
    sampler.stop();
    app.close();
  }
}

function similarityRatio(ann: Neighbour[], exact: Neighbour[], k: number): number {
  const sum = (list: Neighbour[]) => list.slice(0, k).reduce((t, n) => t + n.similarity, 0);
  const truth = sum(exact);
  return truth > 0 ? sum(ann) / truth : 1;
}

/**
 * Reads every float32 vector back from the build, and compares the live index's answers with
 * usearch's exact float32 search over them.
 */
export async function compareWithExact(options: {
  vectorsPath: string;
  codesPath: string;
  dimensions: number;
  search: (vector: number[], k: number) => Neighbour[];
  embedQuery: (q: string) => Promise<number[]>;
  queries: readonly string[];
  truthPath?: string;
}): Promise<AnnMetrics> {
  const { dimensions } = options;
  const readBack = await timed(() => {
    const { data, labels, count } = packBlocks([
      ...readVectorBlocks(options.vectorsPath, options.codesPath),
    ]);
    return { data, labels, count };
  });
  const { data, labels, count } = readBack.value;
  const exactSearch = (v: number[], k: number): Neighbour[] => {
    const n = Math.min(k, count);
    if (n === 0) return [];
    const r = usearch.exactSearch(
      data,
      new Float32Array(v),
      dimensions,
      n,
      usearch.MetricKind.IP,
      1,
    ) as { keys: BigUint64Array; distances: Float32Array };
    return Array.from(r.keys, (key, i) => ({
      label: labels[Number(key)] as number,
      similarity: 1 - (r.distances[i] ?? 1),
    }));
  };
  const vectors: number[][] = [];
  for (const q of options.queries) vectors.push(await options.embedQuery(q));
  // Warm-up of both paths.
  for (const v of vectors.slice(0, 3)) {
    options.search(v, ANN_K);
    exactSearch(v, ANN_K);
  }
  // k = 40: what the retriever asks the vector index for (its candidate count).
  const indexMs: number[] = [];
  const exactMs: number[] = [];
  const truths: Neighbour[][] = [];
  let r10 = 0;
  let r40 = 0;
  let ratio = 0;
  for (const v of vectors) {
    let t = performance.now();
    const ann = options.search(v, ANN_K);
    indexMs.push(performance.now() - t);
    t = performance.now();
    const truth = exactSearch(v, Math.max(ANN_K, TRUTH_K));
    exactMs.push(performance.now() - t);
    truths.push(truth);
    r10 += recall(ann, truth, 10);
    r40 += recall(ann, truth, 40);
    ratio += similarityRatio(ann, truth, 10);
  }
  if (options.truthPath) {
    const out: AnnTruth = { dimensions, vectors: count, queries: vectors, truth: truths };
    await writeFile(options.truthPath, JSON.stringify(out));
  }
  const n = Math.max(1, vectors.length);
  const index = summarize(indexMs);
  const exactLatency = summarize(exactMs);
  return {
    queries: vectors.length,
    vectors: count,
    dimensions,
    k: ANN_K,
    recallAt10: Math.round((r10 / n) * 10000) / 10000,
    recallAt40: Math.round((r40 / n) * 10000) / 10000,
    similarityRatioAt10: Math.round((ratio / n) * 10000) / 10000,
    index,
    exact: exactLatency,
    speedup: index.p50 > 0 ? Math.round((exactLatency.p50 / index.p50) * 10) / 10 : 0,
    readBackMs: r1(readBack.ms),
    memory: { sampledPeakRssMb: 0, maxRssMb: 0, heapUsedMb: 0 },
  };
}
