/** The benchmark's result shape, its targets, and the printed table. */
import type { AnnMetrics, IngestMetrics, ServeMetrics } from "./core.js";
import type { EngineMetrics } from "./engines.js";
import type { LatencySummary } from "./stats.js";
import type { SentencePool, SyntheticCorpus } from "./synth.js";

/** One corpus measured: ingest in one child process, serving in another. */
export interface SizeResult {
  /** `sample`, `1k`, `10k`, `100k`. */
  label: string;
  /** Passages asked for (synthetic corpora); absent for the sample corpus. */
  requested?: number;
  corpus?: Omit<SyntheticCorpus, "dir"> & { generateMs: number };
  ingest: IngestMetrics;
  /** Wall time of the ingest child, spawn to exit (process start and module loading included). */
  ingestWallMs: number;
  serve: ServeMetrics;
  ann: AnnMetrics;
  /** The vector engines side by side over this corpus's vectors (absent with --no-engines). */
  engines?: EngineMetrics[];
}

/** One cold start of the CLI answering a question. */
export interface ReadyRun {
  /** Spawn to the first byte of the answer on stdout. */
  firstOutputMs: number;
  /** Spawn to exit. */
  exitMs: number;
  exitCode: number | null;
}

export interface SampleResult {
  row: SizeResult;
  /** The second ingest of the unchanged sample corpus (in a new process). */
  reingest: IngestMetrics;
  reingestWallMs: number;
  /** The same as a user runs it: `tsx src/cli/main.ts ingest [--force]`, spawn to exit. */
  cli: { fullIngest: ReadyRun; reingest: ReadyRun };
  botReady: { method: string; runs: ReadyRun[]; medianFirstOutputMs: number };
}

export interface TargetResult {
  name: string;
  /** Human-readable bound, e.g. `≤ 25 ms`. */
  target: string;
  measured?: number;
  unit: string;
  /** Undefined when not measured in this run (e.g. `--sizes` without 100000). */
  ok?: boolean;
  note?: string;
}

export interface BenchResult {
  startedAt: string;
  /** False while running (partial results are saved after every step) or when a step failed. */
  complete: boolean;
  durationMs: number;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemMb: number;
    /** 1-minute load average at the start and the end: other work on the machine skews timings. */
    loadAvg: { start: number; end: number };
    node: string;
    platform: string;
  };
  options: { sizes: number[]; seed: number; rounds: number; sample: boolean; engines?: boolean };
  pool: SentencePool["sources"] & { sentences: number };
  sample?: SampleResult;
  sizes: SizeResult[];
  /** Steps that failed, with the reason; the other steps are still measured. */
  failures: { label: string; message: string }[];
  targets: TargetResult[];
}

const TARGET_SIZE = 100_000;

/** Peak RSS of a size: the larger of the ingest and the serving process (MiB). */
export function peakRssMb(row: SizeResult): number {
  return Math.max(row.ingest.memory.maxRssMb, row.serve.memory.maxRssMb);
}

/** Evaluates the targets against the measured numbers. */
export function evaluateTargets(
  sizes: readonly SizeResult[],
  sample: SampleResult | undefined,
): TargetResult[] {
  const big = sizes.find((s) => s.requested === TARGET_SIZE);
  const missing = big ? undefined : "100k not run (see --sizes)";
  const le = (measured: number | undefined, bound: number) =>
    measured === undefined ? undefined : measured <= bound;
  const ge = (measured: number | undefined, bound: number) =>
    measured === undefined ? undefined : measured >= bound;
  const t = (
    name: string,
    target: string,
    unit: string,
    measured: number | undefined,
    ok: boolean | undefined,
    note?: string,
  ): TargetResult => ({
    name,
    target,
    unit,
    ...(measured !== undefined ? { measured } : {}),
    ...(ok !== undefined ? { ok } : {}),
    ...(note ? { note } : {}),
  });
  const search = big?.serve.search.hybrid.p95;
  const ask = big?.serve.ask.p95;
  const recall = big?.ann.recallAt10;
  const ingest = big?.ingest.passagesPerSec;
  const serving = big?.serve.memory.maxRssMb;
  const rss = big ? peakRssMb(big) : undefined;
  const out: TargetResult[] = [
    t("100k: search p95 (hybrid)", "≤ 15", "ms", search, le(search, 15), missing),
    t("100k: ask p95 (offline)", "≤ 30", "ms", ask, le(ask, 30), missing),
    t("100k: vector recall@10 vs exact", "≥ 0.99", "", recall, ge(recall, 0.99), missing),
    t("100k: ingest throughput", "≥ 1000", "passages/s", ingest, ge(ingest, 1000), missing),
    t("100k: serving RSS", "≤ 600", "MiB", serving, le(serving, 600), missing),
    t(
      "100k: peak RSS (max of ingest, serving)",
      "≤ 1536",
      "MiB",
      rss,
      le(rss, 1536),
      big
        ? `ingest ${big.ingest.memory.maxRssMb} MiB, serving ${big.serve.memory.maxRssMb} MiB`
        : missing,
    ),
  ];
  const full = sample?.cli.fullIngest.exitMs;
  const again = sample?.cli.reingest.exitMs;
  const ready = sample?.botReady.medianFirstOutputMs;
  const noSample = sample ? undefined : "sample corpus not run";
  out.push(
    t(
      "sample: full ingest (CLI, start → exit)",
      "≤ 15000",
      "ms",
      full,
      le(full, 15_000),
      noSample ?? `ingestCorpus alone ${sample?.row.ingest.durationMs} ms`,
    ),
    t(
      "sample: re-ingest, nothing changed (CLI)",
      "≤ 2000",
      "ms",
      again,
      le(again, 2000),
      noSample ?? `ingestCorpus alone ${sample?.reingest.durationMs} ms`,
    ),
    t(
      "sample: bot ready (start → first answer)",
      "≤ 3000",
      "ms",
      ready,
      le(ready, 3000),
      noSample ?? sample?.botReady.method,
    ),
  );
  return out;
}

const lat = (l: LatencySummary) => `${fmt(l.p50)} / ${fmt(l.p95)} / ${fmt(l.p99)}`;

function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function padLeft(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/** The results as a fixed-width table (one column per corpus), then the targets. */
export function renderTable(result: BenchResult): string {
  const rows: SizeResult[] = [...(result.sample ? [result.sample.row] : []), ...result.sizes];
  const lines: [string, (r: SizeResult) => string][] = [
    ["passages (chunks)", (r) => String(r.ingest.passages)],
    ["files", (r) => String(r.ingest.files)],
    ["ingest: passages/s", (r) => r.ingest.passagesPerSec.toFixed(0)],
    ["ingest: total s (in process)", (r) => (r.ingest.durationMs / 1000).toFixed(2)],
    ["ingest: process wall s", (r) => (r.ingestWallMs / 1000).toFixed(2)],
    ["  load+chunk s", (r) => (r.ingest.stages.loadMs / 1000).toFixed(2)],
    [
      "  embed s (of which fit)",
      (r) =>
        `${(r.ingest.stages.embedMs / 1000).toFixed(2)} (${r.ingest.stages.fitMsApprox > 0 ? (r.ingest.stages.fitMsApprox / 1000).toFixed(2) : "–"})`,
    ],
    ["  index build s (SQLite+vectors)", (r) => (r.ingest.stages.indexBuildMs / 1000).toFixed(2)],
    [
      "    insert loop / write+sha s",
      (r) =>
        `${(r.ingest.stages.indexInsertMs / 1000).toFixed(2)} / ${(r.ingest.stages.indexWriteMs / 1000).toFixed(2)}`,
    ],
    ["index on disk MiB", (r) => mib(r.ingest.size.totalBytes)],
    [
      "  sqlite / vectors MiB",
      (r) => `${mib(r.ingest.size.sqliteBytes)} / ${mib(r.ingest.size.vectorBytes)}`,
    ],
    ["open (createApp) ms", (r) => fmt(r.serve.openMs)],
    ["first ask ms", (r) => fmt(r.serve.firstAskMs)],
    ["search hybrid p50/p95/p99 ms", (r) => lat(r.serve.search.hybrid)],
    ["search keyword p50/p95/p99 ms", (r) => lat(r.serve.search.keyword)],
    ["search vector p50/p95/p99 ms", (r) => lat(r.serve.search.vector)],
    ["ask p50/p95/p99 ms", (r) => lat(r.serve.ask)],
    ["  answered share", (r) => r.serve.answeredShare.toFixed(2)],
    ["vector index k=40 p50/p95 ms", (r) => `${fmt(r.ann.index.p50)} / ${fmt(r.ann.index.p95)}`],
    ["exact f32 k=40 p50/p95 ms", (r) => `${fmt(r.ann.exact.p50)} / ${fmt(r.ann.exact.p95)}`],
    ["  speed-up over exact f32 (p50)", (r) => `${r.ann.speedup.toFixed(1)}×`],
    [
      "vector recall@10 / @40",
      (r) => `${r.ann.recallAt10.toFixed(3)} / ${r.ann.recallAt40.toFixed(3)}`,
    ],
    ["  top-10 similarity vs exact", (r) => r.ann.similarityRatioAt10.toFixed(4)],
    ["peak RSS ingest MiB", (r) => r.ingest.memory.maxRssMb.toFixed(0)],
    ["peak RSS serving MiB", (r) => r.serve.memory.maxRssMb.toFixed(0)],
    ["  + float32 vectors in memory MiB", (r) => r.ann.memory.maxRssMb.toFixed(0)],
  ];
  const head = rows.map((r) => r.label);
  const cells = lines.map(([, f]) => rows.map(f));
  const labelW = Math.max(...lines.map(([l]) => l.length));
  const colW = rows.map((_, i) =>
    Math.max(head[i]?.length ?? 0, ...cells.map((c) => c[i]?.length ?? 0)),
  );
  const out: string[] = [];
  const m = result.machine;
  const p = result.pool;
  out.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${(m.totalMemMb / 1024).toFixed(1)} GiB, Node ${m.node}, load average ${m.loadAvg.start} → ${m.loadAvg.end}`,
    `Corpora: seed ${result.options.seed}, ${p.sentences} real sentences (sample corpus ${p.sampleCorpus}, SIB-200 ${p.sib200Available ? p.sib200 : "absent: sample corpus only"}); ${result.options.rounds} variant(s) of each question; local embedder, LLM off`,
    "",
  );
  out.push(`${pad("", labelW)}  ${head.map((h, i) => padLeft(h, colW[i] as number)).join("  ")}`);
  out.push("-".repeat(labelW + 2 + colW.reduce((s, w) => s + w + 2, 0) - 2));
  lines.forEach(([label], li) => {
    out.push(
      `${pad(label, labelW)}  ${(cells[li] ?? []).map((c, i) => padLeft(c, colW[i] as number)).join("  ")}`,
    );
  });
  const engineRows = renderEngines(rows);
  if (engineRows.length > 0) out.push("", ...engineRows);
  for (const f of result.failures) out.push(`FAILED ${f.label}: ${f.message}`);
  out.push("");
  out.push("Targets");
  const nameW = Math.max(...result.targets.map((t) => t.name.length));
  for (const t of result.targets) {
    const mark = t.ok === undefined ? "–" : t.ok ? "✓" : "✗";
    const measured =
      t.measured === undefined ? "not measured" : `${fmt(t.measured)}${t.unit ? ` ${t.unit}` : ""}`;
    const bound = `${t.target}${t.unit ? ` ${t.unit}` : ""}`;
    out.push(
      `${mark} ${pad(t.name, nameW)}  ${padLeft(measured, 18)}  (target ${bound})${t.note ? `  ${t.note}` : ""}`,
    );
  }
  return out.join("\n");
}

const ENGINE_NAMES: Record<string, string> = {
  "int8-exact": "int8 exact + f32 rescore (default)",
  hnswlib: "hnswlib HNSW (settings before format 2)",
  "hnswlib-bruteforce": "hnswlib BruteforceSearch",
  "usearch-f32-exact": "usearch exact f32",
};

/** The vector engines side by side: one line per corpus and engine. */
export function renderEngines(rows: readonly SizeResult[]): string[] {
  const head = [
    "size",
    "engine",
    "build passages/s",
    "recall@10",
    "recall@40",
    "p50 / p95 ms",
    "RSS open MiB",
    "disk MiB",
  ];
  const body: string[][] = [];
  for (const r of rows) {
    for (const e of r.engines ?? []) {
      body.push([
        r.label,
        ENGINE_NAMES[e.engine] ?? e.engine,
        e.buildPassagesPerSec > 0 ? e.buildPassagesPerSec.toFixed(0) : "–",
        e.recallAt10.toFixed(3),
        e.recallAt40.toFixed(3),
        `${fmt(e.search.p50)} / ${fmt(e.search.p95)}`,
        e.rssAfterOpenMb.toFixed(0),
        mib(e.diskBytes),
      ]);
    }
  }
  if (body.length === 0) return [];
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? pad(c, w[i] as number) : padLeft(c, w[i] as number))).join("  ");
  return [
    "Vector engines over the same vectors, k = 40, each in its own process",
    line(head),
    "-".repeat(w.reduce((s, x) => s + x + 2, -2)),
    ...body.map(line),
  ];
}
