import { Composer } from "grammy";
import type { AnswerEngine } from "../../answer/engine.js";
import type { AppDb } from "../../store/app-db.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { replyHtml } from "../send.js";
import { conversationIdOf } from "./ask.js";

/** Options of {@link forgetFeature}. */
export interface ForgetOptions {
  appDb: Pick<AppDb, "forgetUser">;
  engine: Pick<AnswerEngine, "forget">;
}

/**
 * `/forget`: deletes everything Padoms stored about the user — their questions and answers,
 * ratings and hand-offs (found by their pseudonym) — and the follow-up memory of the chat, then
 * confirms with the counts.
 */
export function forgetFeature({ appDb, engine }: ForgetOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("forget", async (ctx) => {
    if (!ctx.from) return;
    const conversation = conversationIdOf(ctx);
    if (conversation) await engine.forget(conversation);
    const result = await appDb.forgetUser(ctx.from.id);
    ctx.log.info("user data deleted on request", { ...result });
    const t = ctx.t.coordinators;
    const total = result.interactions + result.feedback + result.handoffs;
    await replyHtml(ctx, escapeHtml(total ? t.forgetDone(result) : t.forgetNothing));
  });
  return composer;
}
