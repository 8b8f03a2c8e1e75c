import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { AnswerEngine } from "../../answer/engine.js";
import { checkQuestion, MAX_QUESTION_LENGTH } from "../../answer/question.js";
import { smallTalkOf } from "../../text/greetings.js";
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
import type { Handoffs } from "./coordinators.js";
import type { QuestionRecorder } from "./durability.js";

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

/** What to do with a text before asking the engine. */
export type QuestionCheck =
  | { kind: "ask"; question: string }
  | { kind: "too-long"; length: number }
  | { kind: "no-words" }
  | { kind: "greeting" }
  | { kind: "thanks" };

/** Control and format characters, which the engine's check refuses before looking for words. */
const CONTROL = /[\p{Cc}\p{Cf}]/gu;
const WORDLESS = new Set(["empty", "no-words"]);

/**
 * The bot's steps before the engine: the engine's question check for over-long and wordless
 * texts (each gets a short reply here; its other problems are the engine's to answer), then
 * greetings and thanks, which get a friendly reply instead of a search.
 */
export function classifyText(text: string): QuestionCheck {
  const question = text.trim();
  const problem = checkQuestion(question);
  if (problem === "too-long") return { kind: "too-long", length: question.length };
  const wordless =
    problem === "empty" ||
    problem === "no-words" ||
    // Control characters hold no words: a text of them and emoji is wordless all the same.
    (problem === "control-characters" &&
      WORDLESS.has(checkQuestion(question.replace(CONTROL, "")) ?? "ask"));
  if (wordless) return { kind: "no-words" };
  const smallTalk = smallTalkOf(question);
  if (smallTalk) return { kind: smallTalk };
  return { kind: "ask", question };
}

/** Options of {@link Asker.answer}. */
export interface AnswerQuestionOptions {
  /** Repeat the question above the answer (for example buttons, where the user typed nothing). */
  echo?: boolean;
}

/** Answers questions in a chat; shared by `/ask`, plain texts and the example buttons. */
export interface Asker {
  /**
   * Asks the engine and sends the answer: "typing…" while waiting, streamed edits in LLM mode,
   * then the HTML answer with its sources and buttons, split when long. Engine failures become
   * a short apology. The question is stored as pending on arrival and marked once the reply is
   * sent; a question declined in a private chat then goes to the coordinators.
   */
  answer(ctx: BotContext, question: string, options?: AnswerQuestionOptions): Promise<void>;
  /** Replies to a text that {@link classifyText} stops, or answers it. */
  handle(ctx: BotContext, text: string): Promise<void>;
}

/** What an {@link Asker} needs. */
export interface AskerOptions {
  engine: Pick<AnswerEngine, "ask">;
  recorder: QuestionRecorder;
  handoffs: Pick<Handoffs, "askCoordinatorButton" | "afterAnswer">;
  /** Least time between two edits of a streamed answer, in ms. Default 1000. */
  streamIntervalMs?: number;
}

/** The {@link Asker} over an engine, the question records and the hand-off. */
export function createAsker({ engine, recorder, handoffs, streamIntervalMs }: AskerOptions): Asker {
  const answer: Asker["answer"] = async (ctx, question, options = {}) => {
    const pendingId = await recorder.recordQuestion(ctx, question);
    const stopTyping = startTyping(ctx);
    const stream = createAnswerStream(ctx, { intervalMs: streamIntervalMs });
    let reply: Answer;
    try {
      reply = await engine.ask(question, {
        conversationId: conversationIdOf(ctx),
        onPartial: stream.push,
        signal: ctx.shutdown,
      });
    } catch (error) {
      ctx.log.error("the engine failed to answer", { error });
      await stream.finish([escapeHtml(ctx.t.apology)]);
      await recorder.markReplied(ctx, pendingId, true);
      return;
    } finally {
      stopTyping();
    }
    const interactionId = await recorder.recordAnswer(ctx, pendingId, question, reply);
    const echo = options.echo ? `❓ <b>${escapeHtml(question)}</b>\n\n` : "";
    const shown = { ...reply, answer: capAnswerText(reply.answer) };
    const parts = capParts(splitMessage(echo + formatAnswerHtml(shown, reply.language)));
    const keyboard = answerKeyboard(interactionId, reply, reply.language, {
      askCoordinator: handoffs.askCoordinatorButton(ctx, reply),
    });
    try {
      await stream.finish(parts, keyboard);
    } catch (error) {
      await recorder.markReplied(ctx, interactionId, true);
      throw error;
    }
    await recorder.markReplied(ctx, interactionId);
    ctx.log.info("answered", {
      interactionId,
      chatType: ctx.chat?.type,
      mode: reply.mode,
      answered: reply.answered,
      declineReason: reply.declineReason,
      citations: reply.citations.length,
      parts: parts.length,
      latencyMs: reply.latencyMs,
    });
    await handoffs.afterAnswer(ctx, interactionId, reply);
  };

  const handle: Asker["handle"] = async (ctx, text) => {
    const check = classifyText(text);
    switch (check.kind) {
      case "too-long":
        await replyText(
          ctx,
          `${ctx.t.tooLong(check.length, MAX_QUESTION_LENGTH)}\n\n${ctx.t.whatICanDo}`,
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
        await answer(ctx, check.question);
    }
  };

  return { answer, handle };
}

/** True for a text message the ask feature leaves alone: forwarded, sent via a bot, a command. */
function notAQuestion(message: Message): boolean {
  return Boolean(message.forward_origin || message.via_bot || isCommandText(message));
}

/**
 * Questions: any text in a private chat, `/ask …` anywhere, and in groups the messages the group
 * gate let through (mentions and replies to the bot). Forwarded texts, texts sent via an inline
 * bot and unknown commands go on to "unhandled".
 */
export function askFeature({ asker }: { asker: Asker }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("ask", async (ctx) => {
    const question = stripMention(ctx.match, ctx.me.username);
    if (!question) {
      await replyHtml(ctx, escapeHtml(ctx.t.askEmpty));
      return;
    }
    await asker.handle(ctx, question);
  });
  composer
    .on("message:text")
    .drop((ctx) => notAQuestion(ctx.message))
    .use(async (ctx) => {
      const question = stripMention(ctx.message.text, ctx.me.username);
      if (!question) {
        await replyText(
          ctx,
          ctx.chat.type === "private" ? ctx.t.greeting : ctx.t.mentionEmpty(ctx.me.username),
        );
        return;
      }
      await asker.handle(ctx, question);
    });
  return composer;
}
