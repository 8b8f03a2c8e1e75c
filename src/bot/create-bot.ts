/**
 * The bot's composition root: the only place features are registered, each given only the
 * options it needs (like a grammY plugin).
 * Flow: update → in-flight tracking → per-update logger → sequentialize (per chat) → context →
 * error boundary [group gate → rate limit → desk, start, help, about, lectures, new,
 * coordinators, faq, report, forget, feedback, sources, inline, group, ask → unhandled].
 * Features route with grammY's filter queries, `chatType` and `callbackQuery(pattern)`: an update
 * no feature takes ends in "unhandled".
 */
import { randomBytes } from "node:crypto";
import { setTimeout } from "node:timers/promises";
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotError, type MiddlewareFn } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { ApprovedAnswerService } from "../answer/approved.js";
import { ConfigError } from "../config.js";
import { PadomsError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Leadership } from "../store/app-state.js";
import type { Catalogue } from "../webapp/catalogue.js";
import { createWebAppHandler } from "../webapp/server.js";
import { attachContext, type BotContext, type BotDeps, logUpdates, updateKind } from "./context.js";
import { aboutFeature } from "./features/about.js";
import { askFeature, createAsker } from "./features/ask.js";
import { coordinatorAccess, coordinatorsFeature, createHandoffs } from "./features/coordinators.js";
import { PENDING_GRACE_MS, questionRecorder, startPendingRecovery } from "./features/durability.js";
import { faqAdminFeature } from "./features/faq-admin.js";
import { feedbackFeature } from "./features/feedback.js";
import { forgetFeature } from "./features/forget.js";
import { groupFeature, passesGroupGate } from "./features/group.js";
import { helpFeature } from "./features/help.js";
import { inlineFeature } from "./features/inline.js";
import { lecturesFeature } from "./features/lectures.js";
import { newConversationFeature } from "./features/new-conversation.js";
import { reportFeature } from "./features/report.js";
import { sourcesFeature } from "./features/sources.js";
import { startFeature } from "./features/start.js";
import { unhandledFeature } from "./features/unhandled.js";
import { webAppFeature } from "./features/webapp.js";
import { type Lang, strings } from "./i18n.js";
import { rateLimit } from "./rate-limit.js";
import {
  type ConnectOptions,
  connectBot,
  createHttpServer,
  createPollingRunner,
  createWebhookServer,
  DEFAULT_CONCURRENCY,
  type HttpHandler,
  type NetworkRetryOptions,
  type PageServer,
  retryNetworkErrors,
  type UpdateRunner,
  type WebhookOptions,
} from "./run.js";
import { isGroupChat, quietly, replyParams } from "./send.js";

/** Updates handled at once when answers come from an LLM (network-bound). */
const LLM_CONCURRENCY = 100;

/** What {@link createBot} needs. */
export interface CreateBotDeps extends BotDeps {
  /** Known bot identity: skips `getMe` (tests). */
  botInfo?: UserFromGetMe;
  /** Interface the webhook server listens on. Default: all interfaces. */
  webhookHost?: string;
  /** How long `stop()` waits for answers in progress before aborting them, in ms. Default 10 000. */
  shutdownGraceMs?: number;
  /**
   * A question left pending by an earlier process is recovered (its asker told to ask again)
   * once it is this old, in ms. Default {@link PENDING_GRACE_MS}.
   */
  pendingGraceMs?: number;
  /** Least time between two edits of a streamed answer, in ms (tests). Default 1000. */
  streamIntervalMs?: number;
  /** Inline queries superseded within this time are not answered, in ms (tests). Default 400. */
  inlineDebounceMs?: number;
  /** The coordinators' approved answers ("Save as FAQ", `/faq`); absent: those are off. */
  approved?: ApprovedAnswerService;
  /**
   * The bot's own repeats, shorter in tests (so that they need not wait in real time): Bot API
   * calls failing on the network (3 attempts, waits doubling from 500 ms, see
   * {@link retryNetworkErrors}) and the wait between two failed `getUpdates` in polling mode
   * (`pollRetryIntervalMs`, default 1000).
   */
  retry?: NetworkRetryOptions & { pollRetryIntervalMs?: number };
  /** How `start()` retries `getMe` while the Bot API is unreachable (attempts, waits). */
  connect?: Pick<ConnectOptions, "attempts" | "firstDelayMs" | "attemptTimeoutMs">;
  /**
   * The lecture catalogue of the Mini App; with it and `WEBAPP_URL`, the bot's HTTP server
   * serves the Mini App (the webhook server, or its own on `WEBAPP_PORT` in polling mode).
   */
  catalogue?: Catalogue;
  /** Folder of the built Mini App page (tests). Default: `dist/webapp`. */
  webAppDistDir?: string;
  /** What the webhook's `GET /healthz` reports (see {@link WebhookOptions.health}). */
  health?: WebhookOptions["health"];
}

/** A Padoms bot with its lifecycle. */
export interface PadomsBot {
  bot: Bot<BotContext>;
  /**
   * Connects (getMe unless `botInfo`; bounded retries, see {@link connectBot}), registers
   * commands, and starts polling or the webhook. `stop()` during it ends it with
   * `BotStartError("stopped")`.
   */
  start(): Promise<void>;
  /** Stops taking updates, lets answers in progress finish (up to the grace period), aborts the rest. */
  stop(): Promise<void>;
}

/** Commands shown in Telegram's menu, in one language. */
export function commandList(lang: Lang): { command: string; description: string }[] {
  return Object.entries(strings(lang).commands).map(([command, description]) => ({
    command,
    description,
  }));
}

function trackInFlight(inFlight: Set<Promise<unknown>>): MiddlewareFn<BotContext> {
  return (_ctx, next) => {
    const task = next();
    inFlight.add(task);
    const done = () => inFlight.delete(task);
    task.then(done, done);
    return task;
  };
}

/** The update's logger; made here when the update failed before it had one. */
function logOf(ctx: BotContext, logger: Logger): Logger {
  return ctx.log ?? logger.child({ updateId: ctx.update.update_id });
}

async function apologise(error: BotError<BotContext>, logger: Logger): Promise<void> {
  const ctx = error.ctx;
  const known = error.error instanceof PadomsError ? error.error : undefined;
  logOf(ctx, logger).error("update failed", {
    kind: updateKind(ctx),
    ...(known && { code: known.code, retryable: known.retryable }),
    error: error.error,
  });
  const text = ctx.t?.apology ?? strings("lv").apology;
  if (ctx.callbackQuery) {
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text }));
  } else if (ctx.chat?.type === "private" || (isGroupChat(ctx) && ctx.message)) {
    await quietly(ctx, "sendMessage", () => ctx.reply(text, replyParams(ctx)));
  }
}

/** Waits without keeping the process alive. */
const sleep = (ms: number) => setTimeout(ms, undefined, { ref: false });

/**
 * Builds the bot: grammY with `client.apiRoot` from `TELEGRAM_API_ROOT`, auto-retry on 429/5xx,
 * a few quick repeats on network errors, every feature inside one error boundary, "unhandled"
 * last. Nothing talks to Telegram until `start()`.
 */
export function createBot(deps: CreateBotDeps): PadomsBot {
  const { config, logger, appDb } = deps;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) {
    throw new ConfigError(
      "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather and put TELEGRAM_BOT_TOKEN=… in .env.",
      "TELEGRAM_BOT_TOKEN",
    );
  }
  const bot = new Bot<BotContext>(token, {
    botInfo: deps.botInfo,
    client: { apiRoot: config.TELEGRAM_API_ROOT?.replace(/\/+$/, ""), timeoutSeconds: 60 },
  });
  // 429 (retry_after up to 60 s) and 5xx answers: repeated by auto-retry, at most 3 times.
  // Network failures: auto-retry's default would repeat them forever, silently, so it rethrows
  // them and retryNetworkErrors (installed first, so inside it) repeats them a few times.
  bot.api.config.use(
    retryNetworkErrors(deps.retry),
    autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true }),
  );

  let shutdown = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  bot.use(trackInFlight(inFlight));
  bot.use(logUpdates(logger));
  bot.use(sequentialize((ctx: BotContext) => ctx.chat?.id.toString()));
  bot.use(attachContext(() => shutdown.signal));

  const { engine, approved } = deps;
  const access = coordinatorAccess(config);
  const handoffs = createHandoffs({ access, appDb, approved });
  const asker = createAsker({
    engine,
    recorder: questionRecorder(appDb),
    handoffs,
    streamIntervalMs: deps.streamIntervalMs,
  });
  bot
    .errorBoundary((error) => apologise(error, logger))
    .filter(passesGroupGate)
    .use(
      rateLimit(config.RATE_LIMIT_PER_MINUTE, appDb.backend === "postgres" ? appDb : undefined),
      webAppFeature({ config }),
      startFeature({ asker }),
      helpFeature(),
      aboutFeature({ retentionDays: config.RETENTION_DAYS }),
      lecturesFeature({ engine, config }),
      newConversationFeature({ engine }),
      coordinatorsFeature({ access, appDb, approved, handoffs }),
      faqAdminFeature({ access, approved }),
      reportFeature({ access, appDb }),
      forgetFeature({ appDb, engine }),
      feedbackFeature({ appDb, handoffs }),
      sourcesFeature({ appDb, engine, config, ...(approved ? { approved } : {}) }),
      inlineFeature({ engine, appDb, debounceMs: deps.inlineDebounceMs }),
      groupFeature(),
      askFeature({ asker }),
      unhandledFeature(),
    );
  bot.catch((error) => {
    logOf(error.ctx, logger).error("update failed outside the error boundary", {
      error: error.error,
    });
  });

  const webApp: HttpHandler | undefined =
    config.WEBAPP_URL && deps.catalogue
      ? createWebAppHandler({
          config,
          api: bot.api,
          appDb,
          approved: deps.approved,
          catalogue: deps.catalogue,
          logger,
          distDir: deps.webAppDistDir,
        })
      : undefined;
  let pages: PageServer | undefined;

  let runner: UpdateRunner | undefined;
  let abortStart: (() => void) | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  let stopRecovery: (() => void) | undefined;
  let webhookLeader: Leadership | undefined;

  const purge = async () => {
    try {
      const removed = await appDb.purgeOlderThan(config.RETENTION_DAYS);
      if (removed)
        logger.info("old interactions deleted", { removed, days: config.RETENTION_DAYS });
    } catch (error) {
      logger.warn("could not delete old interactions", { error });
    }
  };

  const registerCommands = async () => {
    for (const lang of ["lv", "en"] as const) {
      try {
        await bot.api.setMyCommands(
          commandList(lang),
          lang === "en" ? { language_code: "en" } : {},
        );
      } catch (error) {
        logger.debug("setMyCommands failed", { lang, error });
      }
    }
  };

  /** The Mini App as the chat's menu button (private chats), when it is on. */
  const registerMenuButton = async () => {
    if (!webApp || !config.WEBAPP_URL) return;
    try {
      await bot.api.setChatMenuButton({
        menu_button: { type: "web_app", text: "Padoms", web_app: { url: config.WEBAPP_URL } },
      });
    } catch (error) {
      logger.warn("could not set the Mini App as the menu button", { error });
    }
  };

  return {
    bot,
    async start() {
      if (runner) return;
      if (shutdown.signal.aborted) shutdown = new AbortController();
      const connecting = new AbortController();
      abortStart = () => connecting.abort();
      try {
        if (!bot.isInited())
          bot.botInfo = await connectBot(bot, {
            logger,
            apiRoot: config.TELEGRAM_API_ROOT,
            signal: connecting.signal,
            ...deps.connect,
          });
      } finally {
        abortStart = undefined;
      }
      logger.info("bot starting", { username: bot.botInfo.username, mode: config.BOT_MODE });
      void registerCommands();
      void registerMenuButton();
      stopRecovery = startPendingRecovery(
        { appDb, api: bot.api, logger },
        new Date(),
        deps.pendingGraceMs,
        appDb.backend === "postgres",
      );
      void purge();
      purgeTimer = setInterval(() => void purge(), 24 * 3600_000);
      purgeTimer.unref();
      runner =
        config.BOT_MODE === "webhook" && config.WEBHOOK_URL
          ? createWebhookServer(bot, {
              logger,
              url: config.WEBHOOK_URL,
              port: config.WEBHOOK_PORT,
              host: deps.webhookHost,
              secretToken: config.WEBHOOK_SECRET ?? randomBytes(32).toString("hex"),
              handler: webApp,
              health: deps.health,
              // Replicas: the one holding the lock registers the webhook (again after a restart).
              shouldRegister: async () => {
                webhookLeader ??= await appDb.acquireLeadership("webhook");
                return webhookLeader !== undefined;
              },
            })
          : createPollingRunner(bot, {
              logger,
              // Offline answers are CPU-bound: a few at a time finish sooner on average. LLM
              // answers mostly wait on the network, and a chat's queued questions hold slots
              // while its current one is answered, so they get many more.
              concurrency: config.llmEnabled ? LLM_CONCURRENCY : DEFAULT_CONCURRENCY,
              retryIntervalMs: deps.retry?.pollRetryIntervalMs,
            });
      try {
        if (webApp && config.BOT_MODE !== "webhook") {
          pages = createHttpServer(webApp, {
            logger,
            port: config.WEBAPP_PORT,
            host: deps.webhookHost,
          });
          await pages.start();
        }
        await runner.start();
      } catch (error) {
        runner = undefined;
        await pages?.stop();
        pages = undefined;
        throw error;
      }
    },
    async stop() {
      abortStart?.();
      if (purgeTimer) clearInterval(purgeTimer);
      stopRecovery?.();
      const r = runner;
      runner = undefined;
      await r?.stop();
      const p = pages;
      pages = undefined;
      await p?.stop();
      await webhookLeader?.release();
      webhookLeader = undefined;
      const settled = () => Promise.allSettled([...inFlight]).then(() => undefined);
      await Promise.race([settled(), sleep(deps.shutdownGraceMs ?? 10_000)]);
      if (inFlight.size) {
        logger.warn("aborting answers still in progress", { count: inFlight.size });
        shutdown.abort();
        await Promise.race([settled(), sleep(2000)]);
      }
      logger.info("bot stopped");
    },
  };
}
