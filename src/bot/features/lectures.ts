import { Composer, InlineKeyboard } from "grammy";
import type { AnswerEngine } from "../../answer/engine.js";
import type { Config } from "../../config.js";
import type { LectureMeta } from "../../types.js";
import type { BotContext } from "../context.js";
import { formatLectureCard, formatLectureList } from "../format.js";
import { callbackPatterns, lecturesKeyboard, watchKeyboard } from "../keyboards.js";
import { quietly, replyHtml } from "../send.js";
import { catalogueButton } from "./webapp.js";

/** Options of {@link lecturesFeature}. */
export interface LecturesOptions {
  engine: Pick<AnswerEngine, "lectures">;
  /** The Mini App's address, for the catalogue button. */
  config: Pick<Config, "WEBAPP_URL">;
}

/**
 * `/lectures`: the lectures with duration and topics, one button each; a button shows the
 * lecture's summary and key moments with times (linked to the video when its url is known).
 */
export function lecturesFeature({ engine, config }: LecturesOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("lectures", async (ctx) => {
    const lectures = engine.lectures();
    const keyboard = lecturesKeyboard(lectures);
    const open = catalogueButton(config, ctx, ctx.lang);
    await replyHtml(ctx, formatLectureList(lectures, ctx.lang), {
      keyboard: open
        ? new InlineKeyboard([[open], ...(keyboard?.inline_keyboard ?? [])])
        : keyboard,
    });
  });
  const showCard = async (ctx: BotContext, lecture: LectureMeta | undefined) => {
    if (!lecture || !ctx.chat) {
      await quietly(ctx, "answerCallbackQuery", () =>
        ctx.answerCallbackQuery({ text: ctx.t.lectureUnknown }),
      );
      return;
    }
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    await replyHtml(ctx, formatLectureCard(lecture, ctx.lang), {
      keyboard: watchKeyboard(ctx.lang, lecture.url),
    });
  };
  composer.callbackQuery(callbackPatterns.lecture, (ctx) =>
    showCard(
      ctx,
      engine.lectures().find((l) => l.id === ctx.match[1]),
    ),
  );
  composer.callbackQuery(callbackPatterns.lectureIndex, (ctx) =>
    showCard(ctx, engine.lectures()[Number(ctx.match[1])]),
  );
  return composer;
}
