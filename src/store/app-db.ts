/**
 * The application database (SQLite via better-sqlite3): interactions of the front ends, user
 * feedback, hand-offs to the coordinators with their replies, and the coordinators' approved
 * answers. User ids are never stored: only a keyed HMAC pseudonym, whose key is kept outside the
 * database (env `PSEUDONYM_SECRET`, or a 0600 file beside it). Deleted texts are overwritten
 * (`secure_delete`), the file is 0600 in a 0700 folder. The schema is versioned with
 * `PRAGMA user_version`; later features add migrations at the end of {@link MIGRATIONS}.
 */
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { AnswerMode, Citation } from "../types.js";
import { StoreError } from "./errors.js";

/** File name of the app database in the data folder. */
export const APP_DB_FILE = "padoms.sqlite";

/** File name of the generated pseudonym key, beside the app database (mode 0600). */
export const PSEUDONYM_KEY_FILE = "pseudonym.key";

/** Where an interaction happened. */
export type InteractionChannel = "private" | "group" | "supergroup" | "inline" | "cli";

/** What a front end records after answering. */
export interface InteractionInput {
  question: string;
  /** The answer text as the engine returned it (plain text with `[n]` markers). */
  answer: string;
  language: "lv" | "en";
  mode: AnswerMode;
  answered: boolean;
  declineReason?: string;
  citations: Citation[];
  relatedLectures?: { id: string; title: string; startSec?: number; url?: string }[];
  latencyMs?: number;
  channel: InteractionChannel;
  /**
   * Telegram chat id. Stored only for group chats: a private chat's id equals the user's id, so
   * it is dropped for `private` (the pseudonym identifies the conversation instead).
   */
  chatId?: number;
  /** Raw Telegram user id; only its pseudonym is stored. */
  userId?: number;
}

/** A stored interaction. */
export interface Interaction {
  id: number;
  /** ISO timestamp (UTC). */
  createdAt: string;
  question: string;
  answer: string;
  language: "lv" | "en";
  mode: AnswerMode;
  answered: boolean;
  declineReason?: string;
  citations: Citation[];
  relatedLectures: { id: string; title: string; startSec?: number; url?: string }[];
  latencyMs?: number;
  channel: InteractionChannel;
  chatId?: number;
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

/** A question as it arrives, before the engine answers it ({@link AppDb.recordQuestion}). */
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

/** The engine's answer to a recorded question ({@link AppDb.recordAnswer}). */
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

/** What {@link AppDb.createHandoff} needs. */
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

/** An approved answer as stored, with its search data. */
export interface ApprovedAnswerRow {
  id: number;
  question: string;
  answer: string;
  /** ISO timestamp of approval (shown to users as the answer's date). */
  approvedAt: string;
  approvedBy?: string;
  updatedAt: string;
  /** Analysed tokens of the question. */
  tokens: string[];
  /** Embedding of the question; absent until indexed. */
  vector?: Float32Array;
  /** Embedder that made {@link ApprovedAnswerRow.vector}. */
  embedderId?: string;
  /** The coordinator's reply it came from, while that reply is kept. */
  sourceReplyId?: number;
}

/** Fields of a new approved answer. */
export interface ApprovedAnswerInput {
  /** Keeps this id (import); absent: a new one. */
  id?: number;
  question: string;
  answer: string;
  approvedAt?: string;
  approvedBy?: string;
  sourceReplyId?: number;
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

/** What {@link AppDb.forgetUser} deleted. */
export interface ForgetResult {
  interactions: number;
  feedback: number;
  handoffs: number;
}

/** Outcome of {@link AppDb.recordFeedback}. */
export type FeedbackResult = "recorded" | "duplicate" | "unknown-interaction";

/** The application database port. */
export interface AppDb {
  /** Schema version after migrations (`PRAGMA user_version`). */
  readonly schemaVersion: number;
  /** Stores an interaction and returns its integer id (fits in 64-byte callback data). */
  recordInteraction(input: InteractionInput): number;
  getInteraction(id: number): Interaction | undefined;
  /** Stores +1/-1 once per interaction and user; a second vote returns `"duplicate"`. */
  recordFeedback(input: { interactionId: number; userId: number; value: 1 | -1 }): FeedbackResult;
  feedbackCounts(interactionId: number): { up: number; down: number };
  /** The keyed HMAC pseudonym stored in place of a user id. */
  pseudonymise(userId: number): string;
  /**
   * Deletes interactions older than `days` with their feedback, hand-offs and replies; returns
   * how many interactions. Approved answers are kept.
   */
  purgeOlderThan(days: number, now?: Date): number;

  /** Stores a question as soon as it arrives, with status `pending`; returns its id. */
  recordQuestion(input: QuestionInput): number;
  /** Stores the engine's answer to a recorded question (the status stays `pending`). */
  recordAnswer(id: number, answer: AnswerRecord): void;
  /**
   * Marks the reply as sent: `answered` or `declined` from the stored answer (`failed` when
   * `failed` is true), and forgets the reply address of private chats.
   */
  markReplied(id: number, failed?: boolean): void;
  /** Questions still pending that arrived before `createdBefore`, oldest first. */
  pendingQuestions(createdBefore: Date): PendingQuestion[];
  /** Marks a pending question `restarted` (the user was asked to ask again). */
  markRestarted(id: number): void;

  /** Creates the hand-off of an interaction; `undefined` when it already has one. */
  createHandoff(input: HandoffInput): Handoff | undefined;
  getHandoff(id: number): Handoff | undefined;
  handoffOfInteraction(interactionId: number): Handoff | undefined;
  /** Records the hand-off's message in the coordinators' chat. */
  setHandoffMessage(id: number, messageId: number): void;
  /** Removes a hand-off that could not be posted (so that it can be tried again). */
  deleteHandoff(id: number): void;
  /**
   * The hand-off a message of the coordinators' chat belongs to: its hand-off message, or the
   * confirmation of one of its replies.
   */
  handoffByMessage(coordinatorChatId: number, messageId: number): Handoff | undefined;
  /** Stores a coordinator's reply (not yet delivered); returns its id. */
  recordReply(input: {
    handoffId: number;
    coordinatorId: number;
    coordinatorName: string;
    text: string;
  }): number;
  /** Records the delivery of a reply (or its failure) and updates the hand-off's status. */
  markReplyDelivered(replyId: number, error?: string): void;
  setReplyConfirmation(replyId: number, messageId: number): void;
  getReply(replyId: number): HandoffReply | undefined;
  repliesOf(handoffId: number): HandoffReply[];

  /** Approved answers, oldest first. */
  listApproved(): ApprovedAnswerRow[];
  getApproved(id: number): ApprovedAnswerRow | undefined;
  /** Inserts (or, with an existing `id`, replaces) an approved answer; returns its id. */
  saveApproved(input: ApprovedAnswerInput): number;
  /** Saves many approved answers in one transaction (import): all or none. */
  saveApprovedMany(inputs: readonly ApprovedAnswerInput[]): { added: number; replaced: number };
  /**
   * Changes the answer and/or question (a re-approval: the approval date becomes now); the search
   * data is cleared when the question changes.
   */
  updateApproved(id: number, fields: { question?: string; answer?: string }): boolean;
  deleteApproved(id: number): boolean;
  /** Stores the analysed tokens and vector of an approved answer's question. */
  setApprovedIndex(id: number, tokens: string[], vector: Float32Array, embedderId: string): void;
  /** A number that changes whenever approved answers change (in any process). */
  approvedRevision(): number;

  /** Interactions created in `[from, to)`, with hand-off status and feedback counts. */
  reportRows(from: Date, to: Date): ReportRow[];
  /** Deletes everything stored about a user (by pseudonym): interactions, feedback, hand-offs. */
  forgetUser(userId: number): ForgetResult;
  close(): void;
}

/** Options of {@link openAppDb}. */
export interface AppDbOptions {
  /**
   * Key of the user-id pseudonyms (env `PSEUDONYM_SECRET`). When absent, a random key is created
   * once and kept in {@link AppDbOptions.keyFile}, never in the database. The database keeps a
   * check value of the key: opening it with another key fails with a `StoreError`
   * (`pseudonym-key`), because old pseudonyms would no longer match (`/forget` would miss them).
   */
  pseudonymSecret?: string;
  /**
   * Where a generated key is kept. Default: {@link PSEUDONYM_KEY_FILE} beside the database;
   * none for `:memory:` (the key then lives as long as the database).
   */
  keyFile?: string;
}

/** Ordered schema migrations; index + 1 is the `user_version` after each. Append only. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    channel TEXT NOT NULL,
    chat_id INTEGER,
    user_hash TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    language TEXT NOT NULL,
    mode TEXT NOT NULL,
    answered INTEGER NOT NULL,
    decline_reason TEXT,
    citations TEXT NOT NULL DEFAULT '[]',
    related_lectures TEXT NOT NULL DEFAULT '[]',
    latency_ms INTEGER
  );
  CREATE INDEX interactions_created_at ON interactions (created_at);
  CREATE TABLE feedback (
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    user_hash TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (1, -1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (interaction_id, user_hash)
  );
  `,
  `
  ALTER TABLE interactions ADD COLUMN status TEXT NOT NULL DEFAULT 'answered';
  UPDATE interactions SET status = CASE answered WHEN 1 THEN 'answered' ELSE 'declined' END;
  ALTER TABLE interactions ADD COLUMN reply_chat_id INTEGER;
  ALTER TABLE interactions ADD COLUMN message_id INTEGER;
  CREATE INDEX interactions_pending ON interactions (status) WHERE status = 'pending';
  CREATE INDEX interactions_user_hash ON interactions (user_hash);
  CREATE INDEX feedback_user_hash ON feedback (user_hash);
  CREATE TABLE handoffs (
    id INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL UNIQUE REFERENCES interactions (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    chat_id INTEGER NOT NULL,
    reply_to_message_id INTEGER,
    language TEXT NOT NULL,
    user_hash TEXT,
    coordinator_chat_id INTEGER NOT NULL,
    coordinator_message_id INTEGER
  );
  CREATE INDEX handoffs_message ON handoffs (coordinator_chat_id, coordinator_message_id);
  CREATE TABLE handoff_replies (
    id INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    coordinator_id INTEGER NOT NULL,
    coordinator_name TEXT NOT NULL,
    text TEXT NOT NULL,
    delivered_at TEXT,
    error TEXT,
    confirmation_message_id INTEGER
  );
  CREATE INDEX handoff_replies_handoff ON handoff_replies (handoff_id);
  CREATE INDEX handoff_replies_confirmation ON handoff_replies (confirmation_message_id);
  CREATE TABLE approved_answers (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    approved_by TEXT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    source_reply_id INTEGER REFERENCES handoff_replies (id) ON DELETE SET NULL,
    tokens TEXT NOT NULL DEFAULT '[]',
    vector BLOB,
    embedder_id TEXT
  );
  INSERT OR IGNORE INTO settings (key, value) VALUES ('approved_revision', '0');
  `,
];

/** Thrown when the database was written by a newer Padoms. */
export class AppDbVersionError extends Error {
  override readonly name = "AppDbVersionError";
  readonly code = "app-db-too-new";
}

function migrate(db: Database.Database): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new AppDbVersionError(
      `The app database is at schema version ${current}, newer than this Padoms knows (${MIGRATIONS.length}). Update Padoms, or point PADOMS_DATA_DIR at another folder.`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

interface InteractionRow {
  id: number;
  created_at: string;
  channel: InteractionChannel;
  chat_id: number | null;
  user_hash: string | null;
  question: string;
  answer: string;
  language: "lv" | "en";
  mode: AnswerMode;
  answered: number;
  decline_reason: string | null;
  citations: string;
  related_lectures: string;
  latency_ms: number | null;
  status: InteractionStatus;
  reply_chat_id: number | null;
  message_id: number | null;
}

interface HandoffRow {
  id: number;
  interaction_id: number;
  created_at: string;
  reason: HandoffReason;
  status: HandoffStatus;
  chat_id: number;
  reply_to_message_id: number | null;
  language: "lv" | "en";
  user_hash: string | null;
  coordinator_chat_id: number;
  coordinator_message_id: number | null;
}

interface ReplyRow {
  id: number;
  handoff_id: number;
  created_at: string;
  coordinator_id: number;
  coordinator_name: string;
  text: string;
  delivered_at: string | null;
  error: string | null;
  confirmation_message_id: number | null;
}

interface ApprovedRow {
  id: number;
  question: string;
  answer: string;
  approved_at: string;
  approved_by: string | null;
  updated_at: string;
  source_reply_id: number | null;
  tokens: string;
  vector: Buffer | null;
  embedder_id: string | null;
}

function toHandoff(row: HandoffRow | undefined): Handoff | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    interactionId: row.interaction_id,
    createdAt: row.created_at,
    reason: row.reason,
    status: row.status,
    chatId: row.chat_id,
    replyToMessageId: row.reply_to_message_id ?? undefined,
    language: row.language,
    userHash: row.user_hash ?? undefined,
    coordinatorChatId: row.coordinator_chat_id,
    coordinatorMessageId: row.coordinator_message_id ?? undefined,
  };
}

function toReply(row: ReplyRow | undefined): HandoffReply | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    handoffId: row.handoff_id,
    createdAt: row.created_at,
    coordinatorId: row.coordinator_id,
    coordinatorName: row.coordinator_name,
    text: row.text,
    deliveredAt: row.delivered_at ?? undefined,
    error: row.error ?? undefined,
    confirmationMessageId: row.confirmation_message_id ?? undefined,
  };
}

function toApproved(row: ApprovedRow | undefined): ApprovedAnswerRow | undefined {
  if (!row) return undefined;
  const vector = row.vector
    ? new Float32Array(
        row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.length),
      )
    : undefined;
  return {
    id: row.id,
    question: row.question,
    answer: row.answer,
    approvedAt: row.approved_at,
    approvedBy: row.approved_by ?? undefined,
    updatedAt: row.updated_at,
    tokens: parseJsonArray<string>(row.tokens),
    vector,
    embedderId: row.embedder_id ?? undefined,
    sourceReplyId: row.source_reply_id ?? undefined,
  };
}

const nowIso = () => new Date().toISOString();

/** How far SQLite's time stamps may run ahead of the JavaScript clock, in ms. */
const CLOCK_MARGIN_MS = 5;

function parseJsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** Makes the folder 0700 and the files 0600 (those that exist); a failure is not fatal. */
function restrictAccess(dir: string, files: readonly string[]): void {
  const chmod = (p: string, mode: number) => {
    try {
      if (existsSync(p)) chmodSync(p, mode);
    } catch {
      // Not the owner (a shared folder): the operator's umask and ownership decide.
    }
  };
  chmod(dir, 0o700);
  for (const f of files) chmod(f, 0o600);
}

/**
 * Opens (creating if needed) the app database at `path` (`:memory:` for tests): WAL journal,
 * 5 s busy timeout, foreign keys on, deleted content overwritten (`secure_delete`) and freed
 * pages returned (`auto_vacuum = INCREMENTAL`), the folder 0700 and the files 0600, migrated to
 * the latest schema, with the pseudonym key checked (see {@link AppDbOptions}).
 */
export function openAppDb(path: string, options: AppDbOptions = {}): AppDb {
  const onDisk = path !== ":memory:" && !path.startsWith("file:");
  const dir = dirname(path);
  const files = [path, `${path}-wal`, `${path}-shm`];
  if (onDisk) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = new Database(path);
  if (onDisk) restrictAccess(dir, files);
  db.pragma("busy_timeout = 5000");
  db.pragma("secure_delete = ON");
  if (db.pragma("auto_vacuum", { simple: true }) !== 2) {
    db.pragma("auto_vacuum = INCREMENTAL");
    // An existing database takes the new mode only when rebuilt (once). When another process
    // holds it, the rebuild waits for a later start; secure_delete works meanwhile.
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
    if (tables.n > 0) {
      try {
        db.exec("VACUUM");
      } catch {
        db.pragma("auto_vacuum = NONE");
      }
    }
  }
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  if (onDisk) restrictAccess(dir, files);
  const schemaVersion = migrate(db);

  let secret: string;
  try {
    secret = pseudonymKey(db, path, {
      ...options,
      keyFile: options.keyFile ?? (onDisk ? join(dir, PSEUDONYM_KEY_FILE) : undefined),
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const pseudonymise = (userId: number): string =>
    createHmac("sha256", secret).update(`tg:${userId}`).digest("base64url");
  /** After deletions: hands freed pages back and empties the WAL, so no deleted text remains. */
  const scrub = () => {
    db.pragma("incremental_vacuum");
    db.pragma("wal_checkpoint(TRUNCATE)");
  };

  const insertInteraction = db.prepare(`
    INSERT INTO interactions (channel, chat_id, user_hash, question, answer, language, mode,
      answered, decline_reason, citations, related_lectures, latency_ms, status)
    VALUES (@channel, @chatId, @userHash, @question, @answer, @language, @mode,
      @answered, @declineReason, @citations, @relatedLectures, @latencyMs, @status)`);
  const selectInteraction = db.prepare("SELECT * FROM interactions WHERE id = ?");
  const insertFeedback = db.prepare(
    "INSERT OR IGNORE INTO feedback (interaction_id, user_hash, value) VALUES (?, ?, ?)",
  );
  const exists = db.prepare("SELECT 1 FROM interactions WHERE id = ?");
  const counts = db.prepare(
    "SELECT SUM(value = 1) AS up, SUM(value = -1) AS down FROM feedback WHERE interaction_id = ?",
  );
  const purge = db.prepare("DELETE FROM interactions WHERE created_at < ?");
  const storedChatId = (channel: InteractionChannel, chatId: number | undefined) =>
    channel === "private" || channel === "inline" ? null : (chatId ?? null);
  const answerParams = (answer: AnswerRecord) => ({
    answer: answer.answer,
    language: answer.language,
    mode: answer.mode,
    answered: answer.answered ? 1 : 0,
    declineReason: answer.declineReason ?? null,
    citations: JSON.stringify(answer.citations),
    relatedLectures: JSON.stringify(answer.relatedLectures ?? []),
    latencyMs: answer.latencyMs === undefined ? null : Math.round(answer.latencyMs),
  });

  const insertQuestion = db.prepare(`
    INSERT INTO interactions (channel, chat_id, user_hash, question, answer, language, mode,
      answered, status, reply_chat_id, message_id)
    VALUES (@channel, @chatId, @userHash, @question, '', @language, 'extractive', 0, 'pending',
      @replyChatId, @messageId)`);
  const updateAnswer = db.prepare(`
    UPDATE interactions SET answer = @answer, language = @language, mode = @mode,
      answered = @answered, decline_reason = @declineReason, citations = @citations,
      related_lectures = @relatedLectures, latency_ms = @latencyMs
    WHERE id = @id`);
  const replied = db.prepare(`
    UPDATE interactions SET reply_chat_id = NULL,
      status = CASE WHEN @failed THEN 'failed' WHEN answered = 1 THEN 'answered' ELSE 'declined' END
    WHERE id = @id AND status = 'pending'`);
  const pending = db.prepare(`
    SELECT id, created_at, question, language, reply_chat_id, message_id FROM interactions
    WHERE status = 'pending' AND created_at < ? ORDER BY id`);
  const restarted = db.prepare(
    "UPDATE interactions SET status = 'restarted', reply_chat_id = NULL WHERE id = ? AND status = 'pending'",
  );

  const insertHandoff = db.prepare(`
    INSERT OR IGNORE INTO handoffs (interaction_id, reason, chat_id, reply_to_message_id,
      language, user_hash, coordinator_chat_id)
    VALUES (@interactionId, @reason, @chatId, @replyToMessageId, @language, @userHash,
      @coordinatorChatId)`);
  const selectHandoff = db.prepare("SELECT * FROM handoffs WHERE id = ?");
  const handoffOfInteraction = db.prepare("SELECT * FROM handoffs WHERE interaction_id = ?");
  const handoffMessage = db.prepare("UPDATE handoffs SET coordinator_message_id = ? WHERE id = ?");
  const removeHandoff = db.prepare("DELETE FROM handoffs WHERE id = ?");
  const handoffByMessage = db.prepare(`
    SELECT * FROM handoffs WHERE coordinator_chat_id = @chat AND (coordinator_message_id = @message
      OR id IN (SELECT handoff_id FROM handoff_replies WHERE confirmation_message_id = @message))
    ORDER BY id DESC LIMIT 1`);
  const insertReply = db.prepare(`
    INSERT INTO handoff_replies (handoff_id, coordinator_id, coordinator_name, text)
    VALUES (@handoffId, @coordinatorId, @coordinatorName, @text)`);
  const replyDelivered = db.prepare(
    "UPDATE handoff_replies SET delivered_at = @at, error = @error WHERE id = @id",
  );
  const handoffStatus = db.prepare(`
    UPDATE handoffs SET status = CASE
      WHEN EXISTS (SELECT 1 FROM handoff_replies r WHERE r.handoff_id = handoffs.id
        AND r.delivered_at IS NOT NULL) THEN 'answered'
      WHEN EXISTS (SELECT 1 FROM handoff_replies r WHERE r.handoff_id = handoffs.id
        AND r.error IS NOT NULL) THEN 'undelivered'
      ELSE 'open' END
    WHERE id = (SELECT handoff_id FROM handoff_replies WHERE id = ?)`);
  const replyConfirmation = db.prepare(
    "UPDATE handoff_replies SET confirmation_message_id = ? WHERE id = ?",
  );
  const selectReply = db.prepare("SELECT * FROM handoff_replies WHERE id = ?");
  const repliesOf = db.prepare("SELECT * FROM handoff_replies WHERE handoff_id = ? ORDER BY id");

  const bumpRevision = db.prepare(
    "UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'approved_revision'",
  );
  const selectRevision = db.prepare(
    "SELECT CAST(value AS INTEGER) AS v FROM settings WHERE key = 'approved_revision'",
  );
  const listApproved = db.prepare("SELECT * FROM approved_answers ORDER BY id");
  const selectApproved = db.prepare("SELECT * FROM approved_answers WHERE id = ?");
  const upsertApproved = db.prepare(`
    INSERT INTO approved_answers (id, question, answer, approved_at, approved_by, updated_at,
      source_reply_id)
    VALUES (@id, @question, @answer, @approvedAt, @approvedBy, @updatedAt, @sourceReplyId)
    ON CONFLICT (id) DO UPDATE SET question = excluded.question, answer = excluded.answer,
      approved_at = excluded.approved_at, approved_by = excluded.approved_by,
      updated_at = excluded.updated_at,
      tokens = CASE WHEN question = excluded.question THEN tokens ELSE '[]' END,
      vector = CASE WHEN question = excluded.question THEN vector ELSE NULL END,
      embedder_id = CASE WHEN question = excluded.question THEN embedder_id ELSE NULL END`);
  const editApproved = db.prepare(`
    UPDATE approved_answers SET answer = coalesce(@answer, answer), updated_at = @updatedAt,
      approved_at = @updatedAt,
      tokens = CASE WHEN @question IS NULL OR @question = question THEN tokens ELSE '[]' END,
      vector = CASE WHEN @question IS NULL OR @question = question THEN vector ELSE NULL END,
      embedder_id = CASE WHEN @question IS NULL OR @question = question THEN embedder_id ELSE NULL END,
      question = coalesce(@question, question)
    WHERE id = @id`);
  const removeApproved = db.prepare("DELETE FROM approved_answers WHERE id = ?");
  const approvedIndex = db.prepare(
    "UPDATE approved_answers SET tokens = ?, vector = ?, embedder_id = ? WHERE id = ?",
  );

  const reportRows = db.prepare(`
    SELECT i.id, i.created_at, i.question, i.language, i.answered, i.status, i.mode, i.citations,
      h.reason AS h_reason, h.status AS h_status,
      (SELECT count(*) FROM handoff_replies r WHERE r.handoff_id = h.id) AS h_replies,
      (SELECT count(*) FROM handoff_replies r WHERE r.handoff_id = h.id
        AND r.delivered_at IS NOT NULL) AS h_delivered,
      (SELECT count(*) FROM feedback f WHERE f.interaction_id = i.id AND f.value = 1) AS up,
      (SELECT count(*) FROM feedback f WHERE f.interaction_id = i.id AND f.value = -1) AS down
    FROM interactions i LEFT JOIN handoffs h ON h.interaction_id = i.id
    WHERE i.created_at >= ? AND i.created_at < ? ORDER BY i.created_at, i.id`);
  const forgetInteractions = db.prepare("DELETE FROM interactions WHERE user_hash = ?");
  const forgetFeedback = db.prepare("DELETE FROM feedback WHERE user_hash = ?");
  const countHandoffs = db.prepare(
    "SELECT count(*) AS n FROM handoffs WHERE user_hash = @hash OR interaction_id IN (SELECT id FROM interactions WHERE user_hash = @hash)",
  );
  const forgetHandoffs = db.prepare("DELETE FROM handoffs WHERE user_hash = ?");

  const saveApproved = (input: ApprovedAnswerInput): number =>
    db.transaction(() => {
      const now = nowIso();
      const result = upsertApproved.run({
        id: input.id ?? null,
        question: input.question,
        answer: input.answer,
        approvedAt: input.approvedAt ?? now,
        approvedBy: input.approvedBy ?? null,
        updatedAt: now,
        sourceReplyId: input.sourceReplyId ?? null,
      });
      bumpRevision.run();
      return input.id ?? Number(result.lastInsertRowid);
    })();

  return {
    schemaVersion,
    pseudonymise,
    recordInteraction(input) {
      const result = insertInteraction.run({
        channel: input.channel,
        chatId: storedChatId(input.channel, input.chatId),
        userHash: input.userId === undefined ? null : pseudonymise(input.userId),
        question: input.question,
        ...answerParams(input),
        status: input.answered ? "answered" : "declined",
      });
      return Number(result.lastInsertRowid);
    },
    getInteraction(id) {
      const row = selectInteraction.get(id) as InteractionRow | undefined;
      if (!row) return undefined;
      return {
        id: row.id,
        createdAt: row.created_at,
        question: row.question,
        answer: row.answer,
        language: row.language,
        mode: row.mode,
        answered: row.answered === 1,
        declineReason: row.decline_reason ?? undefined,
        citations: parseJsonArray<Citation>(row.citations),
        relatedLectures: parseJsonArray(row.related_lectures),
        latencyMs: row.latency_ms ?? undefined,
        channel: row.channel,
        chatId: row.chat_id ?? undefined,
        userHash: row.user_hash ?? undefined,
        status: row.status,
        messageId: row.message_id ?? undefined,
      };
    },
    recordFeedback({ interactionId, userId, value }) {
      if (!exists.get(interactionId)) return "unknown-interaction";
      const result = insertFeedback.run(interactionId, pseudonymise(userId), value);
      return result.changes === 1 ? "recorded" : "duplicate";
    },
    feedbackCounts(interactionId) {
      const row = counts.get(interactionId) as { up: number | null; down: number | null };
      return { up: row.up ?? 0, down: row.down ?? 0 };
    },
    purgeOlderThan(days, now = new Date()) {
      const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
      const purged = purge.run(cutoff).changes;
      if (purged > 0) scrub();
      return purged;
    },

    recordQuestion(input) {
      const result = insertQuestion.run({
        channel: input.channel,
        chatId: storedChatId(input.channel, input.chatId),
        userHash: input.userId === undefined ? null : pseudonymise(input.userId),
        question: input.question,
        language: input.language,
        replyChatId: input.chatId ?? null,
        messageId: input.messageId ?? null,
      });
      return Number(result.lastInsertRowid);
    },
    recordAnswer(id, answer) {
      updateAnswer.run({ id, ...answerParams(answer) });
    },
    markReplied(id, failed = false) {
      replied.run({ id, failed: failed ? 1 : 0 });
    },
    pendingQuestions(createdBefore) {
      const rows = pending.all(createdBefore.toISOString()) as {
        id: number;
        created_at: string;
        question: string;
        language: "lv" | "en";
        reply_chat_id: number | null;
        message_id: number | null;
      }[];
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        question: r.question,
        language: r.language,
        chatId: r.reply_chat_id ?? undefined,
        messageId: r.message_id ?? undefined,
      }));
    },
    markRestarted(id) {
      restarted.run(id);
    },

    createHandoff(input) {
      const result = insertHandoff.run({
        interactionId: input.interactionId,
        reason: input.reason,
        chatId: input.chatId,
        replyToMessageId: input.replyToMessageId ?? null,
        language: input.language,
        userHash: input.userId === undefined ? null : pseudonymise(input.userId),
        coordinatorChatId: input.coordinatorChatId,
      });
      return result.changes === 1
        ? toHandoff(selectHandoff.get(Number(result.lastInsertRowid)) as HandoffRow)
        : undefined;
    },
    getHandoff: (id) => toHandoff(selectHandoff.get(id) as HandoffRow | undefined),
    handoffOfInteraction: (interactionId) =>
      toHandoff(handoffOfInteraction.get(interactionId) as HandoffRow | undefined),
    setHandoffMessage(id, messageId) {
      handoffMessage.run(messageId, id);
    },
    deleteHandoff(id) {
      removeHandoff.run(id);
    },
    handoffByMessage: (chat, message) =>
      toHandoff(handoffByMessage.get({ chat, message }) as HandoffRow | undefined),
    recordReply(input) {
      return Number(insertReply.run(input).lastInsertRowid);
    },
    markReplyDelivered(replyId, error) {
      db.transaction(() => {
        replyDelivered.run({
          id: replyId,
          at: error === undefined ? nowIso() : null,
          error: error ?? null,
        });
        handoffStatus.run(replyId);
      })();
    },
    setReplyConfirmation(replyId, messageId) {
      replyConfirmation.run(messageId, replyId);
    },
    getReply: (replyId) => toReply(selectReply.get(replyId) as ReplyRow | undefined),
    repliesOf: (handoffId) =>
      (repliesOf.all(handoffId) as ReplyRow[]).map((r) => toReply(r) as HandoffReply),

    listApproved: () =>
      (listApproved.all() as ApprovedRow[]).map((r) => toApproved(r) as ApprovedAnswerRow),
    getApproved: (id) => toApproved(selectApproved.get(id) as ApprovedRow | undefined),
    saveApproved,
    saveApprovedMany(inputs) {
      return db.transaction(() => {
        let added = 0;
        let replaced = 0;
        for (const input of inputs) {
          if (input.id !== undefined && selectApproved.get(input.id)) replaced++;
          else added++;
          saveApproved(input);
        }
        return { added, replaced };
      })();
    },
    updateApproved(id, fields) {
      return db.transaction(() => {
        const changed =
          editApproved.run({
            id,
            question: fields.question ?? null,
            answer: fields.answer ?? null,
            updatedAt: nowIso(),
          }).changes === 1;
        if (changed) bumpRevision.run();
        return changed;
      })();
    },
    deleteApproved(id) {
      return db.transaction(() => {
        const changed = removeApproved.run(id).changes === 1;
        if (changed) bumpRevision.run();
        return changed;
      })();
    },
    setApprovedIndex(id, tokens, vector, embedderId) {
      approvedIndex.run(
        JSON.stringify(tokens),
        Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        embedderId,
        id,
      );
    },
    approvedRevision: () => (selectRevision.get() as { v: number } | undefined)?.v ?? 0,

    reportRows(from, to) {
      // SQLite stamps rows with its own reading of the clock, which can come out a millisecond
      // after the caller's `to` for a row written just before: the end is widened by that margin.
      const end = new Date(to.getTime() + CLOCK_MARGIN_MS).toISOString();
      const rows = reportRows.all(from.toISOString(), end) as (Pick<
        InteractionRow,
        "id" | "created_at" | "question" | "language" | "answered" | "status" | "mode" | "citations"
      > & {
        h_reason: HandoffReason | null;
        h_status: HandoffStatus | null;
        h_replies: number;
        h_delivered: number;
        up: number;
        down: number;
      })[];
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        question: r.question,
        language: r.language,
        answered: r.answered === 1,
        status: r.status,
        mode: r.mode,
        citations: parseJsonArray<Citation>(r.citations),
        ...(r.h_reason && r.h_status
          ? {
              handoff: {
                reason: r.h_reason,
                status: r.h_status,
                replies: r.h_replies,
                delivered: r.h_delivered,
              },
            }
          : {}),
        up: r.up,
        down: r.down,
      }));
    },
    forgetUser(userId) {
      const hash = pseudonymise(userId);
      const result = db.transaction(() => {
        const handoffs = (countHandoffs.get({ hash }) as { n: number }).n;
        forgetHandoffs.run(hash);
        const feedback = forgetFeedback.run(hash).changes;
        const interactions = forgetInteractions.run(hash).changes;
        return { interactions, feedback, handoffs };
      })();
      if (result.interactions + result.feedback + result.handoffs > 0) scrub();
      return result;
    },
    close() {
      if (db.open) db.close();
    },
  };
}

const KEY_CHECK_INPUT = "padoms:pseudonym-key-check";

/** A value that tells keys apart without revealing them. */
function keyCheck(secret: string): string {
  return createHmac("sha256", secret).update(KEY_CHECK_INPUT).digest("base64url");
}

function readKey(file: string | undefined): string | undefined {
  if (!file || !existsSync(file)) return undefined;
  const key = readFileSync(file, "utf8").trim();
  return key || undefined;
}

/** Writes a new key file (0600), unless another process was first: returns the key in the file. */
function writeKey(file: string, key: string): string {
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readKey(file) ?? key;
  }
}

/**
 * The pseudonym key: `PSEUDONYM_SECRET`, else the key file, else a new random key written to the
 * key file. A key that older versions kept in the database is moved out to the key file first.
 * The database keeps a check value of the key; another key is refused with a message that says
 * which key to set.
 */
function pseudonymKey(db: Database.Database, path: string, options: AppDbOptions): string {
  const get = db.prepare("SELECT value FROM settings WHERE key = ?");
  const setting = (key: string) => (get.get(key) as { value: string } | undefined)?.value;
  const keyFile = options.keyFile;
  const legacy = setting("pseudonym_secret");
  if (legacy !== undefined && keyFile) {
    writeKey(keyFile, legacy);
    db.prepare("DELETE FROM settings WHERE key = 'pseudonym_secret'").run();
    db.pragma("wal_checkpoint(TRUNCATE)");
  }
  const stored = setting("pseudonym_key_check");
  const expected = stored ?? (legacy === undefined ? undefined : keyCheck(legacy));
  const fromEnv = options.pseudonymSecret;
  let secret = fromEnv ?? readKey(keyFile) ?? (keyFile ? undefined : legacy);
  if (secret === undefined) {
    if (expected !== undefined) {
      throw new StoreError(
        "pseudonym-key",
        `The pseudonym key of ${path} is missing${keyFile ? ` (${keyFile} is gone)` : ""}: without it /forget cannot find anyone's records. Set PSEUDONYM_SECRET to the key used before, or restore ${keyFile ?? "the key file"}.`,
        path,
      );
    }
    const key = randomBytes(32).toString("base64url");
    secret = keyFile ? writeKey(keyFile, key) : key;
  }
  if (expected !== undefined && keyCheck(secret) !== expected) {
    const fileKey = readKey(keyFile);
    throw new StoreError(
      "pseudonym-key",
      fromEnv !== undefined
        ? `PSEUDONYM_SECRET is not the key the pseudonyms in ${path} were made with: /forget and one vote per user would miss every earlier record. Set PSEUDONYM_SECRET back to the key used before${fileKey !== undefined && keyCheck(fileKey) === expected ? `, or unset it to use the key in ${keyFile}` : ""}. To start over with a new key, move ${path} away first.`
        : `The key in ${keyFile} is not the one the pseudonyms in ${path} were made with. Restore that file, or set PSEUDONYM_SECRET to the key used before. To start over with a new key, move ${path} away first.`,
      path,
    );
  }
  if (stored === undefined) {
    db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('pseudonym_key_check', ?)").run(
      keyCheck(secret),
    );
  }
  return secret;
}
