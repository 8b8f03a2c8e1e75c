/**
 * App-state benchmark: what the bot asks of the app state for one private question, timed on
 * SQLite (one process) and on PostgreSQL (a throw-away local server, as replicas would use it):
 * rate-limit hit (PostgreSQL only: shared counters), question recorded, approved answers'
 * revision, follow-up memory read and write (PostgreSQL only), answer recorded, marked replied.
 * Each question's calls run in order; `--concurrency` questions are in flight at once.
 *
 *   npx tsx scripts/bench/app-state.ts [--questions 1000] [--concurrency 1,16]
 *
 * Needs the PostgreSQL server binaries (see tests/helpers/postgres-server.ts); without them
 * only SQLite is measured.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { AppState } from "../../src/store/app-state.js";
import { openPostgresState } from "../../src/store/postgres-state.js";
import { openAppDb } from "../../src/store/sqlite-state.js";
import { startPostgresServer } from "../../tests/helpers/postgres-server.js";
import { percentile } from "./stats.js";

const { values } = parseArgs({
  options: {
    questions: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "1,16" },
  },
});
const questions = Number(values.questions);
const concurrencies = String(values.concurrency).split(",").map(Number);

async function oneQuestion(state: AppState, shared: boolean, i: number): Promise<void> {
  const userId = 1000 + (i % 200);
  if (shared) await state.hitRateLimit(`messages:${state.pseudonymise(userId)}`, 60_000);
  const id = await state.recordQuestion({
    question: `Jautājums numur ${i}?`,
    language: "lv",
    channel: "private",
    chatId: userId,
    userId,
    messageId: i,
  });
  await state.approvedRevision();
  if (shared) {
    const conversation = `tg:${userId}`;
    await state.recentTurns(conversation, { limit: 3, ttlMs: 1_800_000 });
    await state.rememberTurn(
      conversation,
      { at: Date.now(), data: JSON.stringify({ question: "q", searched: "q", answered: true }) },
      3,
    );
  }
  await state.recordAnswer(id, {
    answer: "Atbilde [1].",
    language: "lv",
    mode: "extractive",
    answered: true,
    citations: [],
    latencyMs: 3,
  });
  await state.markReplied(id);
}

async function measure(name: string, state: AppState, shared: boolean): Promise<void> {
  for (let i = 0; i < 50; i++) await oneQuestion(state, shared, i); // warm-up
  for (const concurrency of concurrencies) {
    const times: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < questions) {
          const i = next++;
          const t0 = performance.now();
          await oneQuestion(state, shared, i);
          times.push(performance.now() - t0);
        }
      }),
    );
    const wall = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(34)} concurrency ${String(concurrency).padStart(2)}: per question p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms; ${(questions / wall).toFixed(0)} questions/s`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), "padoms-state-bench-"));
try {
  const sqlite = openAppDb(join(dir, "padoms.sqlite"), { pseudonymSecret: "bench" });
  await measure("SQLite (file, WAL)", sqlite, false);
  await sqlite.close();
  const started = await startPostgresServer();
  if ("skipped" in started) {
    console.log(`PostgreSQL not measured: ${started.skipped}`);
  } else {
    try {
      const url = await started.server.createDatabase("padoms_bench");
      const pg = await openPostgresState(url, { pseudonymSecret: "bench", poolSize: 10 });
      await measure("PostgreSQL (local server, pool 10)", pg, true);
      await pg.close();
    } finally {
      await started.server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
