import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { replyHtml } from "../send.js";

/** `/about`: what the corpus is, that answers cite sources, and privacy in one paragraph. */
export function aboutFeature({ retentionDays }: { retentionDays: number }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("about", (ctx) => replyHtml(ctx, ctx.t.about(retentionDays)));
  return composer;
}
