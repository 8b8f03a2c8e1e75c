import { describe, expect, it } from "vitest";
import { CV_FOLDS, foldOf, writerFoldsOf } from "../../scripts/quality.js";

describe("writerFoldsOf (held-out folds by writer)", () => {
  const questions = ["w7", "w1", "w3", "w5", "w2", "w6", "w4"].flatMap((writer, i) =>
    [0, 1, 2].map((j) => ({ id: `q${i}-${j}`, writer })),
  );
  const fold = writerFoldsOf(questions);

  it("keeps each writer's questions in one fold", () => {
    for (const w of ["w1", "w2", "w3", "w4", "w5", "w6", "w7"]) {
      const folds = new Set(questions.filter((q) => q.writer === w).map(fold));
      expect(folds.size).toBe(1);
    }
  });

  it("deals the writers round-robin in name order, so every fold gets one", () => {
    expect(
      ["w1", "w2", "w3", "w4", "w5", "w6", "w7"].map((w) => fold({ id: "x", writer: w })),
    ).toEqual([0, 1, 2, 3, 4, 0, 1].map((f) => f % CV_FOLDS));
  });

  it("puts a question without a writer, or by a writer it was not built with, in its id's fold", () => {
    expect(fold({ id: "lonely" })).toBe(foldOf("lonely"));
    expect(fold({ id: "stranger", writer: "w99" })).toBe(foldOf("stranger"));
  });
});
