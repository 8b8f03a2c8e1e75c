import type { InlineKeyboardMarkup } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { type ApprovedAnswerService, createApprovedAnswers } from "../../src/answer/approved.js";
import type { AskOptions } from "../../src/answer/engine.js";
import { type AppDb, openAppDb } from "../../src/store/app-db.js";
import type { Answer } from "../../src/types.js";
import { FakeAnswerEngine } from "./fake-engine.js";
import {
  callback,
  createTestBot,
  message,
  PRIVATE_CHAT,
  type TestBot,
  USER_EN,
} from "./harness.js";

const QUESTION = "Vai kooperatīvs var būt sociālais uzņēmums?";
const OFFERED = "Kādas juridiskās formas var iegūt statusu?";
const OFFERED_ANSWER = "Statusu var iegūt tikai SIA; kooperatīvs to var, ja tas ir SIA formā.";

/** The fake engine, with an approved answer offered under every answer (as `createAnswerEngine` adds it). */
class OfferingEngine extends FakeAnswerEngine {
  constructor(private readonly offered: Answer["offer"]) {
    super();
  }
  override async ask(question: string, options?: AskOptions): Promise<Answer> {
    const answer = await super.ask(question, options);
    return this.offered ? { ...answer, offer: this.offered } : answer;
  }
}

function callbackData(markup: unknown): { text: string; data: string }[] {
  const kb = markup as InlineKeyboardMarkup | undefined;
  return (kb?.inline_keyboard ?? [])
    .flat()
    .map((b) => ({ text: b.text, data: "callback_data" in b ? String(b.callback_data) : "" }));
}

let current: { bot: TestBot; store: AppDb } | undefined;
afterEach(async () => {
  await current?.bot.padoms.stop();
  current?.bot.appDb.close();
  current?.store.close();
  current = undefined;
});

async function setup(options: { remove?: boolean } = {}) {
  const store = openAppDb(":memory:");
  // Saving works without an index; the bot only reads the entry back.
  const approved = createApprovedAnswers({ store, index: () => undefined });
  const row = await approved.add({
    question: OFFERED,
    answer: OFFERED_ANSWER,
    approvedBy: "Inese",
  });
  if (options.remove) await approved.remove(row.id);
  const bot = createTestBot({
    engine: new OfferingEngine({ id: String(row.id), question: OFFERED }),
    deps: { approved: approved as ApprovedAnswerService },
  });
  current = { bot, store };
  return { bot, row };
}

describe("an approved answer offered under an answer", () => {
  it("shows a button with the entry's question; pressing it sends the coordinators' answer", async () => {
    const { bot, row } = await setup();
    await bot.send(message(QUESTION));
    const buttons = callbackData(bot.sent()[0]?.payload.reply_markup);
    const offer = buttons.find((b) => b.data.startsWith("ao:"));
    expect(offer).toEqual({
      text: `📌 Koordinatori ir atbildējuši: ${OFFERED}`,
      data: `ao:1:${row.id}`,
    });
    bot.clear();
    await bot.send(callback(offer?.data ?? ""));
    const text = String(bot.sent()[0]?.payload.text);
    expect(text).toContain(`Koordinatoru atbilde uz jautājumu <i>${OFFERED}</i>`);
    expect(text).toContain(OFFERED_ANSWER);
    expect(bot.logs.some((l) => l.includes("offered approved answer opened"))).toBe(true);
  });

  it("works only where the answer was sent (callback data can be forged)", async () => {
    const { bot, row } = await setup();
    await bot.send(message(QUESTION));
    bot.clear();
    const elsewhere = { chat: { ...PRIVATE_CHAT, id: USER_EN.id }, from: USER_EN };
    await bot.send(callback(`ao:1:${row.id}`, elsewhere));
    expect(bot.sent()).toHaveLength(0);
    expect(bot.callsOf("answerCallbackQuery")[0]?.payload.text).toBe(
      "This answer is no longer available.",
    );
  });

  it("says so when the entry was deleted since", async () => {
    const gone = await setup({ remove: true });
    await gone.bot.send(message(QUESTION));
    gone.bot.clear();
    await gone.bot.send(callback(`ao:1:${gone.row.id}`));
    expect(gone.bot.sent()).toHaveLength(0);
    expect(gone.bot.callsOf("answerCallbackQuery")[0]?.payload.text).toBe(
      "Šī koordinatoru atbilde vairs nav pieejama.",
    );
  });
});
