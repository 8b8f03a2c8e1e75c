/**
 * Webhook requests that are not from Telegram are refused with no processing at all: no engine
 * call, no Bot API call, no database write, no "update received" in the log. Covers a missing,
 * wrong, near-miss, duplicated or query-string secret, oversized bodies (declared and chunked)
 * even with the right secret, and a bot started without WEBHOOK_SECRET. (Status codes alone are
 * checked in tests/bot/webhook.test.ts.)
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../bot/e2e-helper.js";
import { callback, createTestBot, message, type TestBot } from "../bot/harness.js";

function post(
  port: number,
  path: string,
  body: string | Buffer | Buffer[],
  headers: Record<string, string | string[]> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
      },
    );
    // A refused upload may be cut off by the server: the status is what counts.
    req.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EPIPE" || error.code === "ECONNRESET" ? resolve(-1) : reject(error),
    );
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else {
      req.end(body);
    }
  });
}

const SECRET = "Wh00k_secret-For-Security-Tests_0123456789";
const PATH = "/tg/secure-hook";

/** What processing would leave behind. */
async function traces(t: TestBot) {
  return {
    asked: t.engine.asked.length,
    apiCalls: t.calls.filter((c) => !["setWebhook", "setMyCommands", "getMe"].includes(c.method))
      .length,
    received: t.logs.filter((l) => l.includes("update received")).length,
    stored: (await t.appDb.getInteraction(1)) !== undefined,
  };
}

const NOTHING = { asked: 0, apiCalls: 0, received: 0, stored: false };

/** A question, and a 👍 on interaction 1 (which would write to the database if processed). */
const question = (id: number) =>
  JSON.stringify({ update_id: id, ...message("Kā iegūt sociālā uzņēmuma statusu?") });
const vote = (id: number) => JSON.stringify({ update_id: id, ...callback("fb:1:u") });

/** A valid update padded with spaces past 1 MiB: still valid JSON. */
const oversized = (id: number) => Buffer.from(`${question(id)}${" ".repeat(1024 * 1024 + 16)}`);

describe("webhook with a secret", () => {
  let t: TestBot;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    t = createTestBot({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: `https://padoms.example${PATH}`,
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET: SECRET,
      },
      deps: { webhookHost: "127.0.0.1" },
    });
    await t.padoms.start();
  });

  afterAll(async () => {
    await t.padoms.stop();
    t.appDb.close();
  });

  it.each([
    ["no secret", {}],
    ["an empty secret", { "x-telegram-bot-api-secret-token": "" }],
    ["a wrong secret", { "x-telegram-bot-api-secret-token": "not-the-secret" }],
    ["the secret in another case", { "x-telegram-bot-api-secret-token": SECRET.toUpperCase() }],
    ["the secret with a suffix", { "x-telegram-bot-api-secret-token": `${SECRET}x` }],
    ["the secret cut short", { "x-telegram-bot-api-secret-token": SECRET.slice(0, -1) }],
    ["the secret with a space inside", { "x-telegram-bot-api-secret-token": `${SECRET} x` }],
    ["the secret sent twice", { "x-telegram-bot-api-secret-token": [SECRET, SECRET] }],
    ["the secret in another header", { authorization: `Bearer ${SECRET}` }],
  ])("refuses a question and a vote with %s: nothing is processed", async (_name, headers) => {
    expect(await post(port, PATH, question(10), headers)).toBe(401);
    expect(await post(port, PATH, vote(11), headers)).toBe(401);
    expect(await traces(t)).toEqual(NOTHING);
  });

  it("refuses the secret in the query string", async () => {
    expect(await post(port, `${PATH}?secret_token=${SECRET}`, question(12))).toBe(401);
    expect(await traces(t)).toEqual(NOTHING);
  });

  it("refuses an oversized valid update, even with the right secret", async () => {
    const status = await post(port, PATH, oversized(13), {
      "x-telegram-bot-api-secret-token": SECRET,
    });
    expect([413, -1]).toContain(status);
    const body = oversized(14);
    const chunked = await post(port, PATH, [body.subarray(0, 700_000), body.subarray(700_000)], {
      "x-telegram-bot-api-secret-token": SECRET,
      "transfer-encoding": "chunked",
    });
    expect([413, -1]).toContain(chunked);
    expect(await traces(t)).toEqual(NOTHING);
    expect(t.logs.some((l) => l.includes("webhook body too large"))).toBe(true);
  });

  it("refuses an oversized body without the secret", async () => {
    expect([401, 413, -1]).toContain(await post(port, PATH, oversized(15)));
    expect(await traces(t)).toEqual(NOTHING);
  });

  it("control: the same update with the right secret is processed", async () => {
    expect(
      await post(port, PATH, question(16), { "x-telegram-bot-api-secret-token": SECRET }),
    ).toBe(200);
    const after = await traces(t);
    expect(after.asked).toBe(1);
    expect(after.received).toBe(1);
    expect(after.stored).toBe(true);
    expect(t.sent()).toHaveLength(1);
  });
});

describe("webhook without WEBHOOK_SECRET", () => {
  let t: TestBot;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    t = createTestBot({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: `https://padoms.example${PATH}`,
        WEBHOOK_PORT: String(port),
      },
      deps: { webhookHost: "127.0.0.1" },
    });
    await t.padoms.start();
  });

  afterAll(async () => {
    await t.padoms.stop();
    t.appDb.close();
  });

  it("registers a random secret, so a request without it is refused unprocessed", async () => {
    const registered = String(t.callsOf("setWebhook")[0]?.payload.secret_token ?? "");
    expect(registered).toMatch(/^[0-9a-f]{64}$/);
    expect(await post(port, PATH, question(20))).toBe(401);
    expect(await post(port, PATH, question(21), { "x-telegram-bot-api-secret-token": "" })).toBe(
      401,
    );
    expect(await traces(t)).toEqual(NOTHING);
    // The registered one works (so it is the one checked).
    expect(
      await post(port, PATH, question(22), { "x-telegram-bot-api-secret-token": registered }),
    ).toBe(200);
    expect((await traces(t)).asked).toBe(1);
  });
});
