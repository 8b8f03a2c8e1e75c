import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { Answer } from "../../types.js";
import type { BotContext } from "../context.js";
import {
  capAnswerText,
  capParts,
  escapeHtml,
  formatAnswerHtml,
  splitMessage,
  stripMention,
} from "../format.js";
import { answerKeyboard } from "../keyboards.js";
import { createAnswerStream, replyHtml, replyText, startTyping } from "../send.js";
import { afterAnswer, askCoordinatorButton } from "./coordinators.js";
import { markReplied, recordAnswer, recordQuestion } from "./durability.js";

/** Longest question the bot passes to the engine, in characters. */
export const MAX_QUESTION_CHARS = 1000;

/**
 * Conversation key of the engine's follow-up memory: `tg:<chatId>` in private chats and
 * `tg:<chatId>:<userId>` in groups, so that members of one group keep separate threads and one
 * member's follow-up is never read against another member's question.
 */
export function conversationIdOf(ctx: BotContext): string | undefined {
  const chat = ctx.chat;
  if (!chat) return undefined;
  if (chat.type === "private" || !ctx.from) return `tg:${chat.id}`;
  return `tg:${chat.id}:${ctx.from.id}`;
}

/** True for a text that starts with a bot command (`/word`). */
export function isCommandText(message: Pick<Message, "text" | "entities">): boolean {
  const text = message.text ?? "";
  return (
    message.entities?.some((e) => e.type === "bot_command" && e.offset === 0) === true ||
    /^\/[A-Za-z0-9_]+(?:@\w+)?(?:\s|$)/.test(text)
  );
}

const GREETINGS = new Set([
  "sveiki",
  "sveiks",
  "sveika",
  "labdien",
  "labrit",
  "labvakar",
  "cau",
  "cav",
  "hei",
  "hi",
  "hello",
  "hey",
  "good morning",
  "good afternoon",
  "good evening",
]);
const THANKS = new Set(["paldies", "liels paldies", "paldies liels", "thanks", "thank you", "thx"]);

/** What to do with a text before asking the engine. */
export type QuestionCheck =
  | { kind: "ask"; question: string }
  | { kind: "too-long"; length: number }
  | { kind: "no-words" }
  | { kind: "greeting" }
  | { kind: "thanks" };

/** Catches over-long, wordless, greeting and thank-you texts before they reach the engine. */
export function checkQuestion(text: string): QuestionCheck {
  const question = text.trim();
  if (question.length > MAX_QUESTION_CHARS) return { kind: "too-long", length: question.length };
  if (!/[\p{L}\p{N}]/u.test(question)) return { kind: "no-words" };
  const plain = question
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (GREETINGS.has(plain)) return { kind: "greeting" };
  if (THANKS.has(plain)) return { kind: "thanks" };
  return { kind: "ask", question };
}

/** Options of {@link answerQuestion}. */
export interface AnswerQuestionOptions {
  /** Repeat the question above the answer (for example buttons, where the user typed nothing). */
  echo?: boolean;
}

/**
 * Asks the engine and sends the answer: "typing…" while waiting, streamed edits in LLM mode,
 * then the HTML answer with its sources and buttons, split when long. Engine failures become a
 * short apology. The question is stored as pending on arrival and marked once the reply is sent;
 * a question declined in a private chat then goes to the coordinators.
 */
export async function answerQuestion(
  ctx: BotContext,
  question: string,
  options: AnswerQuestionOptions = {},
): Promise<void> {
  const { engine, logger } = ctx.deps;
  const updateId = ctx.update.update_id;
  const pendingId = await recordQuestion(ctx, question);
  const stopTyping = startTyping(ctx);
  const stream = createAnswerStream(ctx);
  let answer: Answer;
  try {
    answer = await engine.ask(question, {
      conversationId: conversationIdOf(ctx),
      onPartial: stream.push,
      signal: ctx.shutdown,
    });
  } catch (error) {
    logger.error("the engine failed to answer", { updateId, error });
    await stream.finish([escapeHtml(ctx.t.apology)]);
    await markReplied(ctx, pendingId, true);
    return;
  } finally {
    stopTyping();
  }
  const interactionId = await recordAnswer(ctx, pendingId, question, answer);
  const echo = options.echo ? `❓ <b>${escapeHtml(question)}</b>\n\n` : "";
  const shown = { ...answer, answer: capAnswerText(answer.answer) };
  const parts = capParts(splitMessage(echo + formatAnswerHtml(shown, answer.language)));
  const keyboard = answerKeyboard(interactionId, answer, answer.language, {
    askCoordinator: askCoordinatorButton(ctx, answer),
  });
  try {
    await stream.finish(parts, keyboard);
  } catch (error) {
    await markReplied(ctx, interactionId, true);
    throw error;
  }
  await markReplied(ctx, interactionId);
  logger.info("answered", {
    updateId,
    interactionId,
    chatType: ctx.chat?.type,
    mode: answer.mode,
    answered: answer.answered,
    declineReason: answer.declineReason,
    citations: answer.citations.length,
    parts: parts.length,
    latencyMs: answer.latencyMs,
  });
  await afterAnswer(ctx, interactionId, answer);
}

/** Replies to a text that failed {@link checkQuestion}, or answers it. */
export async function handleQuestion(ctx: BotContext, text: string): Promise<void> {
  const check = checkQuestion(text);
  switch (check.kind) {
    case "too-long":
      await replyText(
        ctx,
        `${ctx.t.tooLong(check.length, MAX_QUESTION_CHARS)}\n\n${ctx.t.whatICanDo}`,
      );
      return;
    case "no-words":
      await replyText(ctx, `${ctx.t.unhandled.emoji}\n\n${ctx.t.whatICanDo}`);
      return;
    case "greeting":
      await replyText(ctx, ctx.t.greeting);
      return;
    case "thanks":
      await replyText(ctx, ctx.t.thanks);
      return;
    case "ask":
      await answerQuestion(ctx, check.question);
  }
}

/**
 * Questions: any text in a private chat, `/ask …` anywhere, and in groups the messages the group
 * gate let through (mentions and replies to the bot). Forwarded texts, texts sent via an inline
 * bot and unknown commands go on to "unhandled".
 */
export function askFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("ask", async (ctx) => {
    const question = stripMention(ctx.match, ctx.me.username);
    if (!question) {
      await replyHtml(ctx, escapeHtml(ctx.t.askEmpty));
      return;
    }
    await handleQuestion(ctx, question);
  });
  composer.on("message:text", async (ctx, next) => {
    const msg = ctx.message;
    if (msg.forward_origin || msg.via_bot || isCommandText(msg)) return next();
    const question = stripMention(msg.text, ctx.me.username);
    if (!question) {
      await replyText(
        ctx,
        ctx.chat.type === "private" ? ctx.t.greeting : ctx.t.mentionEmpty(ctx.me.username),
      );
      return;
    }
    await handleQuestion(ctx, question);
  });
  return composer;
}
