/**
 * End-to-end harness of the coordinators' features: the real bot (long polling) against the
 * `telegram-test-api` emulator on 127.0.0.1, like tests/bot/e2e-helper.ts, with the app database
 * and the approved answers passed in, and `sendPhoto` captured on its way to the emulator (which
 * lacks it, so the call then fails as it would on such a server).
 */
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import type { ApprovedAnswerService } from "../../src/answer/approved.js";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { createBot, type PadomsBot } from "../../src/bot/create-bot.js";
import type { Config } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import type { AppDb } from "../../src/store/app-db.js";
import {
  type BotMessage,
  type EmulatorClient,
  emulatorBotMessages,
  slowEmptyPoll,
  waitForReplies,
} from "../bot/e2e-helper.js";

/** A file the bot tried to send with `sendPhoto`. */
export interface CapturedPhoto {
  chatId: number;
  data: Buffer;
  caption?: string;
}

/** A bot running against the emulator. */
export interface CoordinatorsE2eBot {
  padoms: PadomsBot;
  calls: { method: string; payload: Record<string, unknown> }[];
  photos: CapturedPhoto[];
  logs: string[];
  client(options: {
    chatId: number;
    userId?: number;
    type?: "private" | "group" | "supergroup";
    firstName?: string;
    userName?: string;
    chatTitle?: string;
  }): EmulatorClient;
  botMessages(chatId: number): Promise<BotMessage[]>;
  /** Runs `action` and waits (up to 20 s) for `count` new bot messages in the chat. */
  replies(
    chatId: number,
    count: number,
    action: () => Promise<unknown>,
    settleMs?: number,
  ): Promise<BotMessage[]>;
  stop(): Promise<void>;
}

/** Options of {@link startCoordinatorsBot}. */
export interface CoordinatorsBotOptions {
  config: Config;
  engine: AnswerEngine;
  appDb: AppDb;
  approved?: ApprovedAnswerService;
}

/** Starts the bot; `config.TELEGRAM_API_ROOT` must point at the emulator. */
export async function startCoordinatorsBot(
  server: TelegramServer,
  options: CoordinatorsBotOptions,
): Promise<CoordinatorsE2eBot> {
  const token = options.config.TELEGRAM_BOT_TOKEN as string;
  const logs: string[] = [];
  const logger = createLogger({ level: "debug", secrets: [token], write: (l) => logs.push(l) });
  const padoms = createBot({
    config: options.config,
    engine: options.engine,
    appDb: options.appDb,
    approved: options.approved,
    logger,
  });
  const calls: CoordinatorsE2eBot["calls"] = [];
  const photos: CapturedPhoto[] = [];
  padoms.bot.api.config.use(async (prev, method, payload, signal) => {
    const p = (payload ?? {}) as Record<string, unknown>;
    calls.push({ method, payload: p });
    if (method === "sendPhoto") {
      const file = (p.photo as { fileData?: unknown } | undefined)?.fileData;
      if (Buffer.isBuffer(file) || file instanceof Uint8Array) {
        photos.push({
          chatId: Number(p.chat_id),
          data: Buffer.from(file),
          caption: p.caption as string | undefined,
        });
      }
    }
    const result = await prev(method, payload, signal);
    await slowEmptyPoll(method, result);
    return result;
  });
  await padoms.start();

  const botMessages = emulatorBotMessages(server, token);

  return {
    padoms,
    calls,
    photos,
    logs,
    client: (o) => server.getClient(token, { timeout: 5000, ...o }),
    botMessages,
    replies: (chatId, count, action, settleMs = 0) =>
      waitForReplies(botMessages, chatId, count, action, settleMs, 20_000),
    async stop() {
      await padoms.stop();
    },
  };
}
