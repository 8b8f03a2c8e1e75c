import { limit } from "@grammyjs/ratelimiter";
import { Composer } from "grammy";
import type { AppState } from "../store/app-state.js";
import type { BotContext } from "./context.js";
import { rateLimitedArticle } from "./features/inline.js";
import { quietly, replyText } from "./send.js";

/** Inline queries arrive while the user types, so they get this many times the message limit. */
export const INLINE_LIMIT_FACTOR = 3;

const WINDOW_MS = 60_000;

/**
 * Per-user rate limit over what users send, in fixed one-minute windows: `perMinute` messages
 * (and edits), and {@link INLINE_LIMIT_FACTOR} × `perMinute` inline queries; button presses are
 * not counted. The first update over a limit gets a polite message (or an inline article), later
 * ones in the same window are dropped silently. Registered after the group gate, so group chatter
 * the bot ignores never counts.
 *
 * With `shared` (replicas on PostgreSQL) the counts are kept in the app state's counter table,
 * keyed by the user's pseudonym, so the limit holds across replicas; otherwise in memory.
 */
export function rateLimit(
  perMinute: number,
  shared?: Pick<AppState, "hitRateLimit" | "pseudonymise">,
): Composer<BotContext> {
  const onLimitExceeded = async (ctx: BotContext) => {
    ctx.log.info("rate limit reached");
    if (ctx.inlineQuery) {
      await quietly(ctx, "answerInlineQuery", () =>
        ctx.answerInlineQuery([rateLimitedArticle(ctx)], { cache_time: 0, is_personal: true }),
      );
      return;
    }
    await quietly(ctx, "sendMessage", () => replyText(ctx, ctx.t.rateLimited(perMinute)));
  };
  const keyGenerator = (ctx: BotContext) =>
    ctx.from ? (shared ? shared.pseudonymise(ctx.from.id) : String(ctx.from.id)) : undefined;
  // The limiter's Redis-shaped storage option, over the counter table (fixed windows: the
  // window's start is in the row, so no expiry is needed).
  const storageClient = shared
    ? {
        // A failing database lets the update through rather than dropping it.
        incr: (key: string) => shared.hitRateLimit(key, WINDOW_MS).catch(() => 1),
        pexpire: async () => 1,
      }
    : ("MEMORY_STORE" as const);
  const messages = limit<BotContext, typeof storageClient & object>({
    storageClient,
    timeFrame: 60_000,
    limit: perMinute,
    keyGenerator,
    keyPrefix: "messages:",
    onLimitExceeded,
  });
  const inline = limit<BotContext, typeof storageClient & object>({
    storageClient,
    timeFrame: 60_000,
    limit: perMinute * INLINE_LIMIT_FACTOR,
    keyGenerator,
    keyPrefix: "inline:",
    onLimitExceeded,
  });
  const composer = new Composer<BotContext>();
  composer.on("inline_query", inline);
  composer.on(["message", "edited_message"], messages);
  return composer;
}
