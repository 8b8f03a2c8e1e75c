/**
 * The ports of the answer engine: what it searches and the approved answers it tries first.
 * Adapters (the live index, the app state's approved answers) implement them.
 */
import type { PreparedQuery, Retriever } from "../retrieval/search.js";
import type { LectureMeta } from "../types.js";

/** An approved (coordinator-written) answer that matched a question. */
export interface ApprovedMatch {
  id: string;
  question: string;
  answer: string;
  approvedAt: string;
  /** Similarity of the asked question to the approved one, in [0, 1]. */
  score: number;
}

/** The port of approved answers, searched before the materials. */
export interface ApprovedAnswers {
  match(question: string, prepared: PreparedQuery): Promise<ApprovedMatch | undefined>;
}

/** What the engine searches: the live index (it may be swapped between questions). */
export interface SearchSource {
  retriever: Retriever;
  lectures: LectureMeta[];
}
