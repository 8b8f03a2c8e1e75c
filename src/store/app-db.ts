/**
 * The application database (SQLite via better-sqlite3): interactions of the front ends and user
 * feedback. User ids are never stored: only a keyed HMAC pseudonym. The schema is versioned with
 * `PRAGMA user_version`; later features add migrations at the end of {@link MIGRATIONS}.
 */
import { createHmac, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import type { AnswerMode, Citation } from "../types.js";

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
  /** Deletes interactions (and their feedback) older than `days`; returns how many. */
  purgeOlderThan(days: number, now?: Date): number;
  close(): void;
}

/** Options of {@link openAppDb}. */
export interface AppDbOptions {
  /**
   * Key of the user-id pseudonyms (env `PSEUDONYM_SECRET`). When absent, a random key is created
   * once and kept in the database's `settings` table. Changing it breaks the link between old
   * and new pseudonyms (and so the one-vote-per-user rule for old answers).
   */
  pseudonymSecret?: string;
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
}

function parseJsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/**
 * Opens (creating if needed) the app database at `path` (`:memory:` for tests): WAL journal,
 * 5 s busy timeout, foreign keys on, migrated to the latest schema.
 */
export function openAppDb(path: string, options: AppDbOptions = {}): AppDb {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  const schemaVersion = migrate(db);

  const secret = options.pseudonymSecret ?? storedSecret(db);
  const pseudonymise = (userId: number): string =>
    createHmac("sha256", secret).update(`tg:${userId}`).digest("base64url");

  const insertInteraction = db.prepare(`
    INSERT INTO interactions (channel, chat_id, user_hash, question, answer, language, mode,
      answered, decline_reason, citations, related_lectures, latency_ms)
    VALUES (@channel, @chatId, @userHash, @question, @answer, @language, @mode,
      @answered, @declineReason, @citations, @relatedLectures, @latencyMs)`);
  const selectInteraction = db.prepare("SELECT * FROM interactions WHERE id = ?");
  const insertFeedback = db.prepare(
    "INSERT OR IGNORE INTO feedback (interaction_id, user_hash, value) VALUES (?, ?, ?)",
  );
  const exists = db.prepare("SELECT 1 FROM interactions WHERE id = ?");
  const counts = db.prepare(
    "SELECT SUM(value = 1) AS up, SUM(value = -1) AS down FROM feedback WHERE interaction_id = ?",
  );
  const purge = db.prepare("DELETE FROM interactions WHERE created_at < ?");

  return {
    schemaVersion,
    pseudonymise,
    recordInteraction(input) {
      const result = insertInteraction.run({
        channel: input.channel,
        chatId:
          input.channel === "private" || input.channel === "inline" ? null : (input.chatId ?? null),
        userHash: input.userId === undefined ? null : pseudonymise(input.userId),
        question: input.question,
        answer: input.answer,
        language: input.language,
        mode: input.mode,
        answered: input.answered ? 1 : 0,
        declineReason: input.declineReason ?? null,
        citations: JSON.stringify(input.citations),
        relatedLectures: JSON.stringify(input.relatedLectures ?? []),
        latencyMs: input.latencyMs === undefined ? null : Math.round(input.latencyMs),
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
      return purge.run(cutoff).changes;
    },
    close() {
      if (db.open) db.close();
    },
  };
}

function storedSecret(db: Database.Database): string {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'pseudonym_secret'").get() as
    | { value: string }
    | undefined;
  if (row) return row.value;
  const value = randomBytes(32).toString("base64url");
  db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('pseudonym_secret', ?)").run(
    value,
  );
  return (
    db.prepare("SELECT value FROM settings WHERE key = 'pseudonym_secret'").get() as {
      value: string;
    }
  ).value;
}
