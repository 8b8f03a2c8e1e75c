import { createApp } from "../app.js";
import { createBot } from "../bot/create-bot.js";
import { BotStartError } from "../bot/errors.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { openAppDb } from "../store/app-db.js";
import type { AppState } from "../store/app-state.js";
import { openAppState } from "../store/open-state.js";
import { ensureWebAppBuilt } from "../webapp/build.js";
import { createCatalogue } from "../webapp/catalogue.js";

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
 * Runs the Telegram bot until SIGINT/SIGTERM: opens the index (and watches it for newer builds),
 * the app database, starts polling or the webhook, and on a signal stops taking updates, lets
 * answers in progress finish, and closes everything.
 */
export async function runBot(options: RunBotOptions): Promise<void> {
  const { config, logger } = options;
  const started = performance.now();
  const appDb: AppState = options.appDbPath
    ? openAppDb(options.appDbPath, { pseudonymSecret: config.PSEUDONYM_SECRET })
    : await openAppState(config);
  const app = await createApp({ config, logger, appDb }).catch(async (error: unknown) => {
    await appDb.close();
    throw error;
  });
  const purged = await appDb.purgeOlderThan(config.RETENTION_DAYS);
  if (purged)
    logger.info("old interactions removed", {
      count: purged,
      retentionDays: config.RETENTION_DAYS,
    });
  const approved = app.approved;
  const catalogue = config.WEBAPP_URL ? createCatalogue(() => app.live.current()) : undefined;
  if (config.WEBAPP_URL) await ensureWebAppBuilt(logger);
  const health = async () => {
    const database = await appDb.ping().then(
      () => "ok",
      (error: unknown) => `unreachable: ${(error as Error).message}`,
    );
    const manifest = app.live.current().index.manifest;
    return {
      ok: database === "ok",
      database: { backend: appDb.backend, schema: appDb.schemaVersion, status: database },
      index: {
        build: manifest.build,
        passages: manifest.chunkCount,
        createdAt: manifest.createdAt,
      },
    };
  };
  const padoms = createBot({
    config,
    engine: app.engine,
    appDb,
    logger,
    approved,
    catalogue,
    health,
    webhookHost: options.webhookHost,
    pendingGraceMs: options.pendingGraceMs,
  });
  void approved?.reindex();
  app.live.watch();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info("stopping the bot");
      await padoms.stop();
      app.close();
      await appDb.close();
    })();
    return stopping;
  };
  const done = new Promise<void>((resolve) => {
    const onSignal = () => void stop().then(resolve);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  try {
    await padoms.start();
  } catch (error) {
    // SIGTERM while connecting: stop() has closed everything; a clean exit.
    if (stopping && error instanceof BotStartError && error.code === "stopped") {
      await done;
      return;
    }
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
