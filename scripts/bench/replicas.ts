/**
 * Replicas benchmark: `--users` users × `--questions` questions each, posted as Telegram webhook
 * updates (each user's next question only after the previous reply: every chat in order), first
 * to one bot process on SQLite, then alternately to two replicas sharing one PostgreSQL (a
 * throw-away local server). Time to reply is the webhook call's duration: grammY answers it once
 * the update is handled, i.e. after the reply went to the Bot API (the telegram-test-api
 * emulator on 127.0.0.1). Offline answers (no LLM), the sample corpus.
 *
 *   npx tsx scripts/bench/replicas.ts [--users 200] [--questions 5]
 *   npm run bench -- bot --replicas [--users 200] [--questions 5]
 */

import { type ChildProcess, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import type { AppState } from "../../src/store/app-state.js";
import { openPostgresState } from "../../src/store/postgres-state.js";
import { openAppDb } from "../../src/store/sqlite-state.js";
import { freePort, startEmulator } from "../../tests/bot/e2e-helper.js";
import { repoRoot, sampleCorpus, tempDir, testConfig } from "../../tests/helpers/corpus.js";
import { startPostgresServer } from "../../tests/helpers/postgres-server.js";
import { BOT_BENCH_QUESTIONS } from "./bot-load.js";
import { percentile } from "./stats.js";

const TOKEN = "700000002:replicas-bench-token-emulator-only-xx";
const SECRET = "replicas-bench-webhook-secret-0123456789";
const PATH = "/tg/hook";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "200" },
    questions: { type: "string", default: "5" },
  },
});
const users = Number(values.users);
const perUser = Number(values.questions);

interface Replica {
  child: ChildProcess;
  port: number;
}

async function startReplica(
  data: string,
  apiRoot: string,
  env: Record<string, string>,
): Promise<Replica> {
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
        TELEGRAM_API_ROOT: apiRoot,
        BOT_MODE: "webhook",
        WEBHOOK_URL: `https://padoms.example${PATH}`,
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET: SECRET,
        PSEUDONYM_SECRET: "replicas-bench",
        RATE_LIMIT_PER_MINUTE: "1000",
        LLM: "off",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let err = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start: ${err}`)), 120_000);
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("Padoms is running as a Telegram bot")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`replica exited with ${code}: ${err}`)));
  });
  return { child, port };
}

let updateId = 1;
function update(userId: number, text: string) {
  const id = updateId++;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private", first_name: "Bench" },
      from: { id: userId, is_bot: false, first_name: "Bench", language_code: "lv" },
      text,
    },
  };
}

interface Phase {
  name: string;
  questions: number;
  failed: number;
  seconds: number;
  p50: number;
  p95: number;
  answeredInDb: number;
}

async function run(name: string, replicas: Replica[], state: AppState, firstUser: number) {
  const times: number[] = [];
  let failed = 0;
  const statuses = new Map<string, number>();
  let turn = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const userId = firstUser + u;
      for (let q = 0; q < perUser; q++) {
        const text = BOT_BENCH_QUESTIONS[(u + q) % BOT_BENCH_QUESTIONS.length] as string;
        // The load balancer: round robin over the replicas.
        const replica = replicas[turn++ % replicas.length] as Replica;
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${replica.port}${PATH}`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": SECRET,
          },
          body: JSON.stringify(update(userId, text)),
        }).catch(() => undefined);
        // grammY answers 200 at once when handling takes over 9 s and goes on in the background.
        if (res?.status === 200) times.push(performance.now() - t0);
        else {
          failed++;
          const key = String(res?.status ?? "network error");
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  // Updates answered after the webhook's 9 s finish in the background: wait for them (30 s).
  let rows = await state.reportRows(new Date(Date.now() - 3_600_000), new Date());
  for (let i = 0; i < 60 && rows.some((r) => r.status === "pending"); i++) {
    await sleep(500);
    rows = await state.reportRows(new Date(Date.now() - 3_600_000), new Date());
  }
  const answeredInDb = rows.filter(
    (r) => r.status === "answered" || r.status === "declined",
  ).length;
  const phase: Phase = {
    name,
    questions: users * perUser,
    failed,
    seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    answeredInDb,
  };
  const pending = rows.filter((r) => r.status === "pending").length;
  const notOk = [...statuses].map(([k, v]) => `${k}: ${v}`).join(", ");
  console.log(
    `${name.padEnd(26)} ${phase.questions} questions in ${seconds.toFixed(1)} s (${(phase.questions / seconds).toFixed(0)}/s), time to reply p50 ${phase.p50.toFixed(0)} ms, p95 ${phase.p95.toFixed(0)} ms (${times.length} replied within the webhook call); calls not 200: ${failed}${notOk ? ` (${notOk})` : ""}; replied and recorded: ${answeredInDb}, still pending: ${pending}`,
  );
  return phase;
}

const data = await tempDir("padoms-replicas-bench-");
const emulator = await startEmulator();
const children: ChildProcess[] = [];
try {
  await ingestCorpus({ config: testConfig(data, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" }) });
  console.log(`${users} users × ${perUser} questions, offline answers, sample corpus`);

  const single = await startReplica(data, emulator.config.apiURL, {});
  children.push(single.child);
  const sqlite = openAppDb(join(data, "padoms.sqlite"), { pseudonymSecret: "replicas-bench" });
  await run("one process, SQLite", [single], sqlite, 1_000_000);
  await sqlite.close();
  single.child.kill("SIGTERM");

  const started = await startPostgresServer();
  if ("skipped" in started) {
    console.log(`Two replicas on PostgreSQL not measured: ${started.skipped}`);
  } else {
    try {
      const url = await started.server.createDatabase("padoms_replicas_bench");
      const env = { DATABASE_URL: url, DATABASE_POOL_SIZE: "10" };
      const a = await startReplica(data, emulator.config.apiURL, env);
      const b = await startReplica(data, emulator.config.apiURL, env);
      children.push(a.child, b.child);
      const pg = await openPostgresState(url, { pseudonymSecret: "replicas-bench", poolSize: 2 });
      await run("two replicas, PostgreSQL", [a, b], pg, 2_000_000);
      await pg.close();
      a.child.kill("SIGTERM");
      b.child.kill("SIGTERM");
    } finally {
      await started.server.stop();
    }
  }
} finally {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await emulator.stop();
  await rm(data, { recursive: true, force: true });
}
