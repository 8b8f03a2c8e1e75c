/**
 * The bank's questions analysed as the engine would (search, units, features), for the scripts
 * that fit and measure the models (`fit.ts`, `heldout.ts`).
 */
import { composeAnswer, MAX_SEE_ALSO } from "../src/answer/compose.js";
import {
  type AnswerModels,
  analyzeQuestion,
  chooseUnits,
  precedentOf,
  type QuestionAnalysis,
  searchDepthOf,
  windowsOf,
  withPrecedents,
} from "../src/answer/create-engine.js";
import { type SentenceSimilarity, UNIT_FEATURES } from "../src/answer/features.js";
import {
  DEFAULT_FOCUS,
  type FocusSettings,
  type QuestionIntent,
  understand,
} from "../src/answer/intent.js";
import { fitRanker, predict, type ScoringModel } from "../src/answer/model.js";
import type { Precedent } from "../src/answer/precedents.js";
import type { Retriever } from "../src/retrieval/search.js";
import { type BankQuestion, CV_FOLDS, foldOf, unitHoldsKeys } from "./quality.js";

/** A question of the bank and its analysis. */
export interface Analysed {
  q: BankQuestion;
  analysis: QuestionAnalysis;
}

/**
 * The answer the engine composes for an analysed question with these models' windows and "See
 * also" settings (`answer` undefined when no unit can lead), with what it chose.
 */
export function composedOf(
  analysis: QuestionAnalysis,
  models: AnswerModels,
  retriever: Retriever,
): {
  chosen: ReturnType<typeof chooseUnits>;
  answer?: string;
  windows: { lead: number; seeAlso: number };
  count: number;
} {
  const windows = windowsOf(models, analysis.intent.expects);
  const count = models.seeAlsoCount ?? MAX_SEE_ALSO;
  const chosen = chooseUnits(analysis, models.seeAlsoMin, windows, count, retriever);
  if (!chosen.lead) return { chosen, windows, count };
  const { answer } = composeAnswer({
    intent: analysis.intent,
    lead: chosen.lead,
    seeAlso: chosen.seeAlso,
    abbreviations: retriever.abbreviations(),
    window: windows.lead,
    seeAlsoWindow: windows.seeAlso,
    seeAlsoCount: count,
  });
  return { chosen, answer, windows, count };
}

/** Analyses one understood message as the engine does a first question (focus, whole message). */
export function analyseAsAsked(
  similarity: SentenceSimilarity,
  retriever: Retriever,
  intent: QuestionIntent,
  models: AnswerModels,
): Promise<QuestionAnalysis> {
  const whole = intent.context ? `${intent.context} ${intent.focus}` : intent.focus;
  return analyzeQuestion(
    retriever,
    intent,
    models,
    { focus: intent.focus, whole },
    searchDepthOf(models, { focus: intent.focus, whole }),
    similarity,
  );
}

/**
 * Analyses each question (lecture requests aside: the lecture finder answers those). With
 * `reuse`, a question whose focus and context a setting leaves as they were keeps its analysis.
 */
export async function analyseWith(
  similarity: SentenceSimilarity,
  retriever: Retriever,
  questions: readonly BankQuestion[],
  models: AnswerModels,
  focus: FocusSettings = DEFAULT_FOCUS,
  reuse?: Map<string, Analysed>,
): Promise<Analysed[]> {
  const out: Analysed[] = [];
  for (const q of questions) {
    const intent = understand(q.question, undefined, focus);
    // A setting that leaves the focus as it was leaves the analysis as it was.
    const key = `${q.id}\u0000${intent.focus}\u0000${intent.context}`;
    const known = reuse?.get(key);
    if (known) {
      out.push(known);
      continue;
    }
    if (intent.expects === "lecture") continue; // the lecture finder answers these
    const analysis = await analyseAsAsked(similarity, retriever, intent, models);
    out.push({ q, analysis });
    reuse?.set(key, { q, analysis });
  }
  return out;
}

/** The ranker's training groups: each answerable question's candidates, labelled by the keys. */
export function unitGroupsOf(items: readonly Analysed[]) {
  return items
    .filter((x) => x.q.style !== "unanswerable")
    .map(({ q, analysis }) => ({
      rows: analysis.candidates.map((c) => c.features),
      labels: analysis.candidates.map((c) => (unitHoldsKeys(c.unit, q.keys) ? 1 : 0) as 0 | 1),
    }));
}

/**
 * The answerable questions scored held out: each train question by a linear ranker at `l2`
 * fitted on the other folds (by `fold`), each dev question by one fitted on all of train. The
 * analyses should already carry their out-of-fold precedents (`withFoldPrecedents`).
 */
export function heldOutScored(
  trainA: readonly Analysed[],
  devA: readonly Analysed[],
  fold: (q: BankQuestion) => number,
  l2: number,
): { x: Analysed; dev: boolean; unit: ScoringModel; analysis: QuestionAnalysis }[] {
  const byFold = Array.from({ length: CV_FOLDS }, (_, f) =>
    fitRanker(UNIT_FEATURES, unitGroupsOf(trainA.filter((x) => fold(x.q) !== f)), { l2 }),
  );
  const full = fitRanker(UNIT_FEATURES, unitGroupsOf(trainA), { l2 });
  const items = [
    ...trainA.map((x) => ({ x, dev: false, unit: byFold[fold(x.q)] as ScoringModel })),
    ...devA.map((x) => ({ x, dev: true, unit: full })),
  ];
  return items
    .filter(({ x }) => x.q.style !== "unanswerable")
    .map((item) => ({
      ...item,
      analysis: {
        ...item.x.analysis,
        scores: item.x.analysis.candidates.map((c) => predict(item.unit, c.features)),
      },
    }));
}

/** The precedents analysed questions leave: the units that held their keys, if answerable. */
export function precedentLogOf(items: readonly Analysed[]): Precedent[] {
  return items.map(({ q, analysis }) =>
    precedentOf(analysis, q.style !== "unanswerable", (u) => unitHoldsKeys(u, q.keys)),
  );
}

/**
 * The analyses with precedents out of fold: each train question sees those of the other train
 * folds (never its own), each dev question those of all train questions. Folds are by id unless
 * `fold` says otherwise (`writerFoldsOf`).
 */
export function withFoldPrecedents(
  trainA: readonly Analysed[],
  devA: readonly Analysed[],
  fold: (q: BankQuestion) => number = (q) => foldOf(q.id),
  /** With these, the precedents' passages join the candidates too (`precedentPassages`). */
  passages?: Parameters<typeof withPrecedents>[2],
): { trainA: Analysed[]; devA: Analysed[] } {
  const byFold = Array.from({ length: CV_FOLDS }, (_, f) =>
    precedentLogOf(trainA.filter((x) => fold(x.q) !== f)),
  );
  const all = precedentLogOf(trainA);
  return {
    trainA: trainA.map((x) => ({
      ...x,
      analysis: withPrecedents(x.analysis, byFold[fold(x.q)], passages),
    })),
    devA: devA.map((x) => ({ ...x, analysis: withPrecedents(x.analysis, all, passages) })),
  };
}
