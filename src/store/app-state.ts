/**
 * The app-state port: everything the bot keeps between updates and that replicas must share —
 * interactions and feedback, pending questions, hand-offs and coordinators' replies, approved
 * answers, follow-up memory, rate-limit counters — behind one asynchronous interface. Two
 * adapters implement it: SQLite (`openAppDb`, the default, one process) and PostgreSQL
 * (`openPostgresState`, selected by `DATABASE_URL`, any number of replicas).
 */
import type { ApprovedAnswerStore } from "../answer/ports.js";
import type { AnswerMode, ApprovedAnswerInput, ApprovedAnswerRow, Citation } from "../types.js";

export type { ApprovedAnswerInput, ApprovedAnswerRow } from "../types.js";

/** Where an interaction happened. */
export type InteractionChannel = "private" | "group" | "supergroup" | "inline" | "cli";

/** A lecture suggested beside an answer. */
export interface RelatedLecture {
  id: string;
  title: string;
  startSec?: number;
  url?: string;
}

/** What an interaction keeps as the front end gave it. */
interface InteractionFields {
  question: string;
  /** The answer text as the engine returned it (plain text with `[n]` markers). */
  answer: string;
  language: "lv" | "en";
  mode: AnswerMode;
  answered: boolean;
  declineReason?: string;
  citations: Citation[];
  latencyMs?: number;
  channel: InteractionChannel;
  /**
   * Telegram chat id. Stored only for group chats: a private chat's id equals the user's id, so
   * it is dropped for `private` (the pseudonym identifies the conversation instead).
   */
  chatId?: number;
}

/** What a front end records after answering. */
export interface InteractionInput extends InteractionFields {
  relatedLectures?: RelatedLecture[];
  /** Raw Telegram user id; only its pseudonym is stored. */
  userId?: number;
}

/** A stored interaction. */
export interface Interaction extends InteractionFields {
  id: number;
  /** ISO timestamp (UTC). */
  createdAt: string;
  relatedLectures: RelatedLecture[];
  userHash?: string;
  /** Where the question is in its life: see {@link InteractionStatus}. */
  status: InteractionStatus;
  /** Telegram id of the user's question message, when known. */
  messageId?: number;
}

/**
 * `pending`: received, not yet answered; `answered` / `declined`: the reply was sent; `failed`:
 * the engine failed and the user got an apology; `restarted`: the bot restarted before
 * answering and asked the user to ask again.
 */
export type InteractionStatus = "pending" | "answered" | "declined" | "failed" | "restarted";

/** A question as it arrives, before the engine answers it ({@link AppState.recordQuestion}). */
export interface QuestionInput {
  question: string;
  language: "lv" | "en";
  channel: InteractionChannel;
  /** Chat to reply in. Kept while the question is pending (to apologise after a restart). */
  chatId?: number;
  /** Raw Telegram user id; only its pseudonym is stored. */
  userId?: number;
  /** The user's message id, to quote when replying later. */
  messageId?: number;
}

/** The engine's answer to a recorded question ({@link AppState.recordAnswer}). */
export type AnswerRecord = Omit<InteractionInput, "question" | "channel" | "chatId" | "userId">;

/** A question still pending, with the address to reply to. */
export interface PendingQuestion {
  id: number;
  createdAt: string;
  question: string;
  language: "lv" | "en";
  chatId?: number;
  messageId?: number;
}

/** Why a question went to the coordinators. */
export type HandoffReason = "declined" | "requested";

/** `open`: no reply yet; `answered`: a reply reached the user; `undelivered`: replies failed. */
export type HandoffStatus = "open" | "answered" | "undelivered";

/** A question handed off to the coordinators' chat. */
export interface Handoff {
  id: number;
  interactionId: number;
  createdAt: string;
  reason: HandoffReason;
  status: HandoffStatus;
  /** Chat the coordinators' replies are delivered to. */
  chatId: number;
  /** The user's question message, quoted by the delivered replies. */
  replyToMessageId?: number;
  language: "lv" | "en";
  userHash?: string;
  coordinatorChatId: number;
  /** The hand-off message in the coordinators' chat; a reply to it answers the user. */
  coordinatorMessageId?: number;
}

/** What {@link AppState.createHandoff} needs. */
export interface HandoffInput {
  interactionId: number;
  reason: HandoffReason;
  chatId: number;
  replyToMessageId?: number;
  language: "lv" | "en";
  /** Raw Telegram user id of the asker; only its pseudonym is stored. */
  userId?: number;
  coordinatorChatId: number;
}

/** A coordinator's reply to a hand-off. */
export interface HandoffReply {
  id: number;
  handoffId: number;
  createdAt: string;
  /** Telegram id and first name of the coordinator who answered. */
  coordinatorId: number;
  coordinatorName: string;
  text: string;
  /** Set when the reply reached the user. */
  deliveredAt?: string;
  /** Why delivery failed (e.g. "403: Forbidden: bot was blocked by the user"). */
  error?: string;
  /** The bot's confirmation in the coordinators' chat (carries "Save as FAQ"). */
  confirmationMessageId?: number;
}

/** What people see of an approved answer (files, the Mini App): no search data, no dates of edits. */
export type ApprovedAnswerView = Pick<
  ApprovedAnswerRow,
  "id" | "question" | "answer" | "approvedAt" | "approvedBy"
> & { wordings?: string[] };

/** The {@link ApprovedAnswerView} of a row (`approvedBy` and `wordings` only when set). */
export function approvedViewOf(row: ApprovedAnswerRow): ApprovedAnswerView {
  return {
    id: row.id,
    question: row.question,
    answer: row.answer,
    approvedAt: row.approvedAt,
    ...(row.approvedBy ? { approvedBy: row.approvedBy } : {}),
    ...(row.wordings.length ? { wordings: row.wordings } : {}),
  };
}

/** One interaction as the usage report reads it. */
export interface ReportRow {
  id: number;
  createdAt: string;
  question: string;
  language: "lv" | "en";
  answered: boolean;
  status: InteractionStatus;
  mode: AnswerMode;
  citations: Citation[];
  handoff?: { reason: HandoffReason; status: HandoffStatus; replies: number; delivered: number };
  up: number;
  down: number;
}

/** What {@link AppState.forgetUser} deleted. */
export interface ForgetResult {
  interactions: number;
  feedback: number;
  handoffs: number;
}

/** Outcome of {@link AppState.recordFeedback}. */
export type FeedbackResult = "recorded" | "duplicate" | "unknown-interaction";

/** One remembered turn of a conversation, as stored (its content is the caller's JSON). */
export interface StoredTurn {
  /** When it was remembered, ms since the epoch. */
  at: number;
  /** The turn, serialised by the caller. */
  data: string;
}

/** Which adapter holds the state. */
export type AppStateBackend = "sqlite" | "postgres";

/** A lock held by this process until released (see {@link AppState.acquireLeadership}). */
export interface Leadership {
  release(): Promise<void>;
}

/** The schema of the state's database: what is applied and what is waiting. */
export interface SchemaStatus {
  backend: AppStateBackend;
  /** Version applied (the newest migration's number). */
  current: number;
  /** Newest version this Padoms knows. */
  latest: number;
  /** Names of migrations not applied yet. */
  pending: string[];
}

/**
 * The application state port. Every method is asynchronous: the SQLite adapter answers at once,
 * the PostgreSQL one over the network.
 */
export interface AppState extends ApprovedAnswerStore {
  readonly backend: AppStateBackend;
  /** Schema version after migrations. */
  readonly schemaVersion: number;
  /** Resolves when the database answers (for `/healthz`); rejects otherwise. */
  ping(): Promise<void>;

  /** Stores an interaction and returns its integer id (fits in 64-byte callback data). */
  recordInteraction(input: InteractionInput): Promise<number>;
  getInteraction(id: number): Promise<Interaction | undefined>;
  /**
   * Stores +1/-1 once per interaction and user (a unique key, so also across replicas); a second
   * vote returns `"duplicate"`.
   */
  recordFeedback(input: {
    interactionId: number;
    userId: number;
    value: 1 | -1;
  }): Promise<FeedbackResult>;
  feedbackCounts(interactionId: number): Promise<{ up: number; down: number }>;
  /** The keyed HMAC pseudonym stored in place of a user id (synchronous: the key is in memory). */
  pseudonymise(userId: number): string;

  /** Stores a question as soon as it arrives, with status `pending`; returns its id. */
  recordQuestion(input: QuestionInput): Promise<number>;
  /** Stores the engine's answer to a recorded question (the status stays `pending`). */
  recordAnswer(id: number, answer: AnswerRecord): Promise<void>;
  /**
   * Marks the reply as sent: `answered` or `declined` from the stored answer (`failed` when
   * `failed` is true), and forgets the reply address of private chats.
   */
  markReplied(id: number, failed?: boolean): Promise<void>;
  /** Questions still pending that arrived before `createdBefore`, oldest first. */
  pendingQuestions(createdBefore: Date): Promise<PendingQuestion[]>;
  /**
   * Marks a pending question `restarted` (the user was asked to ask again). False when it was no
   * longer pending (answered meanwhile, or claimed by another replica).
   */
  markRestarted(id: number): Promise<boolean>;

  /** Creates the hand-off of an interaction; `undefined` when it already has one. */
  createHandoff(input: HandoffInput): Promise<Handoff | undefined>;
  getHandoff(id: number): Promise<Handoff | undefined>;
  handoffOfInteraction(interactionId: number): Promise<Handoff | undefined>;
  /** Records the hand-off's message in the coordinators' chat. */
  setHandoffMessage(id: number, messageId: number): Promise<void>;
  /** Removes a hand-off that could not be posted (so that it can be tried again). */
  deleteHandoff(id: number): Promise<void>;
  /**
   * The hand-off a message of the coordinators' chat belongs to: its hand-off message, or the
   * confirmation of one of its replies.
   */
  handoffByMessage(coordinatorChatId: number, messageId: number): Promise<Handoff | undefined>;
  /** Stores a coordinator's reply (not yet delivered); returns its id. */
  recordReply(input: {
    handoffId: number;
    coordinatorId: number;
    coordinatorName: string;
    text: string;
  }): Promise<number>;
  /**
   * Records the delivery of a reply (or its failure) and updates the hand-off's status, in one
   * transaction.
   */
  markReplyDelivered(replyId: number, error?: string): Promise<void>;
  setReplyConfirmation(replyId: number, messageId: number): Promise<void>;
  getReply(replyId: number): Promise<HandoffReply | undefined>;
  repliesOf(handoffId: number): Promise<HandoffReply[]>;

  /** Approved answers: the `ApprovedAnswerStore` port (above), and: */
  /** Saves many approved answers in one transaction (import): all or none. */
  saveApprovedMany(
    inputs: readonly ApprovedAnswerInput[],
  ): Promise<{ added: number; replaced: number }>;

  /**
   * The newest `limit` turns of a conversation, oldest first; none when the newest is older than
   * `ttlMs` (the conversation is then forgotten).
   */
  recentTurns(
    conversationId: string,
    options: { limit: number; ttlMs: number; now?: number },
  ): Promise<StoredTurn[]>;
  /** Adds a turn and keeps only the newest `keep` of the conversation. */
  rememberTurn(conversationId: string, turn: StoredTurn, keep: number): Promise<void>;
  forgetTurns(conversationId: string): Promise<void>;

  /**
   * Counts one hit of `key` in the fixed window of `windowMs` that `now` falls in; returns the
   * window's count so far, this hit included. Shared by every replica.
   */
  hitRateLimit(key: string, windowMs: number, now?: number): Promise<number>;

  /**
   * Deletes interactions older than `days` with their feedback, hand-offs and replies, expired
   * follow-up turns and rate-limit windows; returns how many interactions. Approved answers are
   * kept. On PostgreSQL one replica at a time (an advisory lock; the others return 0).
   */
  purgeOlderThan(days: number, now?: Date): Promise<number>;
  /** Interactions created in `[from, to)`, with hand-off status and feedback counts. */
  reportRows(from: Date, to: Date): Promise<ReportRow[]>;
  /** Deletes everything stored about a user (by pseudonym): interactions, feedback, hand-offs. */
  forgetUser(userId: number): Promise<ForgetResult>;

  /**
   * Tries to become the one process doing `name` (e.g. registering the webhook): a handle while
   * this process holds it (until released or the process ends), `undefined` when another holds
   * it. SQLite, with one process: always granted.
   */
  acquireLeadership(name: string): Promise<Leadership | undefined>;
  close(): Promise<void>;
}

/** Former name of {@link AppState}, kept for callers written before the port became async. */
export type AppDb = AppState;
