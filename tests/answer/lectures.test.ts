import { describe, expect, it } from "vitest";
import { LECTURE_FEATURES, rankLectures, topicSentence } from "../../src/answer/lectures.js";
import { fitRanker } from "../../src/answer/model.js";
import { analyze } from "../../src/text/analyze.js";
import type { LectureMeta } from "../../src/types.js";

const lectures: LectureMeta[] = [
  {
    id: "a",
    file: "a.vtt",
    title: "Biškopība iesācējiem",
    summary: "Kā iekārtot dravu un kopt bišu saimes.",
    moments: [{ startSec: 120, title: "Stropa izvēle" }],
    order: 1,
  },
  {
    id: "b",
    file: "b.vtt",
    title: "Medus pārdošana tirgū",
    summary: "Cenas, etiķetes un pircēji vietējā tirgū.",
    moments: [{ startSec: 300, title: "Etiķetes prasības" }],
    order: 2,
  },
];
const weight = () => 1;

describe("lecture finder", () => {
  it("ranks by the lectures' metadata and picks the key moment the topic names", () => {
    const ranked = rankLectures(analyze("etiķetes prasības medum"), [], lectures, weight);
    expect(ranked[0]?.lecture.id).toBe("b");
    expect(ranked[0]?.moment?.startSec).toBe(300);
    expect(ranked[0]?.features.meta).toBeGreaterThan(ranked[1]?.features.meta ?? 1);
  });

  it("gives a beginner's request the lectures in their order", () => {
    const ranked = rankLectures(analyze("ar ko sākt iesācējam"), [], lectures, weight);
    expect(ranked[0]?.beginner).toBe(true);
    expect(ranked[0]?.lecture.id).toBe("a");
  });

  it("a fitted ranker can weigh the summary's similarity over word matches", () => {
    // Invented training groups where the answer is always the lecture whose summary is closest.
    const groups = Array.from({ length: 20 }, (_, i) => ({
      rows: [
        { meta: 0.6, passages: 0.5, moment: 0, summary: 0.1 + (i % 3) / 100 },
        { meta: 0.2, passages: 0.3, moment: 0, summary: 0.6 },
      ],
      labels: [0, 1] as (0 | 1)[],
    }));
    const model = fitRanker(LECTURE_FEATURES, groups, { l2: 0.1 });
    const similarity = (text: string) => (text.includes("pircēji") ? 0.6 : 0.1);
    const question = analyze("stropa izvēle");
    const plain = rankLectures(question, [], lectures, weight);
    const fitted = rankLectures(question, [], lectures, weight, { model, similarity });
    expect(plain[0]?.lecture.id).toBe("a");
    expect(fitted[0]?.lecture.id).toBe("b");
  });
});

describe("the quote of a lecture moment", () => {
  const one = () => 1;
  it("is the passage's sentence about the topic and the one after it, not its first one", () => {
    const text =
      "Sveiki visiem, sāksim. Stropu novieto saulainā vietā, prom no ceļa. Vaska šūnas pērk specializētā veikalā. Medu sūknē augustā.";
    expect(topicSentence(text, analyze("kur novietot stropu"), one)).toBe(
      "Stropu novieto saulainā vietā, prom no ceļa. Vaska šūnas pērk specializētā veikalā.",
    );
    // The last sentence has none after it.
    expect(topicSentence(text, analyze("kad sūknē medu"), one)).toBe("Medu sūknē augustā.");
  });

  it("skips a first sentence the passage's start cut in half", () => {
    const text = "vienmēr pirms ziemas. Sveiki visiem, sāksim.";
    expect(topicSentence(text, analyze("ziemas barošana"), one)).toBe("Sveiki visiem, sāksim.");
  });
});
