/**
 * Telegram Bot API unreachable: the real bot (polling) talks to the `telegram-test-api` emulator
 * through a small proxy on 127.0.0.1 that can be shut (its port closed: connections refused)
 * and opened again on the same port. Network errors must be repeated a bounded number of times
 * and then surface as an error the bot handles; polling must log one warning when Telegram
 * becomes unreachable and one line when it is back, and go on answering.
 */
import {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskOptions } from "../../src/answer/engine.js";
import type { Answer } from "../../src/types.js";
import { type E2eBot, startE2eBot, startEmulator } from "../bot/e2e-helper.js";
import { FakeAnswerEngine } from "../bot/fake-engine.js";

const UNREACHABLE = "Telegram API unreachable, retrying…";
const RECOVERED = "Telegram API reachable again, polling resumed";

/** A pass-through proxy whose port can be closed and opened again. */
interface SwitchableProxy {
  url: string;
  /** Closes the port and drops open connections: the bot's calls are refused. */
  down(): Promise<void>;
  /** Listens on the same port again. */
  up(): Promise<void>;
  close(): Promise<void>;
}

async function startSwitchableProxy(target: string): Promise<SwitchableProxy> {
  const upstream = new URL(target);
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.once("error", () => {
      if (!res.headersSent) res.writeHead(504).end();
      else res.destroy();
    });
    req.pipe(out);
  };
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    if (server) return;
    const s = createServer(forward);
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const down = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };
  await up();
  return { url: `http://127.0.0.1:${port}`, down, up, close: down };
}

/** The fake engine, with a hook run after an answer is made and before it is returned. */
class HookedEngine extends FakeAnswerEngine {
  beforeReturn: (() => Promise<void>) | undefined;
  override async ask(question: string, options?: AskOptions): Promise<Answer> {
    const answer = await super.ask(question, options);
    const hook = this.beforeReturn;
    this.beforeReturn = undefined;
    await hook?.();
    return answer;
  }
}

interface LogEntry {
  t: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

function entries(bot: E2eBot): LogEntry[] {
  return bot.logs.map((l) => JSON.parse(l) as LogEntry);
}

/** The bot's own repeats, short so that the test does not wait out the production back-off. */
const QUICK_RETRY = { attempts: 3, firstDelayMs: 20, pollRetryIntervalMs: 50 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds, up to `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function getUpdatesCalls(bot: E2eBot): number {
  return bot.calls.filter((c) => c.method === "getUpdates").length;
}

/** Sends a question in a private chat and waits for the answer (settling to catch duplicates). */
function askAndWait(bot: E2eBot, chatId: number, question: string) {
  const client = bot.client({ chatId, userId: chatId, firstName: "Ilze" });
  return bot.replies(chatId, 1, () => client.sendMessage(client.makeMessage(question)), 300);
}

let server: TelegramServer;

beforeAll(async () => {
  server = await startEmulator();
});

afterAll(async () => {
  await server?.stop();
});

describe("Telegram Bot API unreachable", () => {
  it("down when the answer is sent: bounded retries, the error is caught and logged, the bot goes on", async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    const proxy = await startSwitchableProxy(server.config.apiURL);
    const engine = new HookedEngine();
    const bot = await startE2eBot(server, {
      engine,
      token: "100000041:Faults-telegram-down-send-token-emulator",
      env: { TELEGRAM_API_ROOT: proxy.url },
      deps: { retry: QUICK_RETRY },
    });
    try {
      const chatId = 7201;
      let downAt = 0;
      engine.beforeReturn = async () => {
        await proxy.down();
        downAt = Date.now();
      };
      const client = bot.client({ chatId, userId: chatId, firstName: "Ilze" });
      await client.sendMessage(client.makeMessage("Kā iegūt sociālā uzņēmuma statusu?"));

      // The answer's sendMessage fails, is repeated a few times, then reaches the error boundary.
      await until("the failed update to be logged", () =>
        entries(bot).some((e) => e.msg === "update failed"),
      );
      const failed = entries(bot).find((e) => e.msg === "update failed");
      expect(downAt).toBeGreaterThan(0);
      expect(Date.parse(failed?.t ?? "") - downAt).toBeLessThan(5000);
      expect(failed?.level).toBe("error");
      expect(failed?.error).toMatchObject({
        name: "HttpError",
        message: "Network request for 'sendMessage' failed!",
      });
      // The apology cannot be sent either; that too ends, and the update is done.
      await until("the update to be finished", () =>
        entries(bot).some((e) => e.msg === "update handled" && e.updateId === failed?.updateId),
      );
      expect(Date.now() - downAt).toBeLessThan(8000);
      expect(
        entries(bot).some((e) => e.msg === "non-essential call failed" && e.call === "sendMessage"),
      ).toBe(true);

      // Telegram is back: the bot still polls and answers.
      await proxy.up();
      const replies = await askAndWait(bot, chatId, "Kādi granti pieejami sociālajiem uzņēmumiem?");
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toContain("[1]");
      expect(engine.asked).toHaveLength(2);
      expect(rejections).toEqual([]);
      expect(bot.logs.join("\n")).not.toContain("redacted");
      expect(bot.logs.join("\n")).not.toContain(proxy.url);
    } finally {
      process.off("unhandledRejection", onRejection);
      await bot.stop();
      await proxy.close();
    }
  }, 15_000);

  it("gone during polling and back: one warning, one recovery line, the next question is answered", async () => {
    const proxy = await startSwitchableProxy(server.config.apiURL);
    const bot = await startE2eBot(server, {
      engine: new FakeAnswerEngine(),
      token: "100000042:Faults-telegram-down-poll-token-emulator",
      env: { TELEGRAM_API_ROOT: proxy.url },
      deps: { retry: QUICK_RETRY },
    });
    try {
      const chatId = 7202;
      expect(await askAndWait(bot, chatId, "Kam attiecas de minimis atbalsts?")).toHaveLength(1);

      await proxy.down();
      await until("the unreachable warning", () => entries(bot).some((e) => e.msg === UNREACHABLE));
      // Polling goes on failing for a while (two more rounds of getUpdates) without more lines.
      const atWarning = getUpdatesCalls(bot);
      await until("more failed polls", () => getUpdatesCalls(bot) >= atWarning + 2);
      expect(entries(bot).filter((e) => e.msg === UNREACHABLE)).toHaveLength(1);
      expect(entries(bot).some((e) => e.msg === RECOVERED)).toBe(false);

      await proxy.up();
      await until("the recovery line", () => entries(bot).some((e) => e.msg === RECOVERED));
      const replies = await askAndWait(bot, chatId, "Kā izmērīt sociālo ietekmi?");
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toContain("[1]");

      const log = entries(bot);
      const warnings = log.filter((e) => e.msg === UNREACHABLE);
      const recoveries = log.filter((e) => e.msg === RECOVERED);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.level).toBe("warn");
      expect(warnings[0]?.reason).toMatch(/^E[A-Z]+$/);
      expect(recoveries).toHaveLength(1);
      expect(recoveries[0]?.level).toBe("info");
      expect(recoveries[0]?.failedPolls).toBeGreaterThanOrEqual(2);
      expect(log.filter((e) => e.level === "error")).toEqual([]);
      expect(bot.logs.join("\n")).not.toContain("redacted");
      expect(bot.logs.join("\n")).not.toContain(proxy.url);
    } finally {
      await bot.stop();
      await proxy.close();
    }
  }, 15_000);
});
