import { createApp } from "../app.js";
import { BotStartError } from "../bot/errors.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";

/** Options of {@link runBot}. */
export interface RunBotOptions {
  config: Config;
  logger: Logger;
  /**
   * SQLite file of interactions, feedback and coordinators' data. Default: the app state the
   * config selects (`DATABASE_URL`, else `padoms.sqlite` in the data folder).
   */
  appDbPath?: string;
  /** Interface the webhook server listens on. Default: all. */
  webhookHost?: string;
  /** See `CreateBotDeps.pendingGraceMs`. */
  pendingGraceMs?: number;
}

/**
 * Runs the Telegram bot until SIGINT/SIGTERM: the app (index watched for newer builds, app
 * state, bot) comes from {@link createApp}; this starts polling or the webhook, and on a signal
 * closes the app, which stops taking updates, lets answers in progress finish, and closes the rest.
 */
export async function runBot(options: RunBotOptions): Promise<void> {
  const { config, logger } = options;
  const started = performance.now();
  const app = await createApp({
    config,
    logger,
    state: "open",
    appDbPath: options.appDbPath,
    bot: { webhookHost: options.webhookHost, pendingGraceMs: options.pendingGraceMs },
  });
  const bot = app.bot;
  if (!bot) throw new Error("runBot: createApp built no bot");

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info("stopping the bot");
      await app.close();
    })();
    return stopping;
  };
  let onSignal: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    onSignal = () => void stop().then(resolve);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  try {
    await bot.start();
  } catch (error) {
    // SIGTERM while connecting: stop() has closed everything; a clean exit.
    if (stopping && error instanceof BotStartError && error.code === "stopped") {
      await done;
      return;
    }
    // A failed start leaves no signal listener behind (the caller may go on, e.g. in tests).
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stop();
    throw error;
  }
  logger.info("bot ready", {
    mode: config.BOT_MODE,
    readyMs: Math.round(performance.now() - started),
  });
  console.error(`Padoms is running as a Telegram bot (${config.BOT_MODE}). Press Ctrl-C to stop.`);
  await done;
}
