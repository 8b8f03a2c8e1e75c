import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { replyHtml } from "../send.js";

/** `/help`: how to ask, follow-ups, buttons, groups, inline mode and the commands. */
export function helpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("help", (ctx) => replyHtml(ctx, ctx.t.help(ctx.me.username)));
  return composer;
}
