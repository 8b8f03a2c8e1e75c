/**
 * App-state area: hand-offs of questions to the coordinators' chat (one per interaction: a unique
 * key) and the coordinators' replies with their delivery.
 */
import type { AppState, Handoff, HandoffReason, HandoffReply, HandoffStatus } from "./app-state.js";
import { type AreaContext, camelRow, nowIso, userHashOf } from "./state-area.js";

interface HandoffRow {
  id: number;
  interaction_id: number;
  created_at: string;
  reason: HandoffReason;
  status: HandoffStatus;
  chat_id: number;
  reply_to_message_id: number | null;
  language: "lv" | "en";
  user_hash: string | null;
  coordinator_chat_id: number;
  coordinator_message_id: number | null;
}

interface ReplyRow {
  id: number;
  handoff_id: number;
  created_at: string;
  coordinator_id: number;
  coordinator_name: string;
  text: string;
  delivered_at: string | null;
  error: string | null;
  confirmation_message_id: number | null;
}

// Both tables' columns are the records' fields one to one (SELECT * is safe here).
const toHandoff = (row: HandoffRow | undefined): Handoff | undefined => row && camelRow(row);
const toReply = (row: ReplyRow | undefined): HandoffReply | undefined => row && camelRow(row);

type HandoffsArea = Pick<
  AppState,
  | "createHandoff"
  | "getHandoff"
  | "handoffOfInteraction"
  | "setHandoffMessage"
  | "deleteHandoff"
  | "handoffByMessage"
  | "recordReply"
  | "markReplyDelivered"
  | "setReplyConfirmation"
  | "getReply"
  | "repliesOf"
>;

export function handoffsArea(ctx: AreaContext): HandoffsArea {
  const { sql } = ctx;
  return {
    async createHandoff(input) {
      const row = await sql.get<HandoffRow>(
        `INSERT INTO handoffs (interaction_id, reason, chat_id, reply_to_message_id, language,
          user_hash, coordinator_chat_id)
        VALUES (@interactionId, @reason, @chatId, @replyToMessageId, @language, @userHash,
          @coordinatorChatId)
        ON CONFLICT DO NOTHING
        RETURNING *`,
        {
          interactionId: input.interactionId,
          reason: input.reason,
          chatId: input.chatId,
          replyToMessageId: input.replyToMessageId ?? null,
          language: input.language,
          userHash: userHashOf(ctx, input.userId),
          coordinatorChatId: input.coordinatorChatId,
        },
      );
      return toHandoff(row);
    },
    getHandoff: async (id) =>
      toHandoff(await sql.get<HandoffRow>("SELECT * FROM handoffs WHERE id = @id", { id })),
    handoffOfInteraction: async (interactionId) =>
      toHandoff(
        await sql.get<HandoffRow>("SELECT * FROM handoffs WHERE interaction_id = @id", {
          id: interactionId,
        }),
      ),
    async setHandoffMessage(id, messageId) {
      await sql.run("UPDATE handoffs SET coordinator_message_id = @messageId WHERE id = @id", {
        id,
        messageId,
      });
    },
    async deleteHandoff(id) {
      await sql.run("DELETE FROM handoffs WHERE id = @id", { id });
    },
    handoffByMessage: async (chat, message) =>
      toHandoff(
        await sql.get<HandoffRow>(
          `SELECT * FROM handoffs WHERE coordinator_chat_id = @chat
            AND (coordinator_message_id = @message OR id IN (SELECT handoff_id FROM handoff_replies
              WHERE confirmation_message_id = @message))
          ORDER BY id DESC LIMIT 1`,
          { chat, message },
        ),
      ),
    async recordReply(input) {
      const row = await sql.get<{ id: number }>(
        `INSERT INTO handoff_replies (handoff_id, coordinator_id, coordinator_name, text)
        VALUES (@handoffId, @coordinatorId, @coordinatorName, @text)
        RETURNING id`,
        { ...input },
      );
      return (row as { id: number }).id;
    },
    async markReplyDelivered(replyId, error) {
      await sql.transaction(async (tx) => {
        await tx.run(
          "UPDATE handoff_replies SET delivered_at = @at, error = @error WHERE id = @id",
          { id: replyId, at: error === undefined ? nowIso() : null, error: error ?? null },
        );
        await tx.run(
          `UPDATE handoffs SET status = CASE
            WHEN EXISTS (SELECT 1 FROM handoff_replies r WHERE r.handoff_id = handoffs.id
              AND r.delivered_at IS NOT NULL) THEN 'answered'
            WHEN EXISTS (SELECT 1 FROM handoff_replies r WHERE r.handoff_id = handoffs.id
              AND r.error IS NOT NULL) THEN 'undelivered'
            ELSE 'open' END
          WHERE id = (SELECT handoff_id FROM handoff_replies WHERE id = @id)`,
          { id: replyId },
        );
      });
    },
    async setReplyConfirmation(replyId, messageId) {
      await sql.run(
        "UPDATE handoff_replies SET confirmation_message_id = @messageId WHERE id = @id",
        { id: replyId, messageId },
      );
    },
    getReply: async (replyId) =>
      toReply(
        await sql.get<ReplyRow>("SELECT * FROM handoff_replies WHERE id = @id", { id: replyId }),
      ),
    repliesOf: async (handoffId) =>
      (
        await sql.all<ReplyRow>(
          "SELECT * FROM handoff_replies WHERE handoff_id = @id ORDER BY id",
          { id: handoffId },
        )
      ).map((r) => toReply(r) as HandoffReply),
  };
}
