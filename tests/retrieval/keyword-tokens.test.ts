import { describe, expect, it } from "vitest";
import { selectKeywordTokens } from "../../src/retrieval/search.js";

describe("selectKeywordTokens (large indexes)", () => {
  const df = new Map([
    ["social", 68_000],
    ["uznemum", 67_000],
    ["status", 35_000],
    ["komisij", 900],
    ["biedrib", 3_000],
    ["ietekm", 9_000],
  ]);

  it("keeps the rarest tokens while their postings fit a twentieth of the index", () => {
    expect(selectKeywordTokens(["social", "uznemum", "komisij", "biedrib"], df, 100_000)).toEqual([
      "komisij",
      "biedrib",
    ]);
  });

  it("keeps the rarest token alone when it is within a tenth of the index but over the budget", () => {
    expect(selectKeywordTokens(["social", "ietekm", "status"], df, 100_000)).toEqual(["ietekm"]);
  });

  it("gives no keyword tokens for a question made only of common words", () => {
    expect(selectKeywordTokens(["social", "uznemum"], df, 100_000)).toEqual([]);
  });

  it("keeps tokens the index lacks (no postings) before the rest", () => {
    expect(selectKeywordTokens(["status", "nezinams"], df, 100_000)).toEqual(["nezinams"]);
  });
});
