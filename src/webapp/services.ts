/**
 * Every read and write of the app state the Mini App makes, in one place: the desk's open
 * questions, replies and approved answers, and the report. Each call to the app database or the
 * approved-answers service is awaited (the app-state port may become asynchronous), and replies
 * and approvals go through the same service functions as the coordinators' chat
 * ({@link answerHandoff}, {@link saveReplyAsApproved}): there is no second code path.
 */
import type { Api } from "grammy";
import { type ApprovedAnswerService, suggestionOf } from "../answer/approved.js";
import {
  answerHandoff,
  COORDINATORS_LANG,
  saveReplyAsApproved,
} from "../bot/features/coordinators.js";
import { saveFaqKeyboard } from "../bot/keyboards.js";
import type { Config } from "../config.js";
import { PadomsError } from "../errors.js";
import type { Logger } from "../log.js";
import { buildUsageReport, outcomeOf, reportPeriod } from "../report/summary.js";
import {
  type AppDb,
  type ApprovedAnswerRow,
  approvedViewOf,
  type ReportRow,
} from "../store/app-db.js";
import type { OpenItem, OpenReason, ReplyResponse, WebApproved, WebReport } from "./api-types.js";

/** What the desk's services need. */
export interface DeskServiceDeps {
  config: Config;
  appDb: AppDb;
  /** Approved answers; absent: saving and editing them is off. */
  approved?: ApprovedAnswerService;
  api: Pick<Api, "sendMessage">;
  logger: Logger;
}

/** Thrown for a request the desk cannot carry out: `status` 404 or 409 with a message. */
export class DeskError extends PadomsError<"gone" | "approved-off" | "not-handed-off"> {
  override readonly name = "DeskError";
  constructor(
    readonly status: 404 | 409,
    code: "gone" | "approved-off" | "not-handed-off",
    message: string,
  ) {
    super(code, message);
  }
}

/** Open questions listed at most. */
const MAX_OPEN = 100;

/** The desk's services over the app state. */
export interface DeskServices {
  openQuestions(now?: Date): Promise<OpenItem[]>;
  /**
   * Delivers a reply; `fromApproved`: the reply is that approved answer's text (the suggestion
   * taken), so the question is attached to it as another wording once delivered.
   */
  reply(
    interactionId: number,
    coordinator: { id: number; name: string },
    text: string,
    saveApproved: boolean,
    fromApproved?: number,
  ): Promise<ReplyResponse>;
  /** Saves an approved answer to a question that was not handed off (no one to reply to). */
  approve(interactionId: number, answer: string, approvedBy: string): Promise<WebApproved>;
  approvedAnswers(query?: string, now?: Date): Promise<WebApproved[]>;
  editApproved(id: number, fields: { question?: string; answer?: string }): Promise<WebApproved>;
  deleteApproved(id: number): Promise<void>;
  /** Detaches an approved answer's `n`-th other wording (1-based). */
  removeWording(id: number, n: number): Promise<WebApproved>;
  report(days: number, now?: Date): Promise<WebReport>;
}

function retentionRows(deps: DeskServiceDeps, now: Date): Promise<ReportRow[]> | ReportRow[] {
  const from = new Date(now.getTime() - deps.config.RETENTION_DAYS * 86_400_000);
  return deps.appDb.reportRows(from, new Date(now.getTime() + 1));
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Creates the desk's services. */
export function createDeskServices(deps: DeskServiceDeps): DeskServices {
  const { appDb, logger } = deps;

  const approvedService = (): ApprovedAnswerService => {
    if (!deps.approved)
      throw new DeskError(409, "approved-off", "Approved answers are off (no database).");
    return deps.approved;
  };

  const withUsage = (row: ApprovedAnswerRow, rows: readonly ReportRow[]): WebApproved => {
    const given = rows.filter((r) => r.mode === "faq" && r.answered && answerOf(r) === row.answer);
    return {
      ...approvedViewOf(row),
      uses: given.length,
      up: given.reduce((a, r) => a + r.up, 0),
      down: given.reduce((a, r) => a + r.down, 0),
    };
  };
  // Report rows carry no answer text: the answers of FAQ-mode rows are read once per listing.
  const answers = new Map<number, string>();
  const answerOf = (r: ReportRow) => answers.get(r.id);
  const loadAnswers = async (rows: readonly ReportRow[]) => {
    answers.clear();
    for (const r of rows) {
      if (r.mode !== "faq") continue;
      const i = await appDb.getInteraction(r.id);
      if (i) answers.set(r.id, i.answer);
    }
  };

  return {
    async openQuestions(now = new Date()) {
      const rows = await retentionRows(deps, now);
      const items: OpenItem[] = [];
      for (const row of [...rows].reverse()) {
        if (items.length >= MAX_OPEN) break;
        const outcome = outcomeOf(row);
        if (!outcome) continue;
        const answeredByCoordinator = (row.handoff?.delivered ?? 0) > 0;
        if (answeredByCoordinator) continue;
        const reasons: OpenReason[] = [];
        if (row.handoff) reasons.push("handedOff");
        if (outcome === "declined") reasons.push("declined");
        if (row.down > 0) reasons.push("disliked");
        if (reasons.length === 0) continue;
        const interaction = await appDb.getInteraction(row.id);
        if (!interaction || interaction.declineReason === "bad-input") continue;
        const handoff = row.handoff ? await appDb.handoffOfInteraction(row.id) : undefined;
        const replies = handoff ? await appDb.repliesOf(handoff.id) : [];
        const closest = handoff ? await deps.approved?.closest(interaction.question) : undefined;
        items.push({
          interactionId: row.id,
          createdAt: row.createdAt,
          question: interaction.question,
          language: interaction.language,
          reasons,
          answer: interaction.answered ? interaction.answer : "",
          citations: interaction.citations.map((c) => ({
            n: c.n,
            kind: c.kind,
            title: c.title,
            ...(c.section ? { section: c.section } : {}),
            ...(c.page !== undefined ? { page: c.page } : {}),
            ...(c.startSec !== undefined ? { startSec: c.startSec } : {}),
            text: c.text,
          })),
          canReply: handoff !== undefined,
          undelivered: replies.filter((r) => !r.deliveredAt).length,
          ...(closest ? { suggestion: suggestionOf(closest.row) } : {}),
        });
      }
      return items;
    },

    async reply(interactionId, coordinator, text, saveApproved, fromApproved) {
      const handoff = await appDb.handoffOfInteraction(interactionId);
      if (!handoff) {
        throw new DeskError(
          409,
          "not-handed-off",
          "This question was not passed to the coordinators, so there is no chat to reply to. Save an approved answer instead.",
        );
      }
      const result = await answerHandoff(
        { api: deps.api, appDb, logger },
        handoff,
        coordinator,
        text,
        { via: "desk" },
      );
      if (!result) throw new DeskError(404, "gone", "This question has been deleted.");
      // The coordinators' chat sees the desk's replies too, under the hand-off, as its own.
      if (handoff.coordinatorMessageId !== undefined) {
        try {
          const sent = await deps.api.sendMessage(handoff.coordinatorChatId, result.statusHtml, {
            parse_mode: "HTML",
            reply_parameters: {
              message_id: handoff.coordinatorMessageId,
              allow_sending_without_reply: true,
            },
            ...(deps.approved
              ? { reply_markup: saveFaqKeyboard(result.replyId, COORDINATORS_LANG) }
              : {}),
          });
          await appDb.setReplyConfirmation(result.replyId, sent.message_id);
        } catch (error) {
          logger.warn("could not confirm a desk reply in the coordinators' chat", { error });
        }
      }
      const response: ReplyResponse = {
        delivered: result.failure === undefined,
        ...(result.failure ? { error: result.failure.reason } : {}),
      };
      if (fromApproved !== undefined && !result.failure && deps.approved) {
        // Only the approved answer's own text teaches it the wording: an edited reply is the
        // coordinator's own answer.
        const entry = await deps.approved.get(fromApproved);
        const interaction = await appDb.getInteraction(interactionId);
        if (entry && interaction && entry.answer.trim() === text.trim()) {
          const attached = await deps.approved.addWording(fromApproved, interaction.question);
          if (attached && attached.status !== "full") response.wordingOf = fromApproved;
          logger.info("hand-off answered with an approved answer", {
            via: "desk",
            approvedId: fromApproved,
            wording: attached?.status ?? "none",
          });
        }
      }
      if (saveApproved && !result.failure) {
        const saved = await saveReplyAsApproved(
          { appDb, approved: approvedService() },
          result.replyId,
          coordinator.name,
        );
        if (saved.status === "saved") response.approvedId = saved.row.id;
        if (saved.status === "already") response.approvedId = saved.id;
        logger.info("approved answer saved", { via: "desk", replyId: result.replyId });
      }
      return response;
    },

    async approve(interactionId, answer, approvedBy) {
      const interaction = await appDb.getInteraction(interactionId);
      if (!interaction) throw new DeskError(404, "gone", "This question has been deleted.");
      const row = await approvedService().add({
        question: interaction.question,
        answer,
        approvedBy,
      });
      logger.info("approved answer saved", { via: "desk", id: row.id });
      return withUsage(row, []);
    },

    async approvedAnswers(query, now = new Date()) {
      const rows = await retentionRows(deps, now);
      await loadAnswers(rows);
      const q = fold(query?.trim() ?? "");
      const list = await approvedService().list();
      return list
        .filter((a) => !q || fold(`${a.question} ${a.answer}`).includes(q))
        .map((a) => withUsage(a, rows))
        .reverse();
    },

    async editApproved(id, fields) {
      const row = await approvedService().edit(id, fields);
      if (!row) throw new DeskError(404, "gone", `There is no approved answer #${id}.`);
      logger.info("approved answer edited", { via: "desk", id });
      return withUsage(row, []);
    },

    async deleteApproved(id) {
      if (!(await approvedService().remove(id)))
        throw new DeskError(404, "gone", `There is no approved answer #${id}.`);
      logger.info("approved answer deleted", { via: "desk", id });
    },

    async removeWording(id, n) {
      const row = await approvedService().removeWording(id, n);
      if (!row) throw new DeskError(404, "gone", `Approved answer #${id} has no wording ${n}.`);
      logger.info("approved answer wording removed", { via: "desk", id });
      return withUsage(row, []);
    },

    async report(days, now = new Date()) {
      const { from, to } = reportPeriod(now, days * 86_400_000);
      const rows = await appDb.reportRows(from, to);
      const r = buildUsageReport(rows, { from, to, top: 10, maxOpen: 20 });
      return {
        from: r.from,
        to: r.to,
        days: r.days.map(({ date, answered, declined, handedOff }) => ({
          date,
          answered,
          declined,
          handedOff,
        })),
        totals: r.totals,
        topics: r.topics,
        open: r.open.map(({ createdAt, question, handedOff }) => ({
          createdAt,
          question,
          handedOff,
        })),
      };
    },
  };
}
