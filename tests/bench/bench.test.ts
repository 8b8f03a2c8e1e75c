import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { benchConfig, measureIngest, measureServing } from "../../scripts/bench/core.js";
import {
  type AnnTruth,
  ENGINES,
  type EngineMetrics,
  measureEngine,
  TRUTH_K,
} from "../../scripts/bench/engines.js";
import { createPrng } from "../../scripts/bench/prng.js";
import { questionVariants } from "../../scripts/bench/questions.js";
import { evaluateTargets, renderTable, type SizeResult } from "../../scripts/bench/report.js";
import { percentile, summarize } from "../../scripts/bench/stats.js";
import { loadSentencePool, writeSyntheticCorpus } from "../../scripts/bench/synth.js";
import { createQuantisedWriter } from "../../src/store/quantised-index.js";
import { createExactIndex } from "../../src/store/vector-index.js";
import { repoRoot, sampleCorpus, tempDir } from "../helpers/corpus.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** 400 random unit vectors in a build's files, 12 queries and their exact top 40. */
async function smallEngineSet() {
  const dir = await tempDir("padoms-engines-");
  dirs.push(dir);
  const dims = 48;
  const prng = createPrng(11);
  const unit = () => {
    const v = Array.from({ length: dims }, () => prng.next() * 2 - 1);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const rows = Array.from({ length: 400 }, unit);
  const vectorsPath = join(dir, "vectors.f32");
  const codesPath = join(dir, "vectors.i8");
  const writer = createQuantisedWriter(vectorsPath, codesPath, dims);
  rows.forEach((v, i) => {
    writer.add(i + 1, v);
  });
  writer.finish();
  const exact = createExactIndex(dims, rows.length);
  rows.forEach((v, i) => {
    exact.add(i + 1, v);
  });
  const queries = Array.from({ length: 12 }, unit);
  const truth: AnnTruth = {
    dimensions: dims,
    vectors: rows.length,
    queries,
    truth: queries.map((q) => exact.search(q, TRUTH_K)),
  };
  const truthPath = join(dir, "truth.json");
  await writeFile(truthPath, JSON.stringify(truth));
  return { vectorsPath, codesPath, truthPath, workDir: join(dir, "work") };
}

const isNumber = (x: unknown) => typeof x === "number" && Number.isFinite(x);

function expectLatency(l: unknown) {
  expect(l).toMatchObject({
    n: expect.any(Number),
    p50: expect.any(Number),
    p95: expect.any(Number),
    p99: expect.any(Number),
  });
  const s = l as { n: number; p50: number; p95: number; p99: number };
  expect(s.n).toBeGreaterThan(0);
  for (const v of [s.p50, s.p95, s.p99]) expect(isNumber(v) && v >= 0).toBe(true);
  expect(s.p50).toBeLessThanOrEqual(s.p95);
  expect(s.p95).toBeLessThanOrEqual(s.p99);
}

describe("bench statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 95)).toBe(95);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile([], 95)).toBe(0);
    expect(summarize([3, 1, 2])).toMatchObject({ n: 3, p50: 2, max: 3, mean: 2 });
  });
});

describe("bench core on a tiny corpus", () => {
  it("builds a deterministic corpus, ingests it, and measures search, ask and ANN recall", async () => {
    const pool = await loadSentencePool({
      corpusDir: sampleCorpus,
      sib200Dir: join(repoRoot, "../shared/data/sib200-lv"),
    });
    expect(pool.sentences.length).toBeGreaterThan(100);
    expect(pool.sources.sampleCorpus).toBeGreaterThan(0);

    const a = await tempDir("padoms-bench-a-");
    const b = await tempDir("padoms-bench-b-");
    const data = await tempDir("padoms-bench-data-");
    dirs.push(a, b, data);
    const corpus = await writeSyntheticCorpus({
      dir: a,
      pool: pool.sentences,
      passages: 300,
      seed: 1,
    });
    await writeSyntheticCorpus({ dir: b, pool: pool.sentences, passages: 300, seed: 1 });
    expect(corpus).toMatchObject({ files: 3, passages: 300 });
    const names = (await readdir(a)).sort();
    expect(names).toEqual((await readdir(b)).sort());
    for (const n of names) {
      expect(await readFile(join(a, n), "utf8")).toBe(await readFile(join(b, n), "utf8"));
    }

    const config = benchConfig(data, a, { LOCAL_EMBEDDING_DIM: "256" });
    const ingest = await measureIngest({ config, force: true });
    expect(ingest.status).toBe("built");
    expect(ingest.passages).toBe(300);
    expect(isNumber(ingest.passagesPerSec) && ingest.passagesPerSec > 0).toBe(true);
    expect(ingest.size.totalBytes).toBeGreaterThan(0);
    expect(ingest.size.vectorBytes).toBeGreaterThan(0);
    for (const v of Object.values(ingest.stages)) expect(isNumber(v)).toBe(true);
    expect(ingest.memory.maxRssMb).toBeGreaterThan(0);

    const truthPath = join(data, "truth.json");
    const { serve, ann } = await measureServing({ config, rounds: 1, truthPath });
    expect(serve.chunks).toBe(300);
    for (const mode of ["hybrid", "keyword", "vector"] as const) expectLatency(serve.search[mode]);
    expectLatency(serve.ask);
    // One round: each question of the set once; the share is a count of them, to 3 decimals.
    expect(serve.queries).toBe(questionVariants(1).length);
    const answeredCounts = Array.from({ length: serve.queries + 1 }, (_, k) => k);
    expect(answeredCounts.map((k) => Math.round((k / serve.queries) * 1000) / 1000)).toContain(
      serve.answeredShare,
    );
    expect(ann.vectors).toBe(300);
    expect(ann.dimensions).toBe(256);
    expect(isNumber(ann.speedup)).toBe(true);
    expectLatency(ann.index);
    expectLatency(ann.exact);

    // The live index is exact, and the truth for the engine comparison was written.
    expect(ann.recallAt10).toBe(1);
    const truth = JSON.parse(await readFile(truthPath, "utf8")) as AnnTruth;
    expect(truth.queries).toHaveLength(ann.queries);
    expect(truth.truth[0]).toHaveLength(TRUTH_K);

    const engines = [await measureEngine({ ...(await smallEngineSet()), engine: "hnswlib" })];
    const row: SizeResult = { label: "300", ingest, ingestWallMs: 0, serve, ann, engines };
    const targets = evaluateTargets([row], undefined);
    expect(targets.every((t) => t.ok === undefined)).toBe(true);
    const table = renderTable({
      startedAt: new Date().toISOString(),
      complete: true,
      durationMs: 0,
      machine: {
        cpus: 1,
        cpuModel: "test",
        totalMemMb: 1,
        loadAvg: { start: 0, end: 0 },
        node: process.version,
        platform: "test",
      },
      options: { sizes: [300], seed: 1, rounds: 1, sample: false },
      pool: { ...pool.sources, sentences: pool.sentences.length },
      sizes: [row],
      failures: [],
      targets,
    });
    expect(table).toContain("search hybrid p50/p95/p99 ms");
    expect(table).toContain("vector recall@10");
    expect(table).toContain("hnswlib HNSW (settings before format 2)");
  });
});

describe("vector engines side by side", () => {
  it("measures every engine on the same vectors; the exact ones find the exact neighbours", async () => {
    const set = await smallEngineSet();
    const engines: EngineMetrics[] = [];
    for (const engine of ENGINES) {
      const m = await measureEngine({ ...set, engine, workDir: `${set.workDir}-${engine}` });
      expect(m.vectors).toBe(400);
      expect(m.queries).toBe(12);
      expectLatency(m.search);
      expect(m.diskBytes).toBeGreaterThan(0);
      expect(m.rssAfterOpenMb).toBeGreaterThan(0);
      engines.push(m);
    }
    const of = (e: string) => engines.find((m) => m.engine === e);
    for (const e of ["int8-exact", "usearch-f32-exact", "hnswlib-bruteforce"]) {
      expect(of(e)?.recallAt40).toBe(1);
    }
    expect(of("hnswlib")?.recallAt10).toBeGreaterThan(0);
    expect(of("hnswlib")?.buildPassagesPerSec).toBeGreaterThan(0);
    expect(of("usearch-f32-exact")?.buildPassagesPerSec).toBe(0);
  });
});
