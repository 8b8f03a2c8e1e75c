import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { callbackPatterns, examplesKeyboard } from "../keyboards.js";
import { quietly, replyHtml } from "../send.js";
import type { Asker } from "./ask.js";

/** `/start`: what Padoms can do, with three example questions as buttons that ask them. */
export function startFeature({ asker }: { asker: Pick<Asker, "answer"> }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("start", async (ctx) => {
    const t = ctx.t;
    await replyHtml(ctx, [t.startIntro, t.startOutro, t.examplesPrompt].join("\n\n"), {
      keyboard: examplesKeyboard(ctx.lang),
    });
  });
  composer.callbackQuery(callbackPatterns.example, async (ctx) => {
    const question = ctx.t.examples[Number(ctx.match[1])];
    if (!question || !ctx.chat) {
      await quietly(ctx, "answerCallbackQuery", () =>
        ctx.answerCallbackQuery({ text: ctx.t.buttonExpired }),
      );
      return;
    }
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    await asker.answer(ctx, question, { echo: true });
  });
  return composer;
}
