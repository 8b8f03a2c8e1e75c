/**
 * The coordinators' features end to end: the real bot over HTTP against the Bot API emulator
 * (`telegram-test-api`) on 127.0.0.1, the real engine over the sample corpus, and the app
 * database in a file.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovedAnswerService } from "../../src/answer/approved.js";
import { type App, createApp } from "../../src/app.js";
import { APP_DB_FILE, type AppDb, openAppDb } from "../../src/store/app-db.js";
import { EMULATOR_BOT, type EmulatorClient, startEmulator } from "../bot/e2e-helper.js";
import { sampleCorpus, testConfig } from "../helpers/corpus.js";
import { sampleIndexCopy } from "../helpers/sample-index.js";
import { type CoordinatorsE2eBot, startCoordinatorsBot } from "./e2e-harness.js";

const COORDINATORS = -100999;
const ADMIN = 7;
const ANNA = 500;
const PETERIS = 501;
const TOKEN = "100000003:E2E-coordinators-token-emulator-only";

const QUESTION = "Vai mūsu koris var braukt uz Erasmus apmaiņu Norvēģijā?";
const REWORDED = "Vai mūsu korim ir iespēja piedalīties Erasmus apmaiņā Norvēģijā?";
const REPLY =
  "Jā, bet Erasmus+ apmaiņai pieteikumu iesniedz partnerorganizācija; sazinieties ar Jaunatnes starptautisko programmu aģentūru.";

let data: string;
let server: TelegramServer;
let app: App;
let appDb: AppDb;
let bot: CoordinatorsE2eBot;
let anna: EmulatorClient;
let coordinator: EmulatorClient;

function callbackData(markup: unknown): string[] {
  const kb = markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  return (kb?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => (b.callback_data ? [b.callback_data] : []));
}

/** A reply (Telegram's "Reply") to one of the bot's messages in the coordinators' chat. */
function replyTo(client: EmulatorClient, messageId: number, text: string) {
  return client.makeMessage(text, {
    reply_to_message: {
      message_id: messageId,
      date: 0,
      chat: { id: COORDINATORS, type: "supergroup" },
      from: {
        id: EMULATOR_BOT.id,
        is_bot: true,
        first_name: "Padoms",
        username: EMULATOR_BOT.username,
      },
      text: "…",
    },
  } as never);
}

async function until<T>(
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
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
  data = await sampleIndexCopy();
  server = await startEmulator();
  // The product's embedding size: the answer models' vector features were fitted with it.
  const config = testConfig(data, sampleCorpus, {
    LOCAL_EMBEDDING_DIM: "768",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: server.config.apiURL,
    BOT_MODE: "polling",
    RATE_LIMIT_PER_MINUTE: "1000",
    COORDINATOR_CHAT_ID: String(COORDINATORS),
    ADMIN_USER_IDS: String(ADMIN),
  });
  appDb = openAppDb(join(data, APP_DB_FILE), { pseudonymSecret: "e2e-secret" });
  app = await createApp({ config, appDb });
  const approved = app.approved as ApprovedAnswerService;
  bot = await startCoordinatorsBot(server, { config, engine: app.engine, appDb, approved });
  anna = bot.client({ chatId: ANNA, userId: ANNA, firstName: "Anna", userName: "anna" });
  coordinator = bot.client({
    chatId: COORDINATORS,
    userId: ADMIN,
    type: "supergroup",
    firstName: "Inese",
    userName: "inese",
    chatTitle: "Padoma koordinatori",
  });
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  await server?.stop();
  app?.close();
  appDb?.close();
  if (data) await rm(data, { recursive: true, force: true });
});

describe("coordinators over the emulator", () => {
  let post: number;

  it("a declined question reaches the coordinators' chat, and the user is told", async () => {
    const toUser = await bot.replies(ANNA, 2, () => anna.sendMessage(anna.makeMessage(QUESTION)));
    expect(toUser[0]?.text).toMatch(/neatradu|nekā nav/);
    expect(toUser[1]?.text).toContain("Nodevu jūsu jautājumu Padoma koordinatoriem");
    const [handoff] = await until(
      async () => [await appDb.handoffOfInteraction(1)],
      ([h]) => h?.coordinatorMessageId !== undefined,
    );
    const posts = await bot.botMessages(COORDINATORS);
    const message = posts.find((m) => m.messageId === handoff?.coordinatorMessageId);
    expect(message?.parseMode).toBe("HTML");
    expect(message?.text).toContain(`❓ <b>${QUESTION}</b>`);
    expect(message?.text).toContain("No: <b>Anna</b> · privāta saruna");
    expect(message?.text).toContain("Padoms atbildi materiālos neatrada.");
    post = message?.messageId as number;
  });

  it("a coordinator's reply to it reaches the user, labelled, and is confirmed in the chat", async () => {
    const [confirmation] = await bot.replies(COORDINATORS, 1, () =>
      coordinator.sendMessage(replyTo(coordinator, post, REPLY)),
    );
    const delivered = (await bot.botMessages(ANNA)).at(-1);
    expect(delivered?.text).toContain("💬 <b>Padoma koordinatora atbilde</b> (Inese)");
    expect(delivered?.text).toContain(REPLY);
    expect(confirmation?.text).toContain("✅ Atbilde nosūtīta lietotājam (atbildēja Inese,");
    expect(callbackData(confirmation?.replyMarkup)).toEqual([expect.stringMatching(/^faq:\d+$/)]);
    const handoff = await appDb.handoffOfInteraction(1);
    expect(handoff?.status).toBe("answered");
    const [reply] = await appDb.repliesOf(handoff?.id as number);
    expect(reply).toMatchObject({ coordinatorId: ADMIN, coordinatorName: "Inese", text: REPLY });
    expect(reply?.deliveredAt).toBeDefined();
  });

  it("“Save as FAQ” makes a differently worded question get the approved answer", async () => {
    const confirmation = (await bot.botMessages(COORDINATORS)).at(-1);
    const [data] = callbackData(confirmation?.replyMarkup);
    const [saved] = await bot.replies(COORDINATORS, 1, () =>
      coordinator.sendCallback(
        coordinator.makeCallbackQuery(data as string, {
          message: { message_id: confirmation?.messageId },
        }),
      ),
    );
    expect(saved?.text).toContain("Saglabāts kā apstiprināta atbilde #1");
    expect(await appDb.getApproved(1)).toMatchObject({
      question: QUESTION,
      answer: REPLY,
      approvedBy: "Inese",
    });

    const peteris = bot.client({ chatId: PETERIS, userId: PETERIS, firstName: "Pēteris" });
    const [answer] = await bot.replies(PETERIS, 1, () =>
      peteris.sendMessage(peteris.makeMessage(REWORDED)),
    );
    expect(answer?.text).toMatch(
      /✅ <i>Koordinatoru apstiprināta atbilde \(\d{2}\.\d{2}\.\d{4}\.\)<\/i>/,
    );
    expect(answer?.text).toContain(REPLY);
    expect((await bot.botMessages(COORDINATORS)).length).toBe(3);

    const [related] = await bot.replies(PETERIS, 1, () =>
      peteris.sendMessage(peteris.makeMessage("Kā iegūt sociālā uzņēmuma statusu?")),
    );
    expect(related?.text).not.toContain("Koordinatoru apstiprināta atbilde");
  });

  it("a non-admin's /faq and /report are refused politely", async () => {
    const member = bot.client({
      chatId: COORDINATORS,
      userId: 8,
      type: "supergroup",
      firstName: "Jānis",
    });
    for (const cmd of ["/faq", "/report"]) {
      const [refusal] = await bot.replies(COORDINATORS, 1, () =>
        member.sendCommand(member.makeCommand(cmd)),
      );
      expect(refusal?.text).toBe(
        "🔒 Atvainojiet, šī komanda pieejama tikai Padoma administratoriem.",
      );
    }
    const [list] = await bot.replies(COORDINATORS, 1, () =>
      coordinator.sendCommand(coordinator.makeCommand("/faq")),
    );
    expect(list?.text).toContain("<b>Apstiprinātās atbildes</b> (1)");
  });

  it("/report sends a summary and a PNG chart (captured; the emulator lacks sendPhoto)", async () => {
    const [summary] = await bot.replies(COORDINATORS, 1, () =>
      coordinator.sendCommand(coordinator.makeCommand("/report")),
    );
    expect(summary?.text).toContain("📊 <b>Padoms: pārskats</b>");
    expect(summary?.text).toContain("Jautājumi</b>: 3");
    expect(summary?.text).toContain("🙋 Nodoti koordinatoriem: 1 (33 %)");
    expect(summary?.text).toContain("no tiem ar apstiprinātu atbildi: 1");
    const [photo] = await until(
      () => bot.photos,
      (p) => p.length > 0,
    );
    expect(photo?.chatId).toBe(COORDINATORS);
    const png = photo?.data as Buffer;
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThanOrEqual(600);
    expect(height).toBeGreaterThanOrEqual(400);
    await until(
      () => bot.logs.join("\n"),
      (logs) => logs.includes("the report chart could not be sent"),
    );
  }, 30_000);

  it("/forget removes the user's rows", async () => {
    const hash = appDb.pseudonymise(ANNA);
    expect((await appDb.getInteraction(1))?.userHash).toBe(hash);
    const [confirm] = await bot.replies(ANNA, 1, () =>
      anna.sendCommand(anna.makeCommand("/forget")),
    );
    expect(confirm?.text).toContain("Dzēsu visu, ko Padoms par jums glabāja. Jautājumi: 1");
    expect(await appDb.getInteraction(1)).toBeUndefined();
    expect(await appDb.handoffOfInteraction(1)).toBeUndefined();
    const rows = await appDb.reportRows(new Date(0), new Date(Date.now() + 60_000));
    expect(rows.map((r) => r.question)).toEqual([REWORDED, "Kā iegūt sociālā uzņēmuma statusu?"]);
    expect((await appDb.getApproved(1))?.answer).toBe(REPLY);
  });
});
