import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApprovedAnswerService,
  type ApprovedIndex,
  approvedIndexOf,
  createApprovedAnswers,
  DEFAULT_APPROVED_THRESHOLD,
  FITTED_APPROVED,
  MAX_WORDINGS,
  scoreApproved,
} from "../../src/answer/approved.js";
import { understand } from "../../src/answer/intent.js";
import { type App, createApp, type LiveIndex } from "../../src/app.js";
import { createSentenceSimilarity } from "../../src/embed/sentence-similarity.js";
import { type AppDb, openAppDb } from "../../src/store/app-db.js";
import { sampleCorpus, testConfig } from "../helpers/corpus.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";

/** The shared sample index's embedding dimensions (see tests/helpers/sample-index.ts). */
const DIMENSIONS = 768;
let data: string;
let app: App;
let live: LiveIndex;
let db: AppDb;
let index: () => ApprovedIndex;

const ERASMUS = "Vai sociālais uzņēmums var pieteikties Erasmus apmaiņas programmā Norvēģijā?";
const ERASMUS_ANSWER =
  "Jā, bet pieteikumu Erasmus+ apmaiņai iesniedz partnerorganizācija; sazinieties ar Jaunatnes starptautisko programmu aģentūru.";
/** The question-to-question similarity the app gives the matcher (one of its features). */
const similarity = createSentenceSimilarity();
const BONUS = "Vai sociālā uzņēmuma valdes loceklis drīkst saņemt prēmiju no peļņas?";

beforeAll(async () => {
  data = await sampleIndexCopy();
  const config = testConfig(data, sampleCorpus, { LOCAL_EMBEDDING_DIM: String(DIMENSIONS) });
  db = openAppDb(":memory:");
  app = await createApp({ config, appDb: db });
  live = app.live;
  const approved = app.approved as ApprovedAnswerService;
  index = () => approvedIndexOf(live.current());
  await approved.add({ question: ERASMUS, answer: ERASMUS_ANSWER, approvedBy: "Inese" });
  await approved.add({ question: BONUS, answer: "Nē: peļņu nesadala, to iegulda mērķos." });
}, 180_000);

afterAll(async () => {
  app?.close();
  db?.close();
  if (data) await rm(data, { recursive: true, force: true });
});

describe("matching approved answers", () => {
  const service = () => createApprovedAnswers({ store: db, index, similarity });

  it.each([
    "Vai mūsu sociālajam uzņēmumam ir iespēja piedalīties Erasmus apmaiņā Norvēģijā?",
    "vai socialais uznemums var pieteikties erasmus apmainas programma norvegija",
    "Sociālais uzņēmums un Erasmus apmaiņa Norvēģijā — vai drīkst pieteikties?",
  ])("a reworded question gets the approved answer: %s", async (question) => {
    const match = await service().match(question, index().prepare(question));
    expect(match?.answer).toBe(ERASMUS_ANSWER);
    expect(match?.score).toBeGreaterThanOrEqual(
      FITTED_APPROVED?.threshold ?? DEFAULT_APPROVED_THRESHOLD,
    );
  });

  it("without the similarity the fitted matcher is not used: the plain blended score decides", async () => {
    const plain = createApprovedAnswers({ store: db, index });
    const m = await plain.match(ERASMUS, index().prepare(ERASMUS));
    expect(m?.answer).toBe(ERASMUS_ANSWER);
    // The same question: words and vector agree fully (the fitted model would say ≈ 0.99).
    expect(m?.score).toBeCloseTo(1, 3);
  });

  it("also for the other entry", async () => {
    const q = "Vai valdes loceklim sociālajā uzņēmumā var izmaksāt prēmiju no peļņas?";
    expect((await service().match(q, index().prepare(q)))?.question).toBe(BONUS);
  });

  it.each([
    "Kādas Erasmus programmas ir pieejamas jauniešiem Latvijā?",
    "Vai sociālais uzņēmums var pieteikties ALTUM grantam?",
    "Kā sociālais uzņēmums var pieteikties LEADER projektam?",
    "Cik valdes locekļu jābūt sociālajam uzņēmumam?",
    "Kā iegūt sociālā uzņēmuma statusu?",
  ])("a related but different question does NOT get it: %s", async (question) => {
    expect(await service().match(question, index().prepare(question))).toBeUndefined();
  });

  // Known misses of the fitted matcher (its precision on the blind probes is in `npm run eval`):
  // a question that keeps most of an entry's words but asks more generally, or about a
  // neighbouring point, still gets the entry. These turn red when the matcher learns them.
  it.fails.each([
    "Vai sociālais uzņēmums var pieteikties Erasmus programmai?",
    "Vai sociālais uzņēmums drīkst sadalīt peļņu?",
  ])("known near miss still matched: %s", async (question) => {
    expect(await service().match(question, index().prepare(question))).toBeUndefined();
  });

  it("the engine answers from the approved answer first, labelled with its date", async () => {
    const a = await app.engine.ask(
      "Vai mūsu sociālajam uzņēmumam ir iespēja piedalīties Erasmus apmaiņā Norvēģijā?",
    );
    expect(a.mode).toBe("faq");
    expect(a.answered).toBe(true);
    expect(a.answer).toBe(ERASMUS_ANSWER);
    expect(a.faq?.approvedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const other = await app.engine.ask("Kā iegūt sociālā uzņēmuma statusu?");
    expect(other.mode).not.toBe("faq");
    expect(other.answered).toBe(true);
  });

  it("the engine matches the whole message, as the matcher was fitted: its subject may come first", async () => {
    // The asking clause alone (the focus) names neither Erasmus nor Norway.
    const message =
      "Mēs esam sociālais uzņēmums un gribam piedalīties Erasmus apmaiņā Norvēģijā. Vai mums ir iespēja tur pieteikties nākamgad rudenī?";
    expect(understand(message).focus).not.toMatch(/Erasmus/);
    const a = await app.engine.ask(message);
    expect(a.mode).toBe("faq");
    expect(a.answer).toBe(ERASMUS_ANSWER);
  });
});

describe("offering an approved answer below the match", () => {
  const service = () => createApprovedAnswers({ store: db, index, similarity });
  const offerOf = (q: string) => service().offer(q, index().prepare(q));
  const threshold = FITTED_APPROVED?.threshold ?? DEFAULT_APPROVED_THRESHOLD;

  it("a question the match leaves, on an entry's subject, is offered that entry by its question", async () => {
    // Near the bonus entry's subject (profit and the board), but another point: no match.
    const q = "Kā sadalīt peļņu starp valdes locekļiem?";
    expect(await service().match(q, index().prepare(q))).toBeUndefined();
    const offered = await offerOf(q);
    expect(offered?.question).toBe(BONUS);
    expect(offered?.score).toBeLessThan(threshold);
    expect(offered?.score).toBeGreaterThanOrEqual(FITTED_APPROVED?.offerFrom ?? 0);
  });

  it("a matched question is not offered, and a question on another subject neither", async () => {
    expect(await offerOf(ERASMUS)).toBeUndefined();
    expect(await offerOf("Kā pagatavot kartupeļu pankūkas ar ķiplokiem?")).toBeUndefined();
  });

  it("the offer floor is its own setting: at the match's threshold nothing is offered", async () => {
    const q = "Kā sadalīt peļņu starp valdes locekļiem?";
    const none = createApprovedAnswers({ store: db, index, similarity, offerFrom: 1 });
    expect(await none.offer(q, index().prepare(q))).toBeUndefined();
  });

  it("the engine adds the offer to an answer from the materials, never to the approved answer itself", async () => {
    const a = await app.engine.ask("Kā sadalīt peļņu starp valdes locekļiem?");
    expect(a.mode).not.toBe("faq");
    expect(a.offer?.question).toBe(BONUS);
    const faq = await app.engine.ask(ERASMUS);
    expect(faq.mode).toBe("faq");
    expect(faq.offer).toBeUndefined();
  });
});

describe("indexing approved answers", () => {
  it("indexes a new answer at once: tokens and a vector of the current embedder", async () => {
    const row = (await db.listApproved()).find((r) => r.question === ERASMUS);
    expect(row?.embedderId).toBe(index().embedderId);
    expect(row?.vector?.length).toBe(DIMENSIONS);
    expect(row?.tokens).toEqual(expect.arrayContaining(["erasmus", "norvegij"]));
  });

  it("re-embeds lazily when the index's embedder changes, and sees changes made by another process", async () => {
    const other: ApprovedIndex = {
      ...index(),
      embedderId: "another-embedder/256",
      embed: async (text) => (await index().embed(text)).map((x) => x),
    };
    const service = createApprovedAnswers({ store: db, index: () => other, similarity });
    const q = "Vai mūsu sociālajam uzņēmumam ir iespēja piedalīties Erasmus apmaiņā Norvēģijā?";
    expect((await service.match(q, other.prepare(q)))?.answer).toBe(ERASMUS_ANSWER);
    expect((await db.listApproved()).every((r) => r.embedderId === "another-embedder/256")).toBe(
      true,
    );

    // Another process (a second service over the same database) adds an entry.
    const elsewhere = createApprovedAnswers({ store: db, index: () => other, similarity });
    await elsewhere.add({
      question: "Kā pieteikt suni izstādei?",
      answer: "Suņu izstādes nav mūsu tēma.",
    });
    const dog = "Kā pieteikt suni izstādei?";
    expect((await service.match(dog, other.prepare(dog)))?.answer).toBe(
      "Suņu izstādes nav mūsu tēma.",
    );

    // Back to the index's own embedder: re-embedded again on the next match.
    const mine = createApprovedAnswers({ store: db, index, similarity });
    expect((await mine.match(q, index().prepare(q)))?.answer).toBe(ERASMUS_ANSWER);
    expect((await db.listApproved()).every((r) => r.embedderId === index().embedderId)).toBe(true);
  });

  it("editing the question re-indexes it; deleting removes it from matching", async () => {
    const service = createApprovedAnswers({ store: db, index, similarity });
    const dog = (await db.listApproved()).find((r) => r.question.includes("suni"));
    if (!dog) throw new Error("missing entry");
    const edited = await service.edit(dog.id, { question: "Kā reģistrēt kaķi kaķu izstādei?" });
    expect(edited?.tokens).toEqual(expect.arrayContaining(["izstad"]));
    expect(edited?.embedderId).toBe(index().embedderId);
    const q = "Kā reģistrēt kaķi kaķu izstādei?";
    expect((await service.match(q, index().prepare(q)))?.id).toBe(String(dog.id));
    expect(await service.remove(dog.id)).toBe(true);
    expect(await service.match(q, index().prepare(q))).toBeUndefined();
    expect(await service.edit(dog.id, { answer: "x" })).toBeUndefined();
  });

  it("an entry that failed to index is retried a minute later; a failing search never breaks answers", async () => {
    const store = openAppDb(":memory:");
    let down = true;
    const flaky: ApprovedIndex = {
      ...index(),
      embed: async (text) => {
        if (down && text.includes("programmā")) throw new Error("embedding server down");
        return index().embed(text);
      },
    };
    const service = createApprovedAnswers({ store, index: () => flaky });
    expect((await service.add({ question: ERASMUS, answer: "A" })).vector).toBeUndefined();
    const q = "Vai mūsu sociālajam uzņēmumam ir iespēja piedalīties Erasmus apmaiņā Norvēģijā?";
    expect(await service.match(q, flaky.prepare(q))).toBeUndefined();
    down = false;
    expect(await service.match(q, flaky.prepare(q))).toBeUndefined();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
    try {
      expect((await service.match(q, flaky.prepare(q)))?.answer).toBe("A");
    } finally {
      vi.useRealTimers();
    }
    const broken: ApprovedIndex = {
      ...index(),
      embed: async () => {
        throw new Error("down");
      },
    };
    const failing = createApprovedAnswers({ store, index: () => broken });
    expect(await failing.match(q, broken.prepare(q))).toBeUndefined();
    await store.close();
  });

  it("without an index nothing matches and saving still works (indexed later)", async () => {
    const service = createApprovedAnswers({ store: openAppDb(":memory:"), index: () => undefined });
    const row = await service.add({ question: "Q?", answer: "A" });
    expect(row.vector).toBeUndefined();
    expect(await service.match("Q?", index().prepare("Q?"))).toBeUndefined();
  });
});

describe("other wordings of an entry's question", () => {
  const PREMISES = "Vai biedrība var nomāt telpas no pagasta pārvaldes par simbolisku maksu?";
  const ASKED = "kur lēti dabūt telpas no pašvaldības mūsu biedrībai";
  const fresh = async () => {
    const store = openAppDb(":memory:");
    const service = createApprovedAnswers({ store, index, similarity });
    const row = await service.add({ question: PREMISES, answer: "Jā, ja pašvaldība tā lemj." });
    return { store, service, row };
  };
  const matchOf = (service: ApprovedAnswerService, q: string) =>
    service.match(q, index().prepare(q));

  it("a question in other words is only suggested; once attached, it and its variants get the entry", async () => {
    const { store, service, row } = await fresh();
    expect(await matchOf(service, ASKED)).toBeUndefined();
    const suggested = await service.closest(ASKED);
    expect(suggested?.row.id).toBe(row.id);
    expect(suggested?.score).toBeLessThan(FITTED_APPROVED?.threshold ?? 1);
    expect(await service.closest("Kā pagatavot kartupeļu pankūkas?")).toBeUndefined();

    expect((await service.addWording(row.id, ASKED))?.status).toBe("added");
    for (const again of [
      ASKED,
      "kur leti dabut telpas no pasvaldibas musu biedribai?",
      "Kur mūsu biedrībai lēti dabūt telpas no pašvaldības?",
    ]) {
      expect((await matchOf(service, again))?.id, again).toBe(String(row.id));
    }
    await store.close();
  });

  // Known miss, as for entries' own questions: a wording with one key word swapped (land for
  // premises) keeps the other words and still gets the entry.
  it.fails("known near miss still matched through a wording: one key word swapped", async () => {
    const { store, service, row } = await fresh();
    await service.addWording(row.id, ASKED);
    try {
      expect(
        await matchOf(service, "kur lēti dabūt zemi no pašvaldības mūsu biedrībai"),
      ).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("keeps wordings distinct, within the limit, and detaches them by number", async () => {
    const { store, service, row } = await fresh();
    expect((await service.addWording(row.id, PREMISES.toUpperCase()))?.status).toBe("already");
    expect((await service.addWording(row.id, "  "))?.status).toBe("already");
    expect(await service.addWording(9999, ASKED)).toBeUndefined();
    await store.setApprovedWordings(
      row.id,
      Array.from({ length: MAX_WORDINGS }, (_, i) => `formulējums ${i}`),
    );
    expect((await service.addWording(row.id, ASKED))?.status).toBe("full");
    await store.setApprovedWordings(row.id, ["pirmais", ASKED]);
    expect(await service.removeWording(row.id, 3)).toBeUndefined();
    expect(await service.removeWording(row.id, 0)).toBeUndefined();
    expect((await service.removeWording(row.id, 2))?.wordings).toEqual(["pirmais"]);
    expect(await matchOf(service, ASKED)).toBeUndefined();
    await store.close();
  });

  it("an import without wordings keeps them; one with wordings replaces them", async () => {
    const { store, row } = await fresh();
    await store.setApprovedWordings(row.id, [ASKED]);
    await store.saveApprovedMany([{ id: row.id, question: PREMISES, answer: "Jā, labots." }]);
    expect((await store.getApproved(row.id))?.wordings).toEqual([ASKED]);
    await store.saveApprovedMany([
      { id: row.id, question: PREMISES, answer: "Jā.", wordings: ["cits"] },
    ]);
    expect((await store.getApproved(row.id))?.wordings).toEqual(["cits"]);
    // Editing the answer keeps them too.
    await store.updateApproved(row.id, { answer: "Jā, atkal." });
    expect((await store.getApproved(row.id))?.wordings).toEqual(["cits"]);
    await store.close();
  });

  it("a wording that cannot be embedded leaves the entry matched by its own question", async () => {
    const store = openAppDb(":memory:");
    const flaky: ApprovedIndex = {
      ...index(),
      embed: async (text) => {
        if (text.includes("pašvaldības")) throw new Error("embedding server down");
        return index().embed(text);
      },
    };
    const service = createApprovedAnswers({ store, index: () => flaky, similarity });
    const row = await service.add({ question: PREMISES, answer: "Jā." });
    await service.addWording(row.id, ASKED);
    expect((await service.match(PREMISES, flaky.prepare(PREMISES)))?.id).toBe(String(row.id));
    await store.close();
  });
});

describe("scoreApproved", () => {
  const idf = (t: string) => ({ common: 0.1, rare: 5, other: 5 })[t] ?? 1;
  it("needs both the words and the vector", async () => {
    const same = scoreApproved(
      { tokens: ["common", "rare"], vector: [1, 0] },
      { tokens: ["common", "rare"], vector: [1, 0] },
      idf,
    );
    expect(same.score).toBeCloseTo(1);
    const differentWords = scoreApproved(
      { tokens: ["common", "other"], vector: [1, 0] },
      { tokens: ["common", "rare"], vector: [1, 0] },
      idf,
    );
    expect(differentWords.overlap).toBeLessThan(0.05);
    expect(differentWords.score).toBeLessThan(DEFAULT_APPROVED_THRESHOLD);
    const subset = scoreApproved(
      { tokens: ["rare"], vector: [1, 0] },
      { tokens: ["rare", "other"], vector: [0.6, 0.8] },
      idf,
    );
    expect(subset.overlap).toBeCloseTo(0.5);
    expect(subset.cosine).toBeCloseTo(0.6);
  });
});
