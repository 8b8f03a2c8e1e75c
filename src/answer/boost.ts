/**
 * Gradient-boosted regression trees for ranking a question's candidate units: the same listwise
 * objective as the linear ranker (the probability that the chosen unit is one of those that
 * answer), fitted with Newton steps on small trees over binned features, then Platt-scaled so
 * that its output is a probability like the linear model's. Dependency-free and deterministic.
 */
/** Named numeric features of one candidate (the same shape as the linear models' input). */
type FeatureVector = Readonly<Record<string, number>>;
/** One question's candidates and which of them answer. */
interface RankingGroup {
  rows: readonly FeatureVector[];
  labels: readonly (0 | 1)[];
}

/** A split node (`f` feature index, go left when `x[f] <= t`) or a leaf (`v` score). */
export type TreeNode = { f: number; t: number; l: number; r: number } | { v: number };

/** A fitted boosted model; `predictBoosted` turns it into a probability. */
export interface BoostedModel {
  kind: "boosted";
  features: readonly string[];
  /** Trees as flat node arrays; node 0 is the root. */
  trees: readonly (readonly TreeNode[])[];
  /** Platt scaling of the summed tree score: p = σ(a·score + b). */
  a: number;
  b: number;
}

/** Options of {@link fitBoostedRanker}. */
export interface BoostOptions {
  /** Trees. Default 200. */
  trees?: number;
  /** Depth of each tree. Default 3. */
  depth?: number;
  /** Shrinkage of each tree's leaf values. Default 0.1. */
  rate?: number;
  /** L2 penalty on leaf values (added to the hessian sum). Default 1. */
  l2?: number;
  /** Fewest training rows a leaf may hold. Default 20. */
  minLeaf?: number;
  /** Largest number of split points tried per feature. Default 32. */
  bins?: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The summed score of the first `count` trees (all by default). */
export function boostedScore(model: BoostedModel, x: FeatureVector, count = Infinity): number {
  let z = 0;
  const n = Math.min(count, model.trees.length);
  for (let k = 0; k < n; k++) {
    const tree = model.trees[k] as readonly TreeNode[];
    let node = tree[0] as TreeNode;
    while (!("v" in node)) {
      const value = x[model.features[node.f] as string] ?? 0;
      node = tree[value <= node.t ? node.l : node.r] as TreeNode;
    }
    z += node.v;
  }
  return z;
}

/** The probability the model gives a candidate. Missing features count as 0. */
export function predictBoosted(model: BoostedModel, x: FeatureVector): number {
  return sigmoid(model.a * boostedScore(model, x) + model.b);
}

/** Split points of one feature: up to `bins` quantiles of its distinct values. */
function splitPoints(values: Float64Array, bins: number): number[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length <= 1) return [];
  const mids = distinct.slice(0, -1).map((v, i) => (v + (distinct[i + 1] as number)) / 2);
  if (mids.length <= bins) return mids;
  const out: number[] = [];
  for (let k = 1; k <= bins; k++)
    out.push(mids[Math.floor((k * mids.length) / (bins + 1))] as number);
  return [...new Set(out)];
}

/**
 * Fits the ranker on questions' candidate groups (groups without a unit that answers are
 * skipped, as in the linear ranker). `onTree` sees the model after each tree (for choosing the
 * number of trees on held-out questions).
 */
export function fitBoostedRanker(
  features: readonly string[],
  groups: readonly RankingGroup[],
  options: BoostOptions = {},
): BoostedModel {
  const treesWanted = options.trees ?? 200;
  const depth = options.depth ?? 3;
  const rate = options.rate ?? 0.1;
  const lambda = options.l2 ?? 1;
  const minLeaf = options.minLeaf ?? 20;
  const bins = options.bins ?? 32;
  const trainable = groups.filter((g) => g.labels.some((y) => y === 1));
  const rows = trainable.flatMap((g) => g.rows);
  const labels = trainable.flatMap((g) => g.labels);
  const starts: number[] = [];
  let at = 0;
  for (const g of trainable) {
    starts.push(at);
    at += g.rows.length;
  }
  const n = rows.length;
  const d = features.length;
  // Binned features: bin[j][i] = number of split points below the value.
  const points: number[][] = [];
  const bin: Uint8Array[] = [];
  for (let j = 0; j < d; j++) {
    const name = features[j] as string;
    const values = Float64Array.from(rows, (r) => r[name] ?? 0);
    const p = splitPoints(values, bins);
    points.push(p);
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (k < p.length && (values[i] as number) > (p[k] as number)) k++;
      b[i] = k;
    }
    bin.push(b);
  }
  const score = new Float64Array(n);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: TreeNode[][] = [];
  for (let t = 0; t < treesWanted; t++) {
    trainable.forEach((g, k) => {
      const s = starts[k] as number;
      const m = g.rows.length;
      let max = -Infinity;
      for (let i = 0; i < m; i++) max = Math.max(max, score[s + i] as number);
      let total = 0;
      let pos = 0;
      for (let i = 0; i < m; i++) {
        const e = Math.exp((score[s + i] as number) - max);
        total += e;
        if (labels[s + i] === 1) pos += e;
      }
      for (let i = 0; i < m; i++) {
        const e = Math.exp((score[s + i] as number) - max);
        const p = e / total;
        const q = labels[s + i] === 1 ? e / pos : 0;
        grad[s + i] = p - q;
        hess[s + i] = Math.max(p * (1 - p), 1e-6);
      }
    });
    const tree: TreeNode[] = [];
    const splitBin = new Map<number, number>();
    const grow = (members: Int32Array, level: number): number => {
      const id = tree.length;
      let G = 0;
      let H = 0;
      for (const i of members) {
        G += grad[i] as number;
        H += hess[i] as number;
      }
      const leaf = { v: (-G / (H + lambda)) * rate };
      tree.push(leaf);
      if (level >= depth || members.length < 2 * minLeaf) return id;
      const parentGain = (G * G) / (H + lambda);
      let best = { gain: 1e-9, f: -1, k: -1 };
      for (let j = 0; j < d; j++) {
        const p = points[j] as number[];
        if (p.length === 0) continue;
        const b = bin[j] as Uint8Array;
        const gs = new Float64Array(p.length + 1);
        const hs = new Float64Array(p.length + 1);
        const cs = new Int32Array(p.length + 1);
        for (const i of members) {
          const k = b[i] as number;
          gs[k] = (gs[k] as number) + (grad[i] as number);
          hs[k] = (hs[k] as number) + (hess[i] as number);
          cs[k] = (cs[k] as number) + 1;
        }
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let k = 0; k < p.length; k++) {
          gl += gs[k] as number;
          hl += hs[k] as number;
          cl += cs[k] as number;
          const cr = members.length - cl;
          if (cl < minLeaf || cr < minLeaf) continue;
          const gr = G - gl;
          const hr = H - hl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentGain;
          if (gain > best.gain) best = { gain, f: j, k };
        }
      }
      if (best.f < 0) return id;
      const b = bin[best.f] as Uint8Array;
      const left = members.filter((i) => (b[i] as number) <= best.k);
      const right = members.filter((i) => (b[i] as number) > best.k);
      const l = grow(left, level + 1);
      const r = grow(right, level + 1);
      tree[id] = { f: best.f, t: (points[best.f] as number[])[best.k] as number, l, r };
      splitBin.set(id, best.k);
      return id;
    };
    grow(
      Int32Array.from({ length: n }, (_, i) => i),
      0,
    );
    trees.push(tree);
    for (let i = 0; i < n; i++) {
      let id = 0;
      let node = tree[0] as TreeNode;
      while (!("v" in node)) {
        const k = splitBin.get(id) as number;
        id = ((bin[node.f] as Uint8Array)[i] as number) <= k ? node.l : node.r;
        node = tree[id] as TreeNode;
      }
      score[i] = (score[i] as number) + node.v;
    }
  }
  const model: BoostedModel = { kind: "boosted", features: [...features], trees, a: 1, b: 0 };
  return { ...model, ...plattOf(score, labels) };
}

/** Platt scaling (a, b) of scores against labels, by Newton's method on the log-loss. */
export function plattOf(
  score: ArrayLike<number>,
  labels: ArrayLike<0 | 1>,
): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < score.length; i++) {
      const s = score[i] as number;
      const p = sigmoid(a * s + b);
      const e = p - (labels[i] as number);
      const w = p * (1 - p);
      ga += e * s;
      gb += e;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

/** The same model cut to its first `count` trees (Platt scaling refitted by the caller). */
export function firstTrees(model: BoostedModel, count: number): BoostedModel {
  return { ...model, trees: model.trees.slice(0, count) };
}
