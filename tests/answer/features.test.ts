import { describe, expect, it } from "vitest";
import {
  type AnswerModels,
  analyzeQuestion,
  FITTED_MODELS,
  isOffTopic,
  MIN_TOPIC_COVERAGE,
  type QuestionAnalysis,
  SEARCH_DEPTH,
  windowsOf,
  withListContinued,
  withNeighbours,
  withPrecedentPassages,
} from "../../src/answer/create-engine.js";
import {
  candidatesOf,
  type QueryTerms,
  questionFeatures,
  TOPIC_FEATURES,
  topicFeatures,
} from "../../src/answer/features.js";
import { understand } from "../../src/answer/intent.js";
import { unitKey } from "../../src/answer/precedents.js";
import type { Retriever, SearchOptions } from "../../src/retrieval/search.js";
import { analyze } from "../../src/text/analyze.js";
import type { RetrievedChunk } from "../../src/types.js";

// Invented passage and message: a long message whose asking clause points back to its context.
const passage: RetrievedChunk = {
  rank: 1,
  score: 1,
  chunk: {
    id: "c1",
    ordinal: 0,
    kind: "handbook",
    path: "rokasgramata.pdf",
    title: "Rokasgrāmata",
    page: 3,
    text: [
      "Kooperatīvs var pieņemt jaunus biedrus jebkurā laikā.",
      "Biškopības kooperatīvam medus iepirkuma cenu nosaka valde.",
    ].join(" "),
  },
};

function termsOf(focus: string, context: string): QueryTerms {
  const f = analyze(focus);
  return {
    focus: f,
    context: analyze(context).filter((t) => !f.includes(t)),
    approximate: [],
    unknown: [],
    weight: () => 1,
  };
}

describe("unit features of a long message", () => {
  it("scores the context's words too: the unit about the message's subject covers more of it", () => {
    const message =
      "Mums ir biškopības kooperatīvs pie Cēsīm. Kaimiņi jautā par medus iepirkuma cenu. Kas to nosaka?";
    const intent = understand(message);
    expect(intent.context).not.toBe("");
    const candidates = candidatesOf(intent, termsOf(intent.focus, intent.context), [passage]);
    const about = (word: string) =>
      candidates.find((c) => c.unit.lead.includes(word))?.features ?? {};
    expect(about("medus").leadWhole).toBeGreaterThan(about("jaunus").leadWhole ?? 0);
    expect(about("medus").contextShare).toBeGreaterThan(0);
    expect(about("medus").leadWholeByContext).toBeCloseTo(
      (about("medus").leadWhole ?? 0) * (about("medus").contextShare ?? 0),
      9,
    );
    expect(about("medus").leadWholeByContext).toBeGreaterThan(0);
  });

  it("a one-clause question has no context: its whole-message coverage is its focus coverage", () => {
    const intent = understand("Kas nosaka medus iepirkuma cenu?");
    const candidates = candidatesOf(intent, termsOf(intent.focus, intent.context), [passage]);
    for (const c of candidates) {
      expect(c.features.leadWhole).toBeCloseTo(c.features.leadFocus ?? 0, 9);
      expect(c.features.contextShare).toBe(0);
      expect(c.features.leadWholeByContext).toBe(0);
    }
  });
});

describe("quoting windows", () => {
  const models = {
    leadWindow: 1,
    seeAlsoWindow: 1,
    listWindows: { lead: 4, seeAlso: 2 },
  } as unknown as AnswerModels;

  it("a list or steps question gets its own windows; others the plain ones", () => {
    expect(windowsOf(models, "steps")).toEqual({ lead: 4, seeAlso: 2 });
    expect(windowsOf(models, "list")).toEqual({ lead: 4, seeAlso: 2 });
    expect(windowsOf(models, "value")).toEqual({ lead: 1, seeAlso: 1 });
    expect(windowsOf({ ...models, listWindows: undefined }, "steps")).toEqual({
      lead: 1,
      seeAlso: 1,
    });
  });
});

describe("where a question asks where", () => {
  it("marks a sentence with a web address for a 'kur' question, not for others", () => {
    const site: RetrievedChunk = {
      ...passage,
      chunk: {
        ...passage.chunk,
        id: "c2",
        text: "Biškopju biedrības statūti ir publicēti vietnē biskopji.lv. Biedrība dibināta 1990. gadā.",
      },
    };
    const where = understand("Kur var izlasīt biškopju biedrības statūtus?");
    const when = understand("Kad dibināta biškopju biedrība?");
    const flag = (q: ReturnType<typeof understand>) =>
      candidatesOf(q, termsOf(q.focus, q.context), [site]).map((c) => c.features.whereUrl);
    expect(flag(where)).toContain(1);
    expect(flag(when)).not.toContain(1);
  });
});

describe("an English question naming what the materials never mention", () => {
  it("counts a capitalised word neither the index nor the glossary knows as an unseen name", () => {
    const features = (question: string, unknownWords: string[]) => {
      const intent = understand(question);
      const terms = {
        ...termsOf(intent.focus, ""),
        unknown: unknownWords.flatMap((w) => analyze(w)),
      };
      const candidates = candidatesOf(intent, terms, [passage]);
      return questionFeatures(
        intent,
        terms,
        [passage],
        candidates,
        candidates.map(() => 0.5),
      );
    };
    expect(features("Does Narnia have a beekeeping cooperative?", ["Narnia"]).unseenName).toBe(1);
    expect(features("Does Latvia have a beekeeping cooperative?", []).unseenName).toBe(0);
  });
});

describe("features of how a sentence reads and where its passage came from", () => {
  const told: RetrievedChunk = {
    ...passage,
    chunk: {
      ...passage.chunk,
      id: "c2",
      text: "Biedru sapulce var izslēgt biedru. Tāpēc statūtos jāraksta izslēgšanas kārtība.",
    },
  };

  it("marks a lead that leans on the sentence before it, and a yes/no answer's modal word", () => {
    const intent = understand("Vai sapulce var izslēgt biedru?");
    const candidates = candidatesOf(intent, termsOf(intent.focus, ""), [told]);
    const lead = (start: string) =>
      candidates.find((c) => c.unit.kind === "sentence" && c.unit.lead.startsWith(start))
        ?.features ?? {};
    expect(lead("Tāpēc").dependent).toBe(1);
    expect(lead("Biedru").dependent).toBe(0);
    expect(lead("Biedru").polarity).toBe(1);
    // Not a yes/no question: no polarity, whatever the sentence says.
    const other = understand("Kas var izslēgt biedru?");
    for (const c of candidatesOf(other, termsOf(other.focus, ""), [told]))
      expect(c.features.polarity).toBe(0);
  });

  it("marks the units of a passage added as a neighbour, not found by the search", () => {
    const intent = understand("Kas nosaka medus cenu?");
    const candidates = candidatesOf(
      intent,
      termsOf(intent.focus, ""),
      [passage, told],
      new Set([1]),
    );
    expect(candidates.filter((c) => c.passage === 1).every((c) => c.features.neighbour === 1)).toBe(
      true,
    );
    expect(candidates.filter((c) => c.passage === 0).every((c) => c.features.neighbour === 0)).toBe(
      true,
    );
  });
});

describe("neighbour passages", () => {
  const chunkAt = (file: string, ordinal: number) => ({
    ...passage.chunk,
    id: `${file}#${ordinal}`,
    path: file,
    ordinal,
  });
  const files: Record<string, ReturnType<typeof chunkAt>[]> = {
    a: [0, 1, 2].map((i) => chunkAt("a", i)),
    b: [0, 1].map((i) => chunkAt("b", i)),
  };
  const following = (c: { path: string; ordinal: number }, n: number) =>
    (files[c.path] ?? []).filter((x) => x.ordinal > c.ordinal).slice(0, n);
  const hit = (c: ReturnType<typeof chunkAt>, rank: number): RetrievedChunk => ({
    chunk: c,
    rank,
    score: 1 / rank,
  });

  it("adds the passage after each of the best ones once, after the search's own, and says which", () => {
    const found = [hit(files.a![0]!, 1), hit(files.b![1]!, 2), hit(files.a![1]!, 3)];
    const { results, added } = withNeighbours(found, { following }, 3);
    // a#0 is followed by a#1 (already found); b#1 is the last of its file; a#1 by a#2.
    expect(results.map((r) => r.chunk.id)).toEqual(["a#0", "b#1", "a#1", "a#2"]);
    expect([...added]).toEqual([3]);
    expect(withNeighbours(found, { following }, 0).results).toBe(found);
  });

  it("also adds the passage after any found one that pulls it, however far down", () => {
    const found = [hit(files.b![0]!, 1), hit(files.a![0]!, 2)];
    const pulls = (c: { id: string }) => c.id === "a#0";
    const { results, added } = withNeighbours(found, { following }, 0, pulls);
    expect(results.map((r) => r.chunk.id)).toEqual(["b#0", "a#0", "a#1"]);
    expect([...added]).toEqual([2]);
  });
});

describe("precedent passages", () => {
  // Invented passages: the search found the first; an earlier question like this one was
  // answered by a sentence of the third.
  const chunkWith = (id: string, text: string) => ({ ...passage.chunk, id, path: id, text });
  const found = chunkWith("p1", "Biedrība var dibināt savu SIA. Tā var būt tās dalībniece.");
  const other = chunkWith("p2", "Kooperatīvs nav SIA, tāpēc statusu iegūt nevar.");
  const answer = chunkWith("p3", "Valdes loceklim nav jābūt no mērķa grupas. Padome nav obligāta.");
  const retriever = { passages: () => [found, other, answer] };
  const keyOf = (text: string) => unitKey({ lead: text });
  const evidence = (units: { text: string; similarity: number }[]) => ({
    unit: () => 0,
    profile: () => 0,
    units: units.map((u) => ({ key: keyOf(u.text), similarity: u.similarity })),
    answered: 1,
    unanswered: 0,
  });
  const hit: RetrievedChunk = { chunk: found, rank: 1, score: 1 };

  it("adds the passage of an earlier like question's unit that the search missed, and says which", () => {
    const e = evidence([{ text: "Valdes loceklim nav jābūt no mērķa grupas.", similarity: 0.8 }]);
    const { results, added } = withPrecedentPassages([hit], new Set(), e, retriever, {
      from: 0.5,
      count: 1,
    });
    expect(results.map((r) => r.chunk.id)).toEqual(["p1", "p3"]);
    expect([...added]).toEqual([1]);
  });

  it("takes only units from `from` alike, at most `count`, and none the results already show", () => {
    const e = evidence([
      { text: "Tā var būt tās dalībniece.", similarity: 0.9 },
      { text: "Kooperatīvs nav SIA, tāpēc statusu iegūt nevar.", similarity: 0.7 },
      { text: "Padome nav obligāta.", similarity: 0.4 },
    ]);
    const take = (from: number, count: number) =>
      withPrecedentPassages([hit], new Set(), e, retriever, { from, count }).results.map(
        (r) => r.chunk.id,
      );
    // The first unit is in a found passage: it is skipped and not counted.
    expect(take(0.5, 1)).toEqual(["p1", "p2"]);
    expect(take(0.5, 5)).toEqual(["p1", "p2"]);
    expect(take(0.3, 5)).toEqual(["p1", "p2", "p3"]);
    expect(take(0.3, 0)).toEqual(["p1"]);
    expect(
      withPrecedentPassages([hit], new Set(), undefined, retriever, { from: 0, count: 3 }).results,
    ).toEqual([hit]);
  });
});

describe("the answer's search settings", () => {
  // Invented question and passage; the retriever records what the analysis asks of it.
  const asked: SearchOptions[] = [];
  const retriever = {
    prepare: (text: string) => ({
      text,
      language: "lv" as const,
      tokens: analyze(text),
      approximate: [],
      unknown: [],
    }),
    async search(_query: unknown, options: SearchOptions = {}) {
      asked.push(options);
      return [passage];
    },
    definitions: () => [],
    following: () => [],
    passages: () => [passage.chunk],
    termCounts: () => ({ df: new Map(), total: 0 }),
    idf: () => 1,
  } as unknown as Retriever;
  const intent = understand("Kas nosaka medus iepirkuma cenu?");
  const searched = { focus: intent.focus, whole: intent.focus };

  it("asks for the fused ranking as it is when the models say so, and diversified by default", async () => {
    const { diversify: _d, ...defaults } = FITTED_MODELS;
    await analyzeQuestion(retriever, intent, { ...defaults, diversify: false }, searched);
    expect(asked.at(-1)?.diversify).toBe(false);
    await analyzeQuestion(retriever, intent, defaults, searched);
    expect(asked.at(-1)?.diversify).toBe(true);
  });

  it("searches as many passages as the models say, and SEARCH_DEPTH without a fitted depth", async () => {
    const { searchDepth: _s, ...defaults } = FITTED_MODELS;
    await analyzeQuestion(retriever, intent, { ...defaults, searchDepth: 13 }, searched);
    expect(asked.at(-1)?.k).toBe(13);
    await analyzeQuestion(retriever, intent, defaults, searched);
    expect(asked.at(-1)?.k).toBe(SEARCH_DEPTH);
  });

  it("adds the passage that answered an earlier question like this one, which the search missed", async () => {
    const elsewhere = {
      ...passage.chunk,
      id: "elsewhere",
      text: "Iepirkuma cenu katru gadu apstiprina kooperatīva valde.",
    };
    const withPassages = { ...retriever, passages: () => [passage.chunk, elsewhere] } as Retriever;
    const { precedentPassages: _fitted, ...base } = FITTED_MODELS;
    const models = {
      ...base,
      precedents: [
        {
          tokens: analyze("kas nosaka medus iepirkuma cenu"),
          units: [unitKey({ lead: elsewhere.text })],
          answerable: true,
        },
      ],
    };
    const off = await analyzeQuestion(withPassages, intent, models, searched);
    expect(off.results.map((r) => r.chunk.id)).not.toContain("elsewhere");
    const on = await analyzeQuestion(
      withPassages,
      intent,
      { ...models, precedentPassages: { from: 0.5, count: 1 } },
      searched,
    );
    expect(on.results.map((r) => r.chunk.id)).toContain("elsewhere");
    const added = on.candidates.find((c) => c.unit.lead === elsewhere.text);
    expect(added?.features.precedent).toBeGreaterThan(0.5);
    expect(added?.features.neighbour).toBe(1);
  });
});

describe("a list cut by the passage's end", () => {
  // Invented passages: the list runs to the end of the first; the second repeats its last item
  // (the chunks overlap), with the next paragraph joined to it on one line, then one more item.
  const chunkOf = (ordinal: number, text: string) => ({
    id: `k#${ordinal}`,
    ordinal,
    kind: "handbook" as const,
    path: "k.pdf",
    title: "Rokasgrāmata",
    page: 4,
    text,
  });
  const first = chunkOf(0, "Biedru pienākumi:\n• maksāt biedru naudu;\n• nākt uz sapulci;");
  const second = chunkOf(
    1,
    "• nākt uz sapulci; Valde sanāk reizi mēnesī.\n• balsot par valdi.\nTālāk par valdi.",
  );
  const following = (c: { ordinal: number }) => (c.ordinal === 0 ? [second] : []);

  it("goes on with the next passage's items, without repeating the overlap", () => {
    const unit = {
      kind: "list" as const,
      lead: "Biedru pienākumi:",
      items: ["maksāt biedru naudu;", "nākt uz sapulci;"],
      position: 0,
      of: 3,
    };
    const out = withListContinued({ unit, chunk: first }, { following });
    expect(out.unit.items).toEqual([
      "maksāt biedru naudu;",
      "nākt uz sapulci;",
      "balsot par valdi.",
    ]);
  });
});

describe("the off-topic guard", () => {
  const analysis = (topicCoverage: number, onTopic?: number) =>
    ({ topicCoverage, ...(onTopic === undefined ? {} : { onTopic }) }) as QuestionAnalysis;
  const model = { features: ["coverage"], mean: [0], scale: [1], weights: [1], bias: 0 };

  it("uses the fitted on-topic probability and its threshold when the models have one", () => {
    const models = { ...FITTED_MODELS, onTopic: { model, threshold: 0.4 } };
    // Low coverage, but the model says on topic: answered; high coverage, model says off: declined.
    expect(isOffTopic(analysis(0.05, 0.6), models)).toBe(false);
    expect(isOffTopic(analysis(0.9, 0.2), models)).toBe(true);
  });

  it("falls back to the coverage rule without the model, and a 0 rule lets everything through", () => {
    const { onTopic: _fitted, ...models } = FITTED_MODELS;
    expect(isOffTopic(analysis(MIN_TOPIC_COVERAGE - 0.01), models)).toBe(true);
    expect(isOffTopic(analysis(MIN_TOPIC_COVERAGE + 0.01), models)).toBe(false);
    expect(isOffTopic(analysis(0), models, 0)).toBe(false);
  });

  it("reads its features from the question's features and the coverage, nothing else", () => {
    const x = topicFeatures({ topVector: 0.4, maxLeadFocus: 0.7, best: 0.9 }, 0.25);
    expect(Object.keys(x).sort()).toEqual([...TOPIC_FEATURES].sort());
    expect(x.coverage).toBe(0.25);
    expect(x.topVector).toBe(0.4);
    expect(x.missingRare).toBe(0);
  });
});
