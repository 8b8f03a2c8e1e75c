/**
 * The Mini App's doors in the bot (without Telegram: fake updates, recorded API calls): the menu
 * button, `/desk` for coordinators only, the catalogue buttons under `/lectures` and "Related
 * lecture"; and the Mini App served by the webhook server in webhook mode.
 */
import { request } from "node:http";
import { sign } from "@telegram-apps/init-data-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webAppLink } from "../../src/bot/features/webapp.js";
import type { Catalogue } from "../../src/webapp/catalogue.js";
import { freePort } from "../bot/e2e-helper.js";
import { FAKE_LECTURES } from "../bot/fake-engine.js";
import {
  callback,
  command,
  createTestBot,
  GROUP_CHAT,
  message,
  TEST_TOKEN,
  type TestBot,
} from "../bot/harness.js";

const WEBAPP_URL = "https://padoms.example/app/";
const ADMIN = 100;

/** A catalogue over the fake engine's lectures. */
const fakeCatalogue: Catalogue = {
  lectures: () => FAKE_LECTURES.map((l) => ({ id: l.id, title: l.title, topics: [], moments: [] })),
  searchTranscripts: async () => [],
  passageAt: () => undefined,
  documents: () => [],
  searchHandbook: async () => [],
};

type Markup = { inline_keyboard: { text: string; web_app?: { url: string }; url?: string }[][] };

function buttonsOf(t: TestBot): { text: string; web_app?: { url: string }; url?: string }[] {
  return (
    (t.sent().at(-1)?.payload.reply_markup as Markup | undefined)?.inline_keyboard ?? []
  ).flat();
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
    req.end();
  });
}

describe("entry points", () => {
  const setup = (env: Record<string, string> = {}) =>
    createTestBot({
      env: { WEBAPP_URL, ADMIN_USER_IDS: String(ADMIN), COORDINATOR_CHAT_ID: "-100900", ...env },
    });

  it("/desk gives a coordinator the desk's button, and refuses anyone else", async () => {
    const t = setup();
    await t.send(command("/desk"));
    const [button] = buttonsOf(t);
    expect(button?.web_app?.url).toBe(`${WEBAPP_URL}?view=desk`);
    const stranger = { id: 555, is_bot: false, first_name: "Ieva", language_code: "lv" };
    await t.send(command("/desk", { from: stranger, chat: { id: 555, type: "private" } }));
    expect(String(t.sent().at(-1)?.payload.text)).toContain("tikai Padoma koordinatoriem");
    expect(buttonsOf(t)).toEqual([]);
    const [member] = t.callsOf("getChatMember");
    expect(member?.payload).toMatchObject({ chat_id: -100900, user_id: 555 });
  });

  it("in a group, /desk links to the private chat (Telegram opens Mini Apps only there)", async () => {
    const t = setup();
    await t.send(command("/desk", { chat: GROUP_CHAT }));
    const [button] = buttonsOf(t);
    expect(button?.web_app).toBeUndefined();
    expect(button?.url).toMatch(/^https:\/\/t\.me\/\w+\?start=desk$/);
    await t.send(command("/start desk"));
    expect(buttonsOf(t)[0]?.web_app?.url).toBe(`${WEBAPP_URL}?view=desk`);
  });

  it("/lectures and Related lecture open the catalogue (at the moment)", async () => {
    const t = setup();
    await t.send(command("/lectures"));
    expect(buttonsOf(t)[0]?.web_app?.url).toBe(`${WEBAPP_URL}?view=lectures`);
    await t.send(message("Kā iegūt statusu?"));
    await t.send(callback("rel:1"));
    const open = buttonsOf(t).find((b) => b.web_app);
    expect(open?.web_app?.url).toBe(`${WEBAPP_URL}?view=lectures&lecture=lekcija-1&t=195`);
  });

  it("without WEBAPP_URL nothing changes: no /desk, no catalogue buttons", async () => {
    const t = createTestBot();
    await t.send(command("/lectures"));
    expect(buttonsOf(t).some((b) => b.web_app)).toBe(false);
    expect(webAppLink({ WEBAPP_URL: undefined }, { view: "desk" })).toBeUndefined();
  });
});

describe("webhook mode", () => {
  let t: TestBot;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    t = createTestBot({
      env: {
        BOT_MODE: "webhook",
        WEBHOOK_URL: "https://padoms.example/tg/hook",
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET: "webhook-secret-for-tests",
        WEBAPP_URL,
      },
      deps: { webhookHost: "127.0.0.1", catalogue: fakeCatalogue, webAppDistDir: "/nonexistent" },
    });
    await t.padoms.start();
  });

  afterAll(async () => {
    await t.padoms.stop();
    await t.appDb.close();
  });

  it("serves the Mini App on the webhook's server, and sets it as the menu button", async () => {
    const initData = sign({ user: { id: 42, first_name: "Ilze" } }, TEST_TOKEN, new Date());
    expect(await get(port, "/app/api/lectures", { authorization: `tma ${initData}` })).toBe(200);
    expect(await get(port, "/app/api/lectures")).toBe(401);
    expect(await get(port, "/app")).toBe(308);
    expect(await get(port, "/tg/hook")).toBe(405);
    expect(await get(port, "/elsewhere")).toBe(404);
    const [menu] = t.callsOf("setChatMenuButton");
    expect(menu?.payload.menu_button).toEqual({
      type: "web_app",
      text: "Padoms",
      web_app: { url: WEBAPP_URL },
    });
  });
});
