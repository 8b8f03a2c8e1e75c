/**
 * A small logistic-regression model over named features: fitted offline (`npm run fit`) on the
 * training split of the question bank, stored as data (`weights.json`), applied per question.
 * Pure: no I/O.
 */

import { type BoostedModel, predictBoosted } from "./boost.js";

/** Named numeric features of one candidate. */
export type FeatureVector = Readonly<Record<string, number>>;

/** A fitted model: feature names, their standardisation and weights. */
export interface LogisticModel {
  features: readonly string[];
  /** Mean and standard deviation of each feature on the training data. */
  mean: readonly number[];
  scale: readonly number[];
  weights: readonly number[];
  bias: number;
}

/** Options of {@link fitLogistic}. */
export interface FitOptions {
  /** L2 penalty on the weights (not the bias). Default 1. */
  l2?: number;
  /** Gradient steps. Default 3000. */
  iterations?: number;
  /** Step size. Default 0.5. */
  rate?: number;
  /** Weight of each positive example relative to a negative one. Default 1. */
  positiveWeight?: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** A fitted scoring model: linear (logistic) or boosted trees. */
export type ScoringModel = LogisticModel | BoostedModel;

/** The probability the model gives a candidate. Missing features count as 0. */
export function predict(model: ScoringModel, x: FeatureVector): number {
  if ("kind" in model && model.kind === "boosted") return predictBoosted(model, x);
  const linear = model as LogisticModel;
  let z = linear.bias;
  linear.features.forEach((name, i) => {
    const v = ((x[name] ?? 0) - (linear.mean[i] ?? 0)) / (linear.scale[i] || 1);
    z += (linear.weights[i] ?? 0) * v;
  });
  return sigmoid(z);
}

/**
 * Fits a logistic regression by full-batch gradient descent on standardised features with an
 * L2 penalty. Deterministic: the same data give the same model.
 */
export function fitLogistic(
  features: readonly string[],
  rows: readonly { x: FeatureVector; y: 0 | 1 }[],
  options: FitOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const iterations = options.iterations ?? 3000;
  const rate = options.rate ?? 0.5;
  const posWeight = options.positiveWeight ?? 1;
  const d = features.length;
  const n = rows.length;
  const mean = features.map((f) => rows.reduce((a, r) => a + (r.x[f] ?? 0), 0) / (n || 1));
  const scale = features.map((f, i) => {
    const m = mean[i] as number;
    const v = rows.reduce((a, r) => a + ((r.x[f] ?? 0) - m) ** 2, 0) / (n || 1);
    return Math.sqrt(v) || 1;
  });
  const X = rows.map((r) =>
    features.map((f, i) => ((r.x[f] ?? 0) - (mean[i] as number)) / (scale[i] as number)),
  );
  const sampleWeight = rows.map((r) => (r.y === 1 ? posWeight : 1));
  const totalWeight = sampleWeight.reduce((a, b) => a + b, 0) || 1;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    let gb = 0;
    for (let k = 0; k < n; k++) {
      const xk = X[k] as number[];
      let z = b;
      for (let i = 0; i < d; i++) z += (w[i] as number) * (xk[i] as number);
      const err = (sigmoid(z) - (rows[k]?.y ?? 0)) * (sampleWeight[k] as number);
      for (let i = 0; i < d; i++) grad[i] = (grad[i] as number) + err * (xk[i] as number);
      gb += err;
    }
    for (let i = 0; i < d; i++) {
      const g = (grad[i] as number) / totalWeight + (l2 * (w[i] as number)) / totalWeight;
      w[i] = (w[i] as number) - rate * g;
    }
    b -= (rate * gb) / totalWeight;
  }
  return { features: [...features], mean, scale, weights: w, bias: b };
}

/** Area under the ROC curve of scores against labels (0.5 = chance). */
export function auc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const pairs = scores.map((s, i) => ({ s, y: labels[i] ?? 0 })).sort((a, b) => a.s - b.s);
  let rankSum = 0;
  let pos = 0;
  let i = 0;
  while (i < pairs.length) {
    let j = i;
    while (j + 1 < pairs.length && pairs[j + 1]?.s === pairs[i]?.s) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (pairs[k]?.y === 1) {
        rankSum += avg;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = pairs.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** One question's candidates for {@link fitRanker}: features and which of them answer. */
export interface RankingGroup {
  rows: readonly FeatureVector[];
  labels: readonly (0 | 1)[];
}

/**
 * Fits a ranker over candidate groups (a conditional logit: the softmax of each group's scores
 * should put its mass on the group's positive candidates), then scales its scores into
 * probabilities with a one-dimensional logistic fit on all candidates (Platt scaling). Groups
 * without a positive candidate train only the scaling. Returns a {@link LogisticModel}, so
 * {@link predict} applies it. Deterministic.
 */
export function fitRanker(
  features: readonly string[],
  groups: readonly RankingGroup[],
  options: FitOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const iterations = options.iterations ?? 1500;
  const rate = options.rate ?? 0.5;
  const d = features.length;
  const all = groups.flatMap((g) => g.rows);
  const n = all.length || 1;
  const mean = features.map((f) => all.reduce((a, r) => a + (r[f] ?? 0), 0) / n);
  const scale = features.map((f, i) => {
    const m = mean[i] as number;
    const v = all.reduce((a, r) => a + ((r[f] ?? 0) - m) ** 2, 0) / n;
    return Math.sqrt(v) || 1;
  });
  const X = groups.map((g) =>
    g.rows.map((r) =>
      features.map((f, i) => ((r[f] ?? 0) - (mean[i] as number)) / (scale[i] as number)),
    ),
  );
  const trainable = groups
    .map((g, k) => ({ k, g }))
    .filter(({ g }) => g.labels.some((y) => y === 1));
  const w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    for (const { k, g } of trainable) {
      const xs = X[k] as number[][];
      const z = xs.map((x) => x.reduce((a, v, i) => a + v * (w[i] as number), 0));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const total = e.reduce((a, b) => a + b, 0);
      const pos = e.reduce((a, v, j) => a + (g.labels[j] === 1 ? v : 0), 0);
      xs.forEach((x, j) => {
        const p = (e[j] as number) / total;
        const q = g.labels[j] === 1 ? (e[j] as number) / pos : 0;
        for (let i = 0; i < d; i++) grad[i] = (grad[i] as number) + (p - q) * (x[i] as number);
      });
    }
    const m = trainable.length || 1;
    for (let i = 0; i < d; i++)
      w[i] = (w[i] as number) - (rate * ((grad[i] as number) + l2 * (w[i] as number))) / m;
  }
  // Platt scaling of the linear score.
  const z = X.flatMap((xs) => xs.map((x) => x.reduce((a, v, i) => a + v * (w[i] as number), 0)));
  const y = groups.flatMap((g) => g.labels);
  const platt = fitLogistic(
    ["z"],
    z.map((v, i) => ({ x: { z: v }, y: y[i] ?? 0 })),
    { l2: 0.01, iterations: 800 },
  );
  const a = (platt.weights[0] ?? 1) / (platt.scale[0] || 1);
  const b = (platt.bias ?? 0) - a * (platt.mean[0] ?? 0);
  return { features: [...features], mean, scale, weights: w.map((v) => v * a), bias: b };
}
