import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdsKeys, loadBank, OTHER_HANDBOOK_DIR, openEvalApp } from "../../scripts/quality.js";
import { FITTED_MODELS, modelsForIndex } from "../../src/answer/create-engine.js";
import type { App } from "../../src/app.js";

describe("the other handbook on the same subject (the real handbook, simulated)", () => {
  let opened: { app: App; close: () => Promise<void> };
  beforeAll(async () => {
    opened = await openEvalApp(OTHER_HANDBOOK_DIR);
  }, 60_000);
  afterAll(() => opened?.close());

  it("is indexed alone as chapters and sections, and no precedent knows its passages", () => {
    const retriever = opened.app.live.current().retriever;
    const passages = retriever.passages();
    expect(passages.length).toBeGreaterThan(50);
    expect(new Set(passages.map((p) => p.path)).size).toBe(1);
    expect(passages.filter((p) => p.section).length).toBe(passages.length);
    const models = modelsForIndex(FITTED_MODELS, retriever);
    expect(models).not.toBe(FITTED_MODELS);
    expect(models.unit).toEqual(FITTED_MODELS.withoutPrecedents?.unit);
  });

  it("holds the keys of most of the bank's answerable questions, so the measure has questions", () => {
    const passages = opened.app.live.current().retriever.passages();
    const answerable = loadBank().filter(
      (q) => q.style !== "unanswerable" && q.style !== "lecture",
    );
    const covered = answerable.filter((q) => holdsKeys(passages, q.keys));
    expect(covered.length / answerable.length).toBeGreaterThan(0.6);
  });
});
