/**
 * Picks the app-state adapter from the config: PostgreSQL when `DATABASE_URL` is set (replicas),
 * else the SQLite file in the data folder (one process; nothing to install).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.js";
import type { AppState } from "./app-state.js";
import { APP_DB_FILE, openAppDb } from "./sqlite-state.js";

/** The settings {@link openAppState} reads. */
export type AppStateConfig = Pick<
  Config,
  "PADOMS_DATA_DIR" | "PSEUDONYM_SECRET" | "DATABASE_URL" | "DATABASE_POOL_SIZE"
>;

/** Options of {@link openAppState}. */
export interface OpenAppStateOptions {
  /** PostgreSQL: apply pending migrations (default true); false fails while some are pending. */
  migrate?: boolean;
}

/** Opens the app state the config selects. */
export async function openAppState(
  config: AppStateConfig,
  options: OpenAppStateOptions = {},
): Promise<AppState> {
  if (config.DATABASE_URL) {
    // The PostgreSQL client is loaded only when a server is configured.
    const { openPostgresState } = await import("./postgres-state.js");
    return openPostgresState(config.DATABASE_URL, {
      pseudonymSecret: config.PSEUDONYM_SECRET,
      poolSize: config.DATABASE_POOL_SIZE,
      migrate: options.migrate,
    });
  }
  return openAppDb(sqlitePath(config), { pseudonymSecret: config.PSEUDONYM_SECRET });
}

/** The SQLite file of a data folder. */
export function sqlitePath(config: Pick<Config, "PADOMS_DATA_DIR">): string {
  return join(config.PADOMS_DATA_DIR, APP_DB_FILE);
}

/**
 * Whether there is app state to read (the terminal front ends and `padoms report` do not create
 * one): always with PostgreSQL, with SQLite once the bot has written its file.
 */
export function appStateExists(config: Pick<Config, "PADOMS_DATA_DIR" | "DATABASE_URL">): boolean {
  return Boolean(config.DATABASE_URL) || existsSync(sqlitePath(config));
}
