import { describe, expect, it } from "vitest";
import { boostedScore, firstTrees, fitBoostedRanker, plattOf } from "../../src/answer/boost.js";
import { fitRanker, predict, type RankingGroup } from "../../src/answer/model.js";

/**
 * Invented ranking data where the answering candidate has `a` high and `b` in the middle, and
 * the others have `b` higher, lower, or `a` low: no weighted sum ranks it first (a middle band
 * of one feature), trees can.
 */
function groups(count: number, seed: number): RankingGroup[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, () => {
    const rows = [
      { a: 0.8 + 0.2 * random(), b: 0.4 + 0.2 * random() },
      { a: 0.8 + 0.2 * random(), b: 0.8 + 0.2 * random() },
      { a: 0.8 + 0.2 * random(), b: 0.2 * random() },
      { a: 0.2 * random(), b: 0.4 + 0.2 * random() },
    ];
    const order = rows.map((r, i) => ({ r, i, k: random() })).sort((x, y) => x.k - y.k);
    return { rows: order.map((o) => o.r), labels: order.map((o) => (o.i === 0 ? 1 : 0) as 0 | 1) };
  });
}

const top1 = (score: (x: { a: number; b: number }) => number, gs: RankingGroup[]) =>
  gs.filter((g) => {
    const scores = g.rows.map((x) => score(x as { a: number; b: number }));
    return g.labels[scores.indexOf(Math.max(...scores))] === 1;
  }).length / gs.length;

describe("boosted ranker", () => {
  const train = groups(150, 7);
  const held = groups(100, 99);

  it("learns an interaction of two features that a linear ranker misses, deterministically", () => {
    const boosted = fitBoostedRanker(["a", "b"], train, { trees: 60, depth: 2, minLeaf: 5 });
    expect(boosted).toEqual(
      fitBoostedRanker(["a", "b"], train, { trees: 60, depth: 2, minLeaf: 5 }),
    );
    const linear = fitRanker(["a", "b"], train, { l2: 1 });
    expect(top1((x) => predict(boosted, x), held)).toBeGreaterThan(0.95);
    expect(top1((x) => predict(linear, x), held)).toBeLessThan(0.6);
  });

  it("gives calibrated probabilities, and its prefixes are models too", () => {
    const boosted = fitBoostedRanker(["a", "b"], train, { trees: 60, depth: 2, minLeaf: 5 });
    expect(predict(boosted, { a: 0.9, b: 0.5 })).toBeGreaterThan(0.5);
    expect(predict(boosted, { a: 0.9, b: 0.1 })).toBeLessThan(0.5);
    const few = firstTrees(boosted, 5);
    expect(few.trees).toHaveLength(5);
    expect(boostedScore(few, { a: 0.9, b: 0.5 })).toBeLessThan(
      boostedScore(boosted, { a: 0.9, b: 0.5 }),
    );
  });

  it("Platt scaling turns scores into probabilities that match the labels' rates", () => {
    const scores = Array.from({ length: 400 }, (_, i) => (i % 40) / 10 - 2);
    const labels = scores.map((s, i) => ((s > 0 ? i % 5 !== 0 : i % 5 === 0) ? 1 : 0) as 0 | 1);
    const { a, b } = plattOf(scores, labels);
    const p = (s: number) => 1 / (1 + Math.exp(-(a * s + b)));
    expect(p(1.5)).toBeGreaterThan(0.7);
    expect(p(-1.5)).toBeLessThan(0.3);
  });
});
