import { type CallbackQueryContext, Composer, InlineKeyboard } from "grammy";
import type { ApprovedAnswerService } from "../../answer/approved.js";
import type { AnswerEngine } from "../../answer/engine.js";
import type { Config } from "../../config.js";
import type { AppDb, Interaction } from "../../store/app-db.js";
import type { BotContext } from "../context.js";
import { escapeHtml, formatAnswerHtml, formatLectureCard, formatQuotes } from "../format.js";
import { strings } from "../i18n.js";
import {
  callbackPatterns,
  findLecture,
  pickRelatedLecture,
  pressMatches,
  pressOf,
  watchKeyboard,
} from "../keyboards.js";
import { quietly, replyHtml } from "../send.js";
import { catalogueButton } from "./webapp.js";

/** Options of {@link sourcesFeature}. */
export interface SourcesOptions {
  appDb: Pick<AppDb, "getInteraction" | "pseudonymise">;
  engine: Pick<AnswerEngine, "lectures">;
  /** The Mini App's address, for the catalogue button. */
  config: Pick<Config, "WEBAPP_URL">;
  /** Approved answers, for the one an answer offers (absent: its button says it is gone). */
  approved?: Pick<ApprovedAnswerService, "get">;
}

/**
 * "Sources", "Related lecture" and the offered approved answer under an answer: the quoted
 * passages of its citations, the lecture card of its related lecture with a link to the cited
 * moment, and the coordinators' answer to a similar question. Each reads the stored interaction,
 * so it works after a restart, and only where the answer was sent.
 */
export function sourcesFeature({
  appDb,
  engine,
  config,
  approved,
}: SourcesOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  /** The stored answer a press may act on, with the callback answered; else a notice. */
  const pressed = async (
    ctx: CallbackQueryContext<BotContext>,
    usable: (interaction: Interaction) => unknown,
  ): Promise<Interaction | undefined> => {
    const interactionId = Number(ctx.match[1]);
    const stored = await appDb.getInteraction(interactionId);
    const interaction =
      stored && pressMatches(stored, pressOf(ctx), appDb.pseudonymise) ? stored : undefined;
    if (stored && !interaction) {
      ctx.log.info("button refused: the answer was sent elsewhere", { interactionId });
    }
    if (!interaction || !ctx.chat || !usable(interaction)) {
      await quietly(ctx, "answerCallbackQuery", () =>
        ctx.answerCallbackQuery({ text: ctx.t.interactionGone }),
      );
      return undefined;
    }
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    return interaction;
  };
  const relatedOf = (i: Interaction) => pickRelatedLecture(i.relatedLectures, i.citations);

  composer.callbackQuery(callbackPatterns.sources, async (ctx) => {
    const interaction = await pressed(ctx, (i) => i.citations.length);
    if (interaction)
      await replyHtml(ctx, formatQuotes(interaction.citations, interaction.language));
  });

  composer.callbackQuery(callbackPatterns.offer, async (ctx) => {
    const approvedId = Number(ctx.match[2]);
    const row = await approved?.get(approvedId).catch(() => undefined);
    if (!row) {
      await quietly(ctx, "answerCallbackQuery", () =>
        ctx.answerCallbackQuery({ text: ctx.t.offerGone }),
      );
      return;
    }
    const interaction = await pressed(ctx, () => true);
    if (!interaction) return;
    const lang = interaction.language;
    const opened = formatAnswerHtml(
      {
        question: row.question,
        language: lang,
        answered: true,
        answer: row.answer,
        mode: "faq",
        citations: [],
        faq: { id: String(row.id), approvedAt: row.approvedAt },
        latencyMs: 0,
      },
      lang,
    );
    ctx.log.info("offered approved answer opened", {
      interactionId: interaction.id,
      approvedId,
    });
    await replyHtml(
      ctx,
      `${strings(lang).offerOpened(escapeHtml(row.question))}

${opened}`,
    );
  });

  composer.callbackQuery(callbackPatterns.related, async (ctx) => {
    const interaction = await pressed(ctx, relatedOf);
    const related = interaction && relatedOf(interaction);
    if (!interaction || !related) return;
    const lang = interaction.language;
    const lecture = findLecture(engine.lectures(), related);
    const html = lecture
      ? formatLectureCard(lecture, lang, { atSec: related.startSec })
      : `🎬 <b>${escapeHtml(related.title)}</b>${related.url ? "" : `\n\n<i>${escapeHtml(strings(lang).noVideoUrl)}</i>`}`;
    const watch = related.url
      ? watchKeyboard(lang, related.url)
      : watchKeyboard(lang, lecture?.url, related.startSec);
    const open =
      lecture && catalogueButton(config, ctx, lang, { lecture: lecture.id, t: related.startSec });
    const keyboard = open ? new InlineKeyboard([...(watch?.inline_keyboard ?? []), [open]]) : watch;
    await replyHtml(ctx, html, { keyboard });
  });
  return composer;
}
