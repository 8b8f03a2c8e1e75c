/**
 * The report's shapes that the server and the Mini App page share (type-only, no imports, so
 * the page's bundle can use them).
 */

/** How a question ended, for the report. */
export type Outcome = "answered" | "declined" | "handedOff";

/** Questions of one day by how they ended. */
export type OutcomeCounts = Record<Outcome, number>;

/** The totals of a period. */
export interface ReportTotals {
  questions: number;
  answered: number;
  declined: number;
  handedOff: number;
  /** Answered from approved answers (included in `answered`). */
  fromFaq: number;
  up: number;
  down: number;
}

/** A label with how often it occurred. */
export interface Ranked {
  label: string;
  count: number;
}
