import { request } from "node:http";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBot, message, type TestBot } from "./harness.js";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function post(
  port: number,
  path: string,
  body: string | Buffer | Buffer[],
  headers: Record<string, string> = {},
  method = "POST",
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method,
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.once("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else {
      req.end(body);
    }
  });
}

describe("webhook mode", () => {
  let t: TestBot;
  let port: number;
  const secret = "s3cret_token-for-tests";

  beforeAll(async () => {
    port = await freePort();
    t = createTestBot({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://padoms.example/tg/hook",
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET: secret,
      },
      deps: { webhookHost: "127.0.0.1" },
    });
    await t.padoms.start();
  });

  afterAll(async () => {
    await t.padoms.stop();
    t.appDb.close();
  });

  it("registers the webhook with the secret token", () => {
    const [call] = t.callsOf("setWebhook");
    expect(call?.payload.url).toBe("https://padoms.example/tg/hook");
    expect(call?.payload.secret_token).toBe(secret);
    expect(call?.payload.allowed_updates).toContain("inline_query");
  });

  it("refuses a missing or wrong secret", async () => {
    const body = JSON.stringify({ update_id: 1, ...message("Kā iegūt statusu?") });
    expect(await post(port, "/tg/hook", body)).toBe(401);
    expect(await post(port, "/tg/hook", body, { "x-telegram-bot-api-secret-token": "wrong" })).toBe(
      401,
    );
    expect(t.engine.asked).toHaveLength(0);
  });

  it("handles an update with the right secret", async () => {
    const body = JSON.stringify({ update_id: 2, ...message("Kā iegūt statusu?") });
    expect(await post(port, "/tg/hook", body, { "x-telegram-bot-api-secret-token": secret })).toBe(
      200,
    );
    expect(t.engine.asked.map((a) => a.question)).toEqual(["Kā iegūt statusu?"]);
    expect(String(t.sent().at(-1)?.payload.text)).toContain("[1]");
  });

  it("refuses bodies over 1 MB, bad JSON, other paths and methods", async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
    expect(await post(port, "/tg/hook", big, { "x-telegram-bot-api-secret-token": secret })).toBe(
      413,
    );
    const chunked = { "x-telegram-bot-api-secret-token": secret, "transfer-encoding": "chunked" };
    expect(
      await post(port, "/tg/hook", [big.subarray(0, 600_000), big.subarray(600_000)], chunked),
    ).toBe(413);
    expect(
      await post(port, "/tg/hook", "{nope", { "x-telegram-bot-api-secret-token": secret }),
    ).toBe(400);
    expect(await post(port, "/elsewhere", "{}")).toBe(404);
    expect(await post(port, "/tg/hook", "", {}, "GET")).toBe(405);
    expect(await post(port, "/healthz", "", {}, "GET")).toBe(200);
  });
});
