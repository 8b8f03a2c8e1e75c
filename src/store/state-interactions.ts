/**
 * App-state area: interactions (questions as they arrive, the engine's answers, their status),
 * feedback (one vote per interaction and user: the primary key), and the usage report's rows.
 */
import type { Citation } from "../types.js";
import type {
  AnswerRecord,
  AppState,
  HandoffReason,
  HandoffStatus,
  Interaction,
  InteractionChannel,
  InteractionStatus,
} from "./app-state.js";
import { type AreaContext, parseJsonArray, userHashOf } from "./state-area.js";

/** How far a database's time stamps may run ahead of the JavaScript clock, in ms. */
const CLOCK_MARGIN_MS = 5;

interface InteractionRow {
  id: number;
  created_at: string;
  channel: InteractionChannel;
  chat_id: number | null;
  user_hash: string | null;
  question: string;
  answer: string;
  language: "lv" | "en";
  mode: Interaction["mode"];
  answered: number;
  decline_reason: string | null;
  citations: string;
  related_lectures: string;
  latency_ms: number | null;
  status: InteractionStatus;
  reply_chat_id: number | null;
  message_id: number | null;
}

type InteractionsArea = Pick<
  AppState,
  | "recordInteraction"
  | "getInteraction"
  | "recordFeedback"
  | "feedbackCounts"
  | "recordQuestion"
  | "recordAnswer"
  | "markReplied"
  | "pendingQuestions"
  | "markRestarted"
  | "reportRows"
>;

const storedChatId = (channel: InteractionChannel, chatId: number | undefined) =>
  channel === "private" || channel === "inline" ? null : (chatId ?? null);

const answerParams = (answer: AnswerRecord) => ({
  answer: answer.answer,
  language: answer.language,
  mode: answer.mode,
  answered: answer.answered ? 1 : 0,
  declineReason: answer.declineReason ?? null,
  citations: JSON.stringify(answer.citations),
  relatedLectures: JSON.stringify(answer.relatedLectures ?? []),
  latencyMs: answer.latencyMs === undefined ? null : Math.round(answer.latencyMs),
});

export function interactionsArea(ctx: AreaContext): InteractionsArea {
  const { sql } = ctx;
  return {
    async recordInteraction(input) {
      const row = await sql.get<{ id: number }>(
        `INSERT INTO interactions (channel, chat_id, user_hash, question, answer, language, mode,
          answered, decline_reason, citations, related_lectures, latency_ms, status)
        VALUES (@channel, @chatId, @userHash, @question, @answer, @language, @mode,
          @answered, @declineReason, @citations, @relatedLectures, @latencyMs, @status)
        RETURNING id`,
        {
          channel: input.channel,
          chatId: storedChatId(input.channel, input.chatId),
          userHash: userHashOf(ctx, input.userId),
          question: input.question,
          ...answerParams(input),
          status: input.answered ? "answered" : "declined",
        },
      );
      return (row as { id: number }).id;
    },
    async getInteraction(id) {
      const row = await sql.get<InteractionRow>("SELECT * FROM interactions WHERE id = @id", {
        id,
      });
      if (!row) return undefined;
      return {
        id: row.id,
        createdAt: row.created_at,
        question: row.question,
        answer: row.answer,
        language: row.language,
        mode: row.mode,
        answered: row.answered === 1,
        declineReason: row.decline_reason ?? undefined,
        citations: parseJsonArray<Citation>(row.citations),
        relatedLectures: parseJsonArray(row.related_lectures),
        latencyMs: row.latency_ms ?? undefined,
        channel: row.channel,
        chatId: row.chat_id ?? undefined,
        userHash: row.user_hash ?? undefined,
        status: row.status,
        messageId: row.message_id ?? undefined,
      };
    },
    async recordFeedback({ interactionId, userId, value }) {
      const known = await sql.get("SELECT 1 AS one FROM interactions WHERE id = @id", {
        id: interactionId,
      });
      if (!known) return "unknown-interaction";
      const changes = await sql.run(
        `INSERT INTO feedback (interaction_id, user_hash, value) VALUES (@id, @hash, @value)
        ON CONFLICT DO NOTHING`,
        { id: interactionId, hash: ctx.pseudonymise(userId), value },
      );
      return changes === 1 ? "recorded" : "duplicate";
    },
    async feedbackCounts(interactionId) {
      const row = await sql.get<{ up: number | null; down: number | null }>(
        `SELECT SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END) AS up,
          SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END) AS down
        FROM feedback WHERE interaction_id = @id`,
        { id: interactionId },
      );
      return { up: Number(row?.up ?? 0), down: Number(row?.down ?? 0) };
    },

    async recordQuestion(input) {
      const row = await sql.get<{ id: number }>(
        `INSERT INTO interactions (channel, chat_id, user_hash, question, answer, language, mode,
          answered, status, reply_chat_id, message_id)
        VALUES (@channel, @chatId, @userHash, @question, '', @language, 'extractive', 0, 'pending',
          @replyChatId, @messageId)
        RETURNING id`,
        {
          channel: input.channel,
          chatId: storedChatId(input.channel, input.chatId),
          userHash: userHashOf(ctx, input.userId),
          question: input.question,
          language: input.language,
          replyChatId: input.chatId ?? null,
          messageId: input.messageId ?? null,
        },
      );
      return (row as { id: number }).id;
    },
    async recordAnswer(id, answer) {
      await sql.run(
        `UPDATE interactions SET answer = @answer, language = @language, mode = @mode,
          answered = @answered, decline_reason = @declineReason, citations = @citations,
          related_lectures = @relatedLectures, latency_ms = @latencyMs
        WHERE id = @id`,
        { id, ...answerParams(answer) },
      );
    },
    async markReplied(id, failed = false) {
      await sql.run(
        `UPDATE interactions SET reply_chat_id = NULL,
          status = CASE WHEN @failed = 1 THEN 'failed' WHEN answered = 1 THEN 'answered'
            ELSE 'declined' END
        WHERE id = @id AND status = 'pending'`,
        { id, failed: failed ? 1 : 0 },
      );
    },
    async pendingQuestions(createdBefore) {
      const rows = await sql.all<{
        id: number;
        created_at: string;
        question: string;
        language: "lv" | "en";
        reply_chat_id: number | null;
        message_id: number | null;
      }>(
        `SELECT id, created_at, question, language, reply_chat_id, message_id FROM interactions
        WHERE status = 'pending' AND created_at < @before ORDER BY id`,
        { before: createdBefore.toISOString() },
      );
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        question: r.question,
        language: r.language,
        chatId: r.reply_chat_id ?? undefined,
        messageId: r.message_id ?? undefined,
      }));
    },
    async markRestarted(id) {
      const changes = await sql.run(
        `UPDATE interactions SET status = 'restarted', reply_chat_id = NULL
        WHERE id = @id AND status = 'pending'`,
        { id },
      );
      return changes === 1;
    },

    async reportRows(from, to) {
      // The database stamps rows with its own reading of the clock, which can come out a
      // millisecond after the caller's `to` for a row written just before: the end is widened.
      const end = new Date(to.getTime() + CLOCK_MARGIN_MS).toISOString();
      const rows = await sql.all<
        Pick<
          InteractionRow,
          | "id"
          | "created_at"
          | "question"
          | "language"
          | "answered"
          | "status"
          | "mode"
          | "citations"
        > & {
          h_reason: HandoffReason | null;
          h_status: HandoffStatus | null;
          h_replies: number;
          h_delivered: number;
          up: number;
          down: number;
        }
      >(
        `SELECT i.id, i.created_at, i.question, i.language, i.answered, i.status, i.mode,
          i.citations, h.reason AS h_reason, h.status AS h_status,
          (SELECT count(*) FROM handoff_replies r WHERE r.handoff_id = h.id) AS h_replies,
          (SELECT count(*) FROM handoff_replies r WHERE r.handoff_id = h.id
            AND r.delivered_at IS NOT NULL) AS h_delivered,
          (SELECT count(*) FROM feedback f WHERE f.interaction_id = i.id AND f.value = 1) AS up,
          (SELECT count(*) FROM feedback f WHERE f.interaction_id = i.id AND f.value = -1) AS down
        FROM interactions i LEFT JOIN handoffs h ON h.interaction_id = i.id
        WHERE i.created_at >= @from AND i.created_at < @to ORDER BY i.created_at, i.id`,
        { from: from.toISOString(), to: end },
      );
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        question: r.question,
        language: r.language,
        answered: r.answered === 1,
        status: r.status,
        mode: r.mode,
        citations: parseJsonArray<Citation>(r.citations),
        ...(r.h_reason && r.h_status
          ? {
              handoff: {
                reason: r.h_reason,
                status: r.h_status,
                replies: Number(r.h_replies),
                delivered: Number(r.h_delivered),
              },
            }
          : {}),
        up: Number(r.up),
        down: Number(r.down),
      }));
    },
  };
}
