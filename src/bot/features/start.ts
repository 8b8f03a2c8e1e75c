import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { examplesKeyboard, parseCallbackData } from "../keyboards.js";
import { quietly, replyHtml } from "../send.js";
import { answerQuestion } from "./ask.js";

/** `/start`: what Padoms can do, with three example questions as buttons that ask them. */
export function startFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("start", async (ctx) => {
    const t = ctx.t;
    await replyHtml(ctx, [t.startIntro, t.startOutro, t.examplesPrompt].join("\n\n"), {
      keyboard: examplesKeyboard(ctx.lang),
    });
  });
  composer.on("callback_query:data", async (ctx, next) => {
    const action = parseCallbackData(ctx.callbackQuery.data);
    if (action?.type !== "example") return next();
    const question = ctx.t.examples[action.index];
    if (!question || !ctx.chat) {
      await quietly(ctx, "answerCallbackQuery", () =>
        ctx.answerCallbackQuery({ text: ctx.t.buttonExpired }),
      );
      return;
    }
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    await answerQuestion(ctx, question, { echo: true });
  });
  return composer;
}
