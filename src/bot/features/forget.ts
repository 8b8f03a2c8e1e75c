import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { replyHtml } from "../send.js";
import { conversationIdOf } from "./ask.js";

/**
 * `/forget`: deletes everything Padoms stored about the user — their questions and answers,
 * ratings and hand-offs (found by their pseudonym) — and the follow-up memory of the chat, then
 * confirms with the counts.
 */
export function forgetFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("forget", async (ctx) => {
    if (!ctx.from) return;
    const { appDb, engine, logger } = ctx.deps;
    const conversation = conversationIdOf(ctx);
    if (conversation) await engine.forget(conversation);
    const result = await appDb.forgetUser(ctx.from.id);
    logger.info("user data deleted on request", { updateId: ctx.update.update_id, ...result });
    const t = ctx.t.coordinators;
    const total = result.interactions + result.feedback + result.handoffs;
    await replyHtml(ctx, escapeHtml(total ? t.forgetDone(result) : t.forgetNothing));
  });
  return composer;
}
