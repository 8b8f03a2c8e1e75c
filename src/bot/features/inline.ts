import { setTimeout as sleep } from "node:timers/promises";
import { Composer, InlineKeyboard } from "grammy";
import type { InlineQueryResult, InlineQueryResultArticle } from "grammy/types";
import type { AnswerEngine } from "../../answer/engine.js";
import type { AppDb } from "../../store/app-db.js";
import type { Answer } from "../../types.js";
import type { BotContext } from "../context.js";
import { escapeHtml, formatAnswerHtml, splitMessage, truncateText } from "../format.js";
import { strings } from "../i18n.js";
import { callbackData } from "../keyboards.js";
import { quietly } from "../send.js";
import { answerRecordOf } from "./durability.js";

/** Inline queries shorter than this get a hint instead of an answer. */
export const MIN_INLINE_QUERY = 3;

/** How long an inline answer may take before the user gets the error article, in ms. */
export const INLINE_TIMEOUT_MS = 8000;

/**
 * Telegram sends an inline query per pause in typing; a query followed by a newer one from the
 * same user within this time is not answered (its results would never be shown), in ms.
 */
export const INLINE_DEBOUNCE_MS = 400;

/** Deep-link parameter of the "ask privately" button. */
const START_PARAMETER = "inline";

function hintArticle(
  ctx: BotContext,
  id = "hint",
  title = ctx.t.inline.hintTitle,
  description = ctx.t.inline.hintDescription,
): InlineQueryResultArticle {
  const t = ctx.t.inline;
  return {
    type: "article",
    id,
    title,
    description,
    input_message_content: {
      message_text: t.hintMessage(ctx.me.username),
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    },
  };
}

function errorArticle(ctx: BotContext, title: string): InlineQueryResultArticle {
  return hintArticle(ctx, "error", title, ctx.t.inline.errorDescription);
}

/** The inline answer's article: the answer with its sources, 👍/👎 and a link to the bot. */
export function answerArticle(
  answer: Answer,
  interactionId: number | undefined,
  botUsername: string,
): InlineQueryResultArticle {
  const lang = answer.language;
  const t = strings(lang);
  const html = splitMessage(formatAnswerHtml(answer, lang))[0] ?? escapeHtml(t.noMatch);
  const keyboard = new InlineKeyboard();
  if (interactionId !== undefined && answer.answered) {
    keyboard
      .text("👍", callbackData.feedback(interactionId, 1))
      .text("👎", callbackData.feedback(interactionId, -1))
      .row();
  }
  keyboard.url(t.buttons.openBot, `https://t.me/${botUsername}?start=${START_PARAMETER}`);
  const plain = answer.answer.replace(/\[\d{1,3}\]/g, "");
  return {
    type: "article",
    id: interactionId !== undefined ? `a${interactionId}` : `q${Date.now()}`,
    title: answer.answered ? truncateText(answer.question, 64) : t.inline.declinedTitle,
    description: truncateText(plain, 120),
    input_message_content: {
      message_text: html,
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    },
    reply_markup: keyboard,
  };
}

/** Options of {@link inlineFeature}. */
export interface InlineOptions {
  engine: Pick<AnswerEngine, "ask">;
  appDb: Pick<AppDb, "recordInteraction">;
  /** Default {@link INLINE_DEBOUNCE_MS}. */
  debounceMs?: number;
}

/**
 * Inline mode (`@botname question` in any chat): the answer with its sources as an article the
 * user can send; queries under three characters get a hint article and an "ask privately"
 * button. Inline answers use no conversation memory; superseded queries are skipped.
 */
export function inlineFeature(options: InlineOptions): Composer<BotContext> {
  const { engine, appDb } = options;
  const debounceMs = options.debounceMs ?? INLINE_DEBOUNCE_MS;
  const composer = new Composer<BotContext>();
  const latest = new Map<number, string>();
  composer.on("inline_query", async (ctx) => {
    const query = ctx.inlineQuery.query.trim();
    const button = { text: ctx.t.inline.privateButton, start_parameter: START_PARAMETER };
    const send = (results: InlineQueryResult[], cacheTime: number) =>
      quietly(ctx, "answerInlineQuery", () =>
        ctx.answerInlineQuery(results, { cache_time: cacheTime, is_personal: true, button }),
      );
    if (query.length < MIN_INLINE_QUERY) {
      await send([hintArticle(ctx)], 300);
      return;
    }
    latest.set(ctx.from.id, ctx.inlineQuery.id);
    await sleep(debounceMs);
    if (latest.get(ctx.from.id) !== ctx.inlineQuery.id) return;
    latest.delete(ctx.from.id);
    let answer: Answer;
    try {
      answer = await engine.ask(query, {
        signal: AbortSignal.any([ctx.shutdown, AbortSignal.timeout(INLINE_TIMEOUT_MS)]),
      });
    } catch (error) {
      ctx.log.warn("inline answer failed", { error });
      await send([errorArticle(ctx, ctx.t.inline.errorTitle)], 0);
      return;
    }
    let interactionId: number | undefined;
    try {
      interactionId = await appDb.recordInteraction({
        question: query,
        ...answerRecordOf(answer),
        channel: "inline",
        userId: ctx.from.id,
      });
    } catch (error) {
      ctx.log.warn("could not record the interaction", { error });
    }
    await send([answerArticle(answer, interactionId, ctx.me.username)], 30);
    ctx.log.info("answered inline", {
      interactionId,
      mode: answer.mode,
      answered: answer.answered,
      latencyMs: answer.latencyMs,
    });
  });
  return composer;
}

/** The article shown instead of an answer when the user is over the rate limit. */
export function rateLimitedArticle(ctx: BotContext): InlineQueryResultArticle {
  return errorArticle(ctx, ctx.t.inline.rateLimitedTitle);
}
