import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AnswerModels,
  FITTED_MODELS,
  modelsForIndex,
} from "../../src/answer/create-engine.js";
import { type App, createApp } from "../../src/app.js";
import type { Chunk } from "../../src/types.js";
import { sampleCorpus, testConfig } from "../helpers/corpus.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";

let data: string;
let app: App;

beforeAll(async () => {
  data = await sampleIndexCopy();
  app = await createApp({ config: testConfig(data, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" }) });
}, 120_000);

afterAll(async () => {
  app?.close();
  await rm(data, { recursive: true, force: true });
});

/** A retriever of other passages: the notes of a beekeepers' club (invented). */
function otherCorpus(): { passages: () => readonly Chunk[] } {
  const texts = [
    "Biškopju biedrība tiekas katra mēneša pirmajā sestdienā. Biedru nauda ir divdesmit eiro gadā.",
    "Medu sviež augustā. Pirms sviešanas pārbaudiet, vai šūnas ir aizvākotas:\n- ņemiet rāmi;\n- apskatiet šūnas;\n- nosveriet.",
  ];
  const chunks = texts.map((text, i) => ({ id: `b${i}`, text }) as unknown as Chunk);
  return { passages: () => chunks };
}

describe("the models for an index (precedents are learnt on the sample corpus)", () => {
  it("the sample corpus holds the precedents' units: the fitted models answer over it", () => {
    const retriever = app.live.current().retriever;
    expect(modelsForIndex(FITTED_MODELS, retriever)).toBe(FITTED_MODELS);
  });

  it("another corpus gets the models fitted without precedents, and no precedents", () => {
    const fallback = FITTED_MODELS.withoutPrecedents;
    expect(fallback).toBeDefined();
    const models = modelsForIndex(FITTED_MODELS, otherCorpus());
    expect(models.unit).toBe(fallback?.unit);
    expect(models.answerable).toBe(fallback?.answerable);
    expect(models.declineThreshold).toBe(fallback?.declineThreshold);
    expect(models.precedents).toBeUndefined();
    expect(models.precedentPassages).toBeUndefined();
    // The rest (composition, lectures, on-topic) stays as fitted.
    expect(models.seeAlsoMin).toBe(FITTED_MODELS.seeAlsoMin);
  });

  it("a corpus holding under PRECEDENTS_COVER_MIN of the precedents' units counts as another", () => {
    const sample = app.live.current().retriever.passages();
    // Keep about a third of the sample's passages: most precedents' units are gone.
    const part = sample.filter((_, i) => i % 3 === 0);
    const models = modelsForIndex(FITTED_MODELS, { passages: () => part });
    expect(models.unit).toBe(FITTED_MODELS.withoutPrecedents?.unit);
  });

  it("without models fitted without precedents, the fitted ones answer anywhere", () => {
    const { withoutPrecedents: _w, ...only } = FITTED_MODELS;
    const models: AnswerModels = only;
    expect(modelsForIndex(models, otherCorpus())).toBe(models);
  });
});
