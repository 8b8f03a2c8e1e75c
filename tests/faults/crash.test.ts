import { type ChildProcess, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { openAppDb } from "../../src/store/app-db.js";
import { slowEmptyPoll, startEmulator } from "../bot/e2e-helper.js";
import { repoRoot } from "../helpers/corpus.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";

const TOKEN = "100000042:crash-test-token-for-the-emulator-only";
const USER = 4242;
let emulator: TelegramServer;
let llm: FakeOpenAIServer;
let data: string;
const children: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  llm = await startFakeOpenAI({ kind: "hang" });
  data = await sampleIndexCopy();
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const stop of stops) await stop();
  await llm?.close();
  await emulator?.stop();
  await rm(data, { recursive: true, force: true });
});

/** The same composition as bot-process.ts, in this process, offline; returns its stop. */
async function startBotInProcess(): Promise<() => Promise<void>> {
  const config = loadConfig({
    PADOMS_DATA_DIR: data,
    LOCAL_EMBEDDING_DIM: "768",
    LLM: "off",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.config.apiURL,
    RATE_LIMIT_PER_MINUTE: "1000",
  });
  const logger = createLogger({ level: "silent" });
  const app = await createApp({ config, logger });
  const appDb = openAppDb(join(data, "padoms.sqlite"), { pseudonymSecret: "crash-test" });
  const padoms = createBot({ config, engine: app.engine, appDb, logger, pendingGraceMs: 0 });
  padoms.bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    await slowEmptyPoll(method, result);
    return result;
  });
  await padoms.start();
  return async () => {
    await padoms.stop();
    appDb.close();
    app.close();
  };
}

/** Starts a bot process and resolves when it takes updates. */
function startBot(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "tests/faults/bot-process.ts")],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PADOMS_DATA_DIR: data,
        LOCAL_EMBEDDING_DIM: "768",
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: emulator.config.apiURL,
        RATE_LIMIT_PER_MINUTE: "1000",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("bot did not start")), 60_000);
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`bot exited with ${code}`)));
  });
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a bot killed between receiving and answering a question", () => {
  it("does not lose the question: after a restart the user is told to ask again", async () => {
    // First process: the LLM never answers, so the question stays in flight.
    const first = await startBot({ OPENAI_BASE_URL: llm.baseURL, LLM_TIMEOUT_MS: "120000" });
    const client = emulator.getClient(TOKEN, {
      chatId: USER,
      userId: USER,
      firstName: "Ilze",
      timeout: 5000,
    });
    await client.sendMessage(client.makeMessage("Kā iegūt sociālā uzņēmuma statusu?"));
    await until("the question to reach the model", async () =>
      llm.requests.some((r) => r.path.endsWith("/chat/completions")) ? true : undefined,
    );
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));

    // The restart (here in this process, composed as bot-process.ts is): offline, it recovers
    // the questions left pending by the dead process from the app database.
    const restarted = await startBotInProcess();
    stops.push(restarted);
    const notice = await until("the restart notice", async () => {
      const history = (await emulator.getClient(TOKEN).getUpdatesHistory()) as unknown as {
        message?: Record<string, unknown>;
      }[];
      return history
        .map((h) => h.message)
        .find((m) => m && Number(m.chat_id) === USER && typeof m.text === "string")?.text as
        | string
        | undefined;
    });
    expect(notice).toMatch(/Kā iegūt sociālā uzņēmuma statusu/);
    expect(notice.toLowerCase()).toMatch(/vēlreiz|atkārto|restart|pārstart/);
  });
});
