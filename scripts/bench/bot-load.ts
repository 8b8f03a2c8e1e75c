/**
 * Bot load benchmark: the real bot (createApp + createBot, long polling through the grammY runner)
 * in a child process, against the `telegram-test-api` Bot API emulator on 127.0.0.1, over the
 * sample corpus indexed into a temporary data folder, answering offline.
 *
 * 1. Load: `users` private chats (default 200); each sends `questionsPerUser` (default 5) Latvian
 *    questions as one burst — back to back, without waiting for answers. Users start spread over
 *    `rampSeconds` (default 0: all at once). Every reply is matched to its question (through the
 *    interaction id in its 👍 button), so answered, in order and time to reply are measured.
 * 2. Soak: a steady `soakRate` questions per second (default 5) round-robin over the same users for
 *    `soakMinutes` (default 10); the bot process samples its RSS every `sampleSeconds` (default 5).
 *    Growth is RSS at the end against RSS after warm-up, with the least-squares trend in between.
 *    Warm-up ends at minute 1 (20 % of a shorter soak), or later, once V8's committed heap has
 *    settled after the burst (the bot runs one full GC before the soak; see `warmupEnd`).
 *
 * Prints a table with targets (✓/✗) and writes `bench/results/bot-<timestamp>.json`.
 *
 *   npx tsx scripts/bench/bot-load.ts [--users N] [--questions N] [--soak-minutes M]
 *     [--soak-rate R] [--ramp-seconds S] [--json]
 *
 * The bot process is this file run with `--child`; everything talks over 127.0.0.1 only.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { percentile } from "./stats.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const thisFile = fileURLToPath(import.meta.url);
const TOKEN = "700000001:bot-load-bench-token-emulator-only-xx";
const PSEUDONYM_SECRET = "bot-bench-pseudonym-secret";
/** Empty polls are answered at once by the emulator; the bot waits this long before the next one. */
const EMPTY_POLL_DELAY_MS = 20;
const READY_TIMEOUT_MS = 180_000;
const LOAD_DRAIN_TIMEOUT_MS = 180_000;
const SOAK_DRAIN_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** Questions per user and minute the soak stays under (the bot's limit is 10). */
const SOAK_PER_USER_PER_MINUTE = 6;

/** A fixed, varied list of standalone Latvian questions (no pronouns, so none reads as a follow-up). */
export const BOT_BENCH_QUESTIONS: readonly string[] = [
  "Kas ir sociālais uzņēmums?",
  "Kam var piešķirt sociālā uzņēmuma statusu?",
  "Cik liels pamatkapitāls vajadzīgs SIA dibināšanai?",
  "Kādi nodokļu atvieglojumi pienākas sociālajam uzņēmumam?",
  "Kādi granti pieejami sociālajiem uzņēmumiem?",
  "Kam attiecas de minimis atbalsts?",
  "Kā izmērīt sociālo ietekmi?",
  "Kā pieteikties sociālā uzņēmuma statusam?",
  "Vai sociālais uzņēmums drīkst sadalīt peļņu?",
  "Kādi dokumenti jāiesniedz Labklājības ministrijā?",
  "Kas lemj par statusa piešķiršanu?",
  "Kā pārbaudīt biznesa ideju pirms uzņēmuma dibināšanas?",
  "Vai biedrība var būt sociālais uzņēmums?",
  "Kā pašvaldība var atbalstīt sociālo uzņēmumu?",
  "Vai LEADER programma finansē sociālos uzņēmumus?",
  "Kas ir vietējā rīcības grupa?",
  "Kā atrast pirmos klientus sociālajam uzņēmumam?",
  "Kad var zaudēt sociālā uzņēmuma statusu?",
  "Kāds likums regulē sociālos uzņēmumus Latvijā?",
  "Cik darbinieku jānodarbina no mērķa grupas?",
  "cik liels pamatkapitals vajadzigs SIA?",
  "Kā sagatavot biznesa plānu sociālajam uzņēmumam?",
  "Kādas ir biežākās kļūdas, uzsākot sociālo uzņēmumu?",
  "Kam pieejams ALTUM grants sociālajiem uzņēmumiem?",
  "Vai sociālais uzņēmums var nodarbināt brīvprātīgos?",
];

// ---------------------------------------------------------------------------------------------
// Shapes

/** Options of {@link runBotBench}. */
export interface BotBenchOptions {
  /** Simulated users (private chats). Default 200. */
  users?: number;
  /** Questions each user sends in its burst. Default 5. */
  questionsPerUser?: number;
  /** Length of the soak. Default 10; 0 skips it. */
  soakMinutes?: number;
  /** Questions per second during the soak. Default 5 (lowered to stay under the rate limit). */
  soakRate?: number;
  /** Users' bursts start spread over this many seconds. Default 0 (all at once). */
  rampSeconds?: number;
  /** RSS sampling interval of the bot process. Default 5 s. */
  sampleSeconds?: number;
  /** Print the result as JSON on stdout instead of the table. */
  json?: boolean;
  /** Where to write the JSON; `false`: nowhere. Default `bench/results/bot-<timestamp>.json`. */
  out?: string | false;
  /** Progress lines on stderr. Default true. */
  progress?: boolean;
}

/** Latency percentiles, in ms. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One phase's delivery numbers. */
export interface PhaseResult {
  questions: number;
  /** Questions that got their reply (an answer message carrying its interaction id). */
  replied: number;
  /** Of those, answered from the materials (not declined). */
  answered: number;
  declined: number;
  /** Chats whose replies came in the order of their questions. */
  chatsInOrder: number;
  chats: number;
  /** Replies that came out of their chat's order (skipping or after a later question). */
  outOfOrder: number;
  timeToReplyMs: Percentiles;
  wallMs: number;
  /** Replies per second over the phase. */
  throughput: number;
  /** CPU time of the bot process over the phase, in ms, and per question. */
  botCpuMs: number;
  botCpuMsPerQuestion: number;
  /** Event-loop utilisation of the driver process (emulator and load generator), 0–1. */
  driverLoopUtilisation: number;
}

/** One RSS sample of the bot process. */
export interface RssSample {
  /** Seconds since the soak started (negative: before it). */
  t: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

/** What {@link runBotBench} returns (and writes as JSON). */
export interface BotBenchResult {
  startedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    /** 1-minute load average at the start and the end (other processes share the machine). */
    loadAvg: [number, number];
  };
  settings: {
    users: number;
    questionsPerUser: number;
    burst: string;
    rampSeconds: number;
    soakMinutes: number;
    soakRate: number;
    sampleSeconds: number;
    rateLimitPerMinute: number;
    emptyPollDelayMs: number;
    questionSet: number;
  };
  ingest: { chunks: number; ms: number };
  botStartMs: number;
  load: PhaseResult;
  soak?: PhaseResult & {
    rss: {
      warmupAtSec: number;
      warmupMb: number;
      endMb: number;
      growthPct: number;
      /** Least-squares slope of RSS from the warm-up to the end, in MB per minute. */
      slopeMbPerMin: number;
      peakMb: number;
      samples: RssSample[];
    };
  };
  errors: {
    /** Log lines of the bot at error level. */
    errorLines: number;
    warnLines: number;
    /** Bot API calls that failed (methods the emulator supports). */
    failedApiCalls: number;
    /** Calls to methods `telegram-test-api` does not implement (sendChatAction, setMyCommands). */
    unsupportedByEmulator: Record<string, number>;
    /** The load generator's requests to the emulator that failed. */
    failedClientRequests: number;
    /** Messages in the chats that were not a final answer part (apologies, limits, split parts). */
    otherMessages: number;
    examples: string[];
  };
  targets: { name: string; value: string; target: string; pass: boolean }[];
  pass: boolean;
}

/** Configuration of the bot process. */
interface ChildSpec {
  dataDir: string;
  apiRoot: string;
  rateLimitPerMinute: number;
  sampleMs: number;
}

type ChildMessage =
  | { type: "ready"; startMs: number }
  | {
      type: "rss";
      at: number;
      rss: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      cpuMs: number;
    }
  | {
      type: "lookup";
      rows: { id: number; question: string; answered: boolean }[];
    }
  | {
      type: "final";
      counts: Record<string, number>;
      failedApiCalls: number;
      unsupported: Record<string, number>;
      examples: string[];
    };

type ParentMessage =
  | { type: "lookup"; ids: number[] }
  | { type: "sample" }
  | { type: "gc" }
  | { type: "stop" };

// ---------------------------------------------------------------------------------------------
// The bot process

async function childMain(spec: ChildSpec): Promise<void> {
  const send = (m: ChildMessage) => process.send?.(m);
  const started = performance.now();
  const [{ createApp }, { loadConfig }, { createLogger }] = await Promise.all([
    import("../../src/app.js"),
    import("../../src/config.js"),
    import("../../src/log.js"),
  ]);
  const config = loadConfig({
    PADOMS_DATA_DIR: spec.dataDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: spec.apiRoot,
    BOT_MODE: "polling",
    LLM: "off",
    LOG_LEVEL: "info",
    RATE_LIMIT_PER_MINUTE: String(spec.rateLimitPerMinute),
    PSEUDONYM_SECRET,
  });
  const counts: Record<string, number> = { debug: 0, info: 0, warn: 0, error: 0 };
  const examples: string[] = [];
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: [TOKEN, PSEUDONYM_SECRET],
    write: (line) => {
      const level = /"level":"(\w+)"/.exec(line)?.[1] ?? "info";
      counts[level] = (counts[level] ?? 0) + 1;
      if ((level === "error" || level === "warn") && examples.length < 20) examples.push(line);
    },
  });
  // The production composition (as `padoms start`): index, app state, bot, one close().
  const app = await createApp({
    config,
    logger,
    state: "open",
    appDbPath: join(spec.dataDir, "padoms.sqlite"),
    bot: {},
  });
  const { appDb, bot: padoms } = app;
  if (!appDb || !padoms) throw new Error("createApp built no bot");
  let failedApiCalls = 0;
  const unsupported: Record<string, number> = {};
  padoms.bot.api.config.use(async (prev, method, payload, signal) => {
    let result: Awaited<ReturnType<typeof prev>>;
    try {
      result = await prev(method, payload, signal);
    } catch (error) {
      if (!signal?.aborted) {
        failedApiCalls++;
        if (examples.length < 20) examples.push(`${method} threw: ${String(error)}`);
      }
      throw error;
    }
    if (!result.ok) {
      // The emulator answers methods it lacks with HTTP 500 and `{ message }` (no `ok` field).
      const message = (result as { message?: string }).message ?? result.description ?? "";
      if (/not supported/i.test(message)) {
        unsupported[method] = (unsupported[method] ?? 0) + 1;
      } else {
        failedApiCalls++;
        if (examples.length < 20) examples.push(`${method}: ${message}`);
      }
    } else if (method === "getUpdates" && Array.isArray(result.result) && !result.result.length) {
      await sleep(EMPTY_POLL_DELAY_MS);
    }
    return result;
  });
  await padoms.start();
  send({ type: "ready", startMs: Math.round(performance.now() - started) });

  const sample = () => {
    const m = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({
      type: "rss",
      at: Date.now(),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    });
  };
  sample();
  const sampler = setInterval(sample, spec.sampleMs);

  process.on("message", (raw: ParentMessage) => {
    if (raw.type === "sample") {
      sample();
      return;
    }
    if (raw.type === "gc") {
      (globalThis as { gc?: () => void }).gc?.();
      setTimeout(sample, 1000);
      return;
    }
    if (raw.type === "lookup") {
      void (async () => {
        const rows = [];
        for (const id of raw.ids) {
          const i = await appDb.getInteraction(id);
          if (i) rows.push({ id, question: i.question, answered: i.answered });
        }
        send({ type: "lookup", rows });
      })();
      return;
    }
    if (raw.type === "stop") {
      clearInterval(sampler);
      void (async () => {
        await app.close();
        send({ type: "final", counts, failedApiCalls, unsupported, examples });
        process.disconnect?.();
      })();
    }
  });
  process.on("disconnect", () => {
    clearInterval(sampler);
    setTimeout(() => process.exit(0), 200).unref();
  });
}

// ---------------------------------------------------------------------------------------------
// Statistics and matching

function percentiles(values: readonly number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x);
  return {
    count: s.length,
    p50: r(percentile(s, 50)),
    p95: r(percentile(s, 95)),
    p99: r(percentile(s, 99)),
    max: r(s.at(-1) ?? Number.NaN),
  };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** RSS follows a change of V8's committed heap with some delay, in seconds. */
const RSS_LAG_SEC = 30;

/**
 * When the warm-up ends: at `earliest` seconds, or later, once V8's committed heap has settled at
 * its steady size (after a burst V8 keeps the pages for a minute or so, then gives them back,
 * then grows again to what the steady load needs; RSS follows each step): from the first sample
 * after which the committed heap stays within 10 % of its size over the last fifth of the soak,
 * plus {@link RSS_LAG_SEC}. At the latest at `latest` seconds.
 */
function warmupEnd(samples: readonly RssSample[], earliest: number, latest: number): number {
  if (samples.length === 0) return earliest;
  const tail = samples.slice(-Math.max(3, Math.ceil(samples.length / 5)));
  const settled = median(tail.map((s) => s.heapTotalMb));
  const steady = (mbValue: number) => Math.abs(mbValue - settled) <= settled * 0.1;
  for (const [i, s] of samples.entries()) {
    if (s.t < earliest) continue;
    if (s.t > latest) break;
    if (samples.slice(i).every((x) => steady(x.heapTotalMb)))
      return Math.min(latest, Math.round(s.t + RSS_LAG_SEC));
  }
  return latest;
}

/** Least-squares slope of y over x; 0 with fewer than two points. */
function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? num / den : 0;
}

interface SentQuestion {
  text: string;
  sentAt: number;
  phase: "warmup" | "load" | "soak";
  repliedAt?: number;
  answered?: boolean;
  /** Its answer came after the answer to a later question, or skipped an earlier one. */
  outOfOrder?: boolean;
}

interface BotReply {
  at: number;
  interactionId?: number;
}

/** Finds the interaction id in an answer's 👍 button. */
function interactionIdOf(markup: unknown): number | undefined {
  const rows = (markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
    ?.inline_keyboard;
  for (const b of rows?.flat() ?? []) {
    const m = /^fb:(\d+):u$/.exec(b.callback_data ?? "");
    if (m) return Number(m[1]);
  }
  return undefined;
}

/**
 * Matches a chat's answers (arrival order) to its questions (send order). An answer to the
 * question expected next is in order; an answer to a later one (skipping a question) or to an
 * earlier skipped one is marked out of order.
 */
function matchChat(
  sent: SentQuestion[],
  replies: { at: number; question: string; answered: boolean }[],
): void {
  let next = 0;
  for (const r of replies) {
    let i = -1;
    for (let k = next; k < sent.length && i < 0; k++) {
      const s = sent[k] as SentQuestion;
      if (s.repliedAt === undefined && s.text === r.question) i = k;
    }
    if (i < 0) i = sent.findIndex((s) => s.repliedAt === undefined && s.text === r.question);
    if (i < 0) continue;
    const s = sent[i] as SentQuestion;
    s.repliedAt = r.at;
    s.answered = r.answered;
    s.outOfOrder = i !== next;
    while (next < sent.length && sent[next]?.repliedAt !== undefined) next++;
  }
}

function phaseResult(
  chats: Map<number, SentQuestion[]>,
  phase: SentQuestion["phase"],
  wallMs: number,
  usage: { botCpuMs: number; driverLoopUtilisation: number },
): PhaseResult {
  const all: SentQuestion[] = [];
  let chatCount = 0;
  let chatsInOrder = 0;
  for (const sent of chats.values()) {
    const mine = sent.filter((s) => s.phase === phase);
    if (!mine.length) continue;
    chatCount++;
    all.push(...mine);
    if (mine.every((s) => s.repliedAt !== undefined && !s.outOfOrder)) chatsInOrder++;
  }
  const replied = all.filter((s) => s.repliedAt !== undefined);
  return {
    questions: all.length,
    replied: replied.length,
    answered: replied.filter((s) => s.answered).length,
    declined: replied.filter((s) => s.answered === false).length,
    chatsInOrder,
    chats: chatCount,
    outOfOrder: all.filter((s) => s.outOfOrder).length,
    timeToReplyMs: percentiles(replied.map((s) => (s.repliedAt as number) - s.sentAt)),
    wallMs: Math.round(wallMs),
    throughput: wallMs > 0 ? Math.round((replied.length / wallMs) * 1000 * 10) / 10 : 0,
    botCpuMs: usage.botCpuMs,
    botCpuMsPerQuestion: all.length ? Math.round((usage.botCpuMs / all.length) * 10) / 10 : 0,
    driverLoopUtilisation: Math.round(usage.driverLoopUtilisation * 100) / 100,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers of the driver

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Waits for the first message of `type` from the bot process. */
function nextMessage<T extends ChildMessage["type"]>(
  child: ChildProcess,
  type: T,
  ms: number,
): Promise<Extract<ChildMessage, { type: T }>> {
  return timeout(
    new Promise((resolveMessage, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type !== type) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolveMessage(m as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null) => {
        child.off("message", onMessage);
        reject(new Error(`the bot process exited (code ${code}) before "${type}"`));
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
    }),
    ms,
    `bot process "${type}"`,
  );
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function fmtMs(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms)} ms` : "—";
}

// ---------------------------------------------------------------------------------------------
// The benchmark

/** Runs the bot load benchmark; see the file comment. */
export async function runBotBench(options: BotBenchOptions = {}): Promise<BotBenchResult> {
  const users = Math.max(1, Math.floor(options.users ?? 200));
  const perUser = Math.max(1, Math.floor(options.questionsPerUser ?? 5));
  const soakMinutes = Math.max(0, options.soakMinutes ?? 10);
  const rampSeconds = Math.max(0, options.rampSeconds ?? 0);
  const sampleSeconds = Math.max(1, options.sampleSeconds ?? 5);
  const soakRate = Math.min(
    Math.max(0.1, options.soakRate ?? 5),
    (users * SOAK_PER_USER_PER_MINUTE) / 60,
  );
  // The bot keeps its rate limit (10/min by default); a burst larger than that would be limited.
  const rateLimitPerMinute = Math.min(1000, Math.max(10, perUser + SOAK_PER_USER_PER_MINUTE));
  const progress = options.progress ?? true;
  const log = (msg: string) => {
    if (progress) process.stderr.write(`[bot-bench] ${msg}\n`);
  };
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;

  const tmp = await mkdtemp(join(tmpdir(), "padoms-bot-bench-"));
  const dataDir = join(tmp, "data");
  let server: TelegramServer | undefined;
  let child: ChildProcess | undefined;
  try {
    // Index the sample corpus as `padoms ingest` would, offline.
    const [{ ingestCorpus }, { loadConfig }] = await Promise.all([
      import("../../src/ingest/ingest.js"),
      import("../../src/config.js"),
    ]);
    const ingestStarted = performance.now();
    const summary = await ingestCorpus({
      config: loadConfig({
        PADOMS_DATA_DIR: dataDir,
        PADOMS_CORPUS_DIR: join(root, "corpus"),
        LLM: "off",
      }),
    });
    if (summary.status === "failed") throw new Error("ingest of the sample corpus failed");
    const ingest = { chunks: summary.chunks, ms: Math.round(performance.now() - ingestStarted) };
    log(`indexed the sample corpus: ${ingest.chunks} passages in ${ingest.ms} ms`);

    // The emulator keeps every message for a day (it drops older ones), on loopback.
    server = new TelegramServer({
      port: await freePort(),
      host: "127.0.0.1",
      storeTimeout: 24 * 3600,
    });
    await server.start();
    const emulator = server;

    // Every message the bot sends, as the emulator stores it.
    const replies = new Map<number, BotReply[]>();
    let otherMessages = 0;
    const addBotMessage = emulator.addBotMessage.bind(emulator);
    emulator.addBotMessage = (raw, token) => {
      const stored = addBotMessage(raw, token);
      const chatId = Number(raw.chat_id);
      const interactionId = interactionIdOf(stored.reply_markup ?? raw.reply_markup);
      if (interactionId === undefined) otherMessages++;
      const list = replies.get(chatId) ?? [];
      list.push({ at: performance.now(), interactionId });
      replies.set(chatId, list);
      return stored;
    };
    // Drop what the emulator no longer needs (read updates, and bot messages after a minute).
    const pruner = setInterval(() => {
      const cutoff = Date.now() - 60_000;
      emulator.storage.userMessages = emulator.storage.userMessages.filter((u) => !u.isRead);
      emulator.storage.botMessages = emulator.storage.botMessages.filter((b) => b.time > cutoff);
    }, 10_000);
    pruner.unref();

    // The bot, in its own process, so that RSS is the bot's alone.
    const spec: ChildSpec = {
      dataDir,
      apiRoot: emulator.config.apiURL,
      rateLimitPerMinute,
      sampleMs: sampleSeconds * 1000,
    };
    const botProcess = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", thisFile, "--child", JSON.stringify(spec)],
      { cwd: root, stdio: ["ignore", "inherit", "inherit", "ipc"] },
    );
    child = botProcess;
    const rssRaw: Extract<ChildMessage, { type: "rss" }>[] = [];
    botProcess.on("message", (m: ChildMessage) => {
      if (m.type === "rss") rssRaw.push(m);
    });
    const ready = await nextMessage(botProcess, "ready", READY_TIMEOUT_MS);
    const sampleNow = async () => {
      const next = nextMessage(botProcess, "rss", 10_000);
      botProcess.send({ type: "sample" } satisfies ParentMessage);
      return (await next).cpuMs;
    };
    log(`bot ready in ${ready.startMs} ms (polling ${emulator.config.apiURL})`);

    // The load generator: one emulator client per user; a user's messages go out in order.
    const chats = new Map<number, SentQuestion[]>();
    let failedClientRequests = 0;
    const clients = new Map<number, ReturnType<TelegramServer["getClient"]>>();
    const queues = new Map<number, Promise<void>>();
    const clientOf = (chatId: number) => {
      let c = clients.get(chatId);
      if (!c) {
        c = emulator.getClient(TOKEN, {
          chatId,
          userId: chatId,
          firstName: `Lietotājs ${chatId}`,
          userName: `user${chatId}`,
          type: "private",
          timeout: 10_000,
        });
        clients.set(chatId, c);
      }
      return c;
    };
    const ask = (chatId: number, text: string, phase: SentQuestion["phase"]): Promise<void> => {
      const run = async () => {
        const client = clientOf(chatId);
        const entry: SentQuestion = { text, sentAt: performance.now(), phase };
        const list = chats.get(chatId) ?? [];
        list.push(entry);
        chats.set(chatId, list);
        try {
          await client.sendMessage(client.makeMessage(text));
        } catch {
          failedClientRequests++;
          list.splice(list.indexOf(entry), 1);
        }
      };
      const queued = (queues.get(chatId) ?? Promise.resolve()).then(run);
      queues.set(chatId, queued);
      return queued;
    };
    const questionFor = (user: number, k: number) =>
      BOT_BENCH_QUESTIONS[(user * 7 + k) % BOT_BENCH_QUESTIONS.length] as string;
    const replyCount = () => {
      let n = 0;
      for (const list of replies.values()) n += list.filter((r) => r.interactionId).length;
      return n;
    };
    const waitForReplies = async (expected: number, ms: number) => {
      const deadline = Date.now() + ms;
      while (replyCount() < expected && Date.now() < deadline) await sleep(50);
    };
    const sentCount = () => {
      let n = 0;
      for (const list of chats.values()) n += list.length;
      return n;
    };

    // Warm-up: one chat (not counted) asks a few questions one after another.
    const warmChat = 1;
    for (let k = 0; k < 5; k++) {
      await ask(warmChat, questionFor(k, 0), "warmup");
      await waitForReplies(sentCount(), 30_000);
    }

    // 1. Load: every user sends its questions as one burst.
    const firstChat = 10_000;
    log(`load: ${users} users × ${perUser} questions, bursts, ramp ${rampSeconds} s`);
    const loadCpu0 = await sampleNow();
    const loadElu0 = performance.eventLoopUtilization();
    const loadStarted = performance.now();
    const repliesBefore = replyCount();
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        if (rampSeconds > 0) await sleep((u * rampSeconds * 1000) / users);
        for (let k = 0; k < perUser; k++) void ask(firstChat + u, questionFor(u, k), "load");
        await queues.get(firstChat + u);
      }),
    );
    const loadExpected = sentCount();
    await waitForReplies(loadExpected, LOAD_DRAIN_TIMEOUT_MS);
    const loadWall = performance.now() - loadStarted;
    const loadElu = performance.eventLoopUtilization(loadElu0).utilization;
    const loadCpu = (await sampleNow()) - loadCpu0;
    log(
      `load: ${replyCount() - repliesBefore}/${loadExpected - repliesBefore} replies in ${Math.round(loadWall)} ms`,
    );

    // 2. Soak: a steady rate over the same users.
    let soakWall = 0;
    let soakCpu = 0;
    let soakElu = 0;
    let soakStartedAt = Date.now();
    if (soakMinutes > 0) {
      const soakMs = soakMinutes * 60_000;
      const intervalMs = 1000 / soakRate;
      // One full GC in the bot between the burst and the soak, so that the soak's baseline is
      // not the burst's uncollected garbage (V8 would collect it at some point of the soak).
      const collected = nextMessage(botProcess, "rss", 10_000);
      botProcess.send({ type: "gc" } satisfies ParentMessage);
      await collected;
      log(`soak: ${soakRate} questions/s for ${soakMinutes} min`);
      soakStartedAt = Date.now();
      const soakCpu0 = await sampleNow();
      const soakElu0 = performance.eventLoopUtilization();
      const soakStarted = performance.now();
      const perUserAsked = new Map<number, number>();
      let tick = 0;
      let lastReport = soakStarted;
      while (performance.now() - soakStarted < soakMs) {
        const u = tick % users;
        const k = perUserAsked.get(u) ?? perUser;
        perUserAsked.set(u, k + 1);
        void ask(firstChat + u, questionFor(u, k), "soak");
        tick++;
        const due = soakStarted + tick * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (performance.now() - lastReport > 60_000) {
          lastReport = performance.now();
          const last = rssRaw.at(-1);
          log(
            `soak: ${Math.round((performance.now() - soakStarted) / 1000)} s, ${tick} asked, ${replyCount()}/${sentCount()} replied${last ? `, RSS ${mb(last.rss)} MB` : ""}`,
          );
        }
      }
      await Promise.all(queues.values());
      await waitForReplies(sentCount(), SOAK_DRAIN_TIMEOUT_MS);
      soakWall = performance.now() - soakStarted;
      soakElu = performance.eventLoopUtilization(soakElu0).utilization;
      soakCpu = (await sampleNow()) - soakCpu0;
    }

    // Match every reply to its question through the interaction id.
    const ids: number[] = [];
    for (const list of replies.values())
      for (const r of list) if (r.interactionId) ids.push(r.interactionId);
    botProcess.send({ type: "lookup", ids } satisfies ParentMessage);
    const lookup = await nextMessage(botProcess, "lookup", 60_000);
    const byId = new Map(lookup.rows.map((r) => [r.id, r]));
    for (const [chatId, sent] of chats) {
      const matched = (replies.get(chatId) ?? []).flatMap((r) => {
        const row = r.interactionId ? byId.get(r.interactionId) : undefined;
        return row ? [{ at: r.at, question: row.question, answered: row.answered }] : [];
      });
      matchChat(sent, matched);
    }

    // Stop the bot and collect its log counts.
    botProcess.send({ type: "stop" } satisfies ParentMessage);
    const final = await nextMessage(botProcess, "final", STOP_TIMEOUT_MS);
    await timeout(
      new Promise<void>((r) => {
        if (botProcess.exitCode !== null) r();
        else botProcess.once("exit", () => r());
      }),
      STOP_TIMEOUT_MS,
      "bot process exit",
    ).catch(() => botProcess.kill("SIGKILL"));
    child = undefined;
    clearInterval(pruner);

    const load = phaseResult(chats, "load", loadWall, {
      botCpuMs: loadCpu,
      driverLoopUtilisation: loadElu,
    });
    let soak: BotBenchResult["soak"];
    if (soakMinutes > 0) {
      const samples: RssSample[] = rssRaw.map((s) => ({
        t: Math.round((s.at - soakStartedAt) / 100) / 10,
        rssMb: mb(s.rss),
        heapUsedMb: mb(s.heapUsed),
        heapTotalMb: mb(s.heapTotal),
        externalMb: mb(s.external),
      }));
      const inSoak = samples.filter((s) => s.t >= 0 && s.t <= soakWall / 1000);
      const warmupAtSec = warmupEnd(
        inSoak,
        Math.min(60, (soakMinutes * 60) / 5),
        (soakMinutes * 60) / 2,
      );
      const near = (t: number) =>
        [...inSoak].sort((a, b) => Math.abs(a.t - t) - Math.abs(b.t - t)).slice(0, 3);
      const warmupMb = median(near(warmupAtSec).map((s) => s.rssMb));
      const endMb = median(inSoak.slice(-3).map((s) => s.rssMb));
      const trend = inSoak.filter((s) => s.t >= warmupAtSec);
      soak = {
        ...phaseResult(chats, "soak", soakWall, {
          botCpuMs: soakCpu,
          driverLoopUtilisation: soakElu,
        }),
        rss: {
          warmupAtSec,
          warmupMb,
          endMb,
          growthPct: Math.round(((endMb - warmupMb) / warmupMb) * 1000) / 10,
          slopeMbPerMin: Math.round(slope(trend.map((s) => [s.t / 60, s.rssMb])) * 100) / 100,
          peakMb: Math.max(...samples.map((s) => s.rssMb)),
          samples,
        },
      };
    }

    const errorLines = final.counts.error ?? 0;
    const errors: BotBenchResult["errors"] = {
      errorLines,
      warnLines: final.counts.warn ?? 0,
      failedApiCalls: final.failedApiCalls,
      unsupportedByEmulator: final.unsupported,
      failedClientRequests,
      otherMessages,
      examples: final.examples,
    };
    const targets: BotBenchResult["targets"] = [];
    const target = (name: string, value: string, goal: string, pass: boolean) =>
      targets.push({ name, value, target: goal, pass });
    target(
      "load: every question answered",
      `${load.replied}/${load.questions}`,
      "all",
      load.replied === load.questions,
    );
    target(
      "load: replies in order per chat",
      `${load.chatsInOrder}/${load.chats} chats`,
      "all",
      load.chatsInOrder === load.chats,
    );
    if (soak) {
      target(
        "soak: every question answered",
        `${soak.replied}/${soak.questions}`,
        "all",
        soak.replied === soak.questions,
      );
      target(
        "soak: replies in order per chat",
        `${soak.chatsInOrder}/${soak.chats} chats`,
        "all",
        soak.chatsInOrder === soak.chats,
      );
      target(
        "soak: RSS growth after warm-up",
        `${soak.rss.growthPct}%`,
        "< 10%",
        soak.rss.growthPct < 10,
      );
    }
    target("errors in the bot's log", String(errorLines), "0", errorLines === 0);
    target(
      "failed requests",
      String(errors.failedApiCalls + failedClientRequests),
      "0",
      errors.failedApiCalls + failedClientRequests === 0,
    );
    target("other messages (apologies, limits)", String(otherMessages), "0", otherMessages === 0);

    const cpu = cpus();
    const result: BotBenchResult = {
      startedAt,
      machine: {
        cpus: cpu.length,
        cpuModel: cpu[0]?.model ?? "unknown",
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadAvg: [Math.round(loadAtStart * 100) / 100, Math.round((loadavg()[0] ?? 0) * 100) / 100],
      },
      settings: {
        users,
        questionsPerUser: perUser,
        burst: `each user sends its ${perUser} questions back to back, without waiting for answers`,
        rampSeconds,
        soakMinutes,
        soakRate: Math.round(soakRate * 100) / 100,
        sampleSeconds,
        rateLimitPerMinute,
        emptyPollDelayMs: EMPTY_POLL_DELAY_MS,
        questionSet: BOT_BENCH_QUESTIONS.length,
      },
      ingest,
      botStartMs: ready.startMs,
      load,
      ...(soak ? { soak } : {}),
      errors,
      targets,
      pass: targets.every((t) => t.pass),
    };

    if (options.out !== false) {
      const out =
        options.out ??
        join(root, "bench/results", `bot-${startedAt.replace(/[:.]/g, "-").replace("Z", "")}.json`);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
      log(`wrote ${out}`);
    }
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${renderBotTable(result)}\n`);
    return result;
  } finally {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await server?.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The printed table of a {@link BotBenchResult}. */
export function renderBotTable(r: BotBenchResult): string {
  const rows: [string, string][] = [];
  const phase = (name: string, p: PhaseResult) => {
    rows.push(
      [`${name}: questions`, String(p.questions)],
      [`${name}: replied / answered / declined`, `${p.replied} / ${p.answered} / ${p.declined}`],
      [`${name}: chats in order`, `${p.chatsInOrder}/${p.chats}`],
      [
        `${name}: time to reply p50 / p95 / p99 / max`,
        `${fmtMs(p.timeToReplyMs.p50)} / ${fmtMs(p.timeToReplyMs.p95)} / ${fmtMs(p.timeToReplyMs.p99)} / ${fmtMs(p.timeToReplyMs.max)}`,
      ],
      [`${name}: wall time, throughput`, `${(p.wallMs / 1000).toFixed(1)} s, ${p.throughput}/s`],
      [
        `${name}: bot CPU, driver event loop busy`,
        `${(p.botCpuMs / 1000).toFixed(1)} s (${p.botCpuMsPerQuestion} ms/question), ${Math.round(p.driverLoopUtilisation * 100)}%`,
      ],
    );
  };
  rows.push(
    [
      "machine",
      `${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAvg[0]} → ${r.machine.loadAvg[1]}`,
    ],
    [
      "setup",
      `${r.settings.users} users × ${r.settings.questionsPerUser} questions (bursts, ramp ${r.settings.rampSeconds} s); soak ${r.settings.soakMinutes} min at ${r.settings.soakRate}/s`,
    ],
    ["index", `${r.ingest.chunks} passages (ingest ${(r.ingest.ms / 1000).toFixed(1)} s)`],
    ["bot start (process to polling)", fmtMs(r.botStartMs)],
  );
  phase("load", r.load);
  if (r.soak) {
    phase("soak", r.soak);
    rows.push(
      [
        "soak: RSS after warm-up → end",
        `${r.soak.rss.warmupMb} MB (t=${r.soak.rss.warmupAtSec} s) → ${r.soak.rss.endMb} MB (${r.soak.rss.growthPct >= 0 ? "+" : ""}${r.soak.rss.growthPct}%)`,
      ],
      ["soak: RSS trend after warm-up", `${r.soak.rss.slopeMbPerMin} MB/min`],
      ["soak: peak RSS", `${r.soak.rss.peakMb} MB`],
    );
  }
  const unsupported = Object.entries(r.errors.unsupportedByEmulator)
    .map(([m, n]) => `${m} ${n}`)
    .join(", ");
  rows.push(
    ["log lines: error / warn", `${r.errors.errorLines} / ${r.errors.warnLines}`],
    [
      "failed requests: bot API / load generator",
      `${r.errors.failedApiCalls} / ${r.errors.failedClientRequests}`,
    ],
    ["calls the emulator does not implement", unsupported || "none"],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    "Padoms bot load benchmark",
    "",
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    "",
    "Targets",
  ];
  const tw = Math.max(...r.targets.map((t) => t.name.length));
  for (const t of r.targets)
    lines.push(`  ${t.pass ? "✓" : "✗"} ${t.name.padEnd(tw)}  ${t.value}  (target ${t.target})`);
  if (r.errors.examples.length) {
    lines.push("", "First warnings and errors:");
    for (const e of r.errors.examples.slice(0, 5)) lines.push(`  ${e.slice(0, 300)}`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Command line

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--child") {
    await childMain(JSON.parse(argv[1] ?? "{}") as ChildSpec);
    return -1;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: "string" },
      questions: { type: "string" },
      "soak-minutes": { type: "string" },
      "soak-rate": { type: "string" },
      "ramp-seconds": { type: "string" },
      "sample-seconds": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "Usage: npx tsx scripts/bench/bot-load.ts [--users N] [--questions N] [--soak-minutes M] [--soak-rate R] [--ramp-seconds S] [--sample-seconds S] [--json]",
    );
    return 0;
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const result = await runBotBench({
    users: num(values.users),
    questionsPerUser: num(values.questions),
    soakMinutes: num(values["soak-minutes"]),
    soakRate: num(values["soak-rate"]),
    rampSeconds: num(values["ramp-seconds"]),
    sampleSeconds: num(values["sample-seconds"]),
    json: values.json,
  });
  return result.pass ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
