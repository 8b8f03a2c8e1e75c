import { Composer } from "grammy";
import type { AnswerEngine } from "../../answer/engine.js";
import type { BotContext } from "../context.js";
import { replyText } from "../send.js";
import { conversationIdOf } from "./ask.js";

/** `/new`: forgets the follow-up memory of this conversation (`engine.forget`). */
export function newConversationFeature({
  engine,
}: {
  engine: Pick<AnswerEngine, "forget">;
}): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("new", async (ctx) => {
    const conversationId = conversationIdOf(ctx);
    if (conversationId) await engine.forget(conversationId);
    await replyText(ctx, ctx.t.newConversation);
  });
  return composer;
}
