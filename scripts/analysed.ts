/**
 * The bank's questions analysed as the engine would (search, units, features), for the scripts
 * that fit and measure the models (`fit.ts`, `heldout.ts`).
 */
import {
  type AnswerModels,
  analyzeQuestion,
  type QuestionAnalysis,
  SEARCH_DEPTH,
} from "../src/answer/create-engine.js";
import type { SentenceSimilarity } from "../src/answer/features.js";
import { DEFAULT_FOCUS, type FocusSettings, understand } from "../src/answer/intent.js";
import type { Retriever } from "../src/retrieval/search.js";
import { type BankQuestion, unitHoldsKeys } from "./quality.js";

/** A question of the bank and its analysis. */
export interface Analysed {
  q: BankQuestion;
  analysis: QuestionAnalysis;
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
    const whole = intent.context ? `${intent.context} ${intent.focus}` : intent.focus;
    const analysis = await analyzeQuestion(
      retriever,
      intent,
      models,
      { focus: intent.focus, whole },
      SEARCH_DEPTH,
      similarity,
    );
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
