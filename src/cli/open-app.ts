import { existsSync } from "node:fs";
import { join } from "node:path";
import { type App, createApp } from "../app.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { APP_DB_FILE, type AppDb, openAppDb } from "../store/app-db.js";

/**
 * Opens the app for a terminal front end (ask, chat): the index, and — when the bot has
 * written one — the app database, so coordinators' approved answers are found here too.
 */
export async function openCliApp(
  config: Config,
  logger: Logger,
): Promise<{ app: App; close(): void }> {
  const path = join(config.PADOMS_DATA_DIR, APP_DB_FILE);
  const appDb: AppDb | undefined = existsSync(path)
    ? openAppDb(path, { pseudonymSecret: config.PSEUDONYM_SECRET })
    : undefined;
  try {
    const app = await createApp({ config, logger, appDb });
    return {
      app,
      close() {
        app.close();
        void appDb?.close();
      },
    };
  } catch (error) {
    await appDb?.close();
    throw error;
  }
}
