import { describe, expect, it } from "vitest";
import { bestTerm, prepareQuery } from "../../src/retrieval/query.js";
import type { SpellingCorrector } from "../../src/retrieval/spelling.js";

const asIs: SpellingCorrector = { correct: (t) => t };

describe("prepareQuery (English questions)", () => {
  // A made-up index: token → number of passages it occurs in.
  const vocabulary = new Map([
    ["uznemum", 50],
    ["biznes", 3],
    ["uznemejdarbib", 20],
    ["izlietot", 2],
    ["spek", 4],
    ["kafejnic", 6],
  ]);

  it("takes one Latvian term per glossary phrase: the one the index holds most often", () => {
    // "business" → uzņēmējdarbība / bizness / uzņēmums: all three are in the index.
    const q = prepareQuery("Is a bakery a business?", vocabulary, asIs);
    expect(q.language).toBe("en");
    expect(q.tokens).toContain("uznemum");
    expect(q.tokens).not.toContain("biznes");
    expect(q.tokens).not.toContain("uznemejdarbib");
    // The embedded text keeps every alternative.
    expect(q.text).toContain("bizness");
  });

  it("finds inflected forms and multi-word phrases", () => {
    const q = prepareQuery("When did the rules come into force for our cafe?", vocabulary, asIs);
    expect(q.tokens).toEqual(expect.arrayContaining(["spek", "kafejnic"]));
    expect(prepareQuery("What was spent by the cafes?", vocabulary, asIs).tokens).toEqual(
      expect.arrayContaining(["izlietot", "kafejnic"]),
    );
  });

  it("counts a word as unknown when the index lacks it and every one of its translations", () => {
    // "bankruptcy" → bankrots / maksātnespēja, neither in the index; "cafe" → kafejnīca is.
    const q = prepareQuery("A bankruptcy of a cafe?", vocabulary, asIs);
    expect(q.unknown).toEqual(["bankruptcy"]);
    expect(q.tokens).toEqual(["kafejnic"]);
  });

  it("with an association of terms, takes the sense that goes with the rest of the question", () => {
    // "last" → pēdējais / jaunākais / ilgt / ilgums. Alone, the most frequent term wins; beside
    // "project" (projekts) and "cafe", the one whose passages hold those words too.
    const words = new Map([
      ...vocabulary,
      ["pedej", 40],
      ["jaunak", 10],
      ["ilgt", 3],
      ["ilgum", 5],
      ["projekt", 12],
    ]);
    const passages: Record<string, number[]> = {
      pedej: [1, 2, 3, 4],
      jaunak: [5],
      ilgt: [6, 7],
      ilgum: [7, 8],
      projekt: [6, 7, 9],
      kafejnic: [7],
    };
    const dice = (a: readonly string[], b: readonly string[]) => {
      const pa = new Set(a.flatMap((t) => passages[t] ?? []));
      const pb = new Set(b.flatMap((t) => passages[t] ?? []));
      const both = [...pa].filter((p) => pb.has(p)).length;
      return pa.size + pb.size ? (2 * both) / (pa.size + pb.size) : 0;
    };
    const question = "How long does the cafe project last?";
    expect(prepareQuery(question, words, asIs).tokens).toContain("pedej");
    const q = prepareQuery(question, words, asIs, dice);
    expect(q.tokens).toContain("ilgt");
    expect(q.tokens).not.toContain("pedej");
    // Nothing to go by (no passage shares a word): the most frequent term, as without one.
    expect(prepareQuery("the last one", words, asIs, () => 0).tokens).toContain("pedej");
  });

  it("does not count filler words as unknown", () => {
    const q = prepareQuery("Actually, I wonder whether a cafe is a business", vocabulary, asIs);
    expect(q.unknown).toEqual([]);
    expect(q.tokens).toEqual(expect.arrayContaining(["kafejnic", "uznemum"]));
  });
});

describe("bestTerm", () => {
  const vocabulary = new Map([
    ["mazkapital", 5],
    ["sabiedrib", 30],
    ["sia", 40],
  ]);

  it("takes the most frequent term whose every token the index holds", () => {
    expect(bestTerm(["mazkapitāla sabiedrība", "SIA"], vocabulary)).toEqual(["sia"]);
    expect(bestTerm(["mazkapitāla sabiedrība", "mazā kompānija"], vocabulary)).toEqual([
      "mazkapital",
      "sabiedrib",
    ]);
  });

  it("passes over a term the index holds only in part", () => {
    expect(bestTerm(["mazkapitāla kooperatīvs", "mazkapitāla sabiedrība"], vocabulary)).toEqual([
      "mazkapital",
      "sabiedrib",
    ]);
    expect(bestTerm(["mazkapitāla kooperatīvs"], vocabulary)).toEqual([]);
  });

  it("gives nothing when the index holds none of the terms", () => {
    expect(bestTerm(["bankrots", "maksātnespēja"], vocabulary)).toEqual([]);
  });
});
