/**
 * The Mini App end to end: the real bot (long polling) against the `telegram-test-api` emulator
 * on 127.0.0.1, the real engine over an indexed copy of the sample corpus, the app database in a
 * file, and the Mini App served by the bot's own HTTP server on a free port.
 */
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sign } from "@telegram-apps/init-data-node";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import type { ApprovedAnswerService } from "../../src/answer/approved.js";
import { type App, createApp } from "../../src/app.js";
import { createBot, type PadomsBot } from "../../src/bot/create-bot.js";
import type { Config } from "../../src/config.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { createLogger } from "../../src/log.js";
import { APP_DB_FILE, type AppDb, openAppDb } from "../../src/store/app-db.js";
import { createCatalogue } from "../../src/webapp/catalogue.js";
import {
  type BotMessage,
  type EmulatorClient,
  emulatorBotMessages,
  freePort,
  slowEmptyPoll,
  startEmulator,
  waitForReplies,
} from "../bot/e2e-helper.js";
import { sampleCorpus, tempDir, testConfig } from "../helpers/corpus.js";

export const TOKEN = "100000017:Mini-App-tests-token-emulator-only";
export const COORDINATORS = -100917;
export const ADMIN = 7;
/** The video address given to lecture `l03` of the corpus copy (the sample has none). */
export const VIDEO_URL = "https://www.youtube.com/watch?v=padomsL03";

/** A running bot with the Mini App. */
export interface MiniAppE2e {
  config: Config;
  app: App;
  appDb: AppDb;
  server: TelegramServer;
  padoms: PadomsBot;
  /** The Mini App's address, e.g. `http://127.0.0.1:PORT/app/`. */
  url: string;
  logs: string[];
  client(options: {
    chatId: number;
    userId?: number;
    type?: "private" | "group" | "supergroup";
    firstName?: string;
  }): EmulatorClient;
  botMessages(chatId: number): Promise<BotMessage[]>;
  replies(chatId: number, count: number, action: () => Promise<unknown>): Promise<BotMessage[]>;
  close(): Promise<void>;
}

/** Telegram's signed launch data for a user, as the Telegram app would pass it. */
export function launchData(
  user: { id: number; first_name: string; language_code?: string },
  options: { token?: string; authDate?: Date } = {},
): string {
  return sign(
    { user, query_id: "AAHdF6IQAAAAAN0XohDhrOrc" },
    options.token ?? TOKEN,
    options.authDate ?? new Date(),
  );
}

/** The page address with Telegram's launch parameters in the hash, as Telegram opens it. */
export function launchUrl(base: string, initData: string, query = ""): string {
  const theme = {
    bg_color: "#ffffff",
    text_color: "#1c1c1e",
    hint_color: "#707579",
    link_color: "#2481cc",
    button_color: "#2481cc",
    button_text_color: "#ffffff",
    secondary_bg_color: "#efeff4",
    section_bg_color: "#ffffff",
    section_separator_color: "#e1e1e6",
  };
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: "8.0",
    tgWebAppPlatform: "tdesktop",
    tgWebAppThemeParams: JSON.stringify(theme),
  });
  return `${base}${query}#${hash.toString()}`;
}

/** Starts everything; `distDir` is the built page (absent: API only). */
export async function startMiniApp(options: { distDir?: string } = {}): Promise<MiniAppE2e> {
  const data = await tempDir();
  const corpus = await tempDir("padoms-corpus-");
  await cp(sampleCorpus, corpus, { recursive: true });
  const metaPath = join(corpus, "lectures/lectures.json");
  const meta = JSON.parse(await readFile(metaPath, "utf8")) as {
    lectures: { id: string; url?: string }[];
  };
  for (const l of meta.lectures) if (l.id === "l03") l.url = VIDEO_URL;
  await writeFile(metaPath, JSON.stringify(meta, null, 2));

  const server = await startEmulator();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/app/`;
  const config = testConfig(data, corpus, {
    LOCAL_EMBEDDING_DIM: "768",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: server.config.apiURL,
    BOT_MODE: "polling",
    RATE_LIMIT_PER_MINUTE: "1000",
    COORDINATOR_CHAT_ID: String(COORDINATORS),
    ADMIN_USER_IDS: String(ADMIN),
    WEBAPP_URL: url,
    WEBAPP_PORT: String(port),
  });
  await ingestCorpus({ config });
  const appDb = openAppDb(join(data, APP_DB_FILE), { pseudonymSecret: "webapp-secret" });
  const app = await createApp({ config, appDb });
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", secrets: [TOKEN], write: (l) => logs.push(l) });
  const padoms = createBot({
    config,
    engine: app.engine,
    appDb,
    approved: app.approved as ApprovedAnswerService,
    logger,
    catalogue: createCatalogue(() => app.live.current()),
    webAppDistDir: options.distDir,
    webhookHost: "127.0.0.1",
  });
  padoms.bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    await slowEmptyPoll(method, result);
    return result;
  });
  await padoms.start();
  const botMessages = emulatorBotMessages(server, TOKEN);
  return {
    config,
    app,
    appDb,
    server,
    padoms,
    url,
    logs,
    client: (o) => server.getClient(TOKEN, { timeout: 5000, ...o }),
    botMessages,
    replies: (chatId, count, action) =>
      waitForReplies(botMessages, chatId, count, action, 0, 20_000),
    async close() {
      await padoms.stop();
      await server.stop();
      await app.close();
      await appDb.close();
      await rm(data, { recursive: true, force: true });
      await rm(corpus, { recursive: true, force: true });
    },
  };
}

/**
 * A question Padoms declined and handed off to the coordinators, recorded straight in the app
 * database (as if its asker, `userId`, had asked it in a private chat); returns its interaction id.
 */
export async function handedOffQuestion(
  appDb: AppDb,
  question: string,
  userId: number,
): Promise<number> {
  const id = await appDb.recordInteraction({
    question,
    answer: "",
    language: "lv",
    mode: "extractive",
    answered: false,
    declineReason: "no-match",
    citations: [],
    channel: "private",
    userId,
  });
  await appDb.createHandoff({
    interactionId: id,
    reason: "declined",
    chatId: userId,
    language: "lv",
    userId,
    coordinatorChatId: COORDINATORS,
  });
  return id;
}
