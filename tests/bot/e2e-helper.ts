/**
 * End-to-end harness: the real bot over HTTP (long polling with the runner) against the
 * `telegram-test-api` Bot API emulator on 127.0.0.1. The engine is a parameter, so the same
 * scenarios can run over the FakeAnswerEngine or the real engine on an indexed corpus.
 */
import { createServer } from "node:net";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { type CreateBotDeps, createBot, type PadomsBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { type AppDb, openAppDb } from "../../src/store/app-db.js";

/** The emulator's `getMe` identity. */
export const EMULATOR_BOT = { id: 666, username: "TestNameBot" } as const;

/** A message the bot sent, as the emulator stores it (the request body, edits merged in). */
export interface BotMessage {
  messageId: number;
  chatId: number;
  text: string;
  parseMode?: string;
  replyMarkup?: { inline_keyboard: { text: string; callback_data?: string; url?: string }[][] };
  replyParameters?: { message_id: number };
}

/** A client of the emulator (the package types are incomplete without `typegram`). */
export type EmulatorClient = ReturnType<TelegramServer["getClient"]>;

interface HistoryItem {
  messageId: number;
  updateId: number;
  message?: Record<string, unknown>;
  callbackQuery?: unknown;
}

/** Finds a free port on 127.0.0.1 (the emulator treats port 0 as "use 9000"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the emulator on a free loopback port. */
export async function startEmulator(): Promise<TelegramServer> {
  const server = new TelegramServer({
    port: await freePort(),
    host: "127.0.0.1",
    storeTimeout: 60,
  });
  await server.start();
  return server;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The emulator's `getUpdates` ignores the long-polling timeout and answers at once: an empty
 * poll is slowed down by 30 ms so the polling loop does not spin.
 */
export async function slowEmptyPoll(
  method: string,
  result: { ok: boolean; result?: unknown },
): Promise<void> {
  if (
    method === "getUpdates" &&
    result.ok &&
    Array.isArray(result.result) &&
    !result.result.length
  ) {
    await sleep(30);
  }
}

/** Reads the bot's messages in a chat from the emulator, oldest first (edits merged in). */
export function emulatorBotMessages(server: TelegramServer, token: string) {
  return async (chatId: number): Promise<BotMessage[]> => {
    const history =
      ((await server.getClient(token).getUpdatesHistory()) as unknown as HistoryItem[]) ?? [];
    return history
      .filter((h) => h.message && "chat_id" in h.message && Number(h.message.chat_id) === chatId)
      .sort((a, b) => a.messageId - b.messageId)
      .map((h) => {
        const m = h.message as Record<string, unknown>;
        return {
          messageId: h.messageId,
          chatId,
          text: String(m.text ?? ""),
          parseMode: m.parse_mode as string | undefined,
          replyMarkup: m.reply_markup as BotMessage["replyMarkup"],
          replyParameters: m.reply_parameters as BotMessage["replyParameters"],
        };
      });
  };
}

/**
 * Runs `action`, waits until the bot has sent at least `count` new messages to the chat (up to
 * `timeoutMs`), waits `settleMs` more, and returns all new messages.
 */
export async function waitForReplies(
  botMessages: (chatId: number) => Promise<BotMessage[]>,
  chatId: number,
  count: number,
  action: () => Promise<unknown>,
  settleMs = 0,
  timeoutMs = 15_000,
): Promise<BotMessage[]> {
  const before = new Set((await botMessages(chatId)).map((m) => m.messageId));
  await action();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = (await botMessages(chatId)).filter((m) => !before.has(m.messageId));
    if (fresh.length >= count) {
      if (settleMs) await sleep(settleMs);
      return (await botMessages(chatId)).filter((m) => !before.has(m.messageId));
    }
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} bot message(s) in chat ${chatId}, got ${fresh.length}`);
    }
    await sleep(40);
  }
}

/** Options of {@link startE2eBot}. */
export interface E2eBotOptions {
  engine: AnswerEngine;
  /** Bot token; each bot on one emulator needs its own. */
  token?: string;
  /** Extra environment for the bot's config (e.g. `RATE_LIMIT_PER_MINUTE`). */
  env?: Record<string, string>;
  /** More of what `createBot` takes (e.g. shorter `retry` waits). */
  deps?: Partial<CreateBotDeps>;
}

/** A bot running against the emulator, with helpers to talk to it. */
export interface E2eBot {
  token: string;
  padoms: PadomsBot;
  appDb: AppDb;
  /** Every Bot API call the bot made (method and payload), passed through to the emulator. */
  calls: { method: string; payload: Record<string, unknown> }[];
  logs: string[];
  client(options: {
    chatId: number;
    userId?: number;
    type?: "private" | "group" | "supergroup";
    firstName?: string;
    userName?: string;
  }): EmulatorClient;
  /** The bot's messages in a chat, oldest first, read with `getUpdatesHistory`. */
  botMessages(chatId: number): Promise<BotMessage[]>;
  /** The emulator's id of the latest user message in a chat. */
  lastUserMessageId(chatId: number): Promise<number | undefined>;
  /**
   * Runs `action`, waits until the bot has sent at least `count` new messages to the chat, waits
   * `settleMs` more, and returns all new messages (edits included).
   */
  replies(
    chatId: number,
    count: number,
    action: () => Promise<unknown>,
    settleMs?: number,
  ): Promise<BotMessage[]>;
  stop(): Promise<void>;
}

/**
 * Starts the real bot in polling mode with `TELEGRAM_API_ROOT` pointing at the emulator.
 * The emulator's `getUpdates` ignores the long-polling timeout and answers at once, so empty
 * polls are slowed down by 30 ms here to keep the loop from spinning.
 */
export async function startE2eBot(server: TelegramServer, options: E2eBotOptions): Promise<E2eBot> {
  const token = options.token ?? "100000001:E2E-test-token-padoms-emulator-only";
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: server.config.apiURL,
    BOT_MODE: "polling",
    RATE_LIMIT_PER_MINUTE: "1000",
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", secrets: [token], write: (l) => logs.push(l) });
  const appDb = openAppDb(":memory:", { pseudonymSecret: "e2e-secret" });
  const padoms = createBot({ config, engine: options.engine, appDb, logger, ...options.deps });
  const calls: E2eBot["calls"] = [];
  padoms.bot.api.config.use(async (prev, method, payload, signal) => {
    calls.push({ method, payload: (payload ?? {}) as Record<string, unknown> });
    const result = await prev(method, payload, signal);
    await slowEmptyPoll(method, result);
    return result;
  });
  await padoms.start();

  const history = async (): Promise<HistoryItem[]> => {
    const res = (await server.getClient(token).getUpdatesHistory()) as unknown as HistoryItem[];
    return res ?? [];
  };
  const botMessages = emulatorBotMessages(server, token);

  return {
    token,
    padoms,
    appDb,
    calls,
    logs,
    client: (o) => server.getClient(token, { timeout: 5000, ...o }),
    botMessages,
    async lastUserMessageId(chatId) {
      const items = (await history()).filter(
        (h) =>
          h.message &&
          !("chat_id" in h.message) &&
          (h.message.chat as { id: number } | undefined)?.id === chatId,
      );
      return items.at(-1)?.messageId;
    },
    replies: (chatId, count, action, settleMs = 0) =>
      waitForReplies(botMessages, chatId, count, action, settleMs),
    async stop() {
      await padoms.stop();
      appDb.close();
    },
  };
}
