/**
 * The relay: a coordinator's reply to a hand-off post goes back to the user, labelled with the
 * coordinator's name and quoting the question; the coordinators' chat gets a status line (and
 * "Save as FAQ" when approved answers are on). The Mini App's desk uses the same service.
 */
import { type Api, Composer, GrammyError } from "grammy";
import type { Logger } from "../../../log.js";
import type { AppDb, Handoff } from "../../../store/app-db.js";
import type { BotContext } from "../../context.js";
import { escapeHtml, splitMessage, stripMention, truncateText } from "../../format.js";
import { strings } from "../../i18n.js";
import { saveFaqKeyboard } from "../../keyboards.js";
import { replyHtml } from "../../send.js";
import { COORDINATORS_LANG, type CoordinatorAccess } from "./access.js";

/** Time zone of the times shown to coordinators. */
const TIME_ZONE = "Europe/Riga";

function clockTime(date: Date): string {
  return new Intl.DateTimeFormat("lv-LV", {
    timeZone: TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

function deliveryError(error: unknown): { blocked: boolean; reason: string } {
  if (error instanceof GrammyError) {
    return {
      blocked: error.error_code === 403,
      reason: `${error.error_code}: ${error.description}`,
    };
  }
  return { blocked: false, reason: error instanceof Error ? error.message : String(error) };
}

/** What the coordinators' reply service needs: the Bot API and the app state. */
export interface ReplyServiceDeps {
  api: Pick<Api, "sendMessage">;
  appDb: AppDb;
  logger: Logger;
}

/** The coordinator a chat update comes from, as replies record them: id and first name. */
export function coordinatorOf(from: { id: number; first_name?: string; username?: string }): {
  id: number;
  name: string;
} {
  return { id: from.id, name: from.first_name || from.username || String(from.id) };
}

/** Sends a coordinator's reply to the user; returns the error, if delivery failed. */
async function deliverReply(
  api: ReplyServiceDeps["api"],
  handoff: Handoff,
  question: string,
  coordinatorName: string,
  text: string,
): Promise<unknown> {
  const t = strings(handoff.language).coordinators;
  const html = `${t.answerHeader(coordinatorName)}\n${t.yourQuestion(truncateText(question, 200))}\n\n${escapeHtml(text)}`;
  try {
    for (const [i, part] of splitMessage(html).entries()) {
      await api.sendMessage(handoff.chatId, part, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(i === 0 && handoff.replyToMessageId !== undefined
          ? {
              reply_parameters: {
                message_id: handoff.replyToMessageId,
                allow_sending_without_reply: true,
              },
            }
          : {}),
      });
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Outcome of {@link answerHandoff}. */
export interface HandoffAnswer {
  replyId: number;
  /** Replies given to this hand-off before this one. */
  earlier: number;
  /** Why delivery failed, when it did; `blocked` when the user blocked the bot. */
  failure?: { blocked: boolean; reason: string };
  /** The status line for the coordinators' chat (Telegram HTML, Latvian). */
  statusHtml: string;
}

/**
 * The one way a coordinator's reply reaches a user (the reply thread of the coordinators' chat
 * and the Mini App's desk both call it): records the reply, delivers it labelled with the
 * coordinator's name and quoting the question, and records the delivery or its failure.
 * `undefined` when the hand-off's question is gone.
 */
export async function answerHandoff(
  deps: ReplyServiceDeps,
  handoff: Handoff,
  coordinator: { id: number; name: string },
  text: string,
  logFields: Record<string, unknown> = {},
): Promise<HandoffAnswer | undefined> {
  const { appDb, logger } = deps;
  const interaction = await appDb.getInteraction(handoff.interactionId);
  if (!interaction) return undefined;
  const earlier = (await appDb.repliesOf(handoff.id)).length;
  const replyId = await appDb.recordReply({
    handoffId: handoff.id,
    coordinatorId: coordinator.id,
    coordinatorName: coordinator.name,
    text,
  });
  const error = await deliverReply(deps.api, handoff, interaction.question, coordinator.name, text);
  const failure = error === undefined ? undefined : deliveryError(error);
  await appDb.markReplyDelivered(replyId, failure?.reason);
  logger.info(failure ? "coordinator's reply not delivered" : "coordinator's reply delivered", {
    ...logFields,
    handoffId: handoff.id,
    replyId,
    ...(failure ? { reason: failure.reason } : {}),
  });
  const tc = strings(COORDINATORS_LANG).coordinators;
  const status = failure
    ? failure.blocked
      ? tc.blocked
      : tc.undelivered(failure.reason)
    : tc.delivered(coordinator.name, clockTime(new Date()));
  const note = earlier > 0 ? `${escapeHtml(tc.alsoAnswered(earlier))}\n` : "";
  return { replyId, earlier, failure, statusHtml: note + status };
}

/** Options of {@link relayFeature}. */
export interface RelayOptions {
  access: CoordinatorAccess;
  appDb: AppDb;
  /** Whether "Save as FAQ" goes under the status line (approved answers are on). */
  saveAsFaq: boolean;
}

/**
 * Replies (not commands) to the bot's messages in the coordinators' chat: a reply to a hand-off
 * post is delivered to the user; a reply to any other bot message is refused with a hint.
 */
export function relayFeature({ access, appDb, saveAsFaq }: RelayOptions): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer
    .on("message")
    .filter(
      (ctx) =>
        access.isCoordinatorsChat(ctx) &&
        ctx.message.reply_to_message?.from?.id === ctx.me.id &&
        !/^\/\w/.test(ctx.message.text ?? ""),
    )
    .use(async (ctx) => {
      const replyTo = ctx.message.reply_to_message;
      const handoff = replyTo && (await appDb.handoffByMessage(ctx.chat.id, replyTo.message_id));
      const tc = strings(COORDINATORS_LANG).coordinators;
      if (!handoff) {
        // Not a question to answer (the reply is meant for a user), nor one for the report.
        ctx.log.info("coordinators' reply to a message that is not a hand-off");
        await replyHtml(ctx, escapeHtml(tc.notAHandoff));
        return;
      }
      const text = ctx.message.text;
      const body = text === undefined ? "" : stripMention(text, ctx.me.username);
      if (!body) {
        await replyHtml(ctx, escapeHtml(tc.textOnly));
        return;
      }
      const result = await answerHandoff(
        { api: ctx.api, appDb, logger: ctx.log },
        handoff,
        coordinatorOf(ctx.from),
        body,
      );
      if (!result) {
        await replyHtml(ctx, escapeHtml(tc.unknownHandoff));
        return;
      }
      const { replyId } = result;
      const sent = await replyHtml(ctx, result.statusHtml, {
        keyboard: saveAsFaq ? saveFaqKeyboard(replyId, COORDINATORS_LANG) : undefined,
      });
      const last = sent.at(-1);
      if (last) await appDb.setReplyConfirmation(replyId, last.message_id);
    });
  return composer;
}
