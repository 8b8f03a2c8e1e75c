import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml, formatLectureCard, formatQuotes } from "../format.js";
import { strings } from "../i18n.js";
import {
  findLecture,
  parseCallbackData,
  pickRelatedLecture,
  pressMatches,
  pressOf,
  watchKeyboard,
} from "../keyboards.js";
import { quietly, replyHtml } from "../send.js";
import { catalogueButton } from "./webapp.js";

/**
 * "Sources" and "Related lecture" under an answer: the quoted passages of its citations, and
 * the lecture card of its related lecture with a link to the cited moment. Both read the stored
 * interaction, so they work after a restart, and only where the answer was sent.
 */
export function sourcesFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query:data", async (ctx, next) => {
    const action = parseCallbackData(ctx.callbackQuery.data);
    if (action?.type !== "sources" && action?.type !== "related") return next();
    const { appDb, logger } = ctx.deps;
    const stored = await appDb.getInteraction(action.interactionId);
    const interaction =
      stored && pressMatches(stored, pressOf(ctx), appDb.pseudonymise) ? stored : undefined;
    if (stored && !interaction) {
      logger.info("button refused: the answer was sent elsewhere", {
        updateId: ctx.update.update_id,
        interactionId: action.interactionId,
      });
    }
    const related =
      interaction && pickRelatedLecture(interaction.relatedLectures, interaction.citations);
    const usable =
      interaction &&
      ctx.chat &&
      (action.type === "sources" ? interaction.citations.length : related);
    if (!interaction || !usable) {
      await quietly(ctx, "answerCallbackQuery", () =>
        ctx.answerCallbackQuery({ text: ctx.t.interactionGone }),
      );
      return;
    }
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    const lang = interaction.language;
    if (action.type === "sources") {
      await replyHtml(ctx, formatQuotes(interaction.citations, lang));
      return;
    }
    if (!related) return;
    const lecture = findLecture(ctx.deps.engine.lectures(), related);
    const html = lecture
      ? formatLectureCard(lecture, lang, { atSec: related.startSec })
      : `🎬 <b>${escapeHtml(related.title)}</b>${related.url ? "" : `\n\n<i>${escapeHtml(strings(lang).noVideoUrl)}</i>`}`;
    const watch = related.url
      ? watchKeyboard(lang, related.url)
      : watchKeyboard(lang, lecture?.url, related.startSec);
    const open =
      lecture && catalogueButton(ctx, lang, { lecture: lecture.id, t: related.startSec });
    const keyboard = open ? new InlineKeyboard([...(watch?.inline_keyboard ?? []), [open]]) : watch;
    await replyHtml(ctx, html, { keyboard });
  });
  return composer;
}
