import { Composer } from "grammy";
import { type ApprovedAnswerService, MAX_WORDINGS } from "../../answer/approved.js";
import type { ApprovedAnswerRow } from "../../store/app-db.js";
import type { BotContext } from "../context.js";
import { escapeHtml, truncateText } from "../format.js";
import { replyHtml } from "../send.js";
import type { CoordinatorAccess } from "./coordinators.js";

/** A parsed `/faq` command. */
export type FaqCommand =
  | { kind: "list" }
  | { kind: "show" | "delete"; id: number }
  | { kind: "edit" | "question" | "alias"; id: number; text: string }
  | { kind: "unalias"; id: number; n: string }
  | { kind: "usage"; badId?: string };

/**
 * Parses the text after `/faq`: `""`, `list`, `show ID`, `edit ID text`, `question ID text`,
 * `delete ID`, `alias ID text` (another wording of the question), `unalias ID N`.
 */
export function parseFaqCommand(match: string): FaqCommand {
  const m = /^\s*(\S+)?(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(match);
  const sub = m?.[1]?.toLowerCase();
  if (!sub || sub === "list") return { kind: "list" };
  const idText = m?.[2]?.replace(/^#/, "");
  const id = idText && /^\d{1,9}$/.test(idText) ? Number(idText) : undefined;
  const text = m?.[3]?.trim() ?? "";
  const kind =
    sub === "show"
      ? "show"
      : sub === "edit"
        ? "edit"
        : sub === "question"
          ? "question"
          : sub === "delete" || sub === "del" || sub === "rm"
            ? "delete"
            : sub === "alias"
              ? "alias"
              : sub === "unalias"
                ? "unalias"
                : undefined;
  if (!kind) return { kind: "usage" };
  if (id === undefined) return { kind: "usage", badId: idText };
  if (kind === "edit" || kind === "question" || kind === "alias")
    return text ? { kind, id, text } : { kind: "usage" };
  if (kind === "unalias") return text ? { kind, id, n: text } : { kind: "usage" };
  return { kind, id };
}

function entry(ctx: BotContext, row: ApprovedAnswerRow, full: boolean): string {
  const faq = ctx.t.coordinators.faq;
  const html = faq.entry(
    row.id,
    escapeHtml(ctx.t.date(row.approvedAt)),
    full ? row.question : truncateText(row.question, 120),
    full ? row.answer : truncateText(row.answer, 200),
    row.approvedBy,
  );
  if (!full || row.wordings.length === 0) return html;
  return `${html}\n${faq.wordings(row.wordings.map((w) => escapeHtml(w)))}`;
}

/** Options of {@link faqAdminFeature}. */
export interface FaqAdminOptions {
  access: Pick<CoordinatorAccess, "checkAdmin">;
  /** Approved answers; absent: `/faq` says the coordinators' features are off. */
  approved?: ApprovedAnswerService;
}

/** `/faq` (admins): lists, shows, edits and deletes the coordinators' approved answers. */
export function faqAdminFeature(options: FaqAdminOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("faq", async (ctx) => {
    if (!(await options.access.checkAdmin(ctx))) return;
    const t = ctx.t.coordinators;
    const approved = options.approved;
    if (!approved) {
      await replyHtml(ctx, escapeHtml(t.featureOff));
      return;
    }
    const command = parseFaqCommand(ctx.match);
    const notFound = (id: number) => replyHtml(ctx, t.faq.notFound(String(id)));
    switch (command.kind) {
      case "list": {
        const rows = await approved.list();
        const html = rows.length
          ? [t.faq.listHeader(rows.length), ...rows.map((r) => entry(ctx, r, false))].join("\n\n")
          : escapeHtml(t.faq.empty);
        await replyHtml(ctx, html);
        return;
      }
      case "show": {
        const row = await approved.get(command.id);
        await (row ? replyHtml(ctx, entry(ctx, row, true)) : notFound(command.id));
        return;
      }
      case "edit":
      case "question": {
        const row = await approved.edit(
          command.id,
          command.kind === "edit" ? { answer: command.text } : { question: command.text },
        );
        if (!row) {
          await notFound(command.id);
          return;
        }
        ctx.log.info("approved answer edited", {
          id: row.id,
          field: command.kind === "edit" ? "answer" : "question",
        });
        await replyHtml(ctx, `${escapeHtml(t.faq.edited(row.id))}\n\n${entry(ctx, row, true)}`);
        return;
      }
      case "alias": {
        const result = await approved.addWording(command.id, command.text);
        if (!result) {
          await notFound(command.id);
          return;
        }
        if (result.status === "added")
          ctx.log.info("approved answer wording added", { id: command.id });
        const note =
          result.status === "added"
            ? t.faq.wordingAdded(command.id)
            : result.status === "already"
              ? t.faq.wordingAlready(command.id)
              : t.faq.wordingsFull(command.id, MAX_WORDINGS);
        await replyHtml(ctx, `${escapeHtml(note)}\n\n${entry(ctx, result.row, true)}`);
        return;
      }
      case "unalias": {
        const row = await approved.get(command.id);
        if (!row) {
          await notFound(command.id);
          return;
        }
        const n = /^\d{1,3}$/.test(command.n) ? Number(command.n) : Number.NaN;
        const changed = await approved.removeWording(command.id, n);
        if (!changed) {
          await replyHtml(ctx, t.faq.wordingNotFound(command.id, command.n));
          return;
        }
        ctx.log.info("approved answer wording removed", { id: command.id });
        await replyHtml(
          ctx,
          `${escapeHtml(t.faq.wordingRemoved(command.id))}\n\n${entry(ctx, changed, true)}`,
        );
        return;
      }
      case "delete": {
        if (!(await approved.remove(command.id))) {
          await notFound(command.id);
          return;
        }
        ctx.log.info("approved answer deleted", { id: command.id });
        await replyHtml(ctx, escapeHtml(t.faq.deleted(command.id)));
        return;
      }
      case "usage":
        await replyHtml(
          ctx,
          command.badId ? `${t.faq.notFound(command.badId)}\n\n${t.faq.usage}` : t.faq.usage,
        );
    }
  });
  return composer;
}
