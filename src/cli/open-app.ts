import { type App, createApp } from "../app.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { AppState } from "../store/app-state.js";
import { appStateExists, openAppState } from "../store/open-state.js";

/**
 * Opens the app for a terminal front end (ask, chat): the index, and — when the bot has
 * written one — the app database, so coordinators' approved answers are found here too.
 */
export async function openCliApp(
  config: Config,
  logger: Logger,
): Promise<{ app: App; close(): void }> {
  const appDb: AppState | undefined = appStateExists(config)
    ? await openAppState(config)
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
