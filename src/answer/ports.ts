/**
 * The ports of the answer engine: what it searches, the approved answers it tries first, and
 * where those are kept. Adapters (the live index, the app state) implement them.
 */
import type { PreparedQuery, Retriever } from "../retrieval/search.js";
import type { ApprovedAnswerInput, ApprovedAnswerRow, LectureMeta } from "../types.js";

/** Most other wordings an approved answer keeps (the service and the files both hold to it). */
export const MAX_WORDINGS = 50;

/** An approved (coordinator-written) answer that matched a question. */
export interface ApprovedMatch {
  id: string;
  question: string;
  answer: string;
  approvedAt: string;
  /** Similarity of the asked question to the approved one, in [0, 1]. */
  score: number;
}

/**
 * An approved answer close to a question, but not close enough to be given as its answer: the
 * asker is offered it by its question ("a coordinator answered a similar question") and judges.
 */
export interface ApprovedOffer {
  id: string;
  question: string;
  /** Similarity of the asked question to the approved one, in [0, 1]. */
  score: number;
}

/** The port of approved answers, searched before the materials. */
export interface ApprovedAnswers {
  match(question: string, prepared: PreparedQuery): Promise<ApprovedMatch | undefined>;
  /** The entry to offer a question {@link match} did not answer, if one is close enough. */
  offer?(question: string, prepared: PreparedQuery): Promise<ApprovedOffer | undefined>;
}

/** What the engine searches: the live index (it may be swapped between questions). */
export interface SearchSource {
  retriever: Retriever;
  lectures: LectureMeta[];
}

/**
 * Where approved answers are kept, with their search data: the part of the app state
 * (`AppState` in `store/app-state.ts`) that the approved-answers service uses.
 */
export interface ApprovedAnswerStore {
  /** Approved answers, oldest first. */
  listApproved(): Promise<ApprovedAnswerRow[]>;
  getApproved(id: number): Promise<ApprovedAnswerRow | undefined>;
  /** Inserts (or, with an existing `id`, replaces) an approved answer; returns its id. */
  saveApproved(input: ApprovedAnswerInput): Promise<number>;
  /**
   * Changes the answer and/or question (a re-approval: the approval date becomes now); the search
   * data is cleared when the question changes.
   */
  updateApproved(id: number, fields: { question?: string; answer?: string }): Promise<boolean>;
  /** Replaces the other wordings of an entry's question (the approval date stays). */
  setApprovedWordings(id: number, wordings: readonly string[]): Promise<boolean>;
  deleteApproved(id: number): Promise<boolean>;
  /** Stores the analysed tokens and vector of an approved answer's question. */
  setApprovedIndex(
    id: number,
    tokens: string[],
    vector: Float32Array,
    embedderId: string,
  ): Promise<void>;
  /** A number that changes whenever approved answers change (in any process or replica). */
  approvedRevision(): Promise<number>;
}
