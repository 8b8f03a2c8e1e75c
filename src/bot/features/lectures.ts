import { Composer, InlineKeyboard } from "grammy";
import type { LectureMeta } from "../../types.js";
import type { BotContext } from "../context.js";
import { formatLectureCard, formatLectureList } from "../format.js";
import { lecturesKeyboard, parseCallbackData, watchKeyboard } from "../keyboards.js";
import { quietly, replyHtml } from "../send.js";
import { catalogueButton } from "./webapp.js";

/**
 * `/lectures`: the lectures with duration and topics, one button each; a button shows the
 * lecture's summary and key moments with times (linked to the video when its url is known).
 */
export function lecturesFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("lectures", async (ctx) => {
    const lectures = ctx.deps.engine.lectures();
    const keyboard = lecturesKeyboard(lectures);
    const open = catalogueButton(ctx, ctx.lang);
    await replyHtml(ctx, formatLectureList(lectures, ctx.lang), {
      keyboard: open
        ? new InlineKeyboard([[open], ...(keyboard?.inline_keyboard ?? [])])
        : keyboard,
    });
  });
  composer.on("callback_query:data", async (ctx, next) => {
    const action = parseCallbackData(ctx.callbackQuery.data);
    if (action?.type !== "lecture" && action?.type !== "lecture-index") return next();
    const lectures = ctx.deps.engine.lectures();
    const lecture: LectureMeta | undefined =
      action.type === "lecture"
        ? lectures.find((l) => l.id === action.lectureId)
        : lectures[action.index];
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
  });
  return composer;
}
