/**
 * SQLite busy: another process holds the write lock of the app database (`BEGIN IMMEDIATE`, as a
 * concurrent `padoms faq import` or a backup would). A write from Padoms waits (busy_timeout) and
 * succeeds when the lock is released in time; when it is not, the error is clear (SQLITE_BUSY),
 * and the bot still answers — without feedback buttons — and says why in its log. Reads are
 * never blocked (WAL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AppDb, type InteractionInput, openAppDb } from "../../src/store/app-db.js";
import { callback, createTestBot, message } from "../bot/harness.js";

const betterSqlite = createRequire(import.meta.url).resolve("better-sqlite3");

/** Opens the database in a separate process, takes the write lock, holds it for `holdMs`. */
const HOLDER = `
const [, modulePath, dbPath, holdMs] = process.argv;
const Database = require(modulePath);
const db = new Database(dbPath);
db.pragma("busy_timeout = 0");
db.exec("BEGIN IMMEDIATE");
process.stdout.write("locked\\n");
const release = () => {
  db.exec("COMMIT");
  db.close();
  process.stdout.write("released\\n");
  process.exit(0);
};
setTimeout(release, Number(holdMs));
process.on("SIGTERM", release);
`;

interface LockHolder {
  child: ChildProcess;
  released: Promise<void>;
}

const holders: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of holders.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "padoms-busy-"));
  dirs.push(dir);
  return join(dir, "padoms.sqlite");
}

/** Starts the holder; resolves once it holds the lock. */
async function holdWriteLock(dbPath: string, holdMs: number): Promise<LockHolder> {
  const child = spawn(process.execPath, ["-e", HOLDER, betterSqlite, dbPath, String(holdMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  holders.push(child);
  let out = "";
  let onReleased: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    onReleased = resolve;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the lock holder did not start")), 10_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("locked")) {
        clearTimeout(timer);
        resolve();
      }
      if (out.includes("released")) onReleased();
    });
    child.once("exit", (code) => {
      onReleased();
      if (!out.includes("locked")) reject(new Error(`the lock holder exited (${code})`));
    });
  });
  return { child, released };
}

const input: InteractionInput = {
  question: "Kā iegūt statusu?",
  answer: "Tā [1].",
  language: "lv",
  mode: "extractive",
  answered: true,
  citations: [],
  channel: "private",
  userId: 42,
};

function fbData(markup: unknown): string[] {
  const kb = markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  return (kb?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

const BUSY_TIMEOUT_MS = 1000;

describe("the app database under another process's write lock", () => {
  it("a write waits for the lock and succeeds once it is released within busy_timeout", async () => {
    const path = tempDbPath();
    const db: AppDb = openAppDb(path, { pseudonymSecret: "s" });
    try {
      await holdWriteLock(path, 800);
      const started = performance.now();
      const id = await db.recordInteraction(input);
      // The write succeeded although the lock was held for 800 ms: it waited for the release.
      expect(performance.now() - started).toBeGreaterThan(400);
      expect((await db.getInteraction(id))?.question).toBe(input.question);
    } finally {
      await db.close();
    }
  });

  it("through the bot: the answer is stored (feedback buttons shown) after a short lock", async () => {
    const path = tempDbPath();
    const appDb = openAppDb(path, { pseudonymSecret: "s" });
    const t = createTestBot({ deps: { appDb } });
    try {
      await holdWriteLock(path, 600);
      const started = performance.now();
      await t.send(message("Kā iegūt sociālā uzņēmuma statusu?"));
      // The write had to wait for the lock.
      expect(performance.now() - started).toBeGreaterThan(300);
      const [answer] = t.sent();
      expect(String(answer?.payload.text)).toContain("[1]");
      const data = fbData(answer?.payload.reply_markup);
      expect(data[0]).toMatch(/^fb:\d+:u$/);
      const id = Number(data[0]?.split(":")[1]);
      expect((await appDb.getInteraction(id))?.question).toBe("Kā iegūt sociālā uzņēmuma statusu?");
      expect(t.logs.filter((l) => /"level":"(warn|error)"/.test(l))).toEqual([]);
    } finally {
      await t.padoms.stop();
      await appDb.close();
    }
  });

  it("a lock held past busy_timeout: reads still work, the write fails clearly, the user still gets the answer", async () => {
    const path = tempDbPath();
    // A 1 s busy timeout (the product waits 5 s): the same behaviour without waiting 5 s.
    const appDb = openAppDb(path, { pseudonymSecret: "s", busyTimeoutMs: BUSY_TIMEOUT_MS });
    const t = createTestBot({ deps: { appDb } });
    try {
      // An earlier answer, stored before the lock.
      await t.send(message("Kā iegūt sociālā uzņēmuma statusu?"));
      const first = t.sent()[0];
      const src = fbData(first?.payload.reply_markup).find((d) => d.startsWith("src:"));
      expect(src).toBeDefined();
      t.clear();

      // Held until this test lets go (bounded by the holder's own 30 s timer).
      const holder = await holdWriteLock(path, 30_000);
      // Reading (the Sources button) is not blocked by the writer.
      await t.send(callback(src as string, { messageId: 1 }));
      expect(String(t.sent()[0]?.payload.text)).toContain("<blockquote>");
      t.clear();

      // A new answer cannot be stored: the write gives up after busy_timeout.
      const started = performance.now();
      await t.send(message("Kādi nodokļu atvieglojumi pienākas sociālajam uzņēmumam?"));
      expect(performance.now() - started).toBeGreaterThan(BUSY_TIMEOUT_MS * 0.9);
      const [answer] = t.sent();
      expect(String(answer?.payload.text)).toContain("[1]");
      expect(fbData(answer?.payload.reply_markup).some((d) => d.startsWith("fb:"))).toBe(false);
      const warn = t.logs.find((l) => l.includes("could not record the interaction"));
      expect(warn).toContain('"level":"warn"');
      expect(warn).toContain("SQLITE_BUSY");
      expect(warn).toContain("database is locked");
      expect(t.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);

      holder.child.kill("SIGTERM");
      await holder.released;
      // Once the lock is gone, writes work again.
      t.clear();
      await t.send(message("Kam attiecas de minimis atbalsts?"));
      expect(fbData(t.sent()[0]?.payload.reply_markup)[0]).toMatch(/^fb:\d+:u$/);
    } finally {
      await t.padoms.stop();
      await appDb.close();
    }
  });
});
