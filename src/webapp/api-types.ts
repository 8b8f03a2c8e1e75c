/**
 * The JSON the Mini App's API returns: shared by the server (`src/webapp/`) and the page
 * (`src/webapp/client/`). Types only. No user ids or pseudonyms ever appear here.
 */
import type { OutcomeCounts, Ranked, ReportTotals } from "../report/report-types.js";

/** Languages of the Mini App. */
export type WebLang = "lv" | "en";

/** `GET api/me`: who opened the Mini App and what they may see. */
export interface MeResponse {
  firstName: string;
  lang: WebLang;
  /** True for admins (`ADMIN_USER_IDS`) and members of the coordinators' chat. */
  coordinator: boolean;
}

/** A key moment of a lecture. */
export interface WebMoment {
  startSec: number;
  title: string;
  /** The video at that moment, when the lecture has a video address. */
  url?: string;
}

/** A lecture of the catalogue (`GET api/lectures`). */
export interface WebLecture {
  id: string;
  title: string;
  lecturer?: string;
  durationSec?: number;
  summary?: string;
  topics: string[];
  level?: string;
  url?: string;
  moments: WebMoment[];
}

/** A transcript passage: a search hit, or the passage at a moment. */
export interface WebPassage {
  lectureId: string;
  lectureTitle: string;
  startSec: number;
  endSec?: number;
  text: string;
  /** The video at `startSec`, when the lecture has a video address. */
  url?: string;
}

/** A chapter of a handbook or document (`GET api/handbook`). */
export interface WebChapter {
  title: string;
  /** Top-level section title. */
  section: string;
  page?: number;
  /** Sub-sections, in order. */
  children: { section: string; page?: number }[];
}

/** A document with its chapters. */
export interface WebDocument {
  title: string;
  path: string;
  chapters: WebChapter[];
}

/** A handbook search hit: the cited page and section with the passage. */
export interface WebHandbookHit {
  title: string;
  section?: string;
  page?: number;
  pageEnd?: number;
  text: string;
}

/** A passage Padoms found for a question (a citation of its answer). */
export interface WebCitation {
  n: number;
  kind: string;
  title: string;
  section?: string;
  page?: number;
  startSec?: number;
  text: string;
}

/** Why a question is on the desk. */
export type OpenReason = "handedOff" | "declined" | "disliked";

/** An open question of the desk (`GET api/desk/open`). */
export interface OpenItem {
  interactionId: number;
  createdAt: string;
  question: string;
  language: WebLang;
  reasons: OpenReason[];
  /** The answer Padoms gave (plain text with `[n]` markers), empty when it declined. */
  answer: string;
  citations: WebCitation[];
  /** True when a reply can be delivered (the question was handed off). */
  canReply: boolean;
  /** Replies that failed to reach the asker. */
  undelivered: number;
  /**
   * The closest approved answer, when one is close enough to suggest: replying with its text
   * (`fromApproved`) attaches the question to it as another wording.
   */
  suggestion?: { id: number; question: string; answer: string };
}

/** Result of `POST api/desk/open/:id/reply`. */
export interface ReplyResponse {
  delivered: boolean;
  /** Why delivery failed, in words. */
  error?: string;
  /** The approved answer made from the reply, when asked for. */
  approvedId?: number;
  /** The approved answer the question was attached to as another wording (`fromApproved`). */
  wordingOf?: number;
}

/** An approved answer with how it fared (`GET api/desk/approved`). */
export interface WebApproved {
  id: number;
  question: string;
  answer: string;
  approvedAt: string;
  approvedBy?: string;
  /** Other wordings of the question that coordinators attached. */
  wordings?: string[];
  /** Answers given with its current text within the retention period. */
  uses: number;
  up: number;
  down: number;
}

/** `POST api/desk/preview`: the answer as Telegram shows it (Telegram HTML). */
export interface PreviewResponse {
  html: string;
}

/** `GET api/desk/report`: the usage report of a period. */
export interface WebReport {
  from: string;
  to: string;
  days: ({ date: string } & OutcomeCounts)[];
  totals: ReportTotals;
  topics: Ranked[];
  open: { createdAt: string; question: string; handedOff: boolean }[];
}

/** An API error body. */
export interface ApiError {
  error: string;
  message: string;
}
