/**
 * Vector engines side by side over the same vectors (those of the live build, read back from
 * `vectors.f32`) and the same query vectors, each in its own child process so that its RSS is its
 * own: the new default (exact int8 scan + float32 rescoring, usearch), hnswlib-node's HNSW graph
 * with the settings Padoms used until index format 2, hnswlib-node's `BruteforceSearch`, and
 * usearch's exact float32 search. Recall is against the exact float32 top 40 that the serving
 * phase wrote (`AnnTruth`).
 */
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import hnswlib from "hnswlib-node";
import usearch from "usearch";
import {
  createQuantisedWriter,
  openQuantisedIndex,
  readVectorBlocks,
  type VectorBlock,
} from "../../src/store/quantised-index.js";
import type { Neighbour } from "../../src/store/vector-index.js";
import { type LatencySummary, startRssSampler, summarize } from "./stats.js";

/** Query vectors and their exact float32 top {@link TRUTH_K}, written by the serving phase. */
export interface AnnTruth {
  dimensions: number;
  vectors: number;
  queries: number[][];
  truth: Neighbour[][];
}

export const TRUTH_K = 40;

export const ENGINES = [
  "int8-exact",
  "hnswlib",
  "hnswlib-bruteforce",
  "usearch-f32-exact",
] as const;
export type EngineName = (typeof ENGINES)[number];

/** One engine over one corpus size. */
export interface EngineMetrics {
  engine: EngineName;
  /** The engine's settings in words. */
  settings: string;
  vectors: number;
  /** Building the engine's structure from the float32 vectors (0 when there is none to build). */
  buildMs: number;
  buildPassagesPerSec: number;
  queries: number;
  recallAt10: number;
  recallAt40: number;
  /** `search(v, 40)`, one query at a time. */
  search: LatencySummary;
  /** Process RSS with the engine built (or opened) and before any search, MiB. */
  rssAfterOpenMb: number;
  /** The process's high-water mark, MiB (the build included). */
  maxRssMb: number;
  /** Bytes the engine keeps on disk. */
  diskBytes: number;
}

/**
 * hnswlib's query-time candidates as Padoms set them until index format 2: size / 25, from 96 up
 * to 800.
 */
export function efSearchFor(size: number): number {
  return Math.round(Math.min(800, Math.max(96, size / 25)));
}

/** Creates the native index at the first block's dimensions and adds every vector to it. */
function addEvery<T extends { addPoint(vector: number[], label: number): void }>(
  blocks: Iterable<VectorBlock>,
  vectorsPath: string,
  create: (dimensions: number) => T,
): T {
  let native: T | undefined;
  for (const b of blocks) {
    native ??= create(b.dimensions);
    for (let r = 0; r < b.labels.length; r++) {
      native.addPoint(
        Array.from(b.vectors.subarray(r * b.dimensions, (r + 1) * b.dimensions)),
        b.labels[r] as number,
      );
    }
  }
  if (!native) throw new Error(`${vectorsPath} has no vectors`);
  return native;
}

/**
 * Every block's vectors in one fresh buffer, labels beside them: usearch reads from the start
 * of a typed array's buffer and ignores byte offsets.
 */
export function packBlocks(blocks: readonly VectorBlock[]): {
  data: Float32Array;
  labels: Int32Array;
  count: number;
  dimensions: number;
} {
  const dimensions = blocks.at(-1)?.dimensions ?? 0;
  const count = blocks.reduce((n, b) => n + b.labels.length, 0);
  const data = new Float32Array(new ArrayBuffer(count * dimensions * 4));
  const labels = new Int32Array(count);
  let at = 0;
  for (const b of blocks) {
    data.set(b.vectors, at * dimensions);
    labels.set(b.labels, at);
    at += b.labels.length;
  }
  return { data, labels, count, dimensions };
}

/** Tie-aware recall: a returned neighbour counts when its similarity reaches the exact k-th. */
export function recall(
  found: readonly Neighbour[],
  exact: readonly Neighbour[],
  k: number,
): number {
  const truth = exact.slice(0, k);
  if (truth.length === 0) return 1;
  const kth = (truth[truth.length - 1] as Neighbour).similarity - 1e-6;
  const ids = new Set(truth.map((n) => n.label));
  const hits = found.slice(0, k).filter((n) => ids.has(n.label) || n.similarity >= kth).length;
  return Math.min(1, hits / truth.length);
}

interface Built {
  settings: string;
  search: (q: number[], k: number) => Neighbour[];
  diskBytes: number;
  close?: () => void;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function build(
  engine: EngineName,
  vectorsPath: string,
  codesPath: string,
  work: string,
  size: number,
): Promise<Built> {
  const blocks = () => readVectorBlocks(vectorsPath, codesPath);
  if (engine === "int8-exact") {
    const f32 = join(work, "engine.f32");
    const i8 = join(work, "engine.i8");
    let writer: ReturnType<typeof createQuantisedWriter> | undefined;
    for (const b of blocks()) {
      writer ??= createQuantisedWriter(f32, i8, b.dimensions);
      for (let r = 0; r < b.labels.length; r++) {
        writer.add(
          b.labels[r] as number,
          b.vectors.subarray(r * b.dimensions, (r + 1) * b.dimensions),
        );
      }
    }
    if (!writer) throw new Error(`${vectorsPath} has no vectors`);
    writer.finish();
    const index = openQuantisedIndex(f32, i8, writer.dimensions);
    return {
      settings:
        "usearch exactSearch over int8 codes (per-dimension scales), top max(100, 2k) rescored in float32 read from disk, 1 thread",
      search: (q, k) => index.search(q, k),
      diskBytes: (await stat(f32)).size + (await stat(i8)).size,
      close: () => index.close(),
    };
  }
  if (engine === "hnswlib") {
    const graph = addEvery(blocks(), vectorsPath, (dimensions) => {
      const native = new hnswlib.HierarchicalNSW("cosine", dimensions);
      native.initIndex(Math.max(16, size), 16, 100, 42);
      return native;
    });
    const file = join(work, "vectors.hnsw");
    await graph.writeIndex(file);
    const ef = efSearchFor(size);
    let setEf = 0;
    return {
      settings: `hnswlib-node HNSW, cosine, M 16, efConstruction 100, efSearch ${ef} (the settings before index format 2), in process`,
      search: (q, k) => {
        const want = Math.max(ef, k);
        if (want !== setEf) {
          graph.setEf(want);
          setEf = want;
        }
        const { neighbors, distances } = graph.searchKnn(q, Math.min(k, size));
        return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
      },
      diskBytes: (await stat(file)).size,
    };
  }
  if (engine === "hnswlib-bruteforce") {
    const flat = addEvery(blocks(), vectorsPath, (dimensions) => {
      const native = new hnswlib.BruteforceSearch("ip", dimensions);
      native.initIndex(Math.max(16, size));
      return native;
    });
    const file = join(work, "vectors.bf");
    await flat.writeIndex(file);
    return {
      settings: "hnswlib-node BruteforceSearch, inner product, float32, in process",
      search: (q, k) => {
        const { neighbors, distances } = flat.searchKnn(q, Math.min(k, size));
        return neighbors
          .map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }))
          .sort((a, b) => b.similarity - a.similarity);
      },
      diskBytes: (await stat(file)).size,
    };
  }
  // usearch exact float32: every vector in one fresh buffer (usearch ignores byte offsets).
  const { data, labels, dimensions } = packBlocks([...blocks()]);
  return {
    settings: "usearch exactSearch over float32 in memory, 1 thread",
    search: (q, k) => {
      const r = usearch.exactSearch(
        data,
        new Float32Array(q),
        dimensions,
        Math.min(k, size),
        usearch.MetricKind.IP,
        1,
      ) as { keys: BigUint64Array; distances: Float32Array };
      return Array.from(r.keys, (key, i) => ({
        label: labels[Number(key)] as number,
        similarity: 1 - (r.distances[i] ?? 1),
      }));
    },
    diskBytes: (await stat(vectorsPath)).size,
  };
}

/** Builds one engine over a build's vectors and measures it against the truth file. */
export async function measureEngine(options: {
  engine: EngineName;
  vectorsPath: string;
  codesPath: string;
  truthPath: string;
  /** A folder for the engine's files (removed afterwards). */
  workDir: string;
}): Promise<EngineMetrics> {
  const truth = JSON.parse(await readFile(options.truthPath, "utf8")) as AnnTruth;
  await mkdir(options.workDir, { recursive: true });
  const sampler = startRssSampler();
  try {
    const t = performance.now();
    const built = await build(
      options.engine,
      options.vectorsPath,
      options.codesPath,
      options.workDir,
      truth.vectors,
    );
    const buildMs = performance.now() - t;
    if (global.gc) global.gc();
    const rssAfterOpenMb = mb(process.memoryUsage().rss);
    for (const q of truth.queries.slice(0, 3)) built.search(q, TRUTH_K);
    const ms: number[] = [];
    let r10 = 0;
    let r40 = 0;
    truth.queries.forEach((q, i) => {
      const s = performance.now();
      const found = built.search(q, TRUTH_K);
      ms.push(performance.now() - s);
      const exact = truth.truth[i] ?? [];
      r10 += recall(found, exact, 10);
      r40 += recall(found, exact, 40);
    });
    built.close?.();
    const n = Math.max(1, truth.queries.length);
    const noBuild = options.engine === "usearch-f32-exact";
    return {
      engine: options.engine,
      settings: built.settings,
      vectors: truth.vectors,
      buildMs: Math.round(buildMs),
      buildPassagesPerSec: noBuild ? 0 : Math.round(truth.vectors / (buildMs / 1000)),
      queries: truth.queries.length,
      recallAt10: Math.round((r10 / n) * 10000) / 10000,
      recallAt40: Math.round((r40 / n) * 10000) / 10000,
      search: summarize(ms),
      rssAfterOpenMb,
      maxRssMb: sampler.report().maxRssMb,
      diskBytes: built.diskBytes,
    };
  } finally {
    sampler.stop();
    await rm(options.workDir, { recursive: true, force: true });
  }
}
