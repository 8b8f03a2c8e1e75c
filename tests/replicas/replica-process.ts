/**
 * One bot replica for the two-replica test: the production composition (`runBot`: the app state
 * from DATABASE_URL, the index served as it is, the webhook server) listening on 127.0.0.1.
 * Prints "ready" when it takes updates; stopped (or killed) by the test.
 */
import { runBot } from "../../src/cli/run-bot.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";

const config = loadConfig(process.env);
const logger = createLogger({
  level: "info",
  secrets: [config.TELEGRAM_BOT_TOKEN, config.WEBHOOK_SECRET, config.DATABASE_URL],
});
const running = runBot({
  config,
  logger,
  webhookHost: "127.0.0.1",
  pendingGraceMs: Number(process.env.TEST_PENDING_GRACE_MS ?? 60_000),
});
// runBot resolves when stopped; it prints its ready line to stderr, the test waits for it there.
running.then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`replica failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
