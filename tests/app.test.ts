/**
 * The composition root owns what it opens: the app state it was asked for, the bot over it, and
 * one close() that ends them in order; an app state passed in stays the caller's.
 */
import { existsSync, readdirSync, readlinkSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { UserFromGetMe } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { APP_DB_FILE, openAppDb } from "../src/store/app-db.js";
import { StoreError } from "../src/store/errors.js";
import { sampleCorpus, tempDir, testConfig } from "./helpers/corpus.js";
import { sampleIndexCopy } from "./helpers/sample-index.js";

const BOT: UserFromGetMe = {
  id: 5151,
  is_bot: true,
  first_name: "Padoms",
  username: "padoms_app_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

let data: string;
const config = (extra: Record<string, string> = {}) =>
  testConfig(data, sampleCorpus, {
    LOCAL_EMBEDDING_DIM: "768",
    PSEUDONYM_SECRET: "app-test",
    ...extra,
  });
const sqlite = () => join(data, APP_DB_FILE);
/** Whether an app state still answers (a closed SQLite connection throws). */
const answers = (db: { ping(): Promise<void> }) =>
  db.ping().then(
    () => true,
    () => false,
  );

/** Files this process holds open (Linux). */
function openFiles(): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

beforeAll(async () => {
  data = await sampleIndexCopy();
});

afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

describe("createApp", () => {
  it("opens no app state unless asked", async () => {
    const app = await createApp({ config: config() });
    expect(app.appDb).toBeUndefined();
    expect(app.approved).toBeUndefined();
    expect(app.bot).toBeUndefined();
    await app.close();
    expect(existsSync(sqlite())).toBe(false);
  });

  it('"if-exists" leaves a missing app state uncreated, and opens and closes one that is there', async () => {
    const none = await createApp({ config: config(), state: "if-exists" });
    expect(none.appDb).toBeUndefined();
    await none.close();
    expect(existsSync(sqlite())).toBe(false);

    await (await createApp({ config: config(), state: "open" })).close();
    expect(existsSync(sqlite())).toBe(true);
    const app = await createApp({ config: config(), state: "if-exists" });
    const appDb = app.appDb;
    expect(appDb?.backend).toBe("sqlite");
    expect(app.approved).toBeDefined();
    if (!appDb) return;
    expect(await answers(appDb)).toBe(true);
    await app.close();
    expect(await answers(appDb)).toBe(false);
    await app.close(); // idempotent
  });

  it("leaves an app state passed in open", async () => {
    const mine = openAppDb(":memory:", { pseudonymSecret: "app-test" });
    const app = await createApp({ config: config(), appDb: mine, state: "open" });
    expect(app.appDb).toBe(mine);
    await app.close();
    expect(await answers(mine)).toBe(true);
    await mine.close();
  });

  it("builds the bot over the app state it opened; close() stops the bot, then closes the state", async () => {
    const app = await createApp({
      config: config({ TELEGRAM_BOT_TOKEN: "5151:app-test-token-not-real" }),
      state: "open",
      appDbPath: join(data, "bot.sqlite"),
      bot: { botInfo: BOT, shutdownGraceMs: 0 },
    });
    expect(app.bot?.bot.botInfo.username).toBe(BOT.username);
    expect(existsSync(join(data, "bot.sqlite"))).toBe(true);
    const appDb = app.appDb;
    if (!appDb) throw new Error("no app state");
    await app.close();
    expect(await answers(appDb)).toBe(false);
  });

  it("refuses a bot without an app state", async () => {
    await expect(
      createApp({
        config: config({ TELEGRAM_BOT_TOKEN: "5151:app-test-token-not-real" }),
        bot: { botInfo: BOT },
      }),
    ).rejects.toThrow(/needs an app state/);
  });

  it.runIf(existsSync("/proc/self/fd"))(
    "closes the app state it opened when the index cannot be opened",
    async () => {
      const empty = await tempDir();
      const file = join(empty, APP_DB_FILE);
      try {
        const error = await createApp({
          config: testConfig(empty, sampleCorpus),
          state: "open",
          appDbPath: file,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreError).code).toBe("no-index");
        expect(existsSync(file)).toBe(true);
        expect(openFiles().filter((f) => f.startsWith(file))).toEqual([]);
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    },
  );
});
