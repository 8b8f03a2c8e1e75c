import type { Update, UserFromGetMe } from "grammy/types";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { type CreateBotDeps, createBot, type PadomsBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { type AppDb, openAppDb } from "../../src/store/app-db.js";
import { FakeAnswerEngine } from "./fake-engine.js";

/** A token shaped like a real one, to check that logs never carry it. */
export const TEST_TOKEN = "123456789:AAFakeTokenForPadomsTestsOnly_abcdefghij";

export const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: "Padoms",
  username: "padoms_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** One outgoing Bot API call. */
export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** Options of {@link createTestBot}. */
export interface TestBotOptions {
  engine?: AnswerEngine;
  env?: Record<string, string>;
  /** Methods that fail with a 400 error (as the emulator fails unknown methods). */
  failing?: string[];
  /** Custom result per call; return `undefined` for the default. */
  respond?: (
    call: ApiCall,
  ) => { ok: boolean; result?: unknown; error_code?: number; description?: string } | undefined;
  deps?: Partial<CreateBotDeps>;
}

/** A bot wired to fakes: outgoing calls are recorded and answered without any network. */
export interface TestBot {
  padoms: PadomsBot;
  engine: FakeAnswerEngine;
  appDb: AppDb;
  calls: ApiCall[];
  logs: string[];
  send(update: Omit<Update, "update_id"> & { update_id?: number }): Promise<void>;
  callsOf(method: string): ApiCall[];
  sent(): ApiCall[];
  clear(): void;
}

let nextUpdateId = 1;

/** Builds the bot with `botInfo` (no getMe), an API transformer that records calls, and fakes. */
export function createTestBot(options: TestBotOptions = {}): TestBot {
  const engine = (options.engine as FakeAnswerEngine | undefined) ?? new FakeAnswerEngine();
  const appDb = openAppDb(":memory:", { pseudonymSecret: "test-secret" });
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    LOG_LEVEL: "debug",
    RATE_LIMIT_PER_MINUTE: "100",
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    secrets: [TEST_TOKEN],
    write: (line) => logs.push(line),
  });
  const padoms = createBot({
    config,
    engine,
    appDb,
    logger,
    botInfo: BOT_INFO,
    // Inline queries wait this long for a newer one; the production 400 ms only where tested.
    inlineDebounceMs: 20,
    ...options.deps,
  });
  const calls: ApiCall[] = [];
  const failing = new Set(options.failing ?? []);
  let messageId = 5000;
  padoms.bot.api.config.use(async (_prev, method, payload) => {
    const call = { method, payload: (payload ?? {}) as Record<string, unknown> };
    calls.push(call);
    const custom = options.respond?.(call);
    if (custom) return custom as never;
    if (failing.has(method)) {
      return {
        ok: false,
        error_code: 400,
        description: `Bad Request: ${method} failed in test`,
      } as never;
    }
    if (method === "getUpdates") {
      await new Promise((r) => setTimeout(r, 20));
      return { ok: true, result: [] } as never;
    }
    if (method === "sendMessage") {
      const p = call.payload;
      return {
        ok: true,
        result: {
          message_id: ++messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: p.chat_id, type: Number(p.chat_id) < 0 ? "supergroup" : "private" },
          from: BOT_INFO,
          text: p.text,
        },
      } as never;
    }
    return { ok: true, result: true } as never;
  });
  return {
    padoms,
    engine,
    appDb,
    calls,
    logs,
    send: (update) => padoms.bot.handleUpdate({ update_id: nextUpdateId++, ...update } as Update),
    callsOf: (method) => calls.filter((c) => c.method === method),
    sent: () => calls.filter((c) => c.method === "sendMessage"),
    clear: () => {
      calls.length = 0;
    },
  };
}

/** Chats and users for updates. */
export const PRIVATE_CHAT = { id: 100, type: "private", first_name: "Anna" } as const;
export const GROUP_CHAT = { id: -100200, type: "supergroup", title: "Biedrība" } as const;
export const USER_LV = { id: 100, is_bot: false, first_name: "Anna", language_code: "lv" } as const;
export const USER_EN = { id: 101, is_bot: false, first_name: "John", language_code: "en" } as const;

let nextMessageId = 1;

/** Options of {@link message}. */
export interface MessageOptions {
  chat?: Record<string, unknown>;
  from?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A `message` update (text, or any content given in `extra`). */
export function message(
  text: string | undefined,
  { chat = PRIVATE_CHAT, from = USER_LV, ...extra }: MessageOptions = {},
): Omit<Update, "update_id"> {
  return {
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from,
      ...(text === undefined ? {} : { text }),
      ...extra,
    },
  } as unknown as Omit<Update, "update_id">;
}

/** A command message with its `bot_command` entity. */
export function command(text: string, options: MessageOptions = {}): Omit<Update, "update_id"> {
  const length = text.split(/\s/)[0]?.length ?? text.length;
  return message(text, { entities: [{ type: "bot_command", offset: 0, length }], ...options });
}

/** An `edited_message` update. */
export function edited(
  text: string,
  {
    chat = PRIVATE_CHAT,
    from = USER_LV,
  }: { chat?: Record<string, unknown>; from?: Record<string, unknown> } = {},
): Omit<Update, "update_id"> {
  const m = message(text, { chat, from, edit_date: Math.floor(Date.now() / 1000) }).message;
  return { edited_message: m } as unknown as Omit<Update, "update_id">;
}

/** A `callback_query` update from a button under message `messageId`. */
export function callback(
  data: string,
  {
    chat = PRIVATE_CHAT,
    from = USER_LV,
    messageId = 1,
  }: { chat?: Record<string, unknown>; from?: Record<string, unknown>; messageId?: number } = {},
): Omit<Update, "update_id"> {
  return {
    callback_query: {
      id: `cb${nextMessageId++}`,
      from,
      chat_instance: "ci",
      data,
      message: { message_id: messageId, date: 0, chat, from: BOT_INFO, text: "…" },
    },
  } as unknown as Omit<Update, "update_id">;
}

/** An `inline_query` update. */
export function inlineQuery(
  query: string,
  from: Record<string, unknown> = USER_LV,
): Omit<Update, "update_id"> {
  return {
    inline_query: { id: `iq${nextMessageId++}`, from, query, offset: "" },
  } as unknown as Omit<Update, "update_id">;
}

/** Tags in Telegram HTML are balanced (every opened tag closed, in order). */
export function tagsBalanced(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/g)) {
    const [, slash, name] = m;
    if (!slash) stack.push(name as string);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}
