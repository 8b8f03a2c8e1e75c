import { describe, expect, it } from "vitest";
import { diversify, fuseRankings } from "../../src/retrieval/fuse.js";
import { createSpellingCorrector, editDistance } from "../../src/retrieval/spelling.js";

describe("fuseRankings", () => {
  it("rewards labels ranked high in both lists", () => {
    const fused = fuseRankings([
      [
        { label: 1, score: 9 },
        { label: 2, score: 5 },
        { label: 3, score: 1 },
      ],
      [
        { label: 2, score: 0.9 },
        { label: 4, score: 0.8 },
        { label: 1, score: 0.7 },
      ],
    ]);
    expect(fused.map((f) => f.label)).toEqual([2, 1, 4, 3]);
  });
});

describe("diversify", () => {
  const item = (path: string, ordinal: number, text = `${path}#${ordinal}`) => ({
    path,
    ordinal,
    text,
  });
  it("moves neighbours of a taken passage and over-represented files down, drops duplicates", () => {
    const items = [
      item("a", 5),
      item("a", 6),
      item("a", 4),
      item("b", 1),
      item("a", 9),
      item("a", 12),
      item("a", 20),
      item("c", 1, "b#1"),
    ];
    const out = diversify(items, (x) => x, { maxPerFile: 3 }).map((x) => `${x.path}#${x.ordinal}`);
    expect(out).toEqual(["a#5", "b#1", "a#9", "a#12", "a#6", "a#4", "a#20"]);
  });
});

describe("spelling", () => {
  it("computes edit distance with transpositions and an early exit", () => {
    expect(editDistance("status", "statsu", 2)).toBe(1);
    expect(editDistance("grants", "granti", 1)).toBe(1);
    expect(editDistance("abc", "xyz", 1)).toBe(2);
  });

  it("corrects unknown tokens to frequent close ones and leaves known tokens and numbers", () => {
    const vocab = new Map([
      ["status", 40],
      ["statut", 2],
      ["uznemum", 90],
      ["2800", 3],
    ]);
    const c = createSpellingCorrector(vocab);
    expect(c.correct("stattus")).toBe("status");
    expect(c.correct("uznemmum")).toBe("uznemum");
    expect(c.correct("statut")).toBe("statut");
    expect(c.correct("2801")).toBe("2801");
    expect(c.correct("zzzzzz")).toBe("zzzzzz");
  });
});
