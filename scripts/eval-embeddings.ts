/**
 * Embedding quality benchmark on real Latvian text: k-nearest-neighbour topic accuracy on
 * SIB-200 (lvs_Latn; 7 topics; train 701, dev 99, test 204 sentences). The train split is
 * embedded, every sentence of the evaluated split votes with its k nearest train sentences
 * (cosine), and the majority topic is compared with its label.
 *
 * Compared side by side: the local embedder (IDF fitted on train) and a plain bag-of-words
 * baseline (lower-cased word counts, cosine; no stemming, no IDF). `--tune` grid-searches the
 * local embedder's feature weights on dev and then reports the evaluated split.
 *
 * Run: `npx tsx scripts/eval-embeddings.ts [--split test|dev] [--tune] [--k 5]
 * [--throughput 20000] [--data DIR] [--json]`, or `npm run eval -- embeddings`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  fitLocalEmbedder,
  LocalEmbedder,
  type LocalEmbedderOptions,
  type LocalFeatureWeights,
} from "../src/embed/local.js";
import { analyze } from "../src/text/analyze.js";

/** Options of {@link evalEmbeddings}. */
export interface EvalEmbeddingsOptions {
  /** Folder with train.tsv, dev.tsv, test.tsv (default: `<repo>/../shared/data/sib200-lv`). */
  dataDir?: string;
  /** Split to report (default "test"). */
  split?: "test" | "dev";
  /** Neighbours that vote (default 5). */
  k?: number;
  /** Grid-search the feature weights on dev first, and report the split with the best ones. */
  tune?: boolean;
  /** Settings of the local embedder (ignored for the weights when `tune` is set). */
  local?: LocalEmbedderOptions;
  /** Synthetic ~80-word passages for the throughput measurement (default 20,000; 0 skips it). */
  throughputPassages?: number;
  /** Where to print progress and the table (default console.log; null for silence). */
  log?: ((line: string) => void) | null;
}

/** One row of the results table. */
export interface EvalRow {
  name: string;
  accuracy: number;
  macroF1: number;
  /** Texts embedded per second (train + evaluated split; fitting excluded), wall clock. */
  textsPerSec: number;
}

/**
 * One tuning trial. Dev alone (99 sentences) is too small to rank ~150 settings, so trials are
 * ranked by the pooled accuracy over dev (train → dev) and train leave-one-out.
 */
export interface TuningTrial {
  weights: LocalFeatureWeights;
  charNgrams: [number, number];
  devAccuracy: number;
  trainLooAccuracy: number;
  pooledAccuracy: number;
}

/** Result of {@link evalEmbeddings}. */
export interface EvalEmbeddingsResult {
  skipped: boolean;
  reason?: string;
  split: "test" | "dev";
  k: number;
  trainSize: number;
  evalSize: number;
  rows: EvalRow[];
  /** Settings of the local embedder that produced the "local" row. */
  localSettings?: { id: string; weights: LocalFeatureWeights; charNgrams: [number, number] };
  tuning?: TuningTrial[];
  /**
   * Throughput on synthetic ~80-word passages, one thread: wall clock, and per second of
   * process CPU time (steadier on a busy machine).
   */
  throughput?: {
    passages: number;
    wordsPerPassage: number;
    analyzePerSec: number;
    fitPerSec: number;
    embedPerSec: number;
    analyzePerCpuSec: number;
    fitPerCpuSec: number;
    embedPerCpuSec: number;
    /** Length of the fitted embedder's JSON state. */
    stateBytes: number;
  };
}

interface Example {
  label: string;
  text: string;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_DATA_DIR = join(REPO_ROOT, "..", "shared", "data", "sib200-lv");

function readSplit(dir: string, name: string): Example[] {
  const lines = readFileSync(join(dir, `${name}.tsv`), "utf8").split(/\r?\n/);
  const header = (lines[0] ?? "").split("\t");
  const iLabel = header.indexOf("category");
  const iText = header.indexOf("text");
  if (iLabel < 0 || iText < 0) throw new Error(`${name}.tsv: expected columns category and text`);
  const out: Example[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const cols = line.split("\t");
    const label = cols[iLabel];
    const text = cols[iText];
    if (label && text) out.push({ label, text });
  }
  return out;
}

/** Majority vote of the k most similar train items; ties go to the larger similarity sum. */
function vote(sims: Float64Array, labels: readonly string[], k: number): string {
  const top: number[] = [];
  for (let i = 0; i < sims.length; i++) {
    const s = sims[i] ?? 0;
    if (top.length < k || s > (sims[top[top.length - 1] ?? 0] ?? 0)) {
      let j = top.length < k ? top.length : top.length - 1;
      if (top.length < k) top.push(i);
      while (j > 0 && (sims[top[j - 1] ?? 0] ?? 0) < s) {
        top[j] = top[j - 1] ?? 0;
        j--;
      }
      top[j] = i;
    }
  }
  const score = new Map<string, { n: number; sum: number }>();
  for (const i of top) {
    const label = labels[i] ?? "";
    const e = score.get(label) ?? { n: 0, sum: 0 };
    e.n++;
    e.sum += sims[i] ?? 0;
    score.set(label, e);
  }
  let best = "";
  let bestN = -1;
  let bestSum = Number.NEGATIVE_INFINITY;
  for (const [label, { n, sum }] of score) {
    if (n > bestN || (n === bestN && sum > bestSum)) {
      best = label;
      bestN = n;
      bestSum = sum;
    }
  }
  return best;
}

function scores(
  gold: readonly string[],
  predicted: readonly string[],
): { accuracy: number; macroF1: number } {
  const labels = [...new Set(gold)];
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  let f1Sum = 0;
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === label;
      const p = predicted[i] === label;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    f1Sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return {
    accuracy: correct / Math.max(1, gold.length),
    macroF1: f1Sum / Math.max(1, labels.length),
  };
}

/** kNN predictions for `queries` against `train`, dense normalised vectors. */
function knnDense(
  train: readonly Float32Array[],
  trainLabels: readonly string[],
  queries: readonly Float32Array[],
  k: number,
  excludeSelf = false,
): string[] {
  const sims = new Float64Array(train.length);
  return queries.map((q, qi) => {
    for (let i = 0; i < train.length; i++) {
      const t = train[i];
      let dot = 0;
      if (t) for (let d = 0; d < q.length; d++) dot += (q[d] ?? 0) * (t[d] ?? 0);
      sims[i] = excludeSelf && i === qi ? Number.NEGATIVE_INFINITY : dot;
    }
    return vote(sims, trainLabels, k);
  });
}

/** The baseline's tokens: lower-cased runs of letters and digits. */
function bowTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

type Sparse = { ids: Int32Array; values: Float64Array; norm: number };

function bowVectors(texts: readonly string[], vocab: Map<string, number>): Sparse[] {
  return texts.map((text) => {
    const counts = new Map<number, number>();
    for (const t of bowTokens(text)) {
      let id = vocab.get(t);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(t, id);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const values = Float64Array.from(ids, (id) => counts.get(id) ?? 0);
    let norm = 0;
    for (const v of values) norm += v * v;
    return { ids, values, norm: Math.sqrt(norm) };
  });
}

function sparseCosine(a: Sparse, b: Sparse): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i] ?? 0;
    const y = b.ids[j] ?? 0;
    if (x === y) dot += (a.values[i++] ?? 0) * (b.values[j++] ?? 0);
    else if (x < y) i++;
    else j++;
  }
  return dot / (a.norm * b.norm);
}

function runLocal(
  train: readonly Example[],
  evalSet: readonly Example[],
  k: number,
  options: LocalEmbedderOptions,
): { predicted: string[]; textsPerSec: number; id: string } {
  const embedder = fitLocalEmbedder(
    train.map((e) => e.text),
    options,
  );
  const t0 = performance.now();
  const trainVecs = train.map((e) => embedder.embed(e.text));
  const evalVecs = evalSet.map((e) => embedder.embed(e.text));
  const seconds = (performance.now() - t0) / 1000;
  const predicted = knnDense(
    trainVecs,
    train.map((e) => e.label),
    evalVecs,
    k,
  );
  return { predicted, textsPerSec: (train.length + evalSet.length) / seconds, id: embedder.id };
}

function runBaseline(
  train: readonly Example[],
  evalSet: readonly Example[],
  k: number,
): { predicted: string[]; textsPerSec: number } {
  const t0 = performance.now();
  const vocab = new Map<string, number>();
  const trainVecs = bowVectors(
    train.map((e) => e.text),
    vocab,
  );
  const evalVecs = bowVectors(
    evalSet.map((e) => e.text),
    vocab,
  );
  const seconds = (performance.now() - t0) / 1000;
  const labels = train.map((e) => e.label);
  const sims = new Float64Array(train.length);
  const predicted = evalVecs.map((q) => {
    for (let i = 0; i < trainVecs.length; i++) {
      const t = trainVecs[i];
      sims[i] = t ? sparseCosine(q, t) : 0;
    }
    return vote(sims, labels, k);
  });
  return { predicted, textsPerSec: (train.length + evalSet.length) / seconds };
}

function tune(
  train: readonly Example[],
  dev: readonly Example[],
  k: number,
  base: LocalEmbedderOptions,
): TuningTrial[] {
  const trials: TuningTrial[] = [];
  const trainLabels = train.map((e) => e.label);
  const devGold = dev.map((e) => e.label);
  const ngramOptions: [number, number][] = [
    [3, 5],
    [2, 4],
    [2, 5],
    [3, 6],
  ];
  for (const charNgrams of ngramOptions) {
    for (const words of [0, 1]) {
      for (const bigrams of [0, 0.2, 0.4]) {
        for (const chars of [0, 0.5, 1, 1.5, 2, 3]) {
          if (words === 0 && chars === 0) continue;
          const weights = { words, bigrams, chars };
          const options = { ...base, weights, charNgrams };
          const embedder = fitLocalEmbedder(
            train.map((e) => e.text),
            options,
          );
          const trainVecs = train.map((e) => embedder.embed(e.text));
          const devVecs = dev.map((e) => embedder.embed(e.text));
          const devPred = knnDense(trainVecs, trainLabels, devVecs, k);
          const looPred = knnDense(trainVecs, trainLabels, trainVecs, k, true);
          const devAccuracy = scores(devGold, devPred).accuracy;
          const trainLooAccuracy = scores(trainLabels, looPred).accuracy;
          trials.push({
            weights,
            charNgrams,
            devAccuracy,
            trainLooAccuracy,
            pooledAccuracy:
              (devAccuracy * dev.length + trainLooAccuracy * train.length) /
              (dev.length + train.length),
          });
        }
      }
    }
  }
  return trials.sort(
    (a, b) => b.pooledAccuracy - a.pooledAccuracy || b.devAccuracy - a.devAccuracy,
  );
}

/** Builds `count` passages of about `words` words from the sentences, cycling through them. */
function syntheticPassages(sentences: readonly string[], count: number, words: number): string[] {
  const tokens = sentences.join(" ").split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    for (let j = 0; j < words; j++) parts.push(tokens[(p + j) % tokens.length] ?? "");
    p += words + 13;
    out.push(parts.join(" "));
  }
  return out;
}

function measureThroughput(
  sentences: readonly string[],
  count: number,
  options: LocalEmbedderOptions,
): NonNullable<EvalEmbeddingsResult["throughput"]> {
  const words = 80;
  const passages = syntheticPassages(sentences, count, words);
  const timed = <T>(run: () => T): { value: T; wall: number; cpu: number } => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const value = run();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { value, wall, cpu: (c.user + c.system) / 1e6 };
  };
  const analyzed = timed(() => {
    let tokens = 0;
    for (const p of passages) tokens += analyze(p).length;
    return tokens;
  });
  const fitted = timed(() => fitLocalEmbedder(passages, options));
  const embedder = fitted.value;
  const out = new Float32Array(embedder.dimensions);
  const embedded = timed(() => {
    let check = 0;
    for (const p of passages) check += embedder.embed(p, out)[0] ?? 0;
    return check;
  });
  if (!Number.isFinite(embedded.value) || analyzed.value === 0) {
    throw new Error("throughput run produced no output");
  }
  return {
    passages: count,
    wordsPerPassage: words,
    analyzePerSec: count / analyzed.wall,
    fitPerSec: count / fitted.wall,
    embedPerSec: count / embedded.wall,
    analyzePerCpuSec: count / analyzed.cpu,
    fitPerCpuSec: count / fitted.cpu,
    embedPerCpuSec: count / embedded.cpu,
    stateBytes: JSON.stringify(embedder.toJSON()).length,
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function formatTable(result: EvalEmbeddingsResult): string[] {
  const lines = [
    `SIB-200 lv, kNN topic classification (k=${result.k}, cosine), train ${result.trainSize} → ${result.split} ${result.evalSize}`,
    "",
    "| method | accuracy | macro-F1 | texts/s |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.name} | ${pct(r.accuracy)} | ${pct(r.macroF1)} | ${Math.round(r.textsPerSec)} |`,
    );
  }
  if (result.localSettings) {
    const s = result.localSettings;
    lines.push(
      "",
      `local: ${s.id}, weights words ${s.weights.words} / bigrams ${s.weights.bigrams} / chars ${s.weights.chars}, char n-grams ${s.charNgrams[0]}–${s.charNgrams[1]}`,
    );
  }
  if (result.throughput) {
    const t = result.throughput;
    lines.push(
      "",
      `throughput, ${t.passages} synthetic passages of ${t.wordsPerPassage} words, one thread (per wall-clock second / per CPU second):`,
      `  analyze ${Math.round(t.analyzePerSec)} / ${Math.round(t.analyzePerCpuSec)} passages/s`,
      `  fit IDF ${Math.round(t.fitPerSec)} / ${Math.round(t.fitPerCpuSec)} passages/s`,
      `  embed   ${Math.round(t.embedPerSec)} / ${Math.round(t.embedPerCpuSec)} passages/s`,
      `  fitted state (JSON) ${(t.stateBytes / 1024).toFixed(0)} KiB`,
    );
  }
  return lines;
}

/** Runs the benchmark (see the module comment). Skips, with a message, when the data is absent. */
export async function evalEmbeddings(
  opts: EvalEmbeddingsOptions = {},
): Promise<EvalEmbeddingsResult> {
  const log = opts.log === undefined ? (line: string) => console.log(line) : opts.log;
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  const split = opts.split ?? "test";
  const k = opts.k ?? 5;
  const empty: EvalEmbeddingsResult = {
    skipped: true,
    split,
    k,
    trainSize: 0,
    evalSize: 0,
    rows: [],
  };
  if (!existsSync(join(dataDir, "train.tsv")) || !existsSync(join(dataDir, `${split}.tsv`))) {
    const reason = `SIB-200 data not found in ${dataDir}; skipping the embedding benchmark`;
    log?.(reason);
    return { ...empty, reason };
  }
  const train = readSplit(dataDir, "train");
  const evalSet = readSplit(dataDir, split);
  let localOptions: LocalEmbedderOptions = { ...opts.local };
  let tuning: TuningTrial[] | undefined;
  if (opts.tune) {
    const dev = readSplit(dataDir, "dev");
    log?.(`tuning feature weights on dev (${dev.length} sentences)…`);
    tuning = tune(train, dev, k, localOptions);
    const best = tuning[0];
    if (best) {
      localOptions = { ...localOptions, weights: best.weights, charNgrams: best.charNgrams };
      log?.("best trials (pooled = dev and train leave-one-out together):");
      for (const t of tuning.slice(0, 12)) {
        log?.(
          `  words ${t.weights.words} bigrams ${t.weights.bigrams} chars ${t.weights.chars} n-grams ${t.charNgrams.join("–")}: pooled ${pct(t.pooledAccuracy)}, dev ${pct(t.devAccuracy)}, loo ${pct(t.trainLooAccuracy)}`,
        );
      }
    }
  }
  const gold = evalSet.map((e) => e.label);
  const rows: EvalRow[] = [];
  const local = runLocal(train, evalSet, k, localOptions);
  rows.push({
    name: "local embedder",
    ...scores(gold, local.predicted),
    textsPerSec: local.textsPerSec,
  });
  const baseline = runBaseline(train, evalSet, k);
  rows.push({
    name: "bag of words (baseline)",
    ...scores(gold, baseline.predicted),
    textsPerSec: baseline.textsPerSec,
  });
  const localEmbedder = new LocalEmbedder(localOptions);
  const result: EvalEmbeddingsResult = {
    skipped: false,
    split,
    k,
    trainSize: train.length,
    evalSize: evalSet.length,
    rows,
    localSettings: {
      id: local.id,
      weights: { ...localEmbedder.weights },
      charNgrams: [...(localOptions.charNgrams ?? [3, 5])] as [number, number],
    },
  };
  if (tuning) result.tuning = tuning;
  const count = opts.throughputPassages ?? 20_000;
  if (count > 0) {
    const sentences = [...train, ...evalSet].map((e) => e.text);
    result.throughput = measureThroughput(sentences, count, localOptions);
  }
  for (const line of formatTable(result)) log?.(line);
  return result;
}

function parseArgs(argv: readonly string[]): EvalEmbeddingsOptions & { json?: boolean } {
  const opts: EvalEmbeddingsOptions & { json?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--split") {
      const v = next();
      if (v !== "test" && v !== "dev") throw new Error("--split must be test or dev");
      opts.split = v;
    } else if (a === "--tune") opts.tune = true;
    else if (a === "--k") opts.k = Number(next());
    else if (a === "--throughput") opts.throughputPassages = Number(next());
    else if (a === "--data") opts.dataDir = next();
    else if (a === "--json") opts.json = true;
    else if (a === "embeddings") continue;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  Promise.resolve()
    .then(async () => {
      const { json, ...opts } = parseArgs(process.argv.slice(2));
      const result = await evalEmbeddings(json ? { ...opts, log: null } : opts);
      if (json) console.log(JSON.stringify(result, null, 2));
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
