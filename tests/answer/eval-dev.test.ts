import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_TOLERANCE, EXPECTED_DEV, expectedDevFigures } from "../../scripts/eval.js";
import { openEvalApp } from "../../scripts/quality.js";

// The answer quality on the bank's dev split may not fall more than DEV_TOLERANCE below the
// figures recorded with `npm run eval -- --write-expected` (no timing is measured here).
describe("answer quality on the dev split", () => {
  let opened: Awaited<ReturnType<typeof openEvalApp>>;
  let figures: Record<string, number>;
  beforeAll(async () => {
    opened = await openEvalApp();
    figures = await expectedDevFigures(opened.app);
  }, 120_000);
  afterAll(() => opened?.close());

  const expected = JSON.parse(readFileSync(EXPECTED_DEV, "utf8")) as Record<string, number>;
  for (const [name, value] of Object.entries(expected)) {
    it(`${name} stays within ${DEV_TOLERANCE} of ${value.toFixed(3)}`, () => {
      expect(figures[name]).toBeGreaterThanOrEqual(value - DEV_TOLERANCE);
    });
  }
});
