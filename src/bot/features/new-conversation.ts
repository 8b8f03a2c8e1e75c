import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { replyText } from "../send.js";
import { conversationIdOf } from "./ask.js";

/** `/new`: forgets the follow-up memory of this conversation (`engine.forget`). */
export function newConversationFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("new", async (ctx) => {
    const conversationId = conversationIdOf(ctx);
    if (conversationId) await ctx.deps.engine.forget(conversationId);
    await replyText(ctx, ctx.t.newConversation);
  });
  return composer;
}
