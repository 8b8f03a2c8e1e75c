/**
 * The coordinators' features without Telegram: fake updates into the real bot, outgoing calls
 * recorded and answered by the harness (tests/bot/harness.ts).
 */
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { createApprovedAnswers } from "../../src/answer/approved.js";
import { worthHandingOff } from "../../src/bot/features/coordinators.js";
import {
  recoverPendingQuestions,
  startPendingRecovery,
} from "../../src/bot/features/durability.js";
import { parseFaqCommand } from "../../src/bot/features/faq-admin.js";
import { createLogger } from "../../src/log.js";
import { openAppDb } from "../../src/store/app-db.js";
import { FakeAnswerEngine, MARKERS } from "../bot/fake-engine.js";
import {
  type ApiCall,
  BOT_INFO,
  callback,
  command,
  createTestBot,
  GROUP_CHAT,
  message,
  type TestBot,
  type TestBotOptions,
  USER_EN,
  USER_LV,
} from "../bot/harness.js";

const COORDINATORS = { id: -100999, type: "supergroup", title: "Padoma koordinatori" } as const;
const ADMIN = { id: 7, is_bot: false, first_name: "Inese", language_code: "lv" } as const;
const COORDINATOR_2 = { id: 8, is_bot: false, first_name: "Jānis", language_code: "lv" } as const;
const ENV = { COORDINATOR_CHAT_ID: String(COORDINATORS.id), ADMIN_USER_IDS: "7" };

function buttons(markup: unknown): string[] {
  const kb = markup as InlineKeyboardMarkup | undefined;
  return (kb?.inline_keyboard ?? [])
    .flat()
    .map((b) => ("callback_data" in b ? b.callback_data : "?"));
}

let current: TestBot | undefined;
afterEach(async () => {
  await current?.padoms.stop();
  current?.appDb.close();
  current = undefined;
});

function setup(options: TestBotOptions = {}): TestBot {
  const base = createTestBot({ env: ENV, ...options });
  current = base;
  return base;
}

/**
 * Setup with approved answers over the bot's own database (no index: not indexed). `suggest`:
 * the closest entry for a hand-off is always entry #1 (matching itself is tested over the real
 * index in approved.test.ts).
 */
function setupWithFaq(options: TestBotOptions = {}, suggest = false): TestBot {
  let t: TestBot | undefined;
  const store = new Proxy({} as Parameters<typeof createApprovedAnswers>[0]["store"], {
    get: (_target, key) => {
      const db = t?.appDb as unknown as Record<string | symbol, unknown>;
      const value = db[key];
      return typeof value === "function" ? value.bind(db) : value;
    },
  });
  const service = createApprovedAnswers({ store, index: () => undefined });
  const approved: typeof service = suggest
    ? {
        ...service,
        closest: async () => {
          const row = await service.get(1);
          return row && { row, score: 0.4 };
        },
      }
    : service;
  t = setup({ ...options, deps: { approved, ...options.deps } });
  return t;
}

const to = (t: TestBot, chatId: number) =>
  t.sent().filter((c) => Number(c.payload.chat_id) === chatId);
const text = (c: ApiCall | undefined) => String(c?.payload.text ?? "");

/** A coordinator's reply to a bot message in the coordinators' chat. */
function coordinatorReply(replyToId: number, body: string, from: Record<string, unknown> = ADMIN) {
  return message(body, {
    chat: COORDINATORS,
    from,
    reply_to_message: {
      message_id: replyToId,
      date: 0,
      chat: COORDINATORS,
      from: BOT_INFO,
      text: "…",
    },
  });
}

async function declineAndHandOff(t: TestBot) {
  await t.send(message(`Kā pieteikt suni izstādei? ${MARKERS.decline}`));
  const post = to(t, COORDINATORS.id).at(-1);
  if (!post) throw new Error("no hand-off post");
  const handoff = await t.appDb.handoffOfInteraction(1);
  if (!handoff?.coordinatorMessageId) throw new Error("hand-off not stored");
  return { post, handoff };
}

describe("hand-off of declined questions", () => {
  it("posts a declined private question to the coordinators with the asker's name, and tells the user", async () => {
    const t = setup();
    const { post, handoff } = await declineAndHandOff(t);
    expect(post.payload.parse_mode).toBe("HTML");
    expect(text(post)).toContain("Jautājums koordinatoriem</b> #1");
    expect(text(post)).toContain("No: <b>Anna</b> · privāta saruna");
    expect(text(post)).toContain(`❓ <b>Kā pieteikt suni izstādei? ${MARKERS.decline}</b>`);
    expect(text(post)).toContain("— (atbilde netika dota)");
    expect(text(post)).toContain("Atbildiet uz šo ziņu");
    const user = to(t, 100);
    expect(text(user[0])).toContain("Finansējums laukos");
    expect(buttons(user[0]?.payload.reply_markup)).not.toContain("ho:1");
    expect(text(user[1])).toContain("Nodevu jūsu jautājumu Padoma koordinatoriem");
    expect(handoff).toMatchObject({ reason: "declined", status: "open", chatId: 100 });
  });

  it("includes the draft answer and its sources when a user asks for a coordinator after 👎", async () => {
    const t = setup();
    await t.send(message("Kā iegūt statusu?"));
    await t.send(callback("fb:1:d"));
    const edit = t.callsOf("editMessageReplyMarkup").at(-1);
    expect(buttons(edit?.payload.reply_markup)).toEqual([
      "fb:1:u",
      "fb:1:d",
      "src:1",
      "rel:1",
      "ho:1",
    ]);
    expect(t.callsOf("answerCallbackQuery").at(-1)?.payload.text).toContain("Jautāt koordinatoram");
    await t.send(callback("ho:1"));
    const post = to(t, COORDINATORS.id).at(-1);
    expect(text(post)).toContain("Lietotājs lūdz koordinatora atbildi.");
    expect(text(post)).toContain("Padoma atbilde</b>\n<blockquote>Statusu piešķir");
    expect(text(post)).toContain("[1] <b>Rokasgrāmata</b>, 12. lpp.");
    expect(text(to(t, 100).at(-1))).toContain("Nodevu jūsu jautājumu");
    expect(buttons(t.callsOf("editMessageReplyMarkup").at(-1)?.payload.reply_markup)).not.toContain(
      "ho:1",
    );
    await t.send(callback("ho:1"));
    expect(t.callsOf("answerCallbackQuery").at(-1)?.payload.text).toContain("jau ir nodots");
  });

  it("in a group, a declined answer carries the button, and only the asker may press it", async () => {
    const t = setup();
    await t.send(command(`/ask kā pieteikt suni? ${MARKERS.decline}`, { chat: GROUP_CHAT }));
    expect(to(t, COORDINATORS.id)).toHaveLength(0);
    const answer = to(t, GROUP_CHAT.id).at(-1);
    expect(buttons(answer?.payload.reply_markup)).toContain("ho:1");
    await t.send(callback("ho:1", { chat: GROUP_CHAT, from: USER_EN }));
    expect(t.callsOf("answerCallbackQuery").at(-1)?.payload.text).toBe(
      "Only the person who asked can pass a question to the coordinators.",
    );
    await t.send(callback("ho:1", { chat: GROUP_CHAT, from: USER_LV }));
    expect(text(to(t, COORDINATORS.id).at(-1))).toContain("grupa «Biedrība»");
  });

  it("is off without COORDINATOR_CHAT_ID: no post, no button, nothing breaks", async () => {
    const t = setup({ env: {} });
    await t.send(message(`Kā pieteikt suni? ${MARKERS.decline}`));
    await t.send(callback("fb:1:d"));
    await t.send(callback("ho:1"));
    expect(t.sent()).toHaveLength(1);
    expect(t.callsOf("editMessageReplyMarkup")).toHaveLength(0);
    expect(await t.appDb.handoffOfInteraction(1)).toBeUndefined();
  });

  it("a failed post is logged and can be tried again", async () => {
    let fail = true;
    const t = setup({
      respond: (c) =>
        fail && c.method === "sendMessage" && Number(c.payload.chat_id) === COORDINATORS.id
          ? { ok: false, error_code: 400, description: "Bad Request: chat not found" }
          : undefined,
    });
    await t.send(message(`Kā pieteikt suni? ${MARKERS.decline}`));
    expect(await t.appDb.handoffOfInteraction(1)).toBeUndefined();
    expect(t.logs.join("\n")).toContain("could not post to the coordinators' chat");
    fail = false;
    await t.send(callback("ho:1"));
    expect((await t.appDb.handoffOfInteraction(1))?.coordinatorMessageId).toBeDefined();
  });
});

describe("coordinators' replies", () => {
  it("delivers a reply to the user, labelled; confirms with Save as FAQ; records who and when", async () => {
    const t = setup();
    const { handoff } = await declineAndHandOff(t);
    await t.send(
      coordinatorReply(
        handoff.coordinatorMessageId as number,
        "Suņu izstādes nav mūsu tēma, <b>bet</b> …",
      ),
    );
    const delivered = to(t, 100).at(-1);
    expect(text(delivered)).toContain("💬 <b>Padoma koordinatora atbilde</b> (Inese)");
    expect(text(delivered)).toContain("Jūsu jautājums: «Kā pieteikt suni izstādei?");
    expect(text(delivered)).toContain("Suņu izstādes nav mūsu tēma, &lt;b&gt;bet&lt;/b&gt; …");
    expect(delivered?.payload.reply_parameters).toMatchObject({
      allow_sending_without_reply: true,
    });
    const confirmation = to(t, COORDINATORS.id).at(-1);
    expect(text(confirmation)).toContain("✅ Atbilde nosūtīta lietotājam (atbildēja Inese,");
    expect(buttons(confirmation?.payload.reply_markup)).toEqual([]);
    const [reply] = await t.appDb.repliesOf(handoff.id);
    expect(reply).toMatchObject({ coordinatorId: 7, coordinatorName: "Inese" });
    expect(reply?.deliveredAt).toMatch(/^\d{4}-/);
    expect((await t.appDb.getHandoff(handoff.id))?.status).toBe("answered");
  });

  it("two coordinators answering the same question both reach the user", async () => {
    const t = setup();
    const { handoff } = await declineAndHandOff(t);
    await t.send(coordinatorReply(handoff.coordinatorMessageId as number, "Pirmā atbilde."));
    await t.send(
      coordinatorReply(handoff.coordinatorMessageId as number, "Otrā atbilde.", COORDINATOR_2),
    );
    const delivered = to(t, 100).filter((c) => text(c).includes("koordinatora atbilde"));
    expect(delivered.map(text).map((s) => s.split("\n\n").at(-1))).toEqual([
      "Pirmā atbilde.",
      "Otrā atbilde.",
    ]);
    expect(text(to(t, COORDINATORS.id).at(-1))).toContain("jau atbildēts (1)");
    expect((await t.appDb.repliesOf(handoff.id)).map((r) => r.coordinatorName)).toEqual([
      "Inese",
      "Jānis",
    ]);
  });

  it("a reply to a user who blocked the bot (403) is reported and kept as undelivered", async () => {
    const t = setup({
      respond: (c) =>
        c.method === "sendMessage" &&
        Number(c.payload.chat_id) === 100 &&
        String(c.payload.text).includes("koordinatora atbilde")
          ? { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }
          : undefined,
    });
    const { handoff } = await declineAndHandOff(t);
    await t.send(coordinatorReply(handoff.coordinatorMessageId as number, "Atbilde."));
    expect(text(to(t, COORDINATORS.id).at(-1))).toContain("lietotājs ir bloķējis Padomu");
    const [reply] = await t.appDb.repliesOf(handoff.id);
    expect(reply?.deliveredAt).toBeUndefined();
    expect(reply?.error).toBe("403: Forbidden: bot was blocked by the user");
    expect(reply?.text).toBe("Atbilde.");
    expect((await t.appDb.getHandoff(handoff.id))?.status).toBe("undelivered");
  });

  it("a reply to the confirmation also counts; non-text replies and other chats are not delivered", async () => {
    const t = setup();
    const { handoff } = await declineAndHandOff(t);
    await t.send(coordinatorReply(handoff.coordinatorMessageId as number, "Pirmā."));
    const confirmationId = (await t.appDb.repliesOf(handoff.id))[0]
      ?.confirmationMessageId as number;
    await t.send(coordinatorReply(confirmationId, "Papildinājums."));
    expect(await t.appDb.repliesOf(handoff.id)).toHaveLength(2);
    const sticker = message(undefined, {
      chat: COORDINATORS,
      from: ADMIN,
      sticker: {
        file_id: "s",
        file_unique_id: "s",
        type: "regular",
        width: 1,
        height: 1,
        is_animated: false,
        is_video: false,
      },
      reply_to_message: {
        message_id: handoff.coordinatorMessageId,
        date: 0,
        chat: COORDINATORS,
        from: BOT_INFO,
        text: "…",
      },
    });
    await t.send(sticker);
    expect(text(to(t, COORDINATORS.id).at(-1))).toContain("tikai teksta atbildi");
    const elsewhere = message("Atbilde no citurienes.", {
      chat: GROUP_CHAT,
      from: ADMIN,
      reply_to_message: {
        message_id: handoff.coordinatorMessageId,
        date: 0,
        chat: GROUP_CHAT,
        from: BOT_INFO,
        text: "…",
      },
    });
    await t.send(elsewhere);
    expect(await t.appDb.repliesOf(handoff.id)).toHaveLength(2);
  });

  it("a reply to a bot message that is not a hand-off is neither answered nor counted", async () => {
    const t = setup();
    await t.send(command("/ask Kā iegūt statusu?", { chat: COORDINATORS, from: ADMIN }));
    expect(t.engine.asked).toHaveLength(1);
    const asked = () => t.engine.asked.length;
    const rows = async () =>
      (await t.appDb.reportRows(new Date(0), new Date(Date.now() + 60_000))).length;
    const before = { asked: asked(), rows: await rows() };
    // A coordinator replies to the bot's answer (message 5001, not a hand-off), as if to a user.
    await t.send(coordinatorReply(5001, "Paldies, to es lietotājam pateikšu pati."));
    expect({ asked: asked(), rows: await rows() }).toEqual(before);
    expect(text(to(t, COORDINATORS.id).at(-1))).toContain("nav lietotāja jautājums");
  });

  it("declined noise is not handed off: no post for the coordinators", async () => {
    const t = setup();
    const zalgo = `1${"\u0301\u0336".repeat(450)} ${MARKERS.decline}`;
    await t.send(message(zalgo));
    expect(t.engine.asked).toHaveLength(1);
    expect(to(t, COORDINATORS.id)).toHaveLength(0);
    expect(await t.appDb.handoffOfInteraction(1)).toBeUndefined();
    // A real question that is declined still goes to them.
    await t.send(message(`Kā pieteikt suni izstādei? ${MARKERS.decline}`));
    expect(to(t, COORDINATORS.id)).toHaveLength(1);
  });

  it("tells noise from questions", async () => {
    expect(worthHandingOff("Kā pieteikt suni izstādei?")).toBe(true);
    expect(worthHandingOff("Kā iegūt statusu".normalize("NFD"))).toBe(true);
    expect(worthHandingOff("What grants are there?")).toBe(true);
    expect(worthHandingOff(`a${"\u0301".repeat(900)}`)).toBe(false);
    expect(worthHandingOff("aaaa aaaa")).toBe(false);
    expect(worthHandingOff("??? 123")).toBe(false);
    expect(worthHandingOff("Zalgo".replace(/./g, (c) => `${c}\u0301\u0336\u0337`))).toBe(false);
  });

  it("Save as FAQ stores the question and the reply once, only in the coordinators' chat", async () => {
    const t = setupWithFaq();
    const { handoff } = await declineAndHandOff(t);
    await t.send(
      coordinatorReply(handoff.coordinatorMessageId as number, "Suņu izstādes nav mūsu tēma."),
    );
    const confirmation = to(t, COORDINATORS.id).at(-1);
    const [data] = buttons(confirmation?.payload.reply_markup);
    expect(data).toMatch(/^faq:\d+$/);
    await t.send(callback(data as string, { chat: GROUP_CHAT, from: ADMIN }));
    expect(await t.appDb.listApproved()).toHaveLength(0);
    await t.send(callback(data as string, { chat: COORDINATORS, from: COORDINATOR_2 }));
    expect(await t.appDb.listApproved()).toEqual([
      expect.objectContaining({
        question: `Kā pieteikt suni izstādei? ${MARKERS.decline}`,
        answer: "Suņu izstādes nav mūsu tēma.",
        approvedBy: "Jānis",
      }),
    ]);
    expect(text(to(t, COORDINATORS.id).at(-1))).toContain("Saglabāts kā apstiprināta atbilde #1");
    await t.send(callback(data as string, { chat: COORDINATORS, from: ADMIN }));
    expect(t.callsOf("answerCallbackQuery").at(-1)?.payload.text).toContain(
      "jau ir saglabāta (#1)",
    );
  });
});

describe("answering a hand-off with an approved answer", () => {
  it("the post shows the closest approved answer; 'Answer with #N' sends it and attaches the question as a wording", async () => {
    const t = setupWithFaq({}, true);
    await t.appDb.saveApproved({
      question: "Vai mājdzīvnieku izstādes ir jūsu tēma?",
      answer: "Nē, izstādes nav mūsu tēma; jautājiet kinologu biedrībā.",
    });
    const { post, handoff } = await declineAndHandOff(t);
    expect(text(post)).toContain("Tuvākā apstiprinātā atbilde #1");
    expect(text(post)).toContain("❓ Vai mājdzīvnieku izstādes ir jūsu tēma?");
    expect(buttons(post.payload.reply_markup)).toEqual([`af:${handoff.id}:1`]);

    // Outside the coordinators' chat the button does nothing.
    await t.send(callback(`af:${handoff.id}:1`, { chat: GROUP_CHAT, from: ADMIN }));
    expect(to(t, 100).map(text).join("\n")).not.toContain("kinologu");

    await t.send(callback(`af:${handoff.id}:1`, { chat: COORDINATORS, from: COORDINATOR_2 }));
    const delivered = to(t, 100).at(-1);
    expect(text(delivered)).toContain("Jānis");
    expect(text(delivered)).toContain("Nē, izstādes nav mūsu tēma; jautājiet kinologu biedrībā.");
    expect(t.callsOf("editMessageReplyMarkup").length).toBeGreaterThan(0);
    const status = text(to(t, COORDINATORS.id).at(-1));
    expect(status).toContain("Atbilde nosūtīta lietotājam");
    expect(status).toContain("Jautājums pievienots tai kā cits formulējums");
    expect((await t.appDb.getApproved(1))?.wordings).toEqual([
      `Kā pieteikt suni izstādei? ${MARKERS.decline}`,
    ]);
    expect(await t.appDb.repliesOf(handoff.id)).toEqual([
      expect.objectContaining({ coordinatorName: "Jānis" }),
    ]);

    // Pressed again: delivered again (as a second reply would be), the wording not doubled.
    await t.send(callback(`af:${handoff.id}:1`, { chat: COORDINATORS, from: ADMIN }));
    expect(text(to(t, COORDINATORS.id).at(-1))).not.toContain("pievienots");
    expect((await t.appDb.getApproved(1))?.wordings).toHaveLength(1);
  });

  it("an entry deleted meanwhile, or a hand-off gone, is said so and nothing is sent", async () => {
    const t = setupWithFaq({}, true);
    await t.appDb.saveApproved({ question: "Vai?", answer: "Jā." });
    const { handoff } = await declineAndHandOff(t);
    await t.appDb.deleteApproved(1);
    const before = to(t, 100).length;
    await t.send(callback(`af:${handoff.id}:1`, { chat: COORDINATORS, from: ADMIN }));
    expect(t.callsOf("answerCallbackQuery").at(-1)?.payload.text).toContain("#1 nav atrasta");
    await t.send(callback("af:999:1", { chat: COORDINATORS, from: ADMIN }));
    expect(t.callsOf("answerCallbackQuery").at(-1)?.payload.text).toContain("vairs neatrodu");
    expect(to(t, 100)).toHaveLength(before);
  });

  it("without a close approved answer the post has no suggestion and no button", async () => {
    const t = setupWithFaq();
    const { post } = await declineAndHandOff(t);
    expect(text(post)).not.toContain("Tuvākā apstiprinātā atbilde");
    expect(post.payload.reply_markup).toBeUndefined();
  });
});

describe("admin commands", () => {
  it("/faq and /report answer only admins, politely", async () => {
    const t = setupWithFaq();
    for (const cmd of ["/faq", "/report", "/faq delete 1"]) {
      await t.send(command(cmd));
      expect(text(t.sent().at(-1))).toBe(
        "🔒 Atvainojiet, šī komanda pieejama tikai Padoma administratoriem.",
      );
      await t.send(command(cmd, { chat: COORDINATORS, from: USER_EN }));
      expect(text(t.sent().at(-1))).toBe(
        "🔒 Sorry, this command is only for Padoms administrators.",
      );
    }
    await t.send(command("/faq", { chat: GROUP_CHAT, from: ADMIN }));
    expect(text(t.sent().at(-1))).toContain("koordinatoru čatā vai privātā sarunā");
    expect(t.logs.join("\n")).toContain("admin command refused");
  });

  it("/faq lists, shows, edits and deletes approved answers", async () => {
    const t = setupWithFaq();
    const admin = { chat: { id: ADMIN.id, type: "private", first_name: "Inese" }, from: ADMIN };
    await t.send(command("/faq", admin));
    expect(text(t.sent().at(-1))).toContain("Apstiprināto atbilžu vēl nav");
    await t.appDb.saveApproved({
      question: "Vai var?",
      answer: "Jā & nē <b>",
      approvedAt: "2024-05-01T10:00:00Z",
      approvedBy: "Inese",
    });
    await t.send(command("/faq", admin));
    expect(text(t.sent().at(-1))).toContain(
      "<b>#1</b> · 01.05.2024. · Inese\n❓ Vai var?\n💬 Jā &amp; nē &lt;b&gt;",
    );
    await t.send(command("/faq edit 1 Jā, ja statūtos\nir tā rakstīts.", admin));
    expect((await t.appDb.getApproved(1))?.answer).toBe("Jā, ja statūtos\nir tā rakstīts.");
    expect(text(t.sent().at(-1))).toContain("Atbilde #1 labota");
    await t.send(command("/faq question 1 Vai drīkst?", { chat: COORDINATORS, from: ADMIN }));
    expect((await t.appDb.getApproved(1))?.question).toBe("Vai drīkst?");
    await t.send(command("/faq show 1", admin));
    expect(text(t.sent().at(-1))).toContain("❓ Vai drīkst?");
    await t.send(command("/faq show 9", admin));
    expect(text(t.sent().at(-1))).toContain("#9 nav atrasta");
    await t.send(command("/faq delete 1", admin));
    expect(await t.appDb.getApproved(1)).toBeUndefined();
    await t.send(command("/faq nonsense", admin));
    expect(text(t.sent().at(-1))).toContain("/faq edit ID");
  });

  it("/faq alias attaches another wording, shown with the entry; /faq unalias detaches it", async () => {
    const t = setupWithFaq();
    const admin = { chat: { id: ADMIN.id, type: "private", first_name: "Inese" }, from: ADMIN };
    await t.appDb.saveApproved({ question: "Vai var nomāt telpas?", answer: "Jā." });
    await t.send(command("/faq alias 1 kur dabut telpas <lēti>?", admin));
    expect(text(t.sent().at(-1))).toContain("Formulējums pievienots atbildei #1");
    expect(text(t.sent().at(-1))).toContain("Citi formulējumi:\n1. kur dabut telpas &lt;lēti&gt;?");
    await t.send(command("/faq alias 1 VAI VAR NOMAT TELPAS", admin));
    expect(text(t.sent().at(-1))).toContain("šāds formulējums jau ir");
    expect((await t.appDb.getApproved(1))?.wordings).toEqual(["kur dabut telpas <lēti>?"]);
    await t.send(command("/faq unalias 1 2", admin));
    expect(text(t.sent().at(-1))).toContain("nav formulējuma nr. 2");
    await t.send(command("/faq unalias 1 1", admin));
    expect(text(t.sent().at(-1))).toContain("Formulējums atvienots no atbildes #1");
    expect((await t.appDb.getApproved(1))?.wordings).toEqual([]);
    await t.send(command("/faq alias 5 teksts", admin));
    expect(text(t.sent().at(-1))).toContain("#5 nav atrasta");
  });

  it("parses /faq subcommands", async () => {
    expect(parseFaqCommand("")).toEqual({ kind: "list" });
    expect(parseFaqCommand("edit #3 Jauns\nteksts")).toEqual({
      kind: "edit",
      id: 3,
      text: "Jauns\nteksts",
    });
    expect(parseFaqCommand("edit 3")).toEqual({ kind: "usage" });
    expect(parseFaqCommand("rm x")).toEqual({ kind: "usage", badId: "x" });
    expect(parseFaqCommand("alias 2 cits  formulējums")).toEqual({
      kind: "alias",
      id: 2,
      text: "cits  formulējums",
    });
    expect(parseFaqCommand("unalias #2 3")).toEqual({ kind: "unalias", id: 2, n: "3" });
    expect(parseFaqCommand("unalias 2")).toEqual({ kind: "usage" });
  });

  it("/report sends the summary, then a PNG chart; a failing sendPhoto only logs", async () => {
    const t = setup({ failing: ["sendPhoto"] });
    await t.send(message("Kā iegūt statusu?"));
    await t.send(callback("fb:1:u"));
    await t.send(command("/report", { chat: COORDINATORS, from: ADMIN }));
    const summary = to(t, COORDINATORS.id).at(-1);
    expect(text(summary)).toContain("📊 <b>Padoms: pārskats</b>");
    expect(text(summary)).toContain("✅ Atbildēti: 1 (100 %)");
    expect(text(summary)).toContain("👍 1 · 👎 0");
    const [photo] = t.callsOf("sendPhoto");
    expect(photo?.payload.chat_id).toBe(COORDINATORS.id);
    expect(t.logs.join("\n")).toContain("the report chart could not be sent");
  }, 20_000);
});

describe("/chatid", () => {
  it("shows the chat's and the user's ids for the setup, even before it is configured", async () => {
    const t = setup({ env: {} });
    await t.send(command("/chatid", { chat: COORDINATORS, from: ADMIN }));
    expect(text(t.sent().at(-1))).toContain(
      "Šī čata ID: <code>-100999</code>\nJūsu lietotāja ID: <code>7</code>",
    );
  });
});

describe("/forget", () => {
  it("deletes the user's questions, ratings and hand-offs, and confirms", async () => {
    const t = setup();
    await t.send(message(`Kā pieteikt suni? ${MARKERS.decline}`));
    await t.send(message("Kā iegūt statusu?"));
    await t.send(callback("fb:2:u"));
    await t.send(message("Cits jautājums", { chat: { id: 101, type: "private" }, from: USER_EN }));
    await t.send(command("/forget"));
    expect(text(t.sent().at(-1))).toBe(
      "🗑️ Dzēsu visu, ko Padoms par jums glabāja. Jautājumi: 2, vērtējumi: 1, koordinatoriem nodotie jautājumi: 1.",
    );
    expect(await t.appDb.getInteraction(1)).toBeUndefined();
    expect(await t.appDb.getInteraction(2)).toBeUndefined();
    expect(await t.appDb.getInteraction(3)).toBeDefined();
    expect(t.engine.forgotten).toContain("tg:100");
    await t.send(command("/forget"));
    expect(text(t.sent().at(-1))).toContain("neko neglabā");
  });
});

describe("durability", () => {
  it("records the question before answering and marks it when the reply is sent", async () => {
    const t = setup({ engine: new FakeAnswerEngine({ delayMs: 200 }) });
    const asking = t.send(message("Kā iegūt statusu?"));
    await new Promise((r) => setTimeout(r, 80));
    expect(await t.appDb.getInteraction(1)).toMatchObject({
      status: "pending",
      question: "Kā iegūt statusu?",
    });
    await asking;
    expect((await t.appDb.getInteraction(1))?.status).toBe("answered");
    await t.send(message(`Kā pieteikt suni? ${MARKERS.decline}`));
    expect((await t.appDb.getInteraction(2))?.status).toBe("declined");
    await t.send(message(`Kā? ${MARKERS.fail}`));
    expect((await t.appDb.getInteraction(3))?.status).toBe("failed");
  });

  it("after a restart, tells each user whose question was pending to ask again, once", async () => {
    const db = openAppDb(":memory:");
    const lv = await db.recordQuestion({
      question: "Kā iegūt statusu?",
      language: "lv",
      channel: "private",
      chatId: 100,
      userId: 100,
      messageId: 41,
    });
    const en = await db.recordQuestion({
      question: "How <do> I get the status?",
      language: "en",
      channel: "private",
      chatId: 101,
      userId: 101,
    });
    const blocked = await db.recordQuestion({
      question: "Vai?",
      language: "lv",
      channel: "private",
      chatId: 102,
      userId: 102,
    });
    const answered = await db.recordQuestion({
      question: "Atbildēts?",
      language: "lv",
      channel: "private",
      chatId: 103,
    });
    await db.markReplied(answered);
    const sent: { chatId: number; text: string; other: unknown }[] = [];
    const api = {
      sendMessage: async (chatId: number | string, text: string, other?: unknown) => {
        if (chatId === 102) throw new Error("403: blocked");
        sent.push({ chatId: Number(chatId), text, other });
        return {} as never;
      },
    };
    const logs: string[] = [];
    const logger = createLogger({ level: "debug", write: (l) => logs.push(l) });
    const later = new Date(Date.now() + 120_000);
    expect(
      await recoverPendingQuestions({
        appDb: db,
        api,
        logger,
        createdBefore: new Date(Date.now() - 60_000),
      }),
    ).toBe(0);
    expect(await recoverPendingQuestions({ appDb: db, api, logger, createdBefore: later })).toBe(3);
    expect(sent.map((s) => s.chatId)).toEqual([100, 101]);
    expect(sent[0]?.text).toBe(
      "😔 Atvainojiet, es tiku restartēts, kamēr gatavoju atbildi uz jūsu jautājumu «Kā iegūt statusu?». Lūdzu, uzdodiet to vēlreiz.",
    );
    expect(sent[0]?.other).toMatchObject({ reply_parameters: { message_id: 41 } });
    expect(sent[1]?.text).toContain(
      "Sorry, I was restarted while preparing the answer to your question “How &lt;do&gt; I get the status?”",
    );
    expect(
      await Promise.all([lv, en, blocked].map(async (id) => (await db.getInteraction(id))?.status)),
    ).toEqual(["restarted", "restarted", "restarted"]);
    expect(logs.join("\n")).toContain("could not tell a user about the restart");
    expect(await recoverPendingQuestions({ appDb: db, api, logger, createdBefore: later })).toBe(0);
  });

  it("the bot runs the recovery when it starts", async () => {
    const t = setup();
    await t.appDb.recordQuestion({
      question: "Kā iegūt statusu?",
      language: "lv",
      channel: "private",
      chatId: 100,
    });
    const stop = startPendingRecovery(
      { appDb: t.appDb, api: t.padoms.bot.api, logger: createLogger({ level: "silent" }) },
      new Date(Date.now() + 120_000),
    );
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(text(t.sent().at(-1))).toContain("es tiku restartēts");
    expect((await t.appDb.getInteraction(1))?.status).toBe("restarted");
    await t.padoms.start();
    await t.padoms.stop();
    expect(t.sent()).toHaveLength(1);
  });
});
