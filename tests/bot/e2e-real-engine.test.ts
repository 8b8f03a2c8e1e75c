import { rm } from "node:fs/promises";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { sampleCorpus, testConfig } from "../helpers/corpus.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";
import { type E2eBot, startE2eBot, startEmulator } from "./e2e-helper.js";
import { tagsBalanced } from "./harness.js";

let server: TelegramServer;
let bot: E2eBot;
let app: App;
let data: string;

beforeAll(async () => {
  data = await sampleIndexCopy();
  const config = testConfig(data, sampleCorpus, { LOCAL_EMBEDDING_DIM: "768" });
  app = await createApp({ config });
  server = await startEmulator();
  bot = await startE2eBot(server, {
    engine: app.engine,
    token: "100000077:E2E-real-engine-token-emulator-only",
  });
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await server?.stop();
  app?.close();
  await rm(data, { recursive: true, force: true });
});

describe("the bot with the real engine over the indexed sample corpus", () => {
  it("answers in HTML with numbered citations to handbook pages or lecture times, and buttons", async () => {
    const chatId = 901;
    const client = bot.client({ chatId, userId: chatId, firstName: "Līga" });
    const [answer] = await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage("cik pamatkapitals vajag mazkapitala sia?")),
    );
    expect(answer?.parseMode).toBe("HTML");
    expect(answer?.text).toMatch(/2\s?800/);
    expect(answer?.text).toMatch(/\[1\]/);
    expect(answer?.text).toMatch(/\d+\. lpp\.|\d\d:\d\d–\d\d:\d\d/);
    expect(tagsBalanced(answer?.text ?? "")).toBe(true);
    const buttons = JSON.stringify(answer?.replyMarkup ?? {});
    expect(buttons).toContain("👍");
    expect(buttons).toContain("👎");
  });

  it("uses the conversation for a follow-up, and /new forgets it", async () => {
    const chatId = 902;
    const client = bot.client({ chatId, userId: chatId, firstName: "Jānis" });
    await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage("Kādus grantus piešķir ALTUM sociālajiem uzņēmumiem?")),
    );
    const [follow] = await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage("un cik tas ir?")),
    );
    expect(follow?.text).toMatch(/ALTUM|eiro|euro/);
    await bot.replies(chatId, 1, () => client.sendCommand(client.makeCommand("/new")));
    const [alone] = await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage("un cik tas ir?")),
    );
    expect(alone?.text).toMatch(/Par ko tieši jautājat/);
  });

  it("declines a question the materials do not cover, without citations", async () => {
    const chatId = 903;
    const client = bot.client({ chatId, userId: chatId, firstName: "Anna" });
    const [reply] = await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage("Kā izcept rupjmaizes kārtojumu mājās?")),
    );
    expect(reply?.text).toMatch(/Materiālos par to nekā nav/);
    expect(reply?.text).not.toMatch(/\[1\]/);
  });
});
