/**
 * Two bot replicas, each its own process in webhook mode on 127.0.0.1, sharing one PostgreSQL
 * (a server started for this file) and one index build (ingested once, served as it is). The
 * test plays the load balancer: it takes the users' updates from the Bot API emulator and posts
 * them alternately to each replica's webhook; the replies are read from the emulator. A third
 * replica, whose LLM never answers, is killed mid-answer at the end. Skipped, saying why, when no
 * PostgreSQL server can be started here.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppState } from "../../src/store/app-state.js";
import { openPostgresState } from "../../src/store/postgres-state.js";
import {
  type BotMessage,
  emulatorBotMessages,
  freePort,
  startEmulator,
} from "../bot/e2e-helper.js";
import { repoRoot } from "../helpers/corpus.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";
import { type PostgresServer, startPostgresServer } from "../helpers/postgres-server.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";

const TOKEN = "100000077:two-replicas-token-for-the-emulator-only";
const SECRET = "replicas-webhook-secret-0123456789";
const HOOK_PATH = "/tg/hook";
const COORDINATORS = -100_777;
const ADMIN = 7001;
const RATE_LIMIT = 3;

interface Replica {
  name: string;
  child: ChildProcess;
  port: number;
  stderr: string[];
}

let emulator: TelegramServer;
let pgServer: PostgresServer | undefined;
let skipReason: string | undefined;
let llm: FakeOpenAIServer;
let data: string;
let databaseUrl: string;
let state: AppState;
let a: Replica;
let b: Replica;
/** The third replica, whose LLM never answers: killed mid-answer by the last test. */
let c: Replica;
const replicas: Replica[] = [];
/** Every file of the index folder with its size and modification time, after the ingest. */
let indexFiles: string[];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const described = await Promise.all(
    files.map(async (f) => {
      const s = await stat(f);
      return `${f.slice(dir.length)} ${s.size} ${s.mtimeMs}`;
    }),
  );
  return described.sort();
}

async function startReplica(name: string, env: Record<string, string> = {}): Promise<Replica> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "tests/replicas/replica-process.ts")],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PADOMS_DATA_DIR: data,
        LOCAL_EMBEDDING_DIM: "768",
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: emulator.config.apiURL,
        BOT_MODE: "webhook",
        WEBHOOK_URL: `https://padoms.example${HOOK_PATH}`,
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET: SECRET,
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: "4",
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
        COORDINATOR_CHAT_ID: String(COORDINATORS),
        ADMIN_USER_IDS: String(ADMIN),
        TEST_PENDING_GRACE_MS: "3000",
        LLM: "off",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const replica: Replica = { name, child, port, stderr: [] };
  replicas.push(replica);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start`)), 90_000);
    child.stderr?.on("data", (d: Buffer) => {
      replica.stderr.push(d.toString());
      if (replica.stderr.join("").includes("Padoms is running as a Telegram bot")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited with ${code}: ${replica.stderr.join("")}`));
    });
  });
  return replica;
}

/** The load balancer: every update the users sent so far goes to `replica`'s webhook. */
async function deliver(replica: Replica): Promise<number> {
  const updates = emulator.getUpdates(TOKEN) as unknown[];
  for (const update of updates) {
    const res = await fetch(`http://127.0.0.1:${replica.port}${HOOK_PATH}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": SECRET,
      },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
  }
  return updates.length;
}

const botMessages = (chatId: number) => emulatorBotMessages(emulator, TOKEN)(chatId);

/** Sends through the emulator, delivers to `replica`, and returns the bot's new messages. */
async function via(
  replica: Replica,
  chatId: number,
  send: () => Promise<unknown>,
): Promise<BotMessage[]> {
  const before = new Set((await botMessages(chatId)).map((m) => m.messageId));
  await send();
  expect(await deliver(replica)).toBe(1);
  return (await botMessages(chatId)).filter((m) => !before.has(m.messageId));
}

function client(chatId: number, firstName: string, type: "private" | "supergroup" = "private") {
  return emulator.getClient(TOKEN, {
    chatId,
    userId: type === "private" ? chatId : ADMIN,
    firstName,
    type,
    timeout: 5000,
  });
}

function callbackData(markup: BotMessage["replyMarkup"]): string[] {
  return (markup?.inline_keyboard ?? [])
    .flat()
    .flatMap((k) => (k.callback_data ? [k.callback_data] : []));
}

beforeAll(async () => {
  const started = await startPostgresServer();
  if ("skipped" in started) {
    skipReason = started.skipped;
    console.warn(`Two-replica test skipped: ${skipReason}`);
    return;
  }
  pgServer = started.server;
  databaseUrl = await pgServer.createDatabase("padoms_replicas");
  emulator = await startEmulator();
  llm = await startFakeOpenAI({ kind: "hang" });
  data = await sampleIndexCopy();
  indexFiles = await listFiles(data);
  // Replicas apply the migrations themselves (under a lock); the test reads the same database.
  [a, b, c] = await Promise.all([
    startReplica("A"),
    startReplica("B"),
    startReplica("C", { LLM: "auto", OPENAI_BASE_URL: llm.baseURL, LLM_TIMEOUT_MS: "120000" }),
  ]);
  state = await openPostgresState(databaseUrl, { poolSize: 2 });
  // Telegram would now push to the registered address; here the test delivers the updates.
  emulator.deleteWebhook(TOKEN);
}, 240_000);

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGKILL");
  await state?.close();
  await llm?.close();
  await emulator?.stop();
  await pgServer?.stop();
  if (data) await rm(data, { recursive: true, force: true });
});

describe("two bot replicas on one PostgreSQL", () => {
  it("report healthy with the same index build; only one of them registered the webhook", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const health = (await Promise.all(
      [a, b].map(async (r) => (await fetch(`http://127.0.0.1:${r.port}/healthz`)).json()),
    )) as { index: { build: string } }[];
    for (const h of health) {
      expect(h).toMatchObject({ ok: true, database: { backend: "postgres", status: "ok" } });
    }
    expect(health[0]?.index.build).toBe(health[1]?.index.build);
    const skipped = [a, b, c].filter((r) =>
      r.stderr.join("").includes("webhook registered by another replica"),
    );
    expect(skipped).toHaveLength(2);
  });

  it("a follow-up answered by the other replica keeps its context", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const user = client(9101, "Līga");
    const [first] = await via(a, 9101, () =>
      user.sendMessage(user.makeMessage("Kas var saņemt sociālā uzņēmuma statusu?")),
    );
    expect(first?.text).toContain("[1]");
    const [second] = await via(b, 9101, () => user.sendMessage(user.makeMessage("Un kāpēc?")));
    expect(second?.text.length).toBeGreaterThan(0);
    const turns = await state.recentTurns("tg:9101", { limit: 3, ttlMs: 60_000 });
    expect(turns).toHaveLength(2);
    const [q1, q2] = turns.map((x) => JSON.parse(x.data) as { question: string; searched: string });
    // Replica B read replica A's turn: "why?" went on from the first answer's passage and
    // subject (alone, it would have been searched as it is).
    expect(q1?.searched).toContain("statusu");
    expect(q2?.question).toBe("Un kāpēc?");
    expect(q2?.searched).toBe(q1?.searched);
  });

  it("a second 👍 from the same user on the other replica is not counted", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const user = client(9101, "Līga");
    const answer = (await botMessages(9101)).find((m) =>
      callbackData(m.replyMarkup).some((d) => /^fb:\d+:u$/.test(d)),
    );
    const up = callbackData(answer?.replyMarkup).find((d) => /^fb:\d+:u$/.test(d)) as string;
    const id = Number(up.split(":")[1]);
    const press = () =>
      user.sendCallback(user.makeCallbackQuery(up, { message: { message_id: answer?.messageId } }));
    await press();
    expect(await deliver(a)).toBe(1);
    await press();
    expect(await deliver(b)).toBe(1);
    expect(await state.feedbackCounts(id)).toEqual({ up: 1, down: 0 });
  });

  it("an answer approved through replica A is given by replica B", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const question = "Cik maksā autostāvvieta pie Rīgas lidostas naktī?";
    const asker = client(9102, "Roberts");
    const toAsker = await via(a, 9102, () => asker.sendMessage(asker.makeMessage(question)));
    expect(toAsker.map((m) => m.text).join("\n")).toContain("koordinatoriem");
    const handoff = (await botMessages(COORDINATORS)).find((m) => m.text.includes(question));
    expect(handoff).toBeDefined();
    const coordinator = client(COORDINATORS, "Inese", "supergroup");
    const reply = "Padoms to nezina; jautājiet lidostai.";
    const [confirmation] = await via(a, COORDINATORS, () =>
      coordinator.sendMessage(
        coordinator.makeMessage(reply, {
          reply_to_message: {
            message_id: handoff?.messageId,
            from: { id: 666, is_bot: true, first_name: "Padoms", username: "TestNameBot" },
          },
        } as never),
      ),
    );
    const [save] = callbackData(confirmation?.replyMarkup);
    expect(save).toMatch(/^faq:\d+$/);
    await via(a, COORDINATORS, () =>
      coordinator.sendCallback(
        coordinator.makeCallbackQuery(save as string, {
          message: { message_id: confirmation?.messageId },
        }),
      ),
    );
    expect((await state.listApproved()).map((r) => r.answer)).toEqual([reply]);
    const other = client(9103, "Anda");
    const [answer] = await via(b, 9103, () => other.sendMessage(other.makeMessage(question)));
    expect(answer?.text).toContain("Koordinatoru apstiprināta atbilde");
    expect(answer?.text).toContain(reply);
  });

  it("the rate limit holds across both replicas", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const user = client(9104, "Jānis");
    // The limit counts in fixed windows aligned to the minute: a burst that crossed into the
    // next minute would start counting again. Start it with at least 10 s of a window left.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50));
    const windowStart = Math.floor(Date.now() / 60_000);
    const texts: string[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++) {
      const replies = await via(i % 2 ? b : a, 9104, () =>
        user.sendMessage(user.makeMessage(`Kā dibināt biedrību? (${i + 1})`)),
      );
      texts.push(replies.map((m) => m.text).join("\n"));
    }
    expect(Math.floor(Date.now() / 60_000), "the burst stayed in one minute").toBe(windowStart);
    const limited = texts.filter((x) => x.includes("Jūs rakstāt ļoti ātri"));
    expect(limited).toHaveLength(1);
    expect(texts.at(-1)).toBe(limited[0]);
  });

  it("the report counts the questions both replicas received", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const rows = await state.reportRows(new Date(Date.now() - 3_600_000), new Date());
    // Through A: Līga's first, Roberts's, Jānis's first and third; through B: Līga's follow-up,
    // Anda's, Jānis's second (his fourth was over the limit, so not answered nor recorded).
    expect(rows).toHaveLength(7);
    const admin = client(COORDINATORS, "Inese", "supergroup");
    const [report] = await via(b, COORDINATORS, () =>
      admin.sendCommand(admin.makeCommand("/report")),
    );
    expect(report?.text).toContain(`<b>Jautājumi</b>: ${rows.length}`);
  });

  it("a replica killed mid-answer loses no question: another one tells the user", async (t) => {
    if (skipReason) return t.skip(skipReason);
    const user = client(9105, "Zane");
    await user.sendMessage(user.makeMessage("Kā sociālais uzņēmums var saņemt atbalstu?"));
    const update = emulator.getUpdates(TOKEN)[0];
    // Posted, not awaited: the answer hangs in the LLM call.
    void fetch(`http://127.0.0.1:${c.port}${HOOK_PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
      body: JSON.stringify(update),
    }).catch(() => undefined);
    const deadline = Date.now() + 20_000;
    while (!llm.requests.some((r) => r.path.endsWith("/chat/completions"))) {
      if (Date.now() > deadline) throw new Error("the question did not reach the model");
      await new Promise((r) => setTimeout(r, 50));
    }
    c.child.kill("SIGKILL");
    const until = Date.now() + 20_000;
    let notice: string | undefined;
    while (!notice && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      notice = (await botMessages(9105)).find((m) => m.text.includes("vēlreiz"))?.text;
    }
    expect(notice).toContain("Kā sociālais uzņēmums var saņemt atbalstu?");
    expect((await botMessages(9105)).filter((m) => m.text.includes("vēlreiz"))).toHaveLength(1);
  });

  it("no replica wrote to the index folder (served as built)", async (t) => {
    if (skipReason) return t.skip(skipReason);
    expect(indexFiles.some((f) => f.startsWith("/manifest.json "))).toBe(true);
    expect(indexFiles.filter((f) => f.startsWith("/builds/")).length).toBeGreaterThanOrEqual(4);
    expect(await listFiles(data)).toEqual(indexFiles);
  });
});
