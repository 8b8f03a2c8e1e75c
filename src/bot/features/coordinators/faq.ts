/**
 * "Save as FAQ": a coordinator's delivered reply becomes the approved answer to the question it
 * answered (the button in the coordinators' chat and the desk's checkbox). "Answer with #N": a
 * hand-off is answered with the approved answer suggested under it, and its question is attached
 * to that entry as another wording.
 */
import { Composer } from "grammy";
import type { ApprovedAnswerService } from "../../../answer/approved.js";
import type { AppDb, ApprovedAnswerRow } from "../../../store/app-db.js";
import type { BotContext } from "../../context.js";
import { escapeHtml } from "../../format.js";
import { strings } from "../../i18n.js";
import { callbackPatterns } from "../../keyboards.js";
import { quietly, replyHtml } from "../../send.js";
import { COORDINATORS_LANG, type CoordinatorAccess } from "./access.js";
import { answerHandoff, coordinatorOf } from "./relay.js";

/** Outcome of {@link saveReplyAsApproved}. */
export type SaveReplyResult =
  | { status: "saved"; row: ApprovedAnswerRow }
  | { status: "already"; id: number }
  | { status: "gone" };

/** Stores a coordinator's reply as the approved answer to the question it answered, once per reply. */
export async function saveReplyAsApproved(
  deps: { appDb: AppDb; approved: ApprovedAnswerService },
  replyId: number,
  approvedBy: string | undefined,
): Promise<SaveReplyResult> {
  const { appDb, approved } = deps;
  const reply = await appDb.getReply(replyId);
  const handoff = reply && (await appDb.getHandoff(reply.handoffId));
  const interaction = handoff && (await appDb.getInteraction(handoff.interactionId));
  if (!reply || !interaction) return { status: "gone" };
  const existing = (await approved.list()).find((a) => a.sourceReplyId === reply.id);
  if (existing) return { status: "already", id: existing.id };
  const row = await approved.add({
    question: interaction.question,
    answer: reply.text,
    approvedBy,
    sourceReplyId: reply.id,
  });
  return { status: "saved", row };
}

/** Options of {@link saveFaqFeature}. */
export interface SaveFaqOptions {
  access: CoordinatorAccess;
  appDb: AppDb;
  /** Approved answers; absent: the feature is off. */
  approved?: ApprovedAnswerService;
}

/**
 * The "Save as FAQ" button (`faq:N`) in the coordinators' chat. Not installed without approved
 * answers; a press then, or outside the coordinators' chat, goes on to "unhandled" (the "button
 * expired" notice).
 */
export function saveFaqFeature({ access, appDb, approved }: SaveFaqOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  if (!approved) return composer;
  composer
    .callbackQuery(callbackPatterns.saveFaq)
    .filter((ctx) => access.isCoordinatorsChat(ctx))
    .use(async (ctx) => {
      const t = ctx.t.coordinators;
      const toast = (text: string) =>
        quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text }));
      const replyId = Number(ctx.match[1]);
      const result = await saveReplyAsApproved({ appDb, approved }, replyId, ctx.from.first_name);
      if (result.status === "gone") {
        await toast(t.replyGone);
        return;
      }
      if (result.status === "already") {
        await toast(t.faqAlready(result.id));
        return;
      }
      const saved = result.row;
      ctx.log.info("approved answer saved", {
        id: saved.id,
        replyId,
        indexed: saved.vector !== undefined,
      });
      await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
      await quietly(ctx, "editMessageReplyMarkup", () => ctx.editMessageReplyMarkup());
      await replyHtml(ctx, escapeHtml(t.faqSaved(saved.id)));
    });
  return composer;
}

/**
 * "✅ Answer with #N" (`af:H:N`) under a hand-off post: sends the approved answer to the user as
 * the pressing coordinator's reply (the relay's one way to a user), attaches the question to the
 * entry as another wording, and takes the button away. Not installed without approved answers.
 */
export function answerWithFaqFeature({
  access,
  appDb,
  approved,
}: SaveFaqOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  if (!approved) return composer;
  composer
    .callbackQuery(callbackPatterns.answerWithFaq)
    .filter((ctx) => access.isCoordinatorsChat(ctx))
    .use(async (ctx) => {
      const t = ctx.t.coordinators;
      const toast = (text: string) =>
        quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text }));
      const handoff = await appDb.getHandoff(Number(ctx.match[1]));
      const approvedId = Number(ctx.match[2]);
      const row = await approved.get(approvedId);
      if (!handoff) {
        await toast(t.unknownHandoff);
        return;
      }
      if (!row) {
        await toast(t.faq.notFound(String(approvedId)));
        return;
      }
      const result = await answerHandoff(
        { api: ctx.api, appDb, logger: ctx.log },
        handoff,
        coordinatorOf(ctx.from),
        row.answer,
        { approvedId },
      );
      if (!result) {
        await toast(t.unknownHandoff);
        return;
      }
      await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
      await quietly(ctx, "editMessageReplyMarkup", () => ctx.editMessageReplyMarkup());
      // Only a delivered answer teaches the entry a wording: the coordinator saw it fit.
      const interaction = result.failure
        ? undefined
        : await appDb.getInteraction(handoff.interactionId);
      const attached = interaction
        ? await approved.addWording(approvedId, interaction.question)
        : undefined;
      ctx.log.info("hand-off answered with an approved answer", {
        handoffId: handoff.id,
        approvedId,
        wording: attached?.status ?? "none",
      });
      const tc = strings(COORDINATORS_LANG).coordinators;
      const sent = await replyHtml(
        ctx,
        `${result.statusHtml}\n${escapeHtml(tc.answeredWithFaq(approvedId, attached?.status === "added"))}`,
      );
      const last = sent.at(-1);
      if (last) await appDb.setReplyConfirmation(result.replyId, last.message_id);
    });
  return composer;
}
