/**
 * Each feature takes only its own updates (grammY routing): a button press reaches the feature
 * whose callback pattern it matches and no other; everything else is passed on, in the end to
 * "unhandled". The features run on their own here, with stubs for what they are given.
 */
import { Bot, type Composer } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import type { ApprovedAnswerService } from "../../src/answer/approved.js";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { attachContext, type BotContext, logUpdates } from "../../src/bot/context.js";
import type { Asker } from "../../src/bot/features/ask.js";
import {
  coordinatorAccess,
  createHandoffs,
  handoffFeature,
  saveFaqFeature,
} from "../../src/bot/features/coordinators.js";
import { feedbackFeature } from "../../src/bot/features/feedback.js";
import { passesGroupGate } from "../../src/bot/features/group.js";
import { lecturesFeature } from "../../src/bot/features/lectures.js";
import { sourcesFeature } from "../../src/bot/features/sources.js";
import { startFeature } from "../../src/bot/features/start.js";
import { callbackData, callbackPatterns } from "../../src/bot/keyboards.js";
import { createLogger } from "../../src/log.js";
import type { AppDb } from "../../src/store/app-db.js";
import type { LectureMeta } from "../../src/types.js";
import { BOT_INFO, callback, GROUP_CHAT, message, PRIVATE_CHAT } from "./harness.js";

const COORDINATORS_CHAT = { id: -500, type: "supergroup", title: "Koordinatori" } as const;

/** An app state whose every method records its name and finds nothing. */
function emptyAppDb(used: string[]): AppDb {
  return new Proxy({} as AppDb, {
    get: (_target, name) => {
      if (name === "then") return undefined;
      return (..._args: unknown[]) => {
        used.push(String(name));
        return name === "pseudonymise" ? "hash" : Promise.resolve(undefined);
      };
    },
  });
}

interface Harness {
  /** Sends an update; resolves with whether it was passed on past the feature. */
  send(update: Omit<Update, "update_id">): Promise<boolean>;
  /** Bot API methods called. */
  calls: string[];
  /** App state methods called. */
  used: string[];
}

let updateId = 1;

/** Runs one feature, followed by a marker that records what it passed on. */
function harness(make: (appDb: AppDb) => Composer<BotContext>): Harness {
  const calls: string[] = [];
  const used: string[] = [];
  const bot = new Bot<BotContext>("1:test", { botInfo: BOT_INFO });
  bot.api.config.use(async (_prev, method) => {
    calls.push(method);
    return { ok: true, result: true } as never;
  });
  let passedOn = false;
  bot.use(logUpdates(createLogger({ level: "silent" })));
  bot.use(attachContext(() => new AbortController().signal));
  bot.use(make(emptyAppDb(used)));
  bot.use(() => {
    passedOn = true;
  });
  return {
    calls,
    used,
    async send(update) {
      passedOn = false;
      await bot.handleUpdate({ update_id: updateId++, ...update } as Update);
      return passedOn;
    },
  };
}

const LECTURE: LectureMeta = {
  id: "lekcija-1",
  title: "Sociālā uzņēmuma statuss",
  file: "lekcija-1.txt",
} as LectureMeta;
const engine = {
  lectures: () => [LECTURE],
  ask: async () => {
    throw new Error("not asked here");
  },
  forget: async () => {},
} as unknown as AnswerEngine;

const access = coordinatorAccess({ COORDINATOR_CHAT_ID: COORDINATORS_CHAT.id, ADMIN_USER_IDS: [] });
const asked: string[] = [];
const asker: Asker = {
  answer: async (_ctx, question) => {
    asked.push(question);
  },
  handle: async () => {},
};
const approved = {} as ApprovedAnswerService;

/** One button of each kind, plus old and foreign ones. */
const PAYLOADS = {
  feedback: callbackData.feedback(7, 1),
  sources: callbackData.sources(7),
  related: callbackData.related(7),
  lecture: callbackData.lecture(LECTURE, 0),
  lectureIndex: "lei:0",
  example: callbackData.example(0),
  handoff: callbackData.handoff(7),
  saveFaq: callbackData.saveFaq(7),
  foreign: "zz:7",
  malformed: "fb:7:x",
  tooLong: `src:${"9".repeat(16)}`,
} as const;
type Payload = keyof typeof PAYLOADS;

const FEATURES: {
  name: string;
  make: (appDb: AppDb) => Composer<BotContext>;
  own: Payload[];
  chat: Record<string, unknown>;
}[] = [
  { name: "start", make: () => startFeature({ asker }), own: ["example"], chat: PRIVATE_CHAT },
  {
    name: "lectures",
    make: () => lecturesFeature({ engine, config: {} }),
    own: ["lecture", "lectureIndex"],
    chat: PRIVATE_CHAT,
  },
  {
    name: "feedback",
    make: (appDb) => feedbackFeature({ appDb, handoffs: createHandoffs({ access, appDb }) }),
    own: ["feedback"],
    chat: PRIVATE_CHAT,
  },
  {
    name: "sources",
    make: (appDb) => sourcesFeature({ appDb, engine, config: {} }),
    own: ["sources", "related"],
    chat: PRIVATE_CHAT,
  },
  {
    name: "hand-off",
    make: (appDb) => handoffFeature({ access, appDb, handoffs: createHandoffs({ access, appDb }) }),
    own: ["handoff"],
    chat: PRIVATE_CHAT,
  },
  {
    name: "save as FAQ",
    make: (appDb) => saveFaqFeature({ access, appDb, approved }),
    own: ["saveFaq"],
    chat: COORDINATORS_CHAT,
  },
];

afterEach(() => {
  asked.length = 0;
});

describe("callback routing", () => {
  for (const feature of FEATURES) {
    it(`the ${feature.name} feature takes only its own buttons`, async () => {
      const h = harness(feature.make);
      for (const [kind, data] of Object.entries(PAYLOADS) as [Payload, string][]) {
        h.calls.length = 0;
        h.used.length = 0;
        const passedOn = await h.send(callback(data, { chat: feature.chat }));
        const own = feature.own.includes(kind);
        expect({ data, passedOn }).toEqual({ data, passedOn: !own });
        if (own) {
          // It answered the press (a toast or the result).
          expect(h.calls).toContain("answerCallbackQuery");
        } else {
          expect({ data, calls: h.calls, used: h.used }).toEqual({ data, calls: [], used: [] });
        }
      }
    });
  }

  it("a press of an example button asks the example question, and only that one", async () => {
    const h = harness(() => startFeature({ asker }));
    await h.send(callback(PAYLOADS.example));
    await h.send(callback(PAYLOADS.feedback));
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/\?$/);
  });

  it("every encoded button matches its own pattern and no other", () => {
    const encoded: [keyof typeof callbackPatterns, string][] = [
      ["feedback", callbackData.feedback(12, -1)],
      ["sources", callbackData.sources(12)],
      ["related", callbackData.related(12)],
      ["lecture", callbackData.lecture(LECTURE, 3)],
      ["lectureIndex", callbackData.lecture({ ...LECTURE, id: "x".repeat(70) }, 3)],
      ["example", callbackData.example(2)],
      ["handoff", callbackData.handoff(12)],
      ["saveFaq", callbackData.saveFaq(12)],
    ];
    for (const [kind, data] of encoded) {
      const matching = Object.entries(callbackPatterns)
        .filter(([, pattern]) => pattern.test(data))
        .map(([name]) => name);
      expect({ data, matching }).toEqual({ data, matching: [kind] });
    }
  });
});

describe("the hand-off button while the coordinators' chat is off", () => {
  it("is not taken (it ends in 'unhandled', which says the button expired)", async () => {
    const off = coordinatorAccess({ COORDINATOR_CHAT_ID: undefined, ADMIN_USER_IDS: [] });
    const h = harness((appDb) =>
      handoffFeature({ access: off, appDb, handoffs: createHandoffs({ access: off, appDb }) }),
    );
    expect(await h.send(callback(PAYLOADS.handoff))).toBe(true);
    expect(h.used).toEqual([]);
  });

  it("is not taken in the coordinators' chat itself", async () => {
    const h = harness((appDb) =>
      handoffFeature({ access, appDb, handoffs: createHandoffs({ access, appDb }) }),
    );
    expect(await h.send(callback(PAYLOADS.handoff, { chat: COORDINATORS_CHAT }))).toBe(true);
    expect(h.used).toEqual([]);
  });
});

describe("the group gate", () => {
  const ctxOf = (update: Omit<Update, "update_id">, chat = GROUP_CHAT) =>
    ({
      chat: (update.message ?? update.callback_query?.message)?.chat ?? chat,
      message: update.message,
      callbackQuery: update.callback_query,
      me: BOT_INFO,
    }) as unknown as BotContext;

  it("lets through private messages, group messages addressed to the bot and button presses", () => {
    expect(passesGroupGate(ctxOf(message("Sveiki")))).toBe(true);
    expect(passesGroupGate(ctxOf(message("@padoms_test_bot kā?", { chat: GROUP_CHAT })))).toBe(
      true,
    );
    expect(passesGroupGate(ctxOf(callback("zz:1", { chat: GROUP_CHAT })))).toBe(true);
  });

  it("drops group chatter and channel posts", () => {
    expect(passesGroupGate(ctxOf(message("Runājam", { chat: GROUP_CHAT })))).toBe(false);
    const channel = { id: -1009, type: "channel", title: "Ziņas" };
    expect(passesGroupGate(ctxOf(message("Ziņa", { chat: channel })))).toBe(false);
  });
});
