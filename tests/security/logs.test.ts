/**
 * The bot token and the API keys never appear in logs. The real bot (createApp + createBot, long
 * polling against the `telegram-test-api` emulator on 127.0.0.1) runs at LOG_LEVEL=debug with a
 * logger built as `padoms start` builds it (createLogger with the config's secrets), writing into
 * an array, through: start, questions (the LLM endpoint refusing the key, so the offline
 * fallback), a button, an engine that throws with the secrets in its message, a Telegram method
 * that fails, and stop. Every line is scanned for the token, its secret part (also URL-encoded),
 * the OpenAI key and the other secrets.
 */

import { rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine, AskOptions } from "../../src/answer/engine.js";
import { type App, createApp } from "../../src/app.js";
import { createBot, type PadomsBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { createLogger } from "../../src/log.js";
import { type AppDb, openAppDb } from "../../src/store/app-db.js";
import type { Answer } from "../../src/types.js";
import { startEmulator } from "../bot/e2e-helper.js";
import { tempDir, testConfig } from "../helpers/corpus.js";

/** Shaped like real ones. */
const TOKEN = "7412345678:AAH-padomsLogTestToken_abcdefghijklmnopq";
const TOKEN_SECRET = TOKEN.slice(TOKEN.indexOf(":") + 1);
const OPENAI_KEY = "sk-proj-PadomsLogTestKey_0123456789abcdefghijklmnop";
const PSEUDONYM_SECRET = "pseudonym-secret-for-log-tests-42";

const FORBIDDEN: [string, string][] = [
  ["bot token", TOKEN],
  ["bot token's secret part", TOKEN_SECRET],
  ["bot token, URL-encoded", encodeURIComponent(TOKEN)],
  ["OpenAI key", OPENAI_KEY],
  ["OpenAI key without its prefix", OPENAI_KEY.slice("sk-proj-".length)],
  ["pseudonym secret", PSEUDONYM_SECRET],
];

/** An OpenAI-compatible endpoint that refuses the key, quoting it back as some servers do. */
async function startRefusingLlm(): Promise<{
  url: string;
  hits: () => number;
  close(): Promise<void>;
}> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(401, { "content-type": "application/json" }).end(
      JSON.stringify({
        error: {
          message: `Incorrect API key provided: ${req.headers.authorization ?? ""}`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    hits: () => hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The real engine, except that questions containing "SPRĀGT" throw with the secrets inside. */
class ExplodingEngine implements AnswerEngine {
  constructor(private readonly inner: AnswerEngine) {}
  async ask(question: string, options?: AskOptions): Promise<Answer> {
    if (question.includes("SPRĀGT")) {
      const error = new Error(
        `upstream failed for https://api.telegram.org/bot${TOKEN}/sendMessage with Authorization: Bearer ${OPENAI_KEY}`,
      );
      Object.assign(error, { code: `E_${OPENAI_KEY}` });
      throw error;
    }
    return this.inner.ask(question, options);
  }
  forget(conversationId: string): void {
    this.inner.forget(conversationId);
  }
  lectures() {
    return this.inner.lectures();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TelegramServer;
let llm: Awaited<ReturnType<typeof startRefusingLlm>>;
let app: App;
let appDb: AppDb;
let padoms: PadomsBot;
let dirs: string[] = [];
const lines: string[] = [];

beforeAll(async () => {
  const corpus = await tempDir("padoms-logs-corpus-");
  const data = await tempDir("padoms-logs-data-");
  dirs = [corpus, data];
  await writeFile(
    join(corpus, "statuss.md"),
    "# Statuss\n\nSociālā uzņēmuma statusu piešķir Labklājības ministrija pēc Sociālo uzņēmumu komisijas atzinuma.\n",
  );
  await ingestCorpus({ config: testConfig(data, corpus) });
  server = await startEmulator();
  llm = await startRefusingLlm();
  const config = loadConfig({
    PADOMS_DATA_DIR: data,
    LOCAL_EMBEDDING_DIM: "256",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: server.config.apiURL,
    BOT_MODE: "polling",
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: llm.url,
    LLM_TIMEOUT_MS: "3000",
    PSEUDONYM_SECRET,
    LOG_LEVEL: "debug",
  });
  // As src/cli/start.ts builds the logger for src/cli/run-bot.ts.
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: [
      config.TELEGRAM_BOT_TOKEN,
      config.OPENAI_API_KEY,
      config.WEBHOOK_SECRET,
      config.PSEUDONYM_SECRET,
    ],
    write: (line) => lines.push(line),
  });
  app = await createApp({ config, logger });
  appDb = openAppDb(join(data, "padoms.sqlite"), { pseudonymSecret: config.PSEUDONYM_SECRET });
  padoms = createBot({ config, engine: new ExplodingEngine(app.engine), appDb, logger });
  padoms.bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (
      method === "getUpdates" &&
      result.ok &&
      Array.isArray(result.result) &&
      !result.result.length
    )
      await sleep(30);
    return result;
  });
  app.live.watch(500);
  await padoms.start();
}, 60_000);

afterAll(async () => {
  await padoms?.stop().catch(() => undefined);
  app?.close();
  appDb?.close();
  await server?.stop();
  await llm?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function botMessages(chatId: number): Promise<Record<string, unknown>[]> {
  const history = (await server.getClient(TOKEN).getUpdatesHistory()) as unknown as {
    message?: Record<string, unknown>;
  }[];
  return (history ?? [])
    .map((h) => h.message)
    .filter((m): m is Record<string, unknown> => !!m && Number(m.chat_id) === chatId);
}

async function ask(chatId: number, text: string, expected = 1): Promise<Record<string, unknown>[]> {
  const client = server.getClient(TOKEN, { chatId, userId: chatId, firstName: "Jānis" });
  const before = (await botMessages(chatId)).length;
  await client.sendMessage(client.makeMessage(text));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = await botMessages(chatId);
    if (now.length >= before + expected) return now.slice(before);
    if (Date.now() > deadline) throw new Error(`no reply to "${text}" in chat ${chatId}`);
    await sleep(40);
  }
}

describe("secrets in the logs of a running bot", () => {
  it("runs start, questions, a button, an engine error and stop, logging at debug", async () => {
    const [answer] = await ask(801, "Kas piešķir sociālā uzņēmuma statusu?");
    expect(String(answer?.text)).toContain("[1]");
    expect(llm.hits()).toBeGreaterThan(0);

    // A 👍 on that answer.
    const fb = (
      answer?.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined
    )?.inline_keyboard
      ?.flat()
      .find((b) => b.callback_data?.startsWith("fb:"))?.callback_data;
    expect(fb).toBeDefined();
    const client = server.getClient(TOKEN, { chatId: 801, userId: 801 });
    await client.sendCallback(client.makeCallbackQuery(fb as string));

    const [apology] = await ask(802, "Lūdzu SPRĀGT tagad");
    expect(String(apology?.text)).toMatch(/atvainoj|kļūda|neizdevās/i);

    await ask(803, "/start", 1);
    await sleep(300);
    await padoms.stop();

    const text = lines.join("\n");
    expect(text).toContain('"level":"debug"');
    expect(text).toContain("bot starting");
    expect(text).toContain("chat model failed; answering offline");
    expect(text).toContain("the engine failed to answer");
    expect(text).toContain("non-essential call failed");
    expect(text).toContain("bot stopped");
    expect(text).toContain("[redacted]");
  });

  it("no line carries the token, its secret part, the OpenAI key or the pseudonym secret", () => {
    expect(lines.length).toBeGreaterThan(20);
    const found = lines.flatMap((line) =>
      FORBIDDEN.filter(([, s]) => line.includes(s)).map(([what]) => `${what}: ${line}`),
    );
    expect(found).toEqual([]);
  });
});

describe("redaction of secrets in other forms", () => {
  // A secret that JSON escapes (a quote, a backslash — possible in PSEUDONYM_SECRET), or a token
  // written URL-encoded or without its numeric prefix, is redacted too.
  it("a secret with a quote or a backslash is redacted", () => {
    const out: string[] = [];
    const secret = 'pseudo"secret\\value-42';
    const logger = createLogger({ secrets: [secret], write: (l) => out.push(l) });
    logger.info("x", { value: `before ${secret} after` });
    expect(out.join("")).not.toContain("pseudo");
  });

  it("a URL-encoded token, or its secret part alone, is redacted", () => {
    const out: string[] = [];
    const logger = createLogger({ secrets: [TOKEN], write: (l) => out.push(l) });
    logger.warn("request failed", {
      url: `https://api.telegram.org/bot${encodeURIComponent(TOKEN)}/getMe`,
      header: `token=${TOKEN_SECRET}`,
    });
    expect(out.join("")).not.toContain(TOKEN_SECRET);
  });
});
