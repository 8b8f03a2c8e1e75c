/**
 * Start-up against a Bot API that is unreachable, refuses the token or the webhook, and a
 * webhook port already taken: bounded retries with a line per attempt, a clear message naming
 * the variable and the fix, SIGTERM honoured while connecting, never the token in the output.
 */
import { spawn } from "node:child_process";
import { cp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/create-bot.js";
import { BotStartError } from "../../src/bot/errors.js";
import { loadConfig } from "../../src/config.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { createLogger } from "../../src/log.js";
import { openAppDb } from "../../src/store/app-db.js";
import { FakeAnswerEngine } from "../bot/fake-engine.js";
import { createTestBot } from "../bot/harness.js";
import { padomsInProcess } from "../helpers/cli.js";
import { fixtures, repoRoot, tempDir, testConfig } from "../helpers/corpus.js";

const TOKEN = "100000099:Bot-start-token-for-tests-only_abcdef";

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A Bot API stand-in that answers every call with `status` and `body`. */
async function fakeBotApi(status: number, body: object): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

let data: string;
const cleanup: string[] = [];
beforeAll(async () => {
  const corpus = await tempDir("padoms-corpus-");
  data = await tempDir();
  cleanup.push(corpus, data);
  await cp(join(fixtures, "guide.md"), join(corpus, "guide.md"));
  await ingestCorpus({ config: testConfig(data, corpus) });
});
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

/** The environment of `padoms start` in these tests. */
const startEnv = {
  LOG_LEVEL: "info",
  LLM: "off",
  LOCAL_EMBEDDING_DIM: "256",
  TELEGRAM_BOT_TOKEN: TOKEN,
};

/**
 * `padoms start` as a process over the test index with the given environment; `onStderr` sees
 * the output (for what needs a process: signals).
 */
function start(env: Record<string, string>, onStderr?: (text: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), "start", "--data", data],
      {
        cwd: repoRoot,
        env: { ...process.env, PADOMS_ENV_FILE: "/nonexistent", ...startEnv, ...env },
      },
    );
    let stderr = "";
    let killed = false;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, () => {
        if (killed) return;
        killed = true;
        child.kill("SIGTERM");
      });
    });
    child.stdout.resume();
    // A process that ignores SIGTERM is not left behind.
    const guard = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr });
    });
  });
}

describe("bot start-up faults", () => {
  it("names TELEGRAM_BOT_TOKEN when Telegram refuses it, without showing it", async () => {
    const api = await fakeBotApi(401, { ok: false, error_code: 401, description: "Unauthorized" });
    try {
      const r = await padomsInProcess(["start", "--data", data], {
        env: { ...startEnv, TELEGRAM_API_ROOT: api.url },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("padoms start: Telegram refused TELEGRAM_BOT_TOKEN (401");
      expect(r.stderr).toContain("@BotFather");
      expect(r.stderr).not.toContain("unexpected error");
      expect(r.stderr).not.toContain(TOKEN.split(":")[1]);
    } finally {
      api.server.close();
    }
  });

  it("honours SIGTERM while the Bot API is unreachable, after a line per attempt", async () => {
    const port = await closedPort();
    const r = await start({ TELEGRAM_API_ROOT: `http://127.0.0.1:${port}` }, (text, kill) => {
      if (text.includes("not reachable at start")) kill();
    });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    // Stopped during the first wait: no second attempt (and no second line) after it.
    const lines = r.stderr.split("\n").filter((l) => l.includes("not reachable at start"));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      level: "warn",
      attempt: 1,
      reason: "ECONNREFUSED",
    });
    expect(r.stderr).not.toContain(TOKEN.split(":")[1]);
  });

  it("gives up after the attempts, naming TELEGRAM_API_ROOT", async () => {
    const port = await closedPort();
    const logs: string[] = [];
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`,
    });
    const appDb = openAppDb(":memory:", { pseudonymSecret: "t" });
    const padoms = createBot({
      config,
      engine: new FakeAnswerEngine(),
      appDb,
      logger: createLogger({ level: "debug", secrets: [TOKEN], write: (l) => logs.push(l) }),
      connect: { attempts: 2, firstDelayMs: 10 },
    });
    try {
      const error = await padoms.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BotStartError);
      expect(error).toMatchObject({ code: "telegram-unreachable", variable: "TELEGRAM_API_ROOT" });
      expect((error as Error).message).toContain("after 2 attempts");
      const retries = logs.filter((l) => l.includes("not reachable at start"));
      expect(retries.map((l) => JSON.parse(l).attempt)).toEqual([1]);
      expect(logs.join("\n")).not.toContain(TOKEN);
    } finally {
      await padoms.stop();
      appDb.close();
    }
  });

  it("says WEBHOOK_PORT is in use, and when Telegram refuses WEBHOOK_URL", async () => {
    const taken = createNetServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
    const port = (taken.address() as { port: number }).port;
    const inUse = createTestBot({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://padoms.example/hook",
        WEBHOOK_PORT: String(port),
      },
      deps: { webhookHost: "127.0.0.1" },
    });
    try {
      await expect(inUse.padoms.start()).rejects.toMatchObject({
        name: "BotStartError",
        variable: "WEBHOOK_PORT",
        message: expect.stringContaining(`WEBHOOK_PORT ${port} is already in use`),
      });
    } finally {
      await inUse.padoms.stop();
      inUse.appDb.close();
      taken.close();
    }
    const refused = createTestBot({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://padoms.example/hook",
        WEBHOOK_PORT: String(await closedPort()),
      },
      deps: { webhookHost: "127.0.0.1" },
      respond: (call) =>
        call.method === "setWebhook"
          ? {
              ok: false,
              error_code: 400,
              description: "Bad Request: bad webhook: Failed to resolve host",
            }
          : undefined,
    });
    try {
      await expect(refused.padoms.start()).rejects.toMatchObject({
        variable: "WEBHOOK_URL",
        message: expect.stringContaining(
          "Telegram refused WEBHOOK_URL https://padoms.example/hook",
        ),
      });
    } finally {
      await refused.padoms.stop();
      refused.appDb.close();
    }
  });
});
