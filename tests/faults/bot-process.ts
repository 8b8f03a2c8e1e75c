/**
 * A bot process for the crash test: the same composition as `src/cli/run-bot.ts` (createApp,
 * the app database, createBot, polling), with empty polls slowed down because the emulator's
 * getUpdates answers at once. Prints "ready" when it takes updates. Killed by the test.
 */
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { createBot } from "../../src/bot/create-bot.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { openAppDb } from "../../src/store/app-db.js";

const config = loadConfig(process.env);
const logger = createLogger({ level: "warn", secrets: [config.TELEGRAM_BOT_TOKEN] });
const app = await createApp({ config, logger });
const appDb = openAppDb(join(config.PADOMS_DATA_DIR, "padoms.sqlite"), {
  pseudonymSecret: "crash-test",
});
const padoms = createBot({
  config,
  engine: app.engine,
  appDb,
  logger,
  pendingGraceMs: Number(process.env.TEST_PENDING_GRACE_MS ?? 60_000),
});
padoms.bot.api.config.use(async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (
    method === "getUpdates" &&
    result.ok &&
    Array.isArray(result.result) &&
    !result.result.length
  ) {
    await new Promise((r) => setTimeout(r, 30));
  }
  return result;
});
await padoms.start();
process.stdout.write("ready\n");
