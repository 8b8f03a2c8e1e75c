/**
 * The SQLite adapter of the app state (better-sqlite3), the default: one process, one file in the
 * data folder. User ids are never stored: only a keyed HMAC pseudonym, whose key is kept outside
 * the database (env `PSEUDONYM_SECRET`, or a 0600 file beside it). Deleted texts are overwritten
 * (`secure_delete`), the file is 0600 in a 0700 folder. The schema is versioned with
 * `PRAGMA user_version`; later features add migrations at the end of {@link MIGRATIONS} (and the
 * same change as a file in `migrations/` for PostgreSQL).
 */
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { AppState, SchemaStatus } from "./app-state.js";
import { AppDbVersionError } from "./errors.js";
import { pseudonymiser, pseudonymKeyOfFile } from "./pseudonym-key.js";
import { sqliteClient } from "./sql.js";
import type { AreaContext } from "./state-area.js";
import { stateAreas } from "./state-areas.js";

/** File name of the app database in the data folder. */
export const APP_DB_FILE = "padoms.sqlite";

/** File name of the generated pseudonym key, beside the app database (mode 0600). */
export const PSEUDONYM_KEY_FILE = "pseudonym.key";

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
  /** How long a write waits for another process's lock before `SQLITE_BUSY`, in ms. Default 5000. */
  busyTimeoutMs?: number;
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
  `
  CREATE TABLE conversation_turns (
    seq INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX conversation_turns_conversation ON conversation_turns (conversation_id, seq);
  CREATE INDEX conversation_turns_at ON conversation_turns (at_ms);
  CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE approved_answers ADD COLUMN wordings TEXT NOT NULL DEFAULT '[]';
  `,
];

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
export function openAppDb(path: string, options: AppDbOptions = {}): AppState {
  const onDisk = path !== ":memory:" && !path.startsWith("file:");
  const dir = dirname(path);
  const files = [path, `${path}-wal`, `${path}-shm`];
  if (onDisk) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = new Database(path);
  if (onDisk) restrictAccess(dir, files);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
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
    secret = pseudonymKeyOfFile(db, path, {
      ...options,
      keyFile: options.keyFile ?? (onDisk ? join(dir, PSEUDONYM_KEY_FILE) : undefined),
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const ctx: AreaContext = {
    sql: sqliteClient(db),
    pseudonymise: pseudonymiser(secret),
    tryTransactionLock: async () => true,
    // After deletions: hands freed pages back and empties the WAL, so no deleted text remains.
    scrub: async () => {
      db.pragma("incremental_vacuum");
      db.pragma("wal_checkpoint(TRUNCATE)");
    },
  };
  return {
    backend: "sqlite",
    schemaVersion,
    pseudonymise: ctx.pseudonymise,
    async ping() {
      db.prepare("SELECT 1").get();
    },
    ...stateAreas(ctx),
    acquireLeadership: async () => ({ release: async () => {} }),
    async close() {
      if (db.open) db.close();
    },
  };
}

/** The schema of a SQLite app database, without changing it (`padoms db status`). */
export function sqliteSchemaStatus(path: string): SchemaStatus {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const current = db.pragma("user_version", { simple: true }) as number;
    return {
      backend: "sqlite",
      current,
      latest: MIGRATIONS.length,
      pending: MIGRATIONS.slice(current).map((_, i) => `sqlite migration ${current + i + 1}`),
    };
  } finally {
    db.close();
  }
}
