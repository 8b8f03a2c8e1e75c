/**
 * Telegram Bot API faults: a small HTTP proxy on 127.0.0.1 sits between the real bot (polling)
 * and the `telegram-test-api` emulator and fails chosen calls with a 429 carrying `retry_after`
 * or a 502 (as JSON, or as the HTML page a gateway sends) before passing them through. The bot's
 * auto-retry must repeat the call, and the user must get exactly one answer.
 */
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type E2eBot, startE2eBot, startEmulator } from "../bot/e2e-helper.js";
import { FakeAnswerEngine } from "../bot/fake-engine.js";

const TOKEN = "100000031:Faults-telegram-api-token-emulator-only";

/** A canned failure the proxy answers with instead of passing a call through. */
type Failure = "429" | "502-json" | "502-html";

interface ProxiedCall {
  method: string;
  chatId?: number;
  at: number;
  /** The status the proxy answered with (failures), or the emulator's. */
  status: number;
  failed?: Failure;
}

interface FaultProxy {
  url: string;
  calls: ProxiedCall[];
  /** Fails the next calls of `method` (for `chatId` only, when given) with these responses. */
  fail(method: string, failures: Failure[], chatId?: number): void;
  close(): Promise<void>;
}

const TOO_MANY = JSON.stringify({
  ok: false,
  error_code: 429,
  description: "Too Many Requests: retry after 1",
  parameters: { retry_after: 1 },
});
const BAD_GATEWAY_JSON = JSON.stringify({
  ok: false,
  error_code: 502,
  description: "Bad Gateway",
});
const BAD_GATEWAY_HTML =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (p: Buffer) => parts.push(p));
    req.once("end", () => resolve(Buffer.concat(parts)));
    req.once("error", reject);
  });
}

/** Starts the proxy on a free loopback port in front of `target` (the emulator). */
async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const calls: ProxiedCall[] = [];
  const rules: { method: string; chatId?: number; failures: Failure[] }[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const method = /\/bot[^/]+\/([A-Za-z]+)/.exec(req.url ?? "")?.[1] ?? "";
    let chatId: number | undefined;
    if (body.length && String(req.headers["content-type"]).includes("json")) {
      try {
        const id = (JSON.parse(body.toString("utf8")) as { chat_id?: unknown }).chat_id;
        if (id !== undefined) chatId = Number(id);
      } catch {
        // Not JSON: passed through as it is.
      }
    }
    const rule = rules.find(
      (r) => r.method === method && r.failures.length && (r.chatId ?? chatId) === chatId,
    );
    const failure = rule?.failures.shift();
    if (failure) {
      const status = failure === "429" ? 429 : 502;
      calls.push({ method, chatId, at: Date.now(), status, failed: failure });
      if (failure === "502-html") {
        res.writeHead(502, { "content-type": "text/html" }).end(BAD_GATEWAY_HTML);
      } else {
        res
          .writeHead(status, { "content-type": "application/json" })
          .end(failure === "429" ? TOO_MANY : BAD_GATEWAY_JSON);
      }
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host, "content-length": body.length },
      },
      (up) => {
        calls.push({ method, chatId, at: Date.now(), status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.once("error", () => {
      if (!res.headersSent) res.writeHead(504).end();
    });
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    fail(method, failures, chatId) {
      rules.push({ method, chatId, failures: [...failures] });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: TelegramServer;
let proxy: FaultProxy;
let bot: E2eBot;
const engine = new FakeAnswerEngine();

beforeAll(async () => {
  server = await startEmulator();
  proxy = await startFaultProxy(server.config.apiURL);
  bot = await startE2eBot(server, {
    engine,
    token: TOKEN,
    env: { TELEGRAM_API_ROOT: proxy.url },
  });
});

afterAll(async () => {
  await bot?.stop();
  await proxy?.close();
  await server?.stop();
});

/** Sends a question in a private chat and waits for the answer (settling to catch duplicates). */
async function askAndWait(chatId: number, question: string) {
  const client = bot.client({ chatId, userId: chatId, firstName: "Ilze" });
  const started = Date.now();
  const replies = await bot.replies(
    chatId,
    1,
    () => client.sendMessage(client.makeMessage(question)),
    400,
  );
  return { replies, started };
}

function errorLines(): string[] {
  return bot.logs.filter((l) => l.includes('"level":"error"'));
}

// The scenarios use their own chats and proxy rules, so they run at the same time.
describe.concurrent("Telegram answering 429 or 502 to sendMessage", () => {
  it("429 with retry_after twice: waits as told, then the answer arrives once", async ({
    expect,
  }) => {
    const chatId = 7101;
    proxy.fail("sendMessage", ["429", "429"], chatId);
    const { replies } = await askAndWait(chatId, "Kā iegūt sociālā uzņēmuma statusu?");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain("[1]");
    const sends = proxy.calls.filter((c) => c.method === "sendMessage" && c.chatId === chatId);
    expect(sends.map((c) => c.failed ?? c.status)).toEqual(["429", "429", 200]);
    // retry_after: 1 is honoured before each repeat.
    expect((sends[1]?.at ?? 0) - (sends[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect((sends[2]?.at ?? 0) - (sends[1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(engine.asked.filter((a) => a.options?.conversationId === `tg:${chatId}`)).toHaveLength(
      1,
    );
  });

  it("502 as JSON: retried after a back-off, the answer arrives once", async ({ expect }) => {
    const chatId = 7102;
    proxy.fail("sendMessage", ["502-json"], chatId);
    const { replies } = await askAndWait(chatId, "Kādi granti pieejami sociālajiem uzņēmumiem?");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain("[1]");
    const sends = proxy.calls.filter((c) => c.method === "sendMessage" && c.chatId === chatId);
    expect(sends.map((c) => c.failed ?? c.status)).toEqual(["502-json", 200]);
  });

  it("502 as a gateway's HTML page: retried, the answer arrives once", async ({ expect }) => {
    const chatId = 7103;
    proxy.fail("sendMessage", ["502-html"], chatId);
    const { replies } = await askAndWait(chatId, "Kam attiecas de minimis atbalsts?");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain("[1]");
    const sends = proxy.calls.filter((c) => c.method === "sendMessage" && c.chatId === chatId);
    expect(sends.map((c) => c.failed ?? c.status)).toEqual(["502-html", 200]);
  });
});

describe("Telegram answering 429 to getUpdates", () => {
  it("polling waits and goes on; a question sent meanwhile is answered", async ({ expect }) => {
    const before = proxy.calls.filter((c) => c.method === "getUpdates" && c.failed).length;
    proxy.fail("getUpdates", ["429"]);
    const chatId = 7104;
    const { replies } = await askAndWait(chatId, "Kā izmērīt sociālo ietekmi?");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain("[1]");
    expect(proxy.calls.filter((c) => c.method === "getUpdates" && c.failed).length).toBe(
      before + 1,
    );
  });

  it("no retried call was logged as an error", ({ expect }) => {
    expect(errorLines()).toEqual([]);
  });
});
