/**
 * Questions are recorded the moment they arrive (status `pending`) and marked answered or
 * declined once the reply is sent. A question still pending after a restart was lost with the
 * old process: at start the bot tells its asker so (in their language) and marks it `restarted`.
 */
import type { Api } from "grammy";
import type { Logger } from "../../log.js";
import type { AppDb, InteractionChannel } from "../../store/app-db.js";
import { detectLanguage } from "../../text/language.js";
import type { Answer } from "../../types.js";
import type { BotContext } from "../context.js";
import { truncateText } from "../format.js";
import { strings } from "../i18n.js";
import { orLogged } from "../send.js";

function channelOf(ctx: BotContext): InteractionChannel {
  const type = ctx.chat?.type;
  return type === "group" || type === "supergroup" ? type : "private";
}

/** The fields of an interaction record that come from the engine's answer. */
export function answerRecordOf(answer: Answer) {
  return {
    answer: answer.answer,
    language: answer.language,
    mode: answer.mode,
    answered: answer.answered,
    declineReason: answer.declineReason,
    citations: answer.citations,
    relatedLectures: answer.relatedLectures,
    latencyMs: answer.latencyMs,
  };
}

/** Records the life of a question in a chat: pending on arrival, answered, replied to. */
export interface QuestionRecorder {
  /** Records a question as it arrives; `undefined` when the database failed (logged). */
  recordQuestion(ctx: BotContext, question: string): Promise<number | undefined>;
  /**
   * Stores the engine's answer: on the pending row when there is one, else as a new
   * interaction. Returns the interaction id (for the buttons), or `undefined` when the database
   * failed.
   */
  recordAnswer(
    ctx: BotContext,
    pendingId: number | undefined,
    question: string,
    answer: Answer,
  ): Promise<number | undefined>;
  /** Marks a question replied to (`failed`: the user got an apology instead of an answer). */
  markReplied(ctx: BotContext, id: number | undefined, failed?: boolean): Promise<void>;
}

/** The {@link QuestionRecorder} over the app state; database failures are logged, not thrown. */
export function questionRecorder(
  appDb: Pick<AppDb, "recordQuestion" | "recordAnswer" | "recordInteraction" | "markReplied">,
): QuestionRecorder {
  return {
    recordQuestion: (ctx, question) =>
      orLogged(ctx, "warn", "could not record the question", {}, () =>
        appDb.recordQuestion({
          question,
          language: detectLanguage(question || "?"),
          channel: channelOf(ctx),
          chatId: ctx.chat?.id,
          userId: ctx.from?.id,
          messageId: ctx.message?.message_id,
        }),
      ),
    recordAnswer: (ctx, pendingId, question, answer) => {
      const record = answerRecordOf(answer);
      return orLogged(ctx, "warn", "could not record the interaction", {}, async () => {
        if (pendingId === undefined) {
          return appDb.recordInteraction({
            question,
            ...record,
            channel: channelOf(ctx),
            chatId: ctx.chat?.id,
            userId: ctx.from?.id,
          });
        }
        await appDb.recordAnswer(pendingId, record);
        return pendingId;
      });
    },
    async markReplied(ctx, id, failed = false) {
      if (id === undefined) return;
      await orLogged(ctx, "warn", "could not mark the question replied", {}, () =>
        appDb.markReplied(id, failed),
      );
    },
  };
}

/** Options of {@link recoverPendingQuestions}. */
export interface RecoverPendingOptions {
  appDb: Pick<AppDb, "pendingQuestions" | "markRestarted">;
  api: Pick<Api, "sendMessage">;
  logger: Logger;
  /** Questions received before this instant and still pending are recovered. */
  createdBefore: Date;
}

/**
 * Tells the asker of every question still pending from before `createdBefore` that the bot was
 * restarted and asks them to ask again; marks each `restarted` first (so that nobody is told
 * twice, also when the message fails or another replica recovers at the same time). Returns how
 * many this process recovered.
 */
export async function recoverPendingQuestions(options: RecoverPendingOptions): Promise<number> {
  const { appDb, api, logger } = options;
  let pending: Awaited<ReturnType<typeof appDb.pendingQuestions>>;
  try {
    pending = await appDb.pendingQuestions(options.createdBefore);
  } catch (error) {
    logger.warn("could not read pending questions", { error });
    return 0;
  }
  let recovered = 0;
  for (const q of pending) {
    // Claimed first: with replicas, only the one whose mark succeeds tells the user.
    try {
      if (!(await appDb.markRestarted(q.id))) continue;
    } catch (error) {
      logger.warn("could not mark a pending question", { interactionId: q.id, error });
      continue;
    }
    recovered++;
    try {
      if (q.chatId !== undefined) {
        await api.sendMessage(
          q.chatId,
          strings(q.language).coordinators.restarted(truncateText(q.question, 200)),
          {
            parse_mode: "HTML",
            ...(q.messageId !== undefined
              ? { reply_parameters: { message_id: q.messageId, allow_sending_without_reply: true } }
              : {}),
          },
        );
      }
    } catch (error) {
      logger.warn("could not tell a user about the restart", { interactionId: q.id, error });
    }
  }
  if (recovered) logger.info("pending questions recovered after a restart", { count: recovered });
  return recovered;
}

/** A pending question younger than this may still be answered by a process shutting down. */
export const PENDING_GRACE_MS = 60_000;

/**
 * Runs {@link recoverPendingQuestions} at start for questions older than a minute, and once more
 * a minute later for the rest of those received before the start. With `continuous` (replicas
 * sharing a database) it then goes on every `graceMs`, for questions pending longer than that: a
 * replica that died mid-answer is not restarted to recover its own. Returns a function that
 * stops it.
 */
export function startPendingRecovery(
  options: Omit<RecoverPendingOptions, "createdBefore">,
  startedAt = new Date(),
  graceMs = PENDING_GRACE_MS,
  continuous = false,
): () => void {
  void recoverPendingQuestions({
    ...options,
    createdBefore: new Date(startedAt.getTime() - graceMs),
  });
  let sweep: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    void recoverPendingQuestions({ ...options, createdBefore: startedAt });
    if (!continuous) return;
    sweep = setInterval(() => {
      void recoverPendingQuestions({
        ...options,
        createdBefore: new Date(Date.now() - graceMs),
      });
    }, graceMs);
    sweep.unref?.();
  }, graceMs + 1000);
  timer.unref?.();
  return () => {
    clearTimeout(timer);
    if (sweep) clearInterval(sweep);
  };
}
