import {
  type ApprovedAnswerService,
  approvedIndexOf,
  createApprovedAnswers,
} from "./answer/approved.js";
import type { ChatModel } from "./answer/chat-model.js";
import {
  type ApprovedAnswers,
  createAnswerEngine,
  type SearchSource,
} from "./answer/create-engine.js";
import type { AnswerEngine } from "./answer/engine.js";
import type { CreateBotDeps, PadomsBot } from "./bot/create-bot.js";
import type { Config } from "./config.js";
import { createSentenceSimilarity } from "./embed/sentence-similarity.js";
import { type LiveIndex, openLiveIndex } from "./live-index.js";
import type { Logger } from "./log.js";
import { silentLogger } from "./log.js";
import type { AppState } from "./store/app-state.js";
import { createSharedMemory } from "./store/conversation-memory.js";
import { appStateExists, openAppState } from "./store/open-state.js";
import { openAppDb } from "./store/sqlite-state.js";
import type { Catalogue } from "./webapp/catalogue.js";

export {
  type LiveIndex,
  type OpenSearchOptions,
  openLiveIndex,
  openSearch,
  type SearchStack,
} from "./live-index.js";

/** Which app state {@link createApp} opens (and then owns and closes). */
export type AppStateMode =
  /** None (the default): the index and engine only, or the `appDb` the caller passes. */
  | "none"
  /** The one the config selects, only when there is one (the terminal front ends: ask, chat). */
  | "if-exists"
  /** The one the config selects, created when missing (the bot). */
  | "open";

/** The bot of an app: {@link createApp} builds it with `bot` in its options. */
export type AppBotOptions = Pick<
  CreateBotDeps,
  "botInfo" | "connect" | "pendingGraceMs" | "shutdownGraceMs" | "webAppDistDir" | "webhookHost"
>;

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  config: Config;
  logger?: Logger;
  /** Chat model override (tests); default: the OpenAI client when the config enables an LLM. */
  chat?: ChatModel;
  /** Approved answers searched first (tests); default: from the app state when there is one. */
  approved?: ApprovedAnswers;
  /**
   * An app database the caller opened and closes itself (tests, benchmarks). Without it,
   * `state` says which one the app opens and owns.
   */
  appDb?: AppState;
  /** Which app state to open when `appDb` is absent. Default "none". */
  state?: AppStateMode;
  /** With `state: "open"`: this SQLite file instead of the one the config selects. */
  appDbPath?: string;
  /**
   * Build the Telegram bot over the app (needs an app state): with `WEBAPP_URL` it serves the
   * Mini App too, and on start it purges interactions older than `RETENTION_DAYS`, then daily.
   */
  bot?: AppBotOptions;
}

/** Everything a front end needs: the live index, the answering engine, and what it asked for. */
export interface App {
  config: Config;
  logger: Logger;
  live: LiveIndex;
  engine: AnswerEngine;
  chat?: ChatModel;
  /** Coordinators' approved answers, when the app has a database. */
  approved?: ApprovedAnswerService;
  /** The app state (interactions, feedback, coordinators' data), when the app has one. */
  appDb?: AppState;
  /** The bot, when `bot` was given: `start()` it; {@link App.close} stops it. */
  bot?: PadomsBot;
  /**
   * Closes everything the app opened, in order: the bot (answers in progress finish), the
   * index, then the app state it opened. An `appDb` passed in is left open. Idempotent.
   */
  close(): Promise<void>;
}

async function openOwnedState(options: CreateAppOptions): Promise<AppState | undefined> {
  const { config } = options;
  const mode = options.state ?? "none";
  if (mode === "none") return undefined;
  if (mode === "if-exists" && !appStateExists(config)) return undefined;
  if (options.appDbPath)
    return openAppDb(options.appDbPath, { pseudonymSecret: config.PSEUDONYM_SECRET });
  return openAppState(config);
}

/**
 * The composition root: builds the app from a validated config. Front ends parse their
 * arguments, call only this, use what it returns, and end with one `close()`.
 */
export async function createApp(options: CreateAppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const owned = options.appDb ? undefined : await openOwnedState(options);
  const appDb = options.appDb ?? owned;
  let live: LiveIndex | undefined;
  try {
    live = await openLiveIndex({ config, logger });
    const parts = await assemble(options, logger, live, appDb);
    let closing: Promise<void> | undefined;
    const opened = live;
    return {
      ...parts,
      config,
      logger,
      live: opened,
      appDb,
      close() {
        closing ??= (async () => {
          try {
            if (parts.bot) await parts.bot.stop();
          } finally {
            // Without a bot the index closes before close() returns, as callers that do not
            // await it expect.
            opened.close();
            await owned?.close();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    live?.close();
    await owned?.close();
    throw error;
  }
}

async function assemble(
  options: CreateAppOptions,
  logger: Logger,
  live: LiveIndex,
  appDb: AppState | undefined,
): Promise<Pick<App, "engine" | "chat" | "approved" | "bot">> {
  const { config } = options;
  const similarity = createSentenceSimilarity();
  let chat = options.chat;
  if (!chat && config.llmEnabled) {
    // The OpenAI SDK is loaded only when an LLM is configured.
    const { createOpenAIChatModel } = await import("./openai/chat.js");
    chat = createOpenAIChatModel({
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.OPENAI_CHAT_MODEL,
      timeoutMs: config.LLM_TIMEOUT_MS,
    });
  }
  const approved = appDb
    ? createApprovedAnswers({
        store: appDb,
        index: () => approvedIndexOf(live.current()),
        similarity,
        logger,
      })
    : undefined;
  const source = (): SearchSource => {
    const s = live.current();
    return { retriever: s.retriever, lectures: s.lectures };
  };
  const engine = createAnswerEngine({
    source,
    chat,
    approved: options.approved ?? approved,
    minRelevance: config.ANSWER_MIN_RELEVANCE,
    similarity,
    llmTimeoutMs: config.LLM_TIMEOUT_MS,
    logger,
    // Replicas share the follow-up memory; one process keeps it in memory, as before.
    memory: appDb?.backend === "postgres" ? createSharedMemory(appDb, { logger }) : undefined,
  });
  if (!options.bot) return { engine, chat, approved };
  if (!appDb) {
    throw new Error('createApp: the bot needs an app state; pass `state: "open"` or `appDb`.');
  }
  const bot = await wireBot(options.bot, { config, logger, live, engine, approved, appDb });
  void approved?.reindex();
  live.watch();
  return { engine, chat, approved, bot };
}

/** The bot over the app: its health report, the Mini App's catalogue, and createBot. */
async function wireBot(
  options: AppBotOptions,
  deps: {
    config: Config;
    logger: Logger;
    live: LiveIndex;
    engine: AnswerEngine;
    approved?: ApprovedAnswerService;
    appDb: AppState;
  },
): Promise<PadomsBot> {
  const { config, logger, live, appDb } = deps;
  // grammY and the Mini App's server are loaded only for the bot.
  const { createBot } = await import("./bot/create-bot.js");
  let catalogue: Catalogue | undefined;
  if (config.WEBAPP_URL) {
    const [{ createCatalogue }, { ensureWebAppBuilt }] = await Promise.all([
      import("./webapp/catalogue.js"),
      import("./webapp/build.js"),
    ]);
    catalogue = createCatalogue(() => live.current());
    await ensureWebAppBuilt(logger);
  }
  const health = async () => {
    const database = await appDb.ping().then(
      () => "ok",
      (error: unknown) => `unreachable: ${(error as Error).message}`,
    );
    const manifest = live.current().index.manifest;
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
  return createBot({
    ...options,
    config,
    engine: deps.engine,
    appDb,
    logger,
    approved: deps.approved,
    catalogue,
    health,
  });
}
