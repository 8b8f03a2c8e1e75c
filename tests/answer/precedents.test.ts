import { describe, expect, it } from "vitest";
import { candidatesOf, type QueryTerms, questionFeatures } from "../../src/answer/features.js";
import { understand } from "../../src/answer/intent.js";
import { momentPassage, rankLectures } from "../../src/answer/lectures.js";
import {
  type LecturePrecedent,
  lecturePrecedentEvidence,
  type Precedent,
  precedentEvidence,
  unitKey,
  weightedCosine,
} from "../../src/answer/precedents.js";
import { analyze } from "../../src/text/analyze.js";
import type { LectureMeta, RetrievedChunk } from "../../src/types.js";

// Invented questions and passage (not from the evaluation bank).
const passage: RetrievedChunk = {
  rank: 1,
  score: 1,
  chunk: {
    id: "p1",
    ordinal: 0,
    kind: "handbook",
    path: "rokasgramata.pdf",
    title: "Rokasgrāmata",
    page: 7,
    text: [
      "Biškopības kooperatīvs savus biedrus uzņem katru pavasari.",
      "Medus iepirkuma cenu kooperatīvā nosaka valde reizi gadā.",
    ].join(" "),
  },
};
const priceLead = "Medus iepirkuma cenu kooperatīvā nosaka valde reizi gadā.";

const one = () => 1;

describe("precedents", () => {
  it("keys a unit by its lead as read: case, diacritics and spacing do not matter", () => {
    expect(unitKey({ lead: priceLead })).toBe(
      unitKey({ lead: "medus  iepirkuma cenu kooperativa nosaka valde reizi gada." }),
    );
    expect(unitKey({ lead: priceLead })).not.toBe(
      unitKey({ lead: "Biškopības kooperatīvs savus biedrus uzņem katru pavasari." }),
    );
  });

  it("weighs shared rare words more than shared common ones", () => {
    const weight = (t: string) => (t === "kooperatīv" ? 0.2 : 2);
    const q = ["kooperatīv", "medu", "cen"];
    expect(weightedCosine(q, ["kooperatīv", "medu", "cen"], weight)).toBeCloseTo(1, 9);
    const rare = weightedCosine(q, ["medu", "cen", "cit"], weight);
    const common = weightedCosine(q, ["kooperatīv", "cit", "vard"], weight);
    expect(rare).toBeGreaterThan(common);
    expect(weightedCosine([], q, weight)).toBe(0);
  });

  it("takes the nearest earlier question per unit, and per answerable and unanswerable", () => {
    const log: Precedent[] = [
      { tokens: ["medu", "cen", "nosak"], units: ["u1"], answerable: true },
      { tokens: ["medu", "cen"], units: ["u1", "u2"], answerable: true },
      { tokens: ["medu", "eksport", "japān"], units: [], answerable: false },
    ];
    const e = precedentEvidence(log, ["medu", "cen", "nosak"], one);
    expect(e.unit("u1")).toBeCloseTo(1, 9);
    expect(e.unit("u2")).toBeCloseTo(2 / Math.sqrt(6), 9);
    expect(e.unit("u3")).toBe(0);
    expect(e.answered).toBeCloseTo(1, 9);
    expect(e.unanswered).toBeCloseTo(1 / 3, 9);
    // The units, most alike first (what `precedentPassages` takes from).
    expect(e.units.map((u) => u.key)).toEqual(["u1", "u2"]);
    expect(e.units[1]?.similarity).toBeCloseTo(2 / Math.sqrt(6), 9);
  });

  it("profiles a unit by the words of all earlier questions it answered, over the focus", () => {
    const log: Precedent[] = [
      { tokens: ["medu", "cen"], units: ["u1"], answerable: true },
      { tokens: ["kooperatīv", "nosak"], units: ["u1"], answerable: true },
      { tokens: ["medu", "eksport"], units: ["u2"], answerable: true },
      { tokens: ["vask", "cen"], units: ["u1"], answerable: false },
    ];
    const weight = (t: string) => (t === "medu" ? 2 : 1);
    // No single earlier question holds "medu", "cen" and "nosak"; the two answered by u1 do.
    const e = precedentEvidence(log, ["medu", "cen", "nosak", "vasar"], weight, [
      "medu",
      "cen",
      "nosak",
      "vask",
    ]);
    expect(e.profile("u1")).toBeCloseTo(4 / 5, 9);
    expect(e.profile("u2")).toBeCloseTo(2 / 5, 9);
    // An unanswerable question's words profile no unit; an unknown unit has none.
    expect(e.profile("u3")).toBe(0);
    expect(precedentEvidence(log, [], weight).profile("u1")).toBe(0);
  });

  it("becomes features: the unit an earlier like question was answered by, and the question's evidence", () => {
    const question = "kas nosaka medus cenu kooperatīvā?";
    const intent = understand(question);
    const focus = analyze(question);
    const log: Precedent[] = [
      {
        tokens: analyze("kurš kooperatīvā lemj par medus cenu?"),
        units: [unitKey({ lead: priceLead })],
        answerable: true,
      },
      { tokens: analyze("cik medus kooperatīvs pārdeva ārzemēs?"), units: [], answerable: false },
    ];
    const terms: QueryTerms = {
      focus,
      context: [],
      approximate: [],
      unknown: [],
      weight: one,
      precedents: precedentEvidence(log, focus, one),
    };
    const candidates = candidatesOf(intent, terms, [passage]);
    const price = candidates.find((c) => c.unit.lead === priceLead);
    const members = candidates.find((c) => c.unit.lead !== priceLead);
    expect(price?.features.precedent).toBeGreaterThan(0.3);
    expect(members?.features.precedent).toBe(0);
    const q = questionFeatures(
      intent,
      terms,
      [passage],
      candidates,
      candidates.map((c) => (c === price ? 0.9 : 0.1)),
    );
    expect(q.precedentUnit).toBe(price?.features.precedent);
    expect(q.precedentAnswered).toBeGreaterThan(q.precedentUnanswered ?? 1);
    // Without a log, every precedent feature is 0 (another corpus, or a fit without them).
    const bare = candidatesOf(intent, { ...terms, precedents: undefined }, [passage]);
    expect(bare.every((c) => c.features.precedent === 0)).toBe(true);
  });
});

describe("lecture precedents", () => {
  const one = () => 1;
  const log: LecturePrecedent[] = [
    { tokens: ["strop", "novieto"], lecture: "a", moment: [120, 180] },
    { tokens: ["strop", "krāsa"], lecture: "a" },
    { tokens: ["medu", "cen"], lecture: "b", moment: [30, 60] },
  ];

  it("gives each lecture its nearest earlier request, and the moment that request asked for", () => {
    const e = lecturePrecedentEvidence(log, ["strop", "novieto", "vieta"], one);
    expect(e.lecture("a")).toBeCloseTo(2 / Math.sqrt(6), 9);
    expect(e.lecture("b")).toBe(0);
    expect(e.moment("a")?.moment).toEqual([120, 180]);
    expect(e.moment("b")).toBeUndefined();
  });

  it("points the answer to a close earlier request's moment, from the fitted similarity on", () => {
    const lectures: LectureMeta[] = [
      { id: "a", file: "a.vtt", title: "Biškopība", summary: "Stropi un bites." },
      { id: "b", file: "b.vtt", title: "Medus tirgū", summary: "Cenas." },
    ];
    const passages = [0, 60, 120, 180].map((startSec, ordinal) => ({
      ordinal,
      startSec,
      endSec: startSec + 60,
    }));
    const evidence = lecturePrecedentEvidence(log, ["strop", "novieto"], one);
    const rank = (recallFrom: number) =>
      rankLectures(["strop", "novieto"], [], lectures, one, { precedents: evidence, recallFrom });
    const close = rank(0.9)[0]!;
    expect(close.lecture.id).toBe("a");
    expect(close.features.precedent).toBeCloseTo(1, 9);
    expect(momentPassage(close, passages)?.startSec).toBe(120);
    // Above the request's similarity the earlier moment is not used: the opening, as before.
    const far = rank(1.01)[0]!;
    expect(far.recalled).toBeUndefined();
    expect(momentPassage(far, passages)?.startSec).toBe(0);
  });
});
