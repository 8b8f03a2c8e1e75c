import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type E2eBot,
  EMULATOR_BOT,
  type EmulatorClient,
  startE2eBot,
  startEmulator,
} from "./e2e-helper.js";
import { FakeAnswerEngine, MARKERS } from "./fake-engine.js";
import { tagsBalanced } from "./harness.js";

let server: TelegramServer;
let bot: E2eBot;
let limited: E2eBot;
const engine = new FakeAnswerEngine();
let nextChat = 500;

/** A private chat of its own for each scenario, so that counts never mix. */
function privateChat(): { chatId: number; client: EmulatorClient } {
  const chatId = nextChat++;
  return {
    chatId,
    client: bot.client({ chatId, userId: chatId, firstName: "Anna", userName: "anna" }),
  };
}

function callbackData(markup: unknown): string[] {
  const kb = markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  return (kb?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

/** A message without text carrying another kind of content. */
function contentMessage(client: EmulatorClient, content: Record<string, unknown>) {
  const { text: _text, ...rest } = client.makeMessage("");
  return { ...rest, ...content } as unknown as ReturnType<EmulatorClient["makeMessage"]>;
}

async function until<T>(
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 40));
  }
}

beforeAll(async () => {
  server = await startEmulator();
  bot = await startE2eBot(server, { engine });
  limited = await startE2eBot(server, {
    engine: new FakeAnswerEngine(),
    token: "100000002:E2E-rate-limited-bot-token-emulator-only",
    env: { RATE_LIMIT_PER_MINUTE: "3" },
  });
});

afterAll(async () => {
  await bot?.stop();
  await limited?.stop();
  await server?.stop();
});

describe("private chat over the emulator", () => {
  it("answers a question in HTML with citations and buttons; 👍 is stored once", async () => {
    const { chatId, client } = privateChat();
    const [answer] = await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage("Ka iegut socialā uznemuma statusu?")),
    );
    expect(answer?.parseMode).toBe("HTML");
    expect(answer?.text).toContain("[1]");
    expect(answer?.text).toContain("[1] <b>Rokasgrāmata</b>, 12. lpp.");
    expect(answer?.text).toContain("🎬 <a href=");
    expect(tagsBalanced(answer?.text ?? "")).toBe(true);
    const data = callbackData(answer?.replyMarkup);
    expect(data).toEqual([
      expect.stringMatching(/^fb:\d+:u$/),
      expect.stringMatching(/^fb:\d+:d$/),
      expect.stringMatching(/^src:/),
      expect.stringMatching(/^rel:/),
    ]);
    expect(engine.asked.at(-1)?.options?.conversationId).toBe(`tg:${chatId}`);

    const up = data[0] as string;
    const id = Number(up.split(":")[1]);
    const press = () =>
      client.sendCallback(
        client.makeCallbackQuery(up, { message: { message_id: answer?.messageId } }),
      );
    await press();
    await until(
      () => bot.appDb.feedbackCounts(id),
      (c) => c.up === 1,
    );
    await press();
    const acks = await until(
      () =>
        bot.calls
          .filter((c) => c.method === "answerCallbackQuery")
          .map((c) => String(c.payload.text)),
      (texts) => texts.some((t) => t.includes("jau ir saglabāts")),
    );
    expect(acks).toContain("Paldies! Prieks, ka noderēja.");
    expect(await bot.appDb.feedbackCounts(id)).toEqual({ up: 1, down: 0 });
  });

  it("Sources expands the quoted passages", async () => {
    const { chatId, client } = privateChat();
    const [answer] = await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage("Kā iegūt statusu?")),
    );
    const src = callbackData(answer?.replyMarkup).find((d) => d.startsWith("src:")) as string;
    const [quotes] = await bot.replies(chatId, 1, () =>
      client.sendCallback(
        client.makeCallbackQuery(src, { message: { message_id: answer?.messageId } }),
      ),
    );
    expect(quotes?.text).toContain("<blockquote>");
    expect(quotes?.text).toContain("&lt;script&gt;");
  });

  it("/start shows examples; an example button asks it", async () => {
    const { chatId, client } = privateChat();
    const [start] = await bot.replies(chatId, 1, () =>
      client.sendCommand(client.makeCommand("/start")),
    );
    expect(start?.text).toContain("<b>Padoms</b>");
    expect(callbackData(start?.replyMarkup)).toEqual(["ex:0", "ex:1", "ex:2"]);
    const [answer] = await bot.replies(chatId, 1, () =>
      client.sendCallback(
        client.makeCallbackQuery("ex:0", { message: { message_id: start?.messageId } }),
      ),
    );
    expect(answer?.text).toContain("❓ <b>Kā iegūt sociālā uzņēmuma statusu?</b>");
  });

  it("/help, /lectures and a lecture button", async () => {
    const { chatId, client } = privateChat();
    const [help] = await bot.replies(chatId, 1, () =>
      client.sendCommand(client.makeCommand("/help")),
    );
    expect(help?.text).toContain(`@${EMULATOR_BOT.username}`);
    const [list] = await bot.replies(chatId, 1, () =>
      client.sendCommand(client.makeCommand("/lectures")),
    );
    expect(list?.text).toContain("42 min");
    expect(callbackData(list?.replyMarkup)).toEqual(["lec:lekcija-1", "lec:lekcija-2"]);
    const [card] = await bot.replies(chatId, 1, () =>
      client.sendCallback(
        client.makeCallbackQuery("lec:lekcija-1", { message: { message_id: list?.messageId } }),
      ),
    );
    expect(card?.text).toContain("Galvenie brīži");
    expect(card?.text).toContain("03:15</a> Statusa kritēriji");
  });

  it("/new forgets the conversation", async () => {
    const { chatId, client } = privateChat();
    const [reply] = await bot.replies(chatId, 1, () =>
      client.sendCommand(client.makeCommand("/new")),
    );
    expect(reply?.text).toContain("Sāksim no jauna");
    expect(engine.forgotten).toContain(`tg:${chatId}`);
  });

  it("a long answer arrives split, each part valid, buttons under the last", async () => {
    const { chatId, client } = privateChat();
    const parts = await bot.replies(
      chatId,
      3,
      () => client.sendMessage(client.makeMessage(`Visu ${MARKERS.long}`)),
      300,
    );
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) {
      expect(p.text.length).toBeLessThanOrEqual(4096);
      expect(tagsBalanced(p.text)).toBe(true);
    }
    expect(parts.slice(0, -1).every((p) => !p.replyMarkup)).toBe(true);
    expect(callbackData(parts.at(-1)?.replyMarkup)[0]).toMatch(/^fb:/);
  });

  it("replies kindly to every other kind of message the emulator can carry", async () => {
    const kinds: [Record<string, unknown>, string][] = [
      [{ voice: { file_id: "v", file_unique_id: "v", duration: 2 } }, "Balss un audio ziņas"],
      [
        { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] },
        "Attēlus es vēl neredzu",
      ],
      [
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
      ],
      [{ document: { file_id: "d", file_unique_id: "d" } }, "Failus es neatveru"],
      [{ location: { latitude: 56.95, longitude: 24.1 } }, "atrašanās vietu"],
      [
        {
          text: "Kā iegūt statusu?",
          forward_origin: {
            type: "channel",
            chat: { id: -100777, type: "channel", title: "Ziņas" },
            message_id: 3,
            date: 0,
          },
        },
        "Pārsūtītas ziņas",
      ],
      [{ text: "🙂🙂🎉" }, "neatradu vārdu"],
      [{ text: "garš ".repeat(1000) }, "pārāk gara"],
    ];
    const asked = engine.asked.length;
    await Promise.all(
      kinds.map(async ([content, expected]) => {
        const { chatId, client } = privateChat();
        const replies = await bot.replies(
          chatId,
          1,
          () => client.sendMessage(contentMessage(client, content)),
          200,
        );
        expect(replies).toHaveLength(1);
        expect(replies[0]?.text).toContain(expected);
        expect(replies[0]?.text).toContain("/help");
      }),
    );
    expect(engine.asked.length).toBe(asked);
  });

  it("a burst over the rate limit gets the limit message once", async () => {
    const chatId = 900;
    const client = limited.client({ chatId, userId: chatId });
    const replies = await limited.replies(
      chatId,
      4,
      async () => {
        for (let i = 0; i < 6; i++)
          await client.sendMessage(client.makeMessage(`Jautājums ${i}: kā iegūt statusu?`));
      },
      600,
    );
    expect(replies).toHaveLength(4);
    expect(replies.filter((r) => r.text.includes("pagaidiet minūti"))).toHaveLength(1);
    expect(replies.filter((r) => r.text.includes("[1]"))).toHaveLength(3);
  });
});

describe("groups over the emulator", () => {
  const chatId = -1001234;
  let client: EmulatorClient;
  beforeAll(() => {
    client = bot.client({
      chatId,
      userId: 77,
      type: "supergroup",
      firstName: "Jānis",
      userName: "janis",
    });
  });

  it("ignores plain messages", async () => {
    const asked = engine.asked.length;
    await client.sendMessage(client.makeMessage("Kā jums visiem iet?"));
    await client.sendMessage(client.makeMessage("Kā iegūt statusu?"));
    await new Promise((r) => setTimeout(r, 600));
    expect(await bot.botMessages(chatId)).toHaveLength(0);
    expect(engine.asked.length).toBe(asked);
  });

  it("answers a mention, replying to the question", async () => {
    const [answer] = await bot.replies(chatId, 1, () =>
      client.sendMessage(client.makeMessage(`@${EMULATOR_BOT.username} kā iegūt statusu?`)),
    );
    expect(answer?.text).toContain("[1]");
    expect(answer?.replyParameters?.message_id).toBe(await bot.lastUserMessageId(chatId));
    expect(engine.asked.at(-1)?.question).toBe("kā iegūt statusu?");
    expect(engine.asked.at(-1)?.options?.conversationId).toBe(`tg:${chatId}:77`);
  });

  it("answers a reply to one of its messages", async () => {
    const [mine] = await bot.botMessages(chatId);
    const reply = client.makeMessage("Un cik ilgi tas notiek?", {
      reply_to_message: {
        message_id: mine?.messageId,
        date: 0,
        chat: { id: chatId, type: "supergroup" },
        from: {
          id: EMULATOR_BOT.id,
          is_bot: true,
          first_name: "Padoms",
          username: EMULATOR_BOT.username,
        },
        text: "…",
      },
    } as never);
    const [answer] = await bot.replies(chatId, 1, () => client.sendMessage(reply));
    expect(answer?.text).toContain("[1]");
    expect(engine.asked.at(-1)?.question).toBe("Un cik ilgi tas notiek?");
  });

  it("answers /ask and /ask@botname", async () => {
    await bot.replies(chatId, 1, () =>
      client.sendCommand(client.makeCommand("/ask kādi ir nodokļu atvieglojumi?")),
    );
    expect(engine.asked.at(-1)?.question).toBe("kādi ir nodokļu atvieglojumi?");
    await bot.replies(chatId, 1, () =>
      client.sendCommand(
        client.makeCommand(`/ask@${EMULATOR_BOT.username} kur meklēt finansējumu?`),
      ),
    );
    expect(engine.asked.at(-1)?.question).toBe("kur meklēt finansējumu?");
  });
});
