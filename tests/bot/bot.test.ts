import type { InlineKeyboardMarkup } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { INLINE_DEBOUNCE_MS } from "../../src/bot/features/inline.js";
import { MAX_ANSWER_PARTS } from "../../src/bot/format.js";
import { pressMatches } from "../../src/bot/keyboards.js";
import { FakeAnswerEngine, MARKERS } from "./fake-engine.js";
import {
  BOT_INFO,
  callback,
  command,
  createTestBot,
  edited,
  GROUP_CHAT,
  inlineQuery,
  message,
  PRIVATE_CHAT,
  TEST_TOKEN,
  type TestBot,
  tagsBalanced,
  USER_EN,
  USER_LV,
} from "./harness.js";

const QUESTION = "Ka iegut socialā uznemuma statusu?";

function buttons(markup: unknown): string[] {
  const kb = markup as InlineKeyboardMarkup | undefined;
  return (kb?.inline_keyboard ?? [])
    .flat()
    .map((b) => ("callback_data" in b ? b.callback_data : "url" in b ? `url:${b.url}` : "?"));
}

function textOf(bot: TestBot, index = -1): string {
  return String(bot.sent().at(index)?.payload.text ?? "");
}

let current: TestBot | undefined;
afterEach(async () => {
  await current?.padoms.stop();
  current?.appDb.close();
  current = undefined;
});

function setup(...args: Parameters<typeof createTestBot>): TestBot {
  current = createTestBot(...args);
  return current;
}

describe("asking in a private chat", () => {
  it("shows typing, then an HTML answer with citations, sources and buttons", async () => {
    const t = setup();
    await t.send(message(QUESTION));
    expect(t.callsOf("sendChatAction")[0]?.payload.action).toBe("typing");
    const [reply] = t.sent();
    expect(reply?.payload.parse_mode).toBe("HTML");
    const text = String(reply?.payload.text);
    expect(text).toContain("Labklājības ministrija pēc komisijas atzinuma [1]");
    expect(text).toContain("&lt;b&gt;ieguldīta&lt;/b&gt; mērķos &amp; darbiniekos");
    expect(text).toContain("[1] <b>Rokasgrāmata</b>, 12. lpp., «4.2. Esošas SIA ceļš uz statusu»");
    expect(text).toContain(
      '[2] 🎬 <a href="https://www.youtube.com/watch?v=abc123&amp;t=195s">Sociālā uzņēmuma statuss &lt;praksē&gt;</a>, 03:15–04:20',
    );
    expect(tagsBalanced(text)).toBe(true);
    expect(buttons(reply?.payload.reply_markup)).toEqual(["fb:1:u", "fb:1:d", "src:1", "rel:1"]);
    expect(reply?.payload.reply_parameters).toBeUndefined();
    expect(t.engine.asked[0]?.options?.conversationId).toBe("tg:100");
  });

  it("stores the interaction with a pseudonym, never the raw user id", async () => {
    const t = setup();
    await t.send(message(QUESTION));
    const stored = await t.appDb.getInteraction(1);
    expect(stored?.question).toBe(QUESTION);
    expect(stored?.citations).toHaveLength(2);
    expect(stored?.channel).toBe("private");
    expect(stored?.chatId).toBeUndefined();
    expect(stored?.userHash).toBe(t.appDb.pseudonymise(USER_LV.id));
    expect(stored?.userHash).not.toContain(String(USER_LV.id));
  });

  it("answers even when sendChatAction and setMyCommands fail", async () => {
    const t = setup({ failing: ["sendChatAction", "setMyCommands"] });
    await t.padoms.start();
    await t.send(message(QUESTION));
    await t.padoms.stop();
    expect(t.callsOf("setMyCommands").map((c) => c.payload.language_code)).toEqual([
      undefined,
      "en",
    ]);
    expect(t.callsOf("sendChatAction")).toHaveLength(1);
    expect(textOf(t)).toContain("[1]");
    expect(t.logs.join("\n")).not.toContain(TEST_TOKEN);
  });

  it("registers Latvian and English commands", async () => {
    const t = setup();
    await t.padoms.start();
    await t.padoms.stop();
    const [lv, en] = t.callsOf("setMyCommands");
    const names = ((lv?.payload.commands ?? []) as { command: string }[]).map((c) => c.command);
    expect(names).toEqual(["start", "help", "lectures", "ask", "new", "about"]);
    expect(JSON.stringify(lv?.payload.commands)).toContain("Video lekciju saraksts");
    expect(JSON.stringify(en?.payload.commands)).toContain("List of video lectures");
    expect(t.callsOf("deleteWebhook")).toHaveLength(1);
  });

  it("streams an LLM answer by editing one message at most about once an interval", async () => {
    // The interval is 1 s in production; 50 ms here, with the engine 10 times as fast as before.
    const t = setup({
      engine: new FakeAnswerEngine({ streamSteps: 10, streamStepMs: 20 }),
      deps: { streamIntervalMs: 50 },
    });
    const started = Date.now();
    await t.send(message(`Ka iegut statusu ${MARKERS.stream}`));
    const elapsed = Date.now() - started;
    const sends = t.sent();
    const edits = t.callsOf("editMessageText");
    expect(sends).toHaveLength(1);
    expect(String(sends[0]?.payload.text)).toMatch(/ …$/);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 2);
    const final = edits.at(-1);
    expect(String(final?.payload.text)).toContain("📚 <b>Avoti</b>");
    expect(buttons(final?.payload.reply_markup)).toContain("src:1");
    expect(final?.payload.message_id).toBe(5001);
  });

  it("splits a long answer, each part valid, buttons under the last", async () => {
    const t = setup();
    await t.send(message(`Pastāsti visu ${MARKERS.long}`));
    const parts = t.sent();
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) {
      expect(String(p.payload.text).length).toBeLessThanOrEqual(4096);
      expect(tagsBalanced(String(p.payload.text))).toBe(true);
    }
    expect(parts.slice(0, -1).every((p) => p.payload.reply_markup === undefined)).toBe(true);
    expect(buttons(parts.at(-1)?.payload.reply_markup)).toContain("fb:1:u");
  });

  it("sends a runaway 311 KB answer in a few messages, not 77", async () => {
    const t = setup();
    await t.send(message(`Pastāsti visu ${MARKERS.huge}`));
    const parts = t.sent();
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(MAX_ANSWER_PARTS);
    expect(String(parts.at(-1)?.payload.text)).toContain("📚 <b>Avoti</b>");
    expect(buttons(parts.at(-1)?.payload.reply_markup)).toContain("fb:1:u");
  });

  it("says plainly when declined and offers the related lecture", async () => {
    const t = setup();
    await t.send(message(`Kas ir ${MARKERS.decline}?`));
    expect(textOf(t)).toContain("Materiālos atbildi uz šo jautājumu neatradu");
    expect(textOf(t)).toContain("Finansējums laukos");
    expect(buttons(t.sent()[0]?.payload.reply_markup)).toEqual(["fb:1:u", "fb:1:d", "rel:1"]);
  });

  it("apologises without a stack trace when the engine fails, and logs the update id", async () => {
    const t = setup();
    await t.send({ update_id: 777, ...message(`Kā ${MARKERS.fail}?`) });
    expect(textOf(t)).toBe(
      "😔 Atvainojiet, kaut kas nogāja greizi. Lūdzu, pamēģiniet vēlreiz pēc brīža.",
    );
    const logs = t.logs.join("\n");
    expect(logs).toContain('"updateId":777');
    expect(logs).not.toContain(TEST_TOKEN);
  });

  it("apologises when a handler throws (error boundary)", async () => {
    const t = setup({
      respond: (call) =>
        call.method === "sendMessage" && String(call.payload.text).includes("Rokasgrāmata")
          ? { ok: false, error_code: 403, description: "Forbidden: bot was blocked" }
          : undefined,
    });
    await t.send(message(QUESTION));
    expect(textOf(t)).toContain("Atvainojiet");
    expect(t.logs.join("\n")).toContain("update failed");
  });

  it("falls back to plain text when Telegram rejects the HTML", async () => {
    let first = true;
    const t = setup({
      respond: (call) => {
        if (call.method !== "sendMessage" || !first) return undefined;
        first = false;
        return { ok: false, error_code: 400, description: "Bad Request: can't parse entities" };
      },
    });
    await t.send(message(QUESTION));
    const [, plain] = t.sent();
    expect(plain?.payload.parse_mode).toBeUndefined();
    expect(String(plain?.payload.text)).toContain("[1] Rokasgrāmata, 12. lpp.");
  });

  it("answers in English labels for an English question", async () => {
    const t = setup();
    await t.send(
      message("How does a company get the status?", {
        from: USER_EN,
        chat: { id: 101, type: "private", first_name: "John" },
      }),
    );
    expect(textOf(t)).toContain("<b>Handbook</b>, p. 12");
    expect(textOf(t)).toContain("📚 <b>Sources</b>");
  });
});

describe("commands", () => {
  it("/start shows what Padoms can do and three example buttons that ask", async () => {
    const t = setup();
    await t.send(command("/start"));
    expect(textOf(t)).toContain("<b>Padoms</b>");
    expect(buttons(t.sent()[0]?.payload.reply_markup)).toEqual(["ex:0", "ex:1", "ex:2"]);
    t.clear();
    await t.send(callback("ex:1"));
    expect(t.engine.asked.at(-1)?.question).toBe(
      "Kādi nodokļu atvieglojumi pienākas sociālajam uzņēmumam?",
    );
    expect(t.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(textOf(t)).toMatch(/^❓ <b>Kādi nodokļu atvieglojumi/);
  });

  it("/start in English", async () => {
    const t = setup();
    await t.send(command("/start", { from: USER_EN }));
    expect(textOf(t)).toContain("Hello! I'm <b>Padoms</b>");
  });

  it("/help, /about", async () => {
    const t = setup({ env: { RETENTION_DAYS: "90" } });
    await t.send(command("/help"));
    expect(textOf(t)).toContain("@padoms_test_bot jautājums");
    await t.send(command("/about"));
    expect(textOf(t)).toContain("parauga materiāli");
    expect(textOf(t)).toContain("pēc 90 dienām");
    await t.send(command("/about", { from: USER_EN }));
    expect(textOf(t)).toContain("after 90 days");
  });

  it("/new forgets the conversation", async () => {
    const t = setup();
    await t.send(command("/new"));
    expect(t.engine.forgotten).toEqual(["tg:100"]);
    expect(textOf(t)).toContain("Sāksim no jauna");
    await t.send(command("/new", { chat: GROUP_CHAT }));
    expect(t.engine.forgotten).toEqual(["tg:100", `tg:${GROUP_CHAT.id}:${USER_LV.id}`]);
  });

  it("/lectures lists lectures; a button shows summary and key moments", async () => {
    const t = setup();
    await t.send(command("/lectures"));
    expect(textOf(t)).toContain("Sociālā uzņēmuma statuss &lt;praksē&gt;</b> — mentore, 42 min");
    expect(buttons(t.sent()[0]?.payload.reply_markup)).toEqual(["lec:lekcija-1", "lec:lekcija-2"]);
    await t.send(callback("lec:lekcija-1"));
    expect(textOf(t)).toContain("<b>Galvenie brīži</b>");
    expect(textOf(t)).toContain("03:15</a> Statusa kritēriji");
    expect(buttons(t.sent().at(-1)?.payload.reply_markup)).toEqual([
      "url:https://www.youtube.com/watch?v=abc123",
    ]);
    await t.send(callback("lec:nav-tadas"));
    expect(t.callsOf("answerCallbackQuery").at(-1)?.payload.text).toContain("vairs neatradu");
  });
});

describe("buttons under an answer", () => {
  it("stores 👍 once and says so on a second press", async () => {
    const t = setup();
    await t.send(message(QUESTION));
    await t.send(callback("fb:1:u"));
    await t.send(callback("fb:1:d"));
    const texts = t.callsOf("answerCallbackQuery").map((c) => c.payload.text);
    expect(texts).toEqual(["Paldies! Prieks, ka noderēja.", "Jūsu vērtējums jau ir saglabāts."]);
    expect(await t.appDb.feedbackCounts(1)).toEqual({ up: 1, down: 0 });
  });

  it("logs each feature's lines with the update's id (the per-update logger)", async () => {
    const t = setup();
    await t.send({ update_id: 9001, ...message(QUESTION) });
    await t.send({ update_id: 9002, ...callback("fb:1:u") });
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const answered = lines.find((e) => e.msg === "answered");
    const feedback = lines.find((e) => e.msg === "feedback");
    expect(answered).toMatchObject({ updateId: 9001, interactionId: 1 });
    expect(feedback).toMatchObject({ updateId: 9002, interactionId: 1, value: 1 });
    // Every line written while an update was handled names it.
    expect(lines.every((e) => e.updateId === 9001 || e.updateId === 9002)).toBe(true);
  });

  describe("buttons work only where their answer was sent (callback data can be forged)", () => {
    const otherChat = { chat: { ...PRIVATE_CHAT, id: USER_EN.id }, from: USER_EN };
    const gone = "This answer is no longer available.";

    it("another user's forged 'Sources' and 'Related lecture' show nothing of the answer", async () => {
      const t = setup();
      await t.send(message(QUESTION));
      t.clear();
      await t.send(callback("src:1", otherChat));
      await t.send(callback("rel:1", otherChat));
      expect(t.sent()).toHaveLength(0);
      expect(t.callsOf("answerCallbackQuery").map((c) => c.payload.text)).toEqual([gone, gone]);
      // The asker's own buttons still work.
      await t.send(callback("src:1"));
      expect(textOf(t)).toContain("Esoša SIA groza statūtus");
    });

    it("a forged 👎 from another chat is not counted", async () => {
      const t = setup();
      await t.send(message(QUESTION));
      await t.send(callback("fb:1:d", otherChat));
      await t.send(callback("fb:1:d", { from: USER_EN }));
      expect(await t.appDb.feedbackCounts(1)).toEqual({ up: 0, down: 0 });
      await t.send(callback("fb:1:d"));
      expect(await t.appDb.feedbackCounts(1)).toEqual({ up: 0, down: 1 });
    });

    it("an inline answer's buttons work only on an inline message", async () => {
      const inline = { channel: "inline", userHash: "h" } as const;
      const hash = () => "h";
      expect(pressMatches(inline, { userId: 7, inlineMessage: true }, hash)).toBe(true);
      const forged = { chatId: 7, chatType: "private", userId: 7, inlineMessage: false };
      expect(pressMatches(inline, forged, hash)).toBe(false);
      expect(pressMatches({ channel: "cli" }, forged, hash)).toBe(false);
    });

    it("in a group, every member may use them, and no other group may", async () => {
      const t = setup();
      await t.send(command(`/ask ${QUESTION}`, { chat: GROUP_CHAT }));
      t.clear();
      const elsewhere = { chat: { ...GROUP_CHAT, id: -100999 }, from: USER_EN };
      await t.send(callback("src:1", elsewhere));
      await t.send(callback("fb:1:u", elsewhere));
      expect(t.sent()).toHaveLength(0);
      expect(await t.appDb.feedbackCounts(1)).toEqual({ up: 0, down: 0 });
      await t.send(callback("fb:1:u", { chat: GROUP_CHAT, from: USER_EN }));
      await t.send(callback("src:1", { chat: GROUP_CHAT, from: USER_EN }));
      expect(await t.appDb.feedbackCounts(1)).toEqual({ up: 1, down: 0 });
      expect(textOf(t)).toContain("Esoša SIA groza statūtus");
      expect(t.callsOf("answerCallbackQuery")[0]?.payload.text).toBe(gone);
    });
  });

  it("a button of an unknown answer says it is gone", async () => {
    const t = setup();
    await t.send(callback("fb:99:u"));
    await t.send(callback("src:99"));
    expect(t.callsOf("answerCallbackQuery").map((c) => c.payload.text)).toEqual([
      "Šī atbilde vairs nav pieejama.",
      "Šī atbilde vairs nav pieejama.",
    ]);
    expect(t.sent()).toHaveLength(0);
  });

  it("Sources expands the quoted passages, escaped and trimmed", async () => {
    const t = setup();
    await t.send(message(QUESTION));
    await t.send(callback("src:1"));
    const text = textOf(t);
    expect(text).toContain("📚 <b>Citētie fragmenti</b>");
    expect(text).toContain(
      "<blockquote>Esoša SIA groza statūtus &lt;script&gt;alert(1)&lt;/script&gt; &amp; iesniedz pieteikumu LM.</blockquote>",
    );
    expect(tagsBalanced(text)).toBe(true);
  });

  it("Related lecture shows the lecture card at the cited moment", async () => {
    const t = setup();
    await t.send(message(QUESTION));
    await t.send(callback("rel:1"));
    expect(textOf(t)).toContain("Skatīties no 03:15");
    expect(buttons(t.sent().at(-1)?.payload.reply_markup)).toEqual([
      "url:https://www.youtube.com/watch?v=abc123&t=195s",
    ]);
  });

  it("an unknown button gets an answer so that no spinner hangs", async () => {
    const t = setup();
    await t.send(callback("veca-poga"));
    expect(t.callsOf("answerCallbackQuery")[0]?.payload.text).toBe("Šī poga vairs nedarbojas.");
  });

  it("a failing answerCallbackQuery does not stop feedback from being stored", async () => {
    const t = setup({ failing: ["answerCallbackQuery"] });
    await t.send(message(QUESTION));
    await t.send(callback("fb:1:u"));
    expect(await t.appDb.feedbackCounts(1)).toEqual({ up: 1, down: 0 });
  });
});

describe("groups", () => {
  const group = { chat: GROUP_CHAT };

  it("stays silent on plain messages and edits", async () => {
    const t = setup();
    await t.send(message("Kā iegūt statusu?", group));
    await t.send(edited("Kā iegūt statusu?", group));
    await t.send(message(undefined, { ...group, sticker: { file_id: "s" } }));
    await t.send(command("/start@other_bot", group));
    await t.send(command("/unknown", group));
    expect(t.calls).toHaveLength(0);
    expect(t.engine.asked).toHaveLength(0);
  });

  it("answers a mention in the thread of the question", async () => {
    const t = setup();
    const update = message("@padoms_test_bot kā iegūt statusu?", group);
    await t.send(update);
    expect(t.engine.asked[0]?.question).toBe("kā iegūt statusu?");
    expect(t.engine.asked[0]?.options?.conversationId).toBe(`tg:${GROUP_CHAT.id}:${USER_LV.id}`);
    const reply = t.sent()[0];
    expect(reply?.payload.reply_parameters).toEqual({
      message_id: update.message?.message_id,
      allow_sending_without_reply: true,
    });
    expect((await t.appDb.getInteraction(1))?.chatId).toBe(GROUP_CHAT.id);
  });

  it("answers a mention given as an entity", async () => {
    const t = setup();
    const text = "Padoms, kā iegūt statusu?";
    await t.send(
      message(text, {
        ...group,
        entities: [{ type: "text_mention", offset: 0, length: 6, user: BOT_INFO }],
      }),
    );
    expect(t.engine.asked).toHaveLength(1);
  });

  it("answers a reply to one of its messages", async () => {
    const t = setup();
    await t.send(
      message("Un cik tas maksā?", {
        ...group,
        reply_to_message: { message_id: 1, date: 0, chat: GROUP_CHAT, from: BOT_INFO, text: "…" },
      }),
    );
    expect(t.engine.asked[0]?.question).toBe("Un cik tas maksā?");
  });

  it("answers /ask and /ask@botname, and explains an empty /ask", async () => {
    const t = setup();
    await t.send(command("/ask kā iegūt statusu?", group));
    await t.send(command("/ask@padoms_test_bot kādi ir nodokļi?", group));
    expect(t.engine.asked.map((a) => a.question)).toEqual([
      "kā iegūt statusu?",
      "kādi ir nodokļi?",
    ]);
    await t.send(command("/ask", group));
    expect(textOf(t)).toContain("Uzrakstiet jautājumu aiz komandas");
  });

  it("answers in the forum topic of the question", async () => {
    const t = setup();
    await t.send(
      message("@padoms_test_bot kā iegūt statusu?", {
        ...group,
        is_topic_message: true,
        message_thread_id: 7,
      }),
    );
    expect(t.sent()[0]?.payload.message_thread_id).toBe(7);
    expect(t.callsOf("sendChatAction")[0]?.payload.message_thread_id).toBe(7);
  });

  it("a bare mention gets a hint", async () => {
    const t = setup();
    await t.send(message("@padoms_test_bot", group));
    expect(textOf(t)).toContain("Esmu šeit!");
  });

  it("introduces itself when added to a group", async () => {
    const t = setup();
    await t.send({
      my_chat_member: {
        chat: GROUP_CHAT,
        from: USER_LV,
        date: 0,
        old_chat_member: { status: "left", user: BOT_INFO },
        new_chat_member: { status: "member", user: BOT_INFO },
      },
    } as never);
    expect(textOf(t)).toContain("Paldies, ka pievienojāt");
  });
});

describe("anything else users send", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    [
      "voice",
      { voice: { file_id: "v", file_unique_id: "v", duration: 3 } },
      "Balss un audio ziņas",
      "voice or audio",
    ],
    [
      "photo",
      { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] },
      "Attēlus es vēl neredzu",
      "can't see pictures",
    ],
    [
      "sticker",
      {
        sticker: {
          file_id: "s",
          file_unique_id: "s",
          type: "regular",
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
        },
      },
      "Jauka uzlīme",
      "Nice sticker",
    ],
    [
      "document",
      { document: { file_id: "d", file_unique_id: "d" } },
      "Failus es neatveru",
      "don't open files",
    ],
    [
      "location",
      { location: { latitude: 56.9, longitude: 24.1 } },
      "atrašanās vietu",
      "Thanks for the location",
    ],
    [
      "forwarded channel post",
      {
        text: "Kā iegūt statusu?",
        forward_origin: {
          type: "channel",
          chat: { id: -1001, type: "channel", title: "Ziņas" },
          message_id: 5,
          date: 0,
        },
      },
      "Pārsūtītas ziņas",
      "forwarded messages",
    ],
    ["emoji-only", { text: "👍🙂🎉" }, "neatradu vārdu", "no words"],
    [
      "5,000-character message",
      { text: "jautājums ".repeat(500) },
      "pārāk gara (4999 rakstzīmes)",
      "too long (4999 characters)",
    ],
    [
      "unknown command",
      { text: "/foo", entities: [{ type: "bot_command", offset: 0, length: 4 }] },
      "Šādu komandu nezinu",
      "don't know that command",
    ],
    [
      "contact",
      { contact: { phone_number: "+371", first_name: "A" } },
      "Kontaktus",
      "don't use contacts",
    ],
  ];

  for (const [name, content, lv, en] of cases) {
    it(`replies kindly to a ${name} (lv and en), never asking the engine`, async () => {
      const t = setup();
      await t.send(message(undefined, content));
      await t.send(message(undefined, { ...content, from: USER_EN }));
      expect(t.sent()).toHaveLength(2);
      expect(textOf(t, 0)).toContain(lv);
      expect(textOf(t, 0)).toContain("/help");
      expect(textOf(t, 1)).toContain(en);
      expect(t.engine.asked).toHaveLength(0);
    });
  }

  it("replies kindly to an edited message in a private chat", async () => {
    const t = setup();
    await t.send(edited("Kā iegūt statusu?"));
    await t.send(edited("How?", { from: USER_EN, chat: PRIVATE_CHAT }));
    expect(textOf(t, 0)).toContain("Redzu, ka labojāt ziņu");
    expect(textOf(t, 1)).toContain("I see you edited a message");
    expect(t.engine.asked).toHaveLength(0);
  });

  it("greets back and thanks back without asking the engine", async () => {
    const t = setup();
    await t.send(message("Sveiki!"));
    await t.send(message("paldies"));
    expect(textOf(t, 0)).toContain("Sveiki! 👋");
    expect(textOf(t, 1)).toContain("Lūdzu!");
    expect(t.engine.asked).toHaveLength(0);
  });

  it("ignores its own inline answers and service messages", async () => {
    const t = setup();
    await t.send(message("Atbilde", { via_bot: BOT_INFO }));
    await t.send(
      message(undefined, { pinned_message: { message_id: 1, date: 0, chat: PRIVATE_CHAT } }),
    );
    expect(t.calls).toHaveLength(0);
  });
});

describe("rate limit", () => {
  it("sends the polite message once per window, then drops", async () => {
    const t = setup({ env: { RATE_LIMIT_PER_MINUTE: "3" } });
    for (let i = 0; i < 6; i++) await t.send(message(`Jautājums numur ${i}`));
    expect(t.engine.asked).toHaveLength(3);
    const limitMessages = t
      .sent()
      .filter((c) => String(c.payload.text).includes("pagaidiet minūti"));
    expect(limitMessages).toHaveLength(1);
    expect(String(limitMessages[0]?.payload.text)).toContain("ne vairāk kā 3 ziņas minūtē");
    expect(t.sent()).toHaveLength(4);
  });

  it("does not count button presses or ignored group chatter", async () => {
    const t = setup({ env: { RATE_LIMIT_PER_MINUTE: "2" } });
    for (let i = 0; i < 5; i++) await t.send(message(`Runājam ${i}`, { chat: GROUP_CHAT }));
    for (let i = 0; i < 5; i++) await t.send(callback("veca-poga"));
    await t.send(message(QUESTION));
    await t.send(message(QUESTION));
    expect(t.engine.asked).toHaveLength(2);
  });

  it("gives inline queries a looser limit and answers the first one over it with an article", async () => {
    const t = setup({ env: { RATE_LIMIT_PER_MINUTE: "1" } });
    for (let i = 0; i < 4; i++) await t.send(inlineQuery(`Kā iegūt statusu ${i}?`));
    const results = t
      .callsOf("answerInlineQuery")
      .map((c) => (c.payload.results as { title: string }[])[0]?.title);
    expect(results).toHaveLength(4);
    expect(results.slice(0, 3).every((r) => !r?.includes("pagaidiet"))).toBe(true);
    expect(results[3]).toContain("pagaidiet minūti");
  });
});

describe("inline mode", () => {
  it("offers the answer with its sources as an article", async () => {
    const t = setup();
    await t.send(inlineQuery("Kā iegūt statusu?"));
    const call = t.callsOf("answerInlineQuery")[0];
    const [article] = (call?.payload.results ?? []) as {
      type: string;
      title: string;
      description: string;
      input_message_content: { message_text: string; parse_mode: string };
      reply_markup: InlineKeyboardMarkup;
    }[];
    expect(article?.type).toBe("article");
    expect(article?.input_message_content.parse_mode).toBe("HTML");
    expect(article?.input_message_content.message_text).toContain("📚 <b>Avoti</b>");
    expect(article?.description).not.toContain("[1]");
    expect(buttons(article?.reply_markup)).toEqual([
      "fb:1:u",
      "fb:1:d",
      "url:https://t.me/padoms_test_bot?start=inline",
    ]);
    expect(call?.payload.is_personal).toBe(true);
    expect(t.engine.asked[0]?.options?.conversationId).toBeUndefined();
    expect((await t.appDb.getInteraction(1))?.channel).toBe("inline");
  });

  it("shows a hint article and an ask-privately button for short queries", async () => {
    const t = setup();
    await t.send(inlineQuery(""));
    await t.send(inlineQuery("ab", USER_EN));
    const [empty, short] = t.callsOf("answerInlineQuery");
    expect(((empty?.payload.results ?? []) as { id: string }[])[0]?.id).toBe("hint");
    expect(empty?.payload.button).toEqual({
      text: "Jautāt Padomam privāti",
      start_parameter: "inline",
    });
    expect(((short?.payload.results ?? []) as { title: string }[])[0]?.title).toBe(
      "Type a question…",
    );
    expect(t.engine.asked).toHaveLength(0);
  });

  it("offers an error article when the engine fails", async () => {
    const t = setup();
    await t.send(inlineQuery(`Kā ${MARKERS.fail}?`));
    expect(
      ((t.callsOf("answerInlineQuery")[0]?.payload.results ?? []) as { id: string }[])[0]?.id,
    ).toBe("error");
  });

  it("skips a query superseded by a newer one from the same user", async () => {
    const t = setup({ deps: { inlineDebounceMs: INLINE_DEBOUNCE_MS } });
    await Promise.all([
      t.send(inlineQuery("Kā iegūt sta")),
      t.send(inlineQuery("Kā iegūt statusu?")),
    ]);
    expect(t.engine.asked.map((a) => a.question)).toEqual(["Kā iegūt statusu?"]);
    expect(t.callsOf("answerInlineQuery")).toHaveLength(1);
  });

  it("survives a failing answerInlineQuery", async () => {
    const t = setup({ failing: ["answerInlineQuery"] });
    await expect(t.send(inlineQuery("Kā iegūt statusu?"))).resolves.toBeUndefined();
  });
});
