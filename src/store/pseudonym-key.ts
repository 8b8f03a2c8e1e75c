/**
 * The key of the user-id pseudonyms (a keyed HMAC): where it comes from and the check that a
 * database is opened with the key its pseudonyms were made with.
 */
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type Database from "better-sqlite3";
import { StoreError } from "./errors.js";
import type { SqlClient } from "./sql.js";

/** Where the key comes from. */
export interface PseudonymKeyOptions {
  /** Env `PSEUDONYM_SECRET`. */
  pseudonymSecret?: string;
  /** A generated key's file (SQLite only). */
  keyFile?: string;
}

/** The pseudonym of a user id under `secret`. */
export function pseudonymiser(secret: string): (userId: number) => string {
  return (userId) => createHmac("sha256", secret).update(`tg:${userId}`).digest("base64url");
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
export function pseudonymKeyOfFile(
  db: Database.Database,
  path: string,
  options: PseudonymKeyOptions,
): string {
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

/**
 * The pseudonym key of a shared (PostgreSQL) database, the same on every replica:
 * `PSEUDONYM_SECRET` when set (checked against the database's check value), else the key kept in
 * the database's settings, created once by whichever replica comes first. Never a per-replica
 * random key, which would give one user a different pseudonym on each replica.
 */
export async function pseudonymKeyOfDatabase(
  sql: SqlClient,
  where: string,
  fromEnv: string | undefined,
): Promise<string> {
  const setting = async (key: string) =>
    (await sql.get<{ value: string }>("SELECT value FROM settings WHERE key = @key", { key }))
      ?.value;
  const insert = (key: string, value: string) =>
    sql.run("INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT DO NOTHING", {
      key,
      value,
    });
  let secret = fromEnv;
  if (secret === undefined) {
    await insert("pseudonym_secret", randomBytes(32).toString("base64url"));
    secret = (await setting("pseudonym_secret")) as string;
  }
  await insert("pseudonym_key_check", keyCheck(secret));
  const expected = await setting("pseudonym_key_check");
  if (expected !== keyCheck(secret)) {
    throw new StoreError(
      "pseudonym-key",
      fromEnv !== undefined
        ? `PSEUDONYM_SECRET is not the key the pseudonyms in ${where} were made with: /forget and one vote per user would miss every earlier record. Set PSEUDONYM_SECRET to the key used before (the same on every replica).`
        : `The pseudonyms in ${where} were made with a key that is not in the database: set PSEUDONYM_SECRET to the key used before (the same on every replica).`,
      where,
    );
  }
  return secret;
}
