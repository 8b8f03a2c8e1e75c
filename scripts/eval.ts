/**
 * `npm run eval` — answer quality on the question bank (tests/eval/bank.json, written without
 * reading src/), judged by what the user reads: the answer keys must match the answer text.
 * Reported per split (dev: settings were chosen on it; test: never looked at while tuning) and
 * per style group, side by side with the previous engine (its answers on the same bank, recorded
 * at commit f6eafc4) and with the baseline "the best passage of the search, shown whole".
 * Then the approved answers (coordinators' FAQ) probes, the sweeps that chose every fitted
 * setting, latency, and the earlier gold/held-out sets as more data.
 *
 * `npm run eval -- --json` prints the numbers as JSON; `npm run eval -- embeddings` evaluates
 * the local embedder on SIB-200.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { approvedIndexOf, createApprovedAnswers } from "../src/answer/approved.js";
import {
  type AnswerModels,
  createAnswerEngine,
  FITTED_MODELS,
  ITEM_FIRST_CHOICES,
  indexOnSubject,
  MIN_TOPIC_COVERAGE,
  modelsForIndex,
  SUBJECT_PASSAGES_MIN,
  subjectShare,
} from "../src/answer/create-engine.js";
import { cappedWeight } from "../src/answer/features.js";
import {
  FOLLOW_UP_READING,
  GO_ON_FRESH_SWEEP,
  lectureTopic,
  SUBTOPIC_WORDS_SWEEP,
  understand,
} from "../src/answer/intent.js";
import { lecturePrecedentEvidence, precedentEvidence } from "../src/answer/precedents.js";
import type { App } from "../src/app.js";
import { createSentenceSimilarity } from "../src/embed/sentence-similarity.js";
import type { Retriever } from "../src/retrieval/search.js";
import { openAppDb } from "../src/store/app-db.js";
import {
  type BankQuestion,
  type Figures,
  type FollowUpItem,
  figuresByStyle,
  figuresOf,
  firstSentence,
  type Given,
  givenOf,
  holdsKeys,
  type Judged,
  judge,
  keysMatch,
  loadApprovedSet,
  loadBank,
  loadBlindFollowUps,
  loadFollowUps,
  loadOffTopic,
  loadOffTopicQuestions,
  loadRealCorpusSet,
  matchesExpected,
  OTHER_HANDBOOK_DIR,
  openEvalApp,
  openRealDocApp,
  REAL_CORPORA,
  REAL_DOCS_DIR,
  type RealCorpus,
  root,
  SIB200_DIR,
  type Split,
} from "./quality.js";

/** Targets of the answer issue, on the test split. */
export const TARGETS = {
  keyInText: 0.8,
  keyInTextPerStyle: 0.7,
  keyInFirst: 0.65,
  wronglyDeclined: 0.08,
  unanswerableDeclined: 0.85,
  rightLecture: 0.9,
  rightMoment: 0.75,
  approvedPrecision: 0.95,
  approvedRecall: 0.8,
  latencyP95Ms: 50,
};

/** What `npm run eval` measures on one split. */
export interface BankResult {
  split: Split;
  padoms: Record<string, Figures>;
  previous: Record<string, Figures>;
  bestPassage: Record<string, Figures>;
  latency: { p50: number; p95: number };
  misses: string[];
  /** Padoms' figures on questions unlike / like a train question (see {@link FAMILIAR_FROM}). */
  likeness: { novel: Figures; familiar: Figures };
  /**
   * Declines that name the place the materials come closest (`Answer.closest`): of the answerable
   * questions declined, how many were pointed to a right source; of the unanswerable, how many
   * were pointed anywhere.
   */
  pointers: {
    declined: number;
    pointedRight: number;
    unanswerableDeclined: number;
    unanswerablePointed: number;
  };
}

/**
 * A question whose nearest train question (the precedents' similarity: IDF-weighted cosine of
 * their words) is at least this similar counts as "familiar" in the report; the rest as "novel".
 * A reporting line, not a tuned setting: it shows how much the figures owe to questions like
 * those the models were fitted on.
 */
export const FAMILIAR_FROM = 0.5;

/** Similarity of a question to its nearest precedent (0 without precedents). */
function nearestPrecedent(retriever: Retriever, question: string): number {
  const log = FITTED_MODELS.precedents ?? [];
  if (!log.length) return 0;
  const intent = understand(question);
  const whole = intent.context ? `${intent.context} ${intent.focus}` : intent.focus;
  const weight = cappedWeight((t) => retriever.idf(t));
  const tokens = retriever.prepare(whole).tokens;
  const e = precedentEvidence(log, tokens, weight);
  // A lecture request is like an earlier lecture request (their topics are compared).
  const lectures = FITTED_MODELS.lecturePrecedents ?? [];
  const topic = retriever.prepare(lectureTopic(intent.focus) || intent.focus).tokens;
  const asLecture =
    intent.expects === "lecture" ? lecturePrecedentEvidence(lectures, topic, weight).nearest : 0;
  return Math.max(e.answered, e.unanswered, asLecture);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The baseline's answer: the search's best passage, shown whole. */
async function bestPassageOf(retriever: Retriever, question: string): Promise<Given> {
  const top = (await retriever.search(question, { k: 1 }))[0];
  return {
    answered: top !== undefined,
    answer: top?.chunk.text ?? "",
    citations: top ? [top.chunk] : [],
  };
}

/** Runs the engine, the previous engine's recorded answers and the baseline on one split. */
export async function evaluateBank(app: App, split: Split): Promise<BankResult> {
  const questions = loadBank().filter((q) => q.split === split);
  const previous = JSON.parse(
    readFileSync(join(root, "tests/eval/previous-engine.json"), "utf8"),
  ) as {
    answers: Record<string, Given>;
  };
  const retriever = app.live.current().retriever;
  const mine: Judged[] = [];
  const prev: Judged[] = [];
  const base: Judged[] = [];
  const latencies: number[] = [];
  const misses: string[] = [];
  const familiar = new Set<string>();
  const pointers = {
    declined: 0,
    pointedRight: 0,
    unanswerableDeclined: 0,
    unanswerablePointed: 0,
  };
  for (const q of questions) {
    const a = await app.engine.ask(q.question);
    latencies.push(a.latencyMs);
    const j = judge(q, givenOf(a));
    mine.push(j);
    if (nearestPrecedent(retriever, q.question) >= FAMILIAR_FROM) familiar.add(q.id);
    if (j.answerable && !j.keyInText)
      misses.push(`${q.id} [${q.style}] ${a.answered ? "key missing" : "declined"}`);
    if (!j.answerable && j.answered) misses.push(`${q.id} [${q.style}] answered`);
    if (!a.answered && j.answerable) {
      pointers.declined++;
      if (a.closest && matchesExpected(a.closest, q.gold)) pointers.pointedRight++;
    }
    if (!a.answered && !j.answerable) {
      pointers.unanswerableDeclined++;
      if (a.closest) pointers.unanswerablePointed++;
    }
    const p = previous.answers[q.id];
    if (p) prev.push(judge(q, p));
    base.push(judge(q, await bestPassageOf(retriever, q.question)));
  }
  return {
    split,
    padoms: figuresByStyle(mine),
    previous: figuresByStyle(prev),
    bestPassage: figuresByStyle(base),
    latency: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    misses,
    pointers,
    likeness: {
      novel: figuresOf(mine.filter((j) => !familiar.has(j.id))),
      familiar: figuresOf(mine.filter((j) => familiar.has(j.id))),
    },
  };
}

/** Figures of the follow-up conversations of one split. */
export interface FollowUpFigures {
  n: number;
  /** Follow-ups the materials answer. */
  answerable: number;
  keyInText: number;
  keyInBody: number;
  keyInFirst: number;
  wronglyDeclined: number;
  /** Follow-ups to decline, and those declined. */
  unanswerable: number;
  declined: number;
  /** Follow-ups whose answer opens as the previous answer did. */
  repeats: number;
}

/**
 * The follow-ups of the user tests: each conversation asked in turn (its own conversation id),
 * the last answer judged as the bank's are: key in the text, in the answer before "See also",
 * in the first sentence; and how often it opens as the previous answer did.
 */
export async function evaluateFollowUps<T extends FollowUpItem = FollowUpItem>(
  app: Pick<App, "engine">,
  items: readonly T[] = loadFollowUps() as T[],
  groupsOf: (item: T) => string[] = (item) => [item.split],
): Promise<Record<string, FollowUpFigures>> {
  const out: Record<string, FollowUpFigures> = {};
  const tally = (key: string) => {
    const r = out[key] ?? {
      n: 0,
      answerable: 0,
      keyInText: 0,
      keyInBody: 0,
      keyInFirst: 0,
      wronglyDeclined: 0,
      unanswerable: 0,
      declined: 0,
      repeats: 0,
    };
    out[key] = r;
    return r;
  };
  for (const [i, item] of items.entries()) {
    const rs = groupsOf(item).map(tally);
    const conversationId = `followup-${i}`;
    let previous = "";
    let last = "";
    let answered = false;
    for (const turn of item.turns) {
      previous = last;
      const a = await app.engine.ask(turn, { conversationId });
      last = a.answer;
      answered = a.answered;
    }
    app.engine.forget(conversationId);
    const opening = (t: string) => t.split("\n")[0]?.replace(/ \[\d+\]$/, "") ?? "";
    const body = last.split(/\n\n(?:Skatiet arī|See also):/)[0] ?? last;
    const keys = item.decline ? [] : (item.keys ?? []);
    for (const r of rs) {
      r.n++;
      if (answered && previous && opening(last) === opening(previous)) r.repeats++;
      if (!keys.length) {
        r.unanswerable++;
        if (!answered) r.declined++;
        continue;
      }
      r.answerable++;
      if (!answered) {
        r.wronglyDeclined++;
        continue;
      }
      if (keysMatch(keys, last)) r.keyInText++;
      if (keysMatch(keys, body)) r.keyInBody++;
      if (keysMatch(keys, firstSentence(last))) r.keyInFirst++;
    }
  }
  return out;
}

/**
 * The composition choices made by comparison, printed as their sweeps are: which questions a
 * list answers item first (`ITEM_FIRST_CHOICES`, judged on train and dev), and whether a
 * follow-up the merged search would decline is read again in context (on the follow-ups).
 */
export async function evaluateCompositionChoices(app: App): Promise<{
  itemFirst: {
    choice: string;
    split: Split;
    keyInText: number;
    keyInFirst: number;
    keyInFirstStrict: number;
  }[];
  inContext: { choice: string; split: string; figures: FollowUpFigures }[];
  followUpReading: { choice: string; split: string; figures: FollowUpFigures }[];
}> {
  const source = () => {
    const s = app.live.current();
    return { retriever: s.retriever, lectures: s.lectures };
  };
  const similarity = createSentenceSimilarity();
  const itemFirst: Awaited<ReturnType<typeof evaluateCompositionChoices>>["itemFirst"] = [];
  for (const [choice, set] of Object.entries(ITEM_FIRST_CHOICES)) {
    const engine = createAnswerEngine({ source, similarity, itemFirst: set });
    for (const split of ["train", "dev"] as const) {
      const judged: Judged[] = [];
      for (const q of loadBank().filter((x) => x.split === split))
        judged.push(judge(q, givenOf(await engine.ask(q.question))));
      const fig = figuresOf(judged);
      itemFirst.push({
        choice,
        split,
        keyInText: fig.keyInText,
        keyInFirst: fig.keyInFirst,
        keyInFirstStrict: fig.keyInFirstStrict,
      });
    }
  }
  const inContext: Awaited<ReturnType<typeof evaluateCompositionChoices>>["inContext"] = [];
  for (const on of [true, false]) {
    const engine = createAnswerEngine({ source, similarity, followUpInContext: on });
    const figures = await evaluateFollowUps({ engine });
    for (const [split, f] of Object.entries(figures)) {
      inContext.push({
        choice: on ? "read again in context (used)" : "merged search only",
        split,
        figures: f,
      });
    }
  }
  // How a message after a turn is read as a follow-up (FOLLOW_UP_READING): each setting swept
  // alone, the other as used; chosen on the blind follow-ups' train and dev splits.
  const followUpReading: Awaited<ReturnType<typeof evaluateCompositionChoices>>["followUpReading"] =
    [];
  const blind = loadBlindFollowUps();
  const readings = [
    ...GO_ON_FRESH_SWEEP.map((goOnFresh) => ({
      label: `goOnFresh ${goOnFresh < 0 ? "off" : goOnFresh}`,
      reading: { ...FOLLOW_UP_READING, goOnFresh },
    })),
    ...SUBTOPIC_WORDS_SWEEP.map((subtopicWords) => ({
      label: `subtopicWords ${subtopicWords}`,
      reading: { ...FOLLOW_UP_READING, subtopicWords },
    })),
  ];
  // The reading in use is in both sweeps: its figures are made once.
  const made = new Map<string, Record<string, FollowUpFigures>>();
  for (const { label, reading } of readings) {
    const key = JSON.stringify(reading);
    let figures = made.get(key);
    if (!figures) {
      const engine = createAnswerEngine({ source, similarity, followUpReading: reading });
      figures = {
        ...(await evaluateFollowUps({ engine }, blind, (x) => [
          x.split === "test" ? "blind test" : "blind train+dev",
        ])),
        ...(await evaluateFollowUps({ engine })),
      };
      made.set(key, figures);
    }
    const used = key === JSON.stringify(FOLLOW_UP_READING);
    for (const [split, f] of Object.entries(figures))
      followUpReading.push({ choice: `${label}${used ? " (used)" : ""}`, split, figures: f });
  }
  return { itemFirst, inContext, followUpReading };
}

/** Precision and recall of approved answers on some probes. */
interface ApprovedFigures {
  precision: number;
  recall: number;
  probes: number;
}

/** Approved answers: a reworded question gets its entry, a near miss or unrelated one none. */
export async function evaluateApproved(app: App): Promise<{
  bySplit: Record<string, ApprovedFigures>;
  /** The closest entry a hand-off suggests to the coordinators: how often it is the one asked. */
  suggestBySplit: Record<string, ApprovedFigures>;
  /**
   * After coordinators attached one handed-off wording to each entry (its split's first reworded
   * probe), the split's other probes.
   */
  oneWordingBySplit: Record<string, ApprovedFigures>;
  /** The same probes as {@link oneWordingBySplit} before the wordings were attached. */
  oneWordingBeforeBySplit: Record<string, ApprovedFigures>;
  /**
   * Entries offered to the asker below the match (precision: offers that name the entry asked
   * for; recall: reworded questions that get their entry matched or offered).
   */
  offerBySplit: Record<
    string,
    ApprovedFigures & { offered: number; wrongByKind: Record<string, number> }
  >;
  wrongDev: string[];
  /** Of the bank's dev questions (written on the materials, not on these entries), the share offered one. */
  ordinaryOffered: number;
}> {
  const set = loadApprovedSet();
  const similarity = createSentenceSimilarity();
  const retriever = app.live.current().retriever;
  const open = async () => {
    const db = openAppDb(":memory:");
    const service = createApprovedAnswers({
      store: db,
      index: () => approvedIndexOf(app.live.current()),
      similarity,
    });
    const idOf = new Map<string, string>();
    const rowOf = new Map<string, number>();
    for (const e of set.approved) {
      const row = await service.add({ question: e.question, answer: e.answer, approvedBy: "eval" });
      idOf.set(String(row.id), e.id);
      rowOf.set(e.id, row.id);
    }
    return { db, service, idOf, rowOf };
  };
  const figures = (
    judged: { got: string | undefined; approved: string | null }[],
  ): ApprovedFigures => {
    const matched = judged.filter((j) => j.got).length;
    const right = judged.filter((j) => j.got && j.got === j.approved).length;
    const reworded = judged.filter((j) => j.approved).length;
    return {
      precision: matched ? right / matched : 1,
      recall: reworded ? right / reworded : 0,
      probes: judged.length,
    };
  };
  const { db, service, idOf } = await open();
  try {
    const bySplit: Record<string, ApprovedFigures> = {};
    const suggestBySplit: Record<string, ApprovedFigures> = {};
    const oneWordingBySplit: Record<string, ApprovedFigures> = {};
    const oneWordingBeforeBySplit: Record<string, ApprovedFigures> = {};
    const offerBySplit: Awaited<ReturnType<typeof evaluateApproved>>["offerBySplit"] = {};
    const wrongDev: string[] = [];
    for (const split of ["dev", "test", "train"] as const) {
      const probes = set.probes.filter((p) => p.split === split);
      const matches: { got: string | undefined; approved: string | null }[] = [];
      const suggestions: typeof matches = [];
      const offers: ((typeof matches)[number] & { kind: string })[] = [];
      for (const p of probes) {
        const prepared = retriever.prepare(p.question);
        const m = await service.match(p.question, prepared);
        const got = m ? idOf.get(m.id) : undefined;
        matches.push({ got, approved: p.approved });
        const o = m ? undefined : await service.offer(p.question, prepared);
        offers.push({ got: o ? idOf.get(o.id) : undefined, approved: p.approved, kind: p.kind });
        const closest = await service.closest(p.question);
        suggestions.push({
          got: closest ? idOf.get(String(closest.row.id)) : undefined,
          approved: p.approved,
        });
        if (split === "dev" && (got ?? null) !== p.approved) {
          wrongDev.push(
            `${p.id} [${p.kind}] expected ${p.approved ?? "none"}, got ${got ?? "none"}`,
          );
        }
      }
      bySplit[split] = figures(matches);
      suggestBySplit[split] = figures(suggestions);
      const offered = offers.filter((o) => o.got);
      const reworded = probes.filter((p) => p.approved).length;
      const matchedRight = matches.filter((j) => j.got && j.got === j.approved).length;
      offerBySplit[split] = {
        precision: offered.length
          ? offered.filter((o) => o.got === o.approved).length / offered.length
          : 1,
        recall: reworded
          ? (matchedRight + offered.filter((o) => o.got === o.approved).length) / reworded
          : 0,
        probes: probes.length,
        offered: offered.length,
        wrongByKind: Object.fromEntries(
          ["reworded", "near-miss", "unrelated"].map((kind) => [
            kind,
            offered.filter((o) => o.kind === kind && o.got !== o.approved).length,
          ]),
        ),
      };
      // One wording attached per entry, in a database of its own.
      const taught = await open();
      try {
        const attached = new Set<string>();
        for (const p of [...probes].sort((a, b) => a.id.localeCompare(b.id))) {
          if (!p.approved || [...attached].some((id) => id.startsWith(`${p.approved}\n`))) continue;
          await taught.service.addWording(taught.rowOf.get(p.approved) as number, p.question);
          attached.add(`${p.approved}\n${p.id}`);
        }
        const rest = probes.filter((p) => ![...attached].some((a) => a.endsWith(`\n${p.id}`)));
        const judged: typeof matches = [];
        const before = rest.map((p) => matches[probes.indexOf(p)] as (typeof matches)[number]);
        oneWordingBeforeBySplit[split] = figures(before);
        for (const p of rest) {
          const m = await taught.service.match(p.question, retriever.prepare(p.question));
          judged.push({ got: m ? taught.idOf.get(m.id) : undefined, approved: p.approved });
        }
        oneWordingBySplit[split] = figures(judged);
      } finally {
        taught.db.close();
      }
    }
    const ordinary = loadBank().filter((q) => q.split === "dev");
    let ordinaryHits = 0;
    for (const q of ordinary) {
      const prepared = retriever.prepare(q.question);
      if (await service.match(q.question, prepared)) continue;
      if (await service.offer(q.question, prepared)) ordinaryHits++;
    }
    return {
      ordinaryOffered: ordinary.length ? ordinaryHits / ordinary.length : 0,
      bySplit,
      suggestBySplit,
      oneWordingBySplit,
      oneWordingBeforeBySplit,
      offerBySplit,
      wrongDev,
    };
  } finally {
    db.close();
  }
}

/**
 * Messages on other subjects: SIB-200's test sentences (real Latvian text on travel, sports,
 * science …) sent as questions. The share answered by the engine with its fitted on-topic model,
 * beside the coverage rule that model replaced and beside no guard at all (the answerable model
 * alone); `undefined` when SIB-200 is not on this machine.
 */
export async function evaluateOffTopic(app: App): Promise<
  | {
      n: number;
      fitted: number;
      coverageRule: number;
      none: number;
      /** Questions on other subjects written blind, by split and kind. */
      questions: {
        group: string;
        n: number;
        fitted: number;
        coverageRule: number;
        none: number;
      }[];
    }
  | undefined
> {
  const sentences = loadOffTopic("test");
  if (!sentences) return undefined;
  const source = () => {
    const s = app.live.current();
    return { retriever: s.retriever, lectures: s.lectures };
  };
  const similarity = createSentenceSimilarity();
  const { onTopic: _fitted, ...withoutModel } = FITTED_MODELS;
  const answeredBy = async (
    models: AnswerModels,
    texts: readonly string[],
    minTopicCoverage?: number,
  ) => {
    const engine = createAnswerEngine({
      source,
      models,
      similarity,
      ...(minTopicCoverage === undefined ? {} : { minTopicCoverage }),
    });
    let answered = 0;
    for (const s of texts) if ((await engine.ask(s)).answered) answered++;
    return texts.length ? answered / texts.length : 0;
  };
  const three = async (texts: readonly string[]) => ({
    n: texts.length,
    fitted: await answeredBy(FITTED_MODELS, texts),
    coverageRule: await answeredBy(withoutModel, texts),
    none: await answeredBy(withoutModel, texts, 0),
  });
  const asked = loadOffTopicQuestions();
  const questions = [];
  for (const split of ["dev", "test", "train"] as const) {
    for (const kind of ["all", "far", "adjacent"] as const) {
      const texts = asked
        .filter((q) => q.split === split && (kind === "all" || q.kind === kind))
        .map((q) => q.question);
      if (texts.length) questions.push({ group: `${split} ${kind}`, ...(await three(texts)) });
    }
  }
  return { ...(await three(sentences.map((s) => s.text))), questions };
}

/**
 * Another corpus, simulated: the bank's dev and test questions answered over the sample corpus
 * as if no precedent were known (on another corpus none of their units is found), by the fitted
 * models with their precedents taken away and by the models fitted without precedents, which
 * `modelsForIndex` picks for such an index. `undefined` when the weights have none.
 */
export async function evaluateWithoutPrecedents(
  app: App,
): Promise<Record<string, { committed: Figures; fallback: Figures }> | undefined> {
  const { precedents: _p, precedentPassages: _pp, withoutPrecedents, ...rest } = FITTED_MODELS;
  if (!withoutPrecedents) return undefined;
  const source = () => {
    const s = app.live.current();
    return { retriever: s.retriever, lectures: s.lectures };
  };
  const similarity = createSentenceSimilarity();
  const judgedBy = async (models: AnswerModels, split: Split) => {
    const engine = createAnswerEngine({ source, models, similarity });
    const judged: Judged[] = [];
    for (const q of loadBank().filter((x) => x.split === split))
      judged.push(judge(q, givenOf(await engine.ask(q.question))));
    return figuresOf(judged);
  };
  const out: Record<string, { committed: Figures; fallback: Figures }> = {};
  for (const split of ["dev", "test"] as const) {
    out[split] = {
      committed: await judgedBy(rest, split),
      fallback: await judgedBy({ ...rest, ...withoutPrecedents }, split),
    };
  }
  return out;
}

/** Which models the engine picks for an index, as the report names them. */
function modelsNameOf(retriever: Retriever): string {
  const models =
    modelsForIndex(FITTED_MODELS, retriever) === FITTED_MODELS
      ? "the fitted models"
      : "the models fitted without precedents";
  return `${models}; ${subjectLine(retriever)}`;
}

/** How much of an index is worded like the on-topic word counts' subject, and what follows. */
function subjectLine(retriever: Retriever): string {
  const vocabulary = FITTED_MODELS.onTopic?.vocabulary;
  if (!vocabulary) return "no on-topic word counts";
  const share = subjectShare(retriever, vocabulary);
  return `${share.toFixed(3)} of its passages worded like the subject's questions, so the on-topic model ${
    indexOnSubject(retriever, vocabulary) ? "with" : "without"
  } the word counts (SUBJECT_PASSAGES_MIN ${SUBJECT_PASSAGES_MIN})`;
}

/** What the Labour Law questions measure on one split. */
export interface RealCorpusResult {
  padoms: Record<string, Figures>;
  bestPassage: Record<string, Figures>;
  misses: string[];
}

/**
 * A real document the models were not written for (from `../shared/data/real-docs`) indexed
 * alone, and the questions written blind on it, answered by the engine as a user's install would
 * (the models it picks for that index) and by the baseline "the best passage, shown whole".
 * `undefined` without the file or the questions.
 */
export async function evaluateRealCorpus(
  corpus: RealCorpus,
): Promise<{ models: string; bySplit: Record<Split, RealCorpusResult> } | undefined> {
  const questions = loadRealCorpusSet(join(root, corpus.questions));
  const opened = questions.length ? await openRealDocApp(corpus.file) : undefined;
  if (!opened) return undefined;
  const { app, close } = opened;
  try {
    const retriever = app.live.current().retriever;
    const models = modelsNameOf(retriever);
    const bySplit = {} as Record<Split, RealCorpusResult>;
    for (const split of ["train", "dev", "test"] as const) {
      const mine: Judged[] = [];
      const base: Judged[] = [];
      const misses: string[] = [];
      for (const q of questions.filter((x) => x.split === split)) {
        const a = await app.engine.ask(q.question);
        const j = judge(q, givenOf(a));
        mine.push(j);
        if (j.answerable && !j.keyInText)
          misses.push(`${q.id} [${q.style}] ${a.answered ? "key missing" : "declined"}`);
        if (!j.answerable && j.answered) misses.push(`${q.id} [${q.style}] answered`);
        base.push(judge(q, await bestPassageOf(retriever, q.question)));
      }
      bySplit[split] = {
        padoms: figuresByStyle(mine),
        bestPassage: figuresByStyle(base),
        misses,
      };
    }
    return { models, bySplit };
  } finally {
    await close();
  }
}

/** What the bank's questions measure over the other handbook on one split. */
export interface OtherHandbookResult {
  padoms: Record<string, Figures>;
  bestPassage: Record<string, Figures>;
  /** Answerable questions left out: no passage of the other handbook holds their keys. */
  notCovered: number;
}

/**
 * The real handbook, simulated: a second handbook on the same subject, written blind from the
 * same facts ({@link OTHER_HANDBOOK_DIR}), indexed alone and asked the bank's questions, answered
 * by the engine with the models it picks for that index and by the baseline "the best passage,
 * shown whole". An answerable question counts only when some passage of it holds all its keys
 * (the two handbooks do not cover the same points); lecture questions are left out (it has no
 * lectures); the near-topic unanswerable ones stay. `undefined` without the folder.
 */
export async function evaluateOtherHandbook(): Promise<
  { models: string; passages: number; bySplit: Record<Split, OtherHandbookResult> } | undefined
> {
  if (!existsSync(OTHER_HANDBOOK_DIR)) return undefined;
  const { app, close } = await openEvalApp(OTHER_HANDBOOK_DIR);
  try {
    const retriever = app.live.current().retriever;
    const models = modelsNameOf(retriever);
    const passages = retriever.passages();
    const covered = (q: BankQuestion) => holdsKeys(passages, q.keys);
    const bySplit = {} as Record<Split, OtherHandbookResult>;
    for (const split of ["train", "dev", "test"] as const) {
      const mine: Judged[] = [];
      const base: Judged[] = [];
      let notCovered = 0;
      for (const q of loadBank().filter((x) => x.split === split && x.style !== "lecture")) {
        if (q.style !== "unanswerable" && !covered(q)) {
          notCovered++;
          continue;
        }
        mine.push(judge(q, givenOf(await app.engine.ask(q.question))));
        base.push(judge(q, await bestPassageOf(retriever, q.question)));
      }
      bySplit[split] = {
        padoms: figuresByStyle(mine),
        bestPassage: figuresByStyle(base),
        notCovered,
      };
    }
    return { models, passages: passages.length, bySplit };
  } finally {
    await close();
  }
}

/**
 * Another corpus's figures by split and style, Padoms | the best passage shown whole (`overall`:
 * what the split's first row adds to its name; `rightSource`: with the right-source column).
 */
function printCorpusTable<
  T extends { padoms: Record<string, Figures>; bestPassage: Record<string, Figures> },
>(bySplit: Record<string, T>, overall: (x: T) => string, rightSource: boolean): void {
  const last = rightSource
    ? `${"unanswerable declined".padEnd(24)}right source`
    : "unanswerable declined";
  console.log(
    `  ${"split / style".padEnd(22)}${"n".padEnd(5)}${"key in text".padEnd(16)}${"in 1st sentence".padEnd(18)}${"wrongly declined".padEnd(18)}${last}`,
  );
  for (const [split, x] of Object.entries(bySplit)) {
    for (const style of ["overall", ...Object.keys(x.padoms).filter((s) => s !== "overall")]) {
      const p = x.padoms[style] as Figures;
      const b = x.bestPassage[style] as Figures;
      const pair = (k: keyof Figures) => `${f(p[k] as number)} | ${f(b[k] as number)}`;
      const unanswerable = f(p.unanswerableDeclined);
      console.log(
        `  ${`${split} ${style === "overall" ? overall(x) : `/ ${style}`}`.padEnd(22)}${String(p.n).padEnd(5)}${pair("keyInText").padEnd(16)}${f(p.keyInFirst).padEnd(18)}${f(p.wronglyDeclined).padEnd(18)}${rightSource ? `${unanswerable.padEnd(24)}${pair("rightCitation")}` : unanswerable}`,
      );
    }
  }
}

function printOtherHandbook(r: Awaited<ReturnType<typeof evaluateOtherHandbook>>): void {
  console.log(
    "\n== The real handbook, simulated: another handbook on the same subject, written blind from the same facts (tests/eval/other-handbook), asked the bank's questions",
  );
  if (!r) {
    console.log(`  not measured: ${OTHER_HANDBOOK_DIR} is missing`);
    return;
  }
  console.log(
    `  ${r.passages} passages, answered with ${r.models} (as the engine picks for this index) | best passage shown whole; answerable questions count where one of its passages holds their keys, lecture questions are left out`,
  );
  printCorpusTable(r.bySplit, (x) => `(${x.notCovered} not covered)`, false);
}

function printRealCorpus(
  corpus: RealCorpus,
  r: Awaited<ReturnType<typeof evaluateRealCorpus>>,
): void {
  console.log(
    `\n== A real corpus the models were not written for: ${corpus.title} (questions written blind on it, ${corpus.questions})`,
  );
  if (!r) {
    console.log(
      `  not measured: ${join(REAL_DOCS_DIR, corpus.file)} or the questions are missing (set REAL_DOCS_DIR)`,
    );
    return;
  }
  console.log(
    `  answered with ${r.models} (as the engine picks for this index) | best passage shown whole`,
  );
  printCorpusTable(r.bySplit, () => "", true);
  console.log(`  misses on dev: ${r.bySplit.dev.misses.join("; ") || "none"}`);
}

const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "  –  " : x.toFixed(3));

const ROWS: [keyof Figures, string][] = [
  ["keyInText", "key fact in the answer text"],
  ["keyInFirst", "key fact in the first sentence"],
  ["keyInFirstStrict", "…counting a list's lead-in alone"],
  ["wronglyDeclined", "answerable but declined"],
  ["unanswerableDeclined", "unanswerable declined"],
  ["rightCitation", "right source cited"],
  ["rightLecture", "lecture questions: right lecture"],
  ["rightMoment", "lecture questions: right moment"],
];

function printSplit(r: BankResult): void {
  const o = r.padoms.overall as Figures;
  console.log(
    `\n== ${r.split} split: ${o.n} questions (${o.answerable} answerable)${r.split === "train" ? " — in sample: the models and their precedents were fitted on these" : ""} — Padoms | previous engine (f6eafc4) | best passage shown whole`,
  );
  console.log(`${"".padEnd(36)}${"Padoms".padEnd(9)}${"previous".padEnd(10)}baseline`);
  for (const [key, label] of ROWS) {
    console.log(
      `  ${label.padEnd(34)}${f(r.padoms.overall?.[key] as number).padEnd(9)}${f(r.previous.overall?.[key] as number).padEnd(10)}${f(r.bestPassage.overall?.[key] as number)}`,
    );
  }
  const styles = Object.keys(r.padoms).filter((s) => s !== "overall");
  console.log(`  per style (Padoms / previous / baseline):`);
  console.log(
    `  ${"style".padEnd(14)}${"n".padEnd(5)}${"key in text".padEnd(22)}${"key in 1st sentence".padEnd(22)}${"declined".padEnd(22)}right source`,
  );
  for (const s of styles) {
    const trio = (k: keyof Figures) =>
      `${f(r.padoms[s]?.[k] as number)}/${f(r.previous[s]?.[k] as number)}/${f(r.bestPassage[s]?.[k] as number)}`;
    const declined = s === "unanswerable" ? "unanswerableDeclined" : "wronglyDeclined";
    console.log(
      `  ${s.padEnd(14)}${String(r.padoms[s]?.n ?? 0).padEnd(5)}${(s === "unanswerable" ? "" : trio("keyInText")).padEnd(22)}${(s === "unanswerable" ? "" : trio("keyInFirst")).padEnd(22)}${trio(declined).padEnd(22)}${s === "unanswerable" ? "" : trio("rightCitation")}`,
    );
  }
  if (r.split !== "train") {
    const line = (label: string, x: Figures) =>
      `  ${label.padEnd(34)}n ${String(x.n).padEnd(4)}key in text ${f(x.keyInText)}, in 1st sentence ${f(x.keyInFirst)}, wrongly declined ${f(x.wronglyDeclined)}, unanswerable declined ${f(x.unanswerableDeclined)}`;
    console.log(
      `  by likeness to the nearest train question (precedent similarity ≥ ${FAMILIAR_FROM} or not):`,
    );
    console.log(line("familiar", r.likeness.familiar));
    console.log(line("novel", r.likeness.novel));
  }
  const p = r.pointers;
  console.log(
    `  declines that name the closest place: answerable declined ${p.declined}, pointed to a right source ${p.pointedRight}; unanswerable declined ${p.unanswerableDeclined}, pointed somewhere ${p.unanswerablePointed}`,
  );
  console.log(
    `  ask latency p50 / p95: ${r.latency.p50.toFixed(1)} / ${r.latency.p95.toFixed(1)} ms (in process)`,
  );
}

function printTargets(
  test: BankResult,
  dev: BankResult,
  approvedTest: { precision: number; recall: number },
  approvedDev: { precision: number; recall: number },
): void {
  const t = test.padoms.overall as Figures;
  const d = dev.padoms.overall as Figures;
  const mark = (ok: boolean) => (ok ? "✓" : "✗");
  const styles = Object.keys(test.padoms).filter((s) => s !== "overall" && s !== "unanswerable");
  const worst = Math.min(...styles.map((s) => test.padoms[s]?.keyInText ?? 0));
  console.log("\n== Targets (test split; dev beside it)");
  const line = (
    label: string,
    tv: number | undefined,
    dv: number | undefined,
    ok: boolean,
    target: string,
  ) =>
    console.log(`  ${mark(ok)} ${label.padEnd(40)}test ${f(tv)}  dev ${f(dv)}  target ${target}`);
  line(
    "key fact in the answer text",
    t.keyInText,
    d.keyInText,
    t.keyInText >= TARGETS.keyInText,
    "≥ 0.80",
  );
  line(
    `…in every style group (worst)`,
    worst,
    undefined,
    worst >= TARGETS.keyInTextPerStyle,
    "≥ 0.70",
  );
  line(
    "key fact in the first sentence",
    t.keyInFirst,
    d.keyInFirst,
    t.keyInFirst >= TARGETS.keyInFirst,
    "≥ 0.65",
  );
  line(
    "answerable but declined",
    t.wronglyDeclined,
    d.wronglyDeclined,
    t.wronglyDeclined <= TARGETS.wronglyDeclined,
    "≤ 0.08",
  );
  line(
    "unanswerable declined",
    t.unanswerableDeclined,
    d.unanswerableDeclined,
    t.unanswerableDeclined >= TARGETS.unanswerableDeclined,
    "≥ 0.85",
  );
  line(
    "right lecture",
    t.rightLecture,
    d.rightLecture,
    (t.rightLecture ?? 0) >= TARGETS.rightLecture,
    "≥ 0.90",
  );
  line(
    "right moment",
    t.rightMoment,
    d.rightMoment,
    (t.rightMoment ?? 0) >= TARGETS.rightMoment,
    "≥ 0.75",
  );
  line(
    "approved answers: precision",
    approvedTest.precision,
    approvedDev.precision,
    approvedTest.precision >= TARGETS.approvedPrecision,
    "≥ 0.95",
  );
  line(
    "approved answers: recall",
    approvedTest.recall,
    approvedDev.recall,
    approvedTest.recall >= TARGETS.approvedRecall,
    "≥ 0.80",
  );
  line(
    "ask p95 ms (test)",
    test.latency.p95,
    dev.latency.p95,
    test.latency.p95 <= TARGETS.latencyP95Ms,
    "≤ 50",
  );
  const beat = t.keyInText > (test.bestPassage.overall?.keyInText ?? 1);
  console.log(
    `  ${mark(beat)} composed answer beats "best passage shown whole" on key fact in text (test)`,
  );
  const gaps = (
    ["keyInText", "keyInFirst", "wronglyDeclined", "unanswerableDeclined"] as const
  ).map((k) => Math.abs((t[k] ?? 0) - (d[k] ?? 0)));
  const gap = Math.max(...gaps);
  console.log(`  ${mark(gap <= 0.05)} dev within 5 points of test (largest gap ${f(gap)})`);
}

function printSweeps(): void {
  const w = JSON.parse(readFileSync(join(root, "src/answer/weights.json"), "utf8")) as {
    sweeps?: Record<string, Record<string, number | boolean | object>[]>;
    declineThreshold: number;
    seeAlsoMin: number;
  };
  console.log(
    "\n== Fitted settings and the sweeps that chose them (npm run fit: fitted on train; chosen on held-out predictions — train by 5-fold cross-validation, and dev)",
  );
  // A row's cells; an object in a row (a measurement beside the sweep) is listed in brackets.
  const cellsOf = (row: object): string =>
    Object.entries(row)
      .filter(([k]) => k !== "chosen")
      .map(([k, v]) =>
        typeof v === "number"
          ? `${k} ${Number.isInteger(v) ? v : v.toFixed(3)}`
          : v !== null && typeof v === "object"
            ? `${k} (${cellsOf(v)})`
            : `${k} ${v}`,
      )
      .join(", ");
  for (const [name, rows] of Object.entries(w.sweeps ?? {})) {
    console.log(`  ${name}:`);
    for (const row of rows) console.log(`    ${row.chosen ? "→" : " "} ${cellsOf(row)}`);
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "embeddings") {
    const { evalEmbeddings } = await import("./eval-embeddings.js");
    await evalEmbeddings({});
    return;
  }
  const json = argv.includes("--json");
  if (argv.includes("--write-expected")) {
    const { app, close } = await openEvalApp();
    try {
      const expected = await expectedDevFigures(app);
      writeFileSync(EXPECTED_DEV, `${JSON.stringify(expected, null, 1)}\n`);
      console.log(`wrote ${EXPECTED_DEV}`);
    } finally {
      await close();
    }
    return;
  }
  const { app, close } = await openEvalApp();
  try {
    for (const q of loadBank().slice(0, 5)) await app.engine.ask(q.question); // warm-up
    const dev = await evaluateBank(app, "dev");
    const test = await evaluateBank(app, "test");
    const train = await evaluateBank(app, "train");
    const approved = await evaluateApproved(app);
    const offTopic = await evaluateOffTopic(app);
    const otherCorpus = await evaluateWithoutPrecedents(app);
    const realCorpora: Awaited<ReturnType<typeof evaluateRealCorpus>>[] = [];
    for (const corpus of REAL_CORPORA) realCorpora.push(await evaluateRealCorpus(corpus));
    const otherHandbook = await evaluateOtherHandbook();
    const followUps = await evaluateFollowUps(app);
    const blindFollowUps = await evaluateFollowUps(app, loadBlindFollowUps(), (item) => [
      item.split,
      `${item.split} ${item.kind}`,
    ]);
    const choices = await evaluateCompositionChoices(app);
    if (json) {
      console.log(
        JSON.stringify(
          {
            dev,
            test,
            train,
            approved,
            offTopic,
            otherCorpus,
            realCorpora,
            otherHandbook,
            followUps,
            blindFollowUps,
            choices,
          },
          null,
          2,
        ),
      );
      return;
    }
    console.log(
      `Question bank: ${loadBank().length} questions written from the materials by writers who had not read src/; split once by a fixed seed (train 60 % / dev 20 % / test 20 %, per style).`,
    );
    printSplit(dev);
    printSplit(test);
    printSplit(train);
    if (Object.keys(followUps).length) {
      console.log(
        "\n== Follow-ups: conversations from the blind user tests (tests/eval/followups.json; round 1 is the tune split, round 2, run after the first fixes, the test split), the last answer judged",
      );
      console.log(
        "  split   n    key in text   before See also   in 1st sentence   wrongly declined   to decline: declined   opens as the previous answer",
      );
      for (const [split, r] of Object.entries(followUps)) {
        const of = (x: number, n: number) => (n ? f(x / n) : "  –  ");
        console.log(
          `  ${split.padEnd(6)} ${String(r.n).padStart(3)}   ${of(r.keyInText, r.answerable)}         ${of(r.keyInBody, r.answerable)}             ${of(r.keyInFirst, r.answerable)}             ${of(r.wronglyDeclined, r.answerable)}              ${String(r.declined).padStart(2)} of ${String(r.unanswerable).padEnd(2)}               ${of(r.repeats, r.n)}`,
        );
      }
    }
    if (Object.keys(blindFollowUps).length) {
      const items = loadBlindFollowUps();
      console.log(
        `\n== Follow-ups written blind (tests/eval/followups-blind.json: ${items.length} conversations by ${new Set(items.map((x) => x.writer)).size} writers who had not read src/, split once by the fixed seed per kind; the last answer judged)`,
      );
      console.log(
        "  split / kind                  n    key in text   before See also   in 1st sentence   wrongly declined   to decline: declined   opens as the previous answer",
      );
      const order = ["train", "dev", "test"];
      for (const [key, r] of Object.entries(blindFollowUps).sort(
        ([a], [b]) =>
          order.indexOf(a.split(" ")[0] ?? "") - order.indexOf(b.split(" ")[0] ?? "") ||
          Number(a.includes(" ")) - Number(b.includes(" ")) ||
          a.localeCompare(b),
      )) {
        const of = (x: number, n: number) => (n ? f(x / n) : "  –  ");
        console.log(
          `  ${key.padEnd(26)} ${String(r.n).padStart(4)}   ${of(r.keyInText, r.answerable)}         ${of(r.keyInBody, r.answerable)}             ${of(r.keyInFirst, r.answerable)}             ${of(r.wronglyDeclined, r.answerable)}              ${of(r.declined, r.unanswerable)} (${r.declined} of ${r.unanswerable})     ${of(r.repeats, r.n)}`,
        );
      }
    }
    console.log(
      "\n== Composition choices made by comparison (the bank: train and dev, test not used; the follow-ups: chosen on tune, test reported)\n  which questions a list answers item first (ITEM_FIRST): key in text | in 1st sentence | counting a list's lead-in alone",
    );
    for (const r of choices.itemFirst) {
      console.log(
        `  ${r.choice.padEnd(40)} ${r.split.padEnd(6)} ${f(r.keyInText)} | ${f(r.keyInFirst)} | ${f(r.keyInFirstStrict)}`,
      );
    }
    console.log(
      "  a follow-up the merged search would decline (followUpInContext), on the follow-ups: key in text | before See also | wrongly declined",
    );
    for (const r of choices.inContext) {
      const a = r.figures.answerable || 1;
      console.log(
        `  ${r.choice.padEnd(40)} ${r.split.padEnd(6)} ${f(r.figures.keyInText / a)} | ${f(r.figures.keyInBody / a)} | ${f(r.figures.wronglyDeclined / a)}`,
      );
    }
    console.log(
      "  how a message after a turn is read as a follow-up (FOLLOW_UP_READING: goOnFresh, topic words a go-on message may add; subtopicWords, own topic words of a leaning message), on the blind follow-ups (chosen on train+dev, test reported) and the user tests': key in text | wrongly declined | to decline: declined",
    );
    for (const r of choices.followUpReading) {
      const a = r.figures.answerable || 1;
      console.log(
        `  ${r.choice.padEnd(40)} ${r.split.padEnd(16)} ${f(r.figures.keyInText / a)} | ${f(r.figures.wronglyDeclined / a)} | ${f(r.figures.declined / (r.figures.unanswerable || 1))}`,
      );
    }
    console.log("\n== Approved answers (30 entries; probes: reworded, near-miss, unrelated)");
    for (const [split, r] of Object.entries(approved.bySplit)) {
      console.log(
        `  ${split.padEnd(6)} ${String(r.probes).padStart(4)} probes: precision ${f(r.precision)}, recall ${f(r.recall)}`,
      );
    }
    if (approved.wrongDev.length) console.log(`  wrong on dev: ${approved.wrongDev.join("; ")}`);
    console.log(
      "  The closest entry a hand-off suggests to the coordinators (from the fitted suggestFrom), and matching after they attached one handed-off wording to each entry (the split's first reworded probe of it; the other probes judged):",
    );
    for (const [split, s] of Object.entries(approved.suggestBySplit)) {
      const w = approved.oneWordingBySplit[split] as ApprovedFigures;
      const b = approved.oneWordingBeforeBySplit[split] as ApprovedFigures;
      console.log(
        `  ${split.padEnd(6)} suggestion right ${f(s.precision)}, reworded questions suggested their entry ${f(s.recall)} | the other ${w.probes} probes with one wording each: precision ${f(w.precision)}, recall ${f(w.recall)} (without: ${f(b.precision)}, ${f(b.recall)})`,
      );
    }
    console.log(
      "  Below the match, the asker is offered the closest entry by its question (from the fitted offerFrom; a button, not an answer, so not counted above):",
    );
    for (const [split, o] of Object.entries(approved.offerBySplit)) {
      console.log(
        `  ${split.padEnd(6)} ${String(o.offered).padStart(3)} offers, ${f(o.precision)} of them the entry asked for | reworded questions that get their entry matched or offered ${f(o.recall)} (matched alone: ${f((approved.bySplit[split] as ApprovedFigures).recall)}); wrong offers by probe: ${Object.entries(
          o.wrongByKind,
        )
          .map(([k, n]) => `${k} ${n}`)
          .join(", ")}`,
      );
    }
    console.log(
      `  ordinary questions (the bank's dev split, written on the materials, not on these entries) offered an entry: ${f(approved.ordinaryOffered)}`,
    );
    if (otherCorpus) {
      console.log(
        "\n== Another corpus, simulated: no precedent known (the sample's questions, answered as if none of their units were in the index)",
      );
      console.log(
        "  split   models                                   key in text   in 1st sentence   wrongly declined   unanswerable declined",
      );
      for (const [split, r] of Object.entries(otherCorpus)) {
        for (const [name, x] of [
          ["fitted, precedents taken away", r.committed],
          ["fitted without precedents (used)", r.fallback],
        ] as const) {
          console.log(
            `  ${split.padEnd(6)}  ${name.padEnd(40)} ${f(x.keyInText)}         ${f(x.keyInFirst)}             ${f(x.wronglyDeclined)}              ${f(x.unanswerableDeclined)}`,
          );
        }
      }
    }
    for (const [i, corpus] of REAL_CORPORA.entries()) printRealCorpus(corpus, realCorpora[i]);
    printOtherHandbook(otherHandbook);
    console.log(
      "\n== Messages on other subjects (SIB-200 test split: real Latvian sentences on travel, sports, science …)",
    );
    if (offTopic) {
      console.log(
        `  answered: ${f(offTopic.fitted)} of ${offTopic.n} with the fitted on-topic model | ${f(offTopic.coverageRule)} with the coverage rule it replaced (coverage < ${MIN_TOPIC_COVERAGE}) | ${f(offTopic.none)} with no guard (the answerable model alone)`,
      );
    } else {
      console.log(`  not measured: SIB-200 is not in ${SIB200_DIR} (set SIB200_DIR)`);
    }
    if (offTopic?.questions.length) {
      console.log(
        "\n== Questions on other subjects (tests/eval/offtopic.json, written blind; far: everyday life, adjacent: work and money outside the materials; train is in sample: the on-topic model learnt from it)",
      );
      console.log(`  the sample corpus: ${subjectLine(app.live.current().retriever)}`);
      console.log(
        "  split / kind      n     answered: fitted on-topic model | coverage rule | no guard",
      );
      for (const q of offTopic.questions) {
        console.log(
          `  ${q.group.padEnd(16)}  ${String(q.n).padEnd(4)}  ${f(q.fitted)} | ${f(q.coverageRule)} | ${f(q.none)}`,
        );
      }
      const inConversation = {
        dev: await offTopicDeclinedInConversation(app, "dev"),
        test: await offTopicDeclinedInConversation(app, "test"),
      };
      console.log(
        `  asked right after a question on the subject (a chat), declined: dev ${f(inConversation.dev)}, test ${f(inConversation.test)}`,
      );
    }
    printTargets(
      test,
      dev,
      approved.bySplit.test as { precision: number; recall: number },
      approved.bySplit.dev as { precision: number; recall: number },
    );
    printSweeps();
    console.log(
      `\n== Misses on dev (test misses are not listed: the test split is not for tuning)`,
    );
    console.log(`  ${dev.misses.join("\n  ")}`);
  } finally {
    await close();
  }
  if (!json) {
    console.log(
      "\n== Earlier sets (gold.json and holdout.json: expected sources, no answer keys), as more data\n",
    );
    const { evalAnswers } = await import("./eval-legacy.js");
    await evalAnswers({});
  }
}

/** Where the dev figures the regression test holds the engine to are kept. */
export const EXPECTED_DEV = join(root, "tests/eval/expected-dev.json");
/** How far a dev figure may fall below the recorded one before the regression test fails. */
export const DEV_TOLERANCE = 0.03;

/** The dev figures the regression test compares (higher is better for each). */
export async function expectedDevFigures(app: App): Promise<Record<string, number>> {
  const dev = (await evaluateBank(app, "dev")).padoms.overall as Figures;
  const approved = (await evaluateApproved(app)).bySplit.dev as {
    precision: number;
    recall: number;
  };
  return {
    keyInText: dev.keyInText,
    keyInFirst: dev.keyInFirst,
    answeredWhenAnswerable: 1 - dev.wronglyDeclined,
    unanswerableDeclined: dev.unanswerableDeclined,
    rightCitation: dev.rightCitation,
    rightLecture: dev.rightLecture ?? 0,
    rightMoment: dev.rightMoment ?? 0,
    approvedPrecision: approved.precision,
    approvedRecall: approved.recall,
    offTopicDeclined: await offTopicDeclined(app, "dev"),
    offTopicDeclinedInConversation: await offTopicDeclinedInConversation(app, "dev"),
    // The blind follow-ups' train and dev splits together: dev alone is 46 conversations, where
    // one answer is more than the tolerance.
    ...(await blindFollowUpFigures(app)),
  };
}

/** Key in text and declines of the blind follow-ups' train and dev splits (none: empty). */
async function blindFollowUpFigures(app: App): Promise<Record<string, number>> {
  const items = loadBlindFollowUps().filter((x) => x.split !== "test");
  if (!items.length) return {};
  const r = (await evaluateFollowUps(app, items, () => ["all"])).all as FollowUpFigures;
  return {
    blindFollowUpsKeyInText: r.keyInText / (r.answerable || 1),
    blindFollowUpsDeclined: r.declined / (r.unanswerable || 1),
  };
}

/** The share of one split's blind off-topic questions (`tests/eval/offtopic.json`) declined. */
export async function offTopicDeclined(app: App, split: Split): Promise<number> {
  const questions = loadOffTopicQuestions().filter((q) => q.split === split);
  let declined = 0;
  for (const q of questions) if (!(await app.engine.ask(q.question)).answered) declined++;
  return questions.length ? declined / questions.length : 1;
}

/**
 * The share of one split's off-topic questions declined when asked right after a question on
 * the subject (the split's answerable bank questions, paired in order): in a chat, a message on
 * another subject usually comes after other messages.
 */
export async function offTopicDeclinedInConversation(app: App, split: Split): Promise<number> {
  const questions = loadOffTopicQuestions().filter((q) => q.split === split);
  const before = loadBank().filter(
    (q) => q.split === split && q.style !== "unanswerable" && q.style !== "lecture",
  );
  if (!questions.length || !before.length) return 1;
  let declined = 0;
  for (const [i, q] of questions.entries()) {
    const conversationId = `off-topic-${q.id}`;
    await app.engine.ask((before[i % before.length] as BankQuestion).question, { conversationId });
    if (!(await app.engine.ask(q.question, { conversationId })).answered) declined++;
    app.engine.forget(conversationId);
  }
  return declined / questions.length;
}

/** Questions of the bank in one split (for tests). */
export function bankSplit(split: Split): BankQuestion[] {
  return loadBank().filter((q) => q.split === split);
}

if (process.argv[1] && /scripts\/eval\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`eval failed: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
