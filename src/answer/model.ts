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
  /** Most Newton steps. Default {@link NEWTON_MAX_STEPS}. */
  iterations?: number;
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
 * Fits a logistic regression on standardised features with an L2 penalty (not on the bias), to
 * its optimum by Newton's method. Deterministic: the same data give the same model.
 */
export function fitLogistic(
  features: readonly string[],
  rows: readonly { x: FeatureVector; y: 0 | 1 }[],
  options: FitOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 1;
  const posWeight = options.positiveWeight ?? 1;
  const d = features.length;
  const n = rows.length;
  const mean = features.map((f) => rows.reduce((a, r) => a + (r.x[f] ?? 0), 0) / (n || 1));
  const scale = features.map((f, i) => {
    const m = mean[i] as number;
    const v = rows.reduce((a, r) => a + ((r.x[f] ?? 0) - m) ** 2, 0) / (n || 1);
    return Math.sqrt(v) || 1;
  });
  // Standardised features with a constant 1 last (the bias, not penalised).
  const X = rows.map((r) => [
    ...features.map((f, i) => ((r.x[f] ?? 0) - (mean[i] as number)) / (scale[i] as number)),
    1,
  ]);
  const sampleWeight = rows.map((r) => (r.y === 1 ? posWeight : 1));
  const penalty = (w: readonly number[]) => w.slice(0, d).reduce((a, v) => a + v * v, 0) / 2;
  const loss = (w: readonly number[]) =>
    X.reduce((a, x, k) => {
      const z = dot(w, x);
      // log(1 + e^z) − y·z, computed without overflow.
      const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      return a + (sampleWeight[k] as number) * (softplus - (rows[k]?.y ?? 0) * z);
    }, 0) +
    l2 * penalty(w);
  const w = newton(
    d + 1,
    loss,
    (w) => {
      const grad = new Array<number>(d + 1).fill(0);
      const hess = square(d + 1);
      X.forEach((x, k) => {
        const p = sigmoid(dot(w, x));
        const sw = sampleWeight[k] as number;
        const err = (p - (rows[k]?.y ?? 0)) * sw;
        const curv = p * (1 - p) * sw;
        for (let i = 0; i <= d; i++) {
          grad[i] = (grad[i] as number) + err * (x[i] as number);
          const hi = hess[i] as number[];
          for (let j = 0; j <= i; j++)
            hi[j] = (hi[j] as number) + curv * (x[i] as number) * (x[j] as number);
        }
      });
      for (let i = 0; i < d; i++) {
        grad[i] = (grad[i] as number) + l2 * (w[i] as number);
        (hess[i] as number[])[i] = ((hess[i] as number[])[i] as number) + l2;
      }
      return { grad, hess: symmetric(hess) };
    },
    options.iterations,
  );
  return { features: [...features], mean, scale, weights: w.slice(0, d), bias: w[d] as number };
}

const dot = (a: readonly number[], b: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

const square = (n: number): number[][] =>
  Array.from({ length: n }, () => new Array<number>(n).fill(0));

/** Copies the lower triangle of a matrix into its upper one. */
function symmetric(m: number[][]): number[][] {
  for (let i = 0; i < m.length; i++)
    for (let j = 0; j < i; j++) (m[j] as number[])[i] = (m[i] as number[])[j] as number;
  return m;
}

/**
 * Solves `a · x = b` for a symmetric positive-definite `a` (Cholesky), with a tiny ridge so a
 * flat direction (a feature that never varies) cannot break it.
 */
export function solveSpd(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const l = square(n);
  for (let i = 0; i < n; i++) {
    const li = l[i] as number[];
    for (let j = 0; j <= i; j++) {
      const lj = l[j] as number[];
      let s = ((a[i] as number[])[j] as number) + (i === j ? 1e-9 : 0);
      for (let k = 0; k < j; k++) s -= (li[k] as number) * (lj[k] as number);
      li[j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / (lj[j] as number);
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= ((l[i] as number[])[k] as number) * (y[k] as number);
    y[i] = s / ((l[i] as number[])[i] as number);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= ((l[k] as number[])[i] as number) * (x[k] as number);
    x[i] = s / ((l[i] as number[])[i] as number);
  }
  return x;
}

/** Newton steps stop when the predicted decrease of the objective falls below this. */
export const NEWTON_TOLERANCE = 1e-10;
/** Most Newton steps of a fit (each solves a features × features system). */
export const NEWTON_MAX_STEPS = 100;

/**
 * Minimises a smooth objective from 0 by damped Newton steps: each step solves with the
 * (positive-definite) curvature `hess`, then halves until the objective falls (Armijo). Converges
 * to the optimum of a convex objective whatever the features' correlations, unlike plain
 * gradient descent, whose result depended on how many steps it took. Deterministic.
 */
function newton(
  n: number,
  objective: (w: readonly number[]) => number,
  derivatives: (w: readonly number[]) => { grad: number[]; hess: number[][] },
  maxSteps = NEWTON_MAX_STEPS,
): number[] {
  let w = new Array<number>(n).fill(0);
  let f = objective(w);
  for (let step = 0; step < maxSteps; step++) {
    const { grad, hess } = derivatives(w);
    const delta = solveSpd(hess, grad);
    const decrease = dot(grad, delta);
    if (!(decrease > NEWTON_TOLERANCE)) break;
    let t = 1;
    let moved = false;
    for (let halvings = 0; halvings < 40; halvings++, t /= 2) {
      const next = w.map((v, i) => v - t * (delta[i] as number));
      const fNext = objective(next);
      if (fNext <= f - 1e-4 * t * decrease) {
        w = next;
        f = fNext;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return w;
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
  const logSumExp = (z: readonly number[]) => {
    const max = Math.max(...z);
    return max + Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0));
  };
  const loss = (w: readonly number[]) =>
    trainable.reduce((a, { k, g }) => {
      const z = (X[k] as number[][]).map((x) => dot(w, x));
      return a + logSumExp(z) - logSumExp(z.filter((_, j) => g.labels[j] === 1));
    }, 0) +
    (l2 * w.reduce((a, v) => a + v * v, 0)) / 2;
  // Curvature: the covariance of the features under each group's softmax (the convex part of
  // the objective; with several positives the rest is not convex, and is left to the line search).
  const w = newton(
    d,
    loss,
    (w) => {
      const grad = new Array<number>(d).fill(0);
      const hess = square(d);
      for (const { k, g } of trainable) {
        const xs = X[k] as number[][];
        const z = xs.map((x) => dot(w, x));
        const max = Math.max(...z);
        const e = z.map((v) => Math.exp(v - max));
        const total = e.reduce((a, b) => a + b, 0);
        const pos = e.reduce((a, v, j) => a + (g.labels[j] === 1 ? v : 0), 0);
        const meanP = new Array<number>(d).fill(0);
        xs.forEach((x, j) => {
          const p = (e[j] as number) / total;
          const q = g.labels[j] === 1 ? (e[j] as number) / pos : 0;
          for (let i = 0; i < d; i++) {
            const xi = x[i] as number;
            grad[i] = (grad[i] as number) + (p - q) * xi;
            meanP[i] = (meanP[i] as number) + p * xi;
            const hi = hess[i] as number[];
            for (let jj = 0; jj <= i; jj++)
              hi[jj] = (hi[jj] as number) + p * xi * (x[jj] as number);
          }
        });
        for (let i = 0; i < d; i++) {
          const hi = hess[i] as number[];
          for (let jj = 0; jj <= i; jj++)
            hi[jj] = (hi[jj] as number) - (meanP[i] as number) * (meanP[jj] as number);
        }
      }
      for (let i = 0; i < d; i++) {
        grad[i] = (grad[i] as number) + l2 * (w[i] as number);
        (hess[i] as number[])[i] = ((hess[i] as number[])[i] as number) + l2;
      }
      return { grad, hess: symmetric(hess) };
    },
    options.iterations,
  );
  // Platt scaling of the linear score.
  const z = X.flatMap((xs) => xs.map((x) => x.reduce((a, v, i) => a + v * (w[i] as number), 0)));
  const y = groups.flatMap((g) => g.labels);
  const platt = fitLogistic(
    ["z"],
    z.map((v, i) => ({ x: { z: v }, y: y[i] ?? 0 })),
    { l2: 0.01 },
  );
  const a = (platt.weights[0] ?? 1) / (platt.scale[0] || 1);
  const b = (platt.bias ?? 0) - a * (platt.mean[0] ?? 0);
  return { features: [...features], mean, scale, weights: w.map((v) => v * a), bias: b };
}
