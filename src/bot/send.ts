/**
 * Sending helpers shared by the features: split HTML replies, replies in the right thread,
 * the "typing…" indicator, streamed answers, and wrapping of non-essential Bot API calls.
 */
import { GrammyError, type InlineKeyboard } from "grammy";
import type { Message, ReplyParameters } from "grammy/types";
import type { BotContext } from "./context.js";
import { escapeHtml, htmlToText, splitMessage } from "./format.js";

const NO_PREVIEW = { is_disabled: true } as const;

/**
 * Runs `run`; a failure is logged on the update's logger (`message` at `level`, with `fields`
 * and the error) and gives `undefined` instead of reaching the caller.
 */
export async function orLogged<T>(
  ctx: BotContext,
  level: "debug" | "warn",
  message: string,
  fields: Record<string, unknown>,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    ctx.log[level](message, { ...fields, error });
    return undefined;
  }
}

/**
 * Runs a non-essential Bot API call (chat action, commands, callback answers …): a failure is
 * logged at debug level and never reaches the caller.
 */
export function quietly<T>(
  ctx: BotContext,
  call: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  return orLogged(ctx, "debug", "non-essential call failed", { call }, run);
}

/** True in groups and supergroups. */
export function isGroupChat(ctx: BotContext): boolean {
  return ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
}

/**
 * In groups, replies quote the message they answer (the question, or the bot message whose
 * button was pressed); `message_thread_id` of forum topics is added by grammY's `ctx.reply`.
 */
export function replyParams(ctx: BotContext): { reply_parameters?: ReplyParameters } {
  if (!isGroupChat(ctx)) return {};
  const messageId = ctx.message?.message_id ?? ctx.callbackQuery?.message?.message_id;
  return messageId === undefined
    ? {}
    : { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } };
}

function isEntityError(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /entit|tag|parse/i.test(error.description)
  );
}

/** Sends one HTML part; if Telegram rejects the markup, sends its plain text instead. */
async function sendPart(
  ctx: BotContext,
  html: string,
  other: { reply_parameters?: ReplyParameters; reply_markup?: InlineKeyboard },
): Promise<Message.TextMessage> {
  try {
    return await ctx.reply(html, {
      parse_mode: "HTML",
      link_preview_options: NO_PREVIEW,
      ...other,
    });
  } catch (error) {
    if (!isEntityError(error)) throw error;
    ctx.log.warn("HTML rejected by Telegram; sending plain text", { error });
    return await ctx.reply(htmlToText(html), { link_preview_options: NO_PREVIEW, ...other });
  }
}

/** Options of {@link replyHtml}. */
export interface ReplyHtmlOptions {
  /** Shown under the last part. */
  keyboard?: InlineKeyboard;
}

/** Sends Telegram HTML split into parts of at most 4,096 characters; the keyboard goes last. */
export async function replyHtml(
  ctx: BotContext,
  html: string,
  options: ReplyHtmlOptions = {},
): Promise<Message.TextMessage[]> {
  return sendParts(ctx, splitMessage(html), options.keyboard);
}

async function sendParts(
  ctx: BotContext,
  parts: readonly string[],
  keyboard: InlineKeyboard | undefined,
): Promise<Message.TextMessage[]> {
  const sent: Message.TextMessage[] = [];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    sent.push(
      await sendPart(ctx, part, {
        ...(i === 0 ? replyParams(ctx) : {}),
        ...(last && keyboard ? { reply_markup: keyboard } : {}),
      }),
    );
  }
  return sent;
}

/** Sends plain text (escaped) as an HTML reply. */
export function replyText(ctx: BotContext, text: string): Promise<Message.TextMessage[]> {
  return replyHtml(ctx, escapeHtml(text));
}

/** Shows "typing…" now and every 4.5 s until the returned function is called. */
export function startTyping(ctx: BotContext): () => void {
  const send = () => void quietly(ctx, "sendChatAction", () => ctx.replyWithChatAction("typing"));
  send();
  const timer = setInterval(send, 4500);
  timer.unref?.();
  return () => clearInterval(timer);
}

/** A message that shows an answer while the engine streams it, then the final answer. */
export interface AnswerStream {
  /** The engine's `onPartial`: the growing plain answer text. Never throws. */
  push(text: string): void;
  /** Puts the final parts in place of the streamed message (or sends them); keyboard last. */
  finish(parts: readonly string[], keyboard?: InlineKeyboard): Promise<void>;
}

/** Options of {@link createAnswerStream}. */
export interface AnswerStreamOptions {
  /** Minimum time between two edits of the streamed message, in ms. Default 1000. */
  intervalMs?: number;
}

/** Streams partial answers by editing one message at most once per `intervalMs`. */
export function createAnswerStream(
  ctx: BotContext,
  options: AnswerStreamOptions = {},
): AnswerStream {
  const interval = options.intervalMs ?? 1000;
  const logger = ctx.log;
  const chatId = ctx.chat?.id;
  let messageId: number | undefined;
  let latest: string | undefined;
  let shown = "";
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const render = (text: string) => {
    let shownText = text.trim();
    if (shownText.length > 3800)
      shownText = shownText.slice(0, 3800).replace(/[\uD800-\uDBFF]$/, "");
    return `${escapeHtml(shownText)} …`;
  };
  const flush = () => {
    timer = undefined;
    chain = chain
      .then(async () => {
        if (closed || latest === undefined || chatId === undefined) return;
        const html = render(latest);
        if (html === shown) return;
        lastAt = Date.now();
        if (messageId === undefined) {
          messageId = (await sendPart(ctx, html, replyParams(ctx))).message_id;
        } else {
          await ctx.api.editMessageText(chatId, messageId, html, {
            parse_mode: "HTML",
            link_preview_options: NO_PREVIEW,
          });
        }
        shown = html;
      })
      .catch((error: unknown) => {
        logger.debug("streamed update failed", { error });
      });
  };

  return {
    push(text) {
      if (closed || !text.trim()) return;
      latest = text;
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, lastAt + interval - Date.now()));
    },
    async finish(parts, keyboard) {
      closed = true;
      if (timer) clearTimeout(timer);
      await chain;
      const [first, ...rest] = parts;
      if (messageId === undefined || chatId === undefined || first === undefined) {
        await sendParts(ctx, parts, keyboard);
        return;
      }
      try {
        await ctx.api.editMessageText(chatId, messageId, first, {
          parse_mode: "HTML",
          link_preview_options: NO_PREVIEW,
          ...(rest.length === 0 && keyboard ? { reply_markup: keyboard } : {}),
        });
      } catch (error) {
        if (!(error instanceof GrammyError && /not modified/i.test(error.description))) {
          logger.debug("final edit failed; sending the answer anew", { error });
          await sendParts(ctx, parts, keyboard);
          return;
        }
      }
      if (rest.length) await sendParts(ctx, rest, keyboard);
    },
  };
}
