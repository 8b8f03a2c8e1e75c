/**
 * Hand-off to the coordinators: questions Padoms declines (private chats), and those a user
 * passes on with "🙋 Ask a coordinator", are posted to the coordinators' chat with the asker's
 * first name, the bot's draft answer and its sources. A coordinator replies to that message; the
 * bot delivers the reply to the user, labelled, confirms in the coordinators' chat and offers
 * "Save as FAQ". Off (and invisible) without `COORDINATOR_CHAT_ID`.
 */
import { type Api, Composer, GrammyError } from "grammy";
import type { ApprovedAnswerService } from "../../answer/approved.js";
import type { Config } from "../../config.js";
import type { Logger } from "../../log.js";
import type {
  AppDb,
  ApprovedAnswerRow,
  Handoff,
  HandoffReason,
  Interaction,
} from "../../store/app-db.js";
import type { Answer } from "../../types.js";
import type { BotContext } from "../context.js";
import {
  escapeHtml,
  formatSources,
  renderAnswerText,
  splitMessage,
  stripMention,
  truncateText,
} from "../format.js";
import { type Lang, strings } from "../i18n.js";
import { answerKeyboard, parseCallbackData, saveFaqKeyboard } from "../keyboards.js";
import { quietly, replyHtml } from "../send.js";

/** Language of the bot's posts in the coordinators' chat. */
export const COORDINATORS_LANG: Lang = "lv";

/** Time zone of the times shown to coordinators. */
const TIME_ZONE = "Europe/Riga";

/** True when the coordinators' chat is configured. */
export function coordinatorsEnabled(config: Config): boolean {
  return config.COORDINATOR_CHAT_ID !== undefined;
}

/** True in the configured coordinators' chat. */
export function isCoordinatorsChat(ctx: BotContext): boolean {
  const id = ctx.deps.config.COORDINATOR_CHAT_ID;
  return id !== undefined && ctx.chat?.id === id;
}

/** True for a user listed in `ADMIN_USER_IDS`. */
export function isAdmin(ctx: BotContext): boolean {
  return ctx.from !== undefined && ctx.deps.config.ADMIN_USER_IDS.includes(ctx.from.id);
}

/** The fields of a stored interaction that its answer's keyboard needs. */
function keyboardFields(
  interaction: Interaction,
): Pick<Answer, "answered" | "declineReason" | "citations" | "relatedLectures"> {
  return {
    answered: interaction.answered,
    declineReason:
      interaction.declineReason === "no-match" || interaction.declineReason === "bad-input"
        ? interaction.declineReason
        : undefined,
    citations: interaction.citations,
    relatedLectures: interaction.relatedLectures,
  };
}

function isGroup(ctx: BotContext): boolean {
  return ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
}

/**
 * Whether "🙋 Ask a coordinator" goes under an answer just given: under declined answers in
 * groups (in private chats a declined question is handed off at once, see {@link afterAnswer}).
 */
export function askCoordinatorButton(
  ctx: BotContext,
  answer: Pick<Answer, "answered" | "declineReason">,
): boolean {
  return (
    coordinatorsEnabled(ctx.deps.config) &&
    !isCoordinatorsChat(ctx) &&
    isGroup(ctx) &&
    !answer.answered &&
    answer.declineReason === "no-match"
  );
}

/** Outcome of {@link handOff}. */
export type HandoffResult = "sent" | "already" | "failed" | "off";

/** The hand-off message of the coordinators' chat (Telegram HTML, at most 4,096 characters). */
export function formatHandoffPost(
  input: {
    handoffId: number;
    reason: HandoffReason;
    askerName: string;
    /** Title of the group the question came from; absent for private chats. */
    groupTitle?: string;
    interaction: Pick<Interaction, "question" | "answer" | "answered" | "citations">;
  },
  lang: Lang = COORDINATORS_LANG,
): string {
  const t = strings(lang);
  const p = t.coordinators.post;
  const name = escapeHtml(truncateText(input.askerName || "—", 64));
  const where =
    input.groupTitle !== undefined
      ? p.groupChat(escapeHtml(truncateText(input.groupTitle, 64)))
      : p.privateChat;
  const { interaction } = input;
  const blocks = [
    `${p.title(input.handoffId)}\n${p.from(name, where)}\n${input.reason === "declined" ? p.declined : p.requested}`,
    `❓ <b>${escapeHtml(truncateText(interaction.question, 1000))}</b>`,
  ];
  const draft = interaction.answered ? interaction.answer.trim() : "";
  blocks.push(
    draft
      ? `${p.draft}\n<blockquote>${renderAnswerText(truncateText(draft, 1800), interaction.citations)}</blockquote>`
      : `${p.draft}\n${p.noDraft}`,
  );
  const sources = formatSources(interaction.citations.slice(0, 6), lang);
  if (sources) blocks.push(sources);
  blocks.push(p.hint(name));
  return blocks.join("\n\n");
}

/** What {@link handOff} needs to know about the question. */
export interface HandoffRequest {
  interactionId: number;
  reason: HandoffReason;
  /** Chat the coordinators' replies go to. */
  chatId: number;
  /** The user's question message (quoted by the replies). */
  replyToMessageId?: number;
}

/**
 * Posts a question to the coordinators' chat and records the hand-off (one per interaction).
 * A failed post is logged and forgotten, so that the user can try again.
 */
export async function handOff(ctx: BotContext, request: HandoffRequest): Promise<HandoffResult> {
  const { config, appDb, logger } = ctx.deps;
  const coordinatorChatId = config.COORDINATOR_CHAT_ID;
  if (coordinatorChatId === undefined) return "off";
  const interaction = await appDb.getInteraction(request.interactionId);
  if (!interaction) return "failed";
  const handoff = await appDb.createHandoff({
    interactionId: request.interactionId,
    reason: request.reason,
    chatId: request.chatId,
    replyToMessageId: request.replyToMessageId,
    language: interaction.language,
    userId: ctx.from?.id,
    coordinatorChatId,
  });
  if (!handoff) return "already";
  const html = formatHandoffPost({
    handoffId: handoff.id,
    reason: request.reason,
    askerName: ctx.from?.first_name ?? "",
    groupTitle:
      (ctx.chat?.type === "group" || ctx.chat?.type === "supergroup") && ctx.chat.title
        ? ctx.chat.title
        : undefined,
    interaction,
  });
  try {
    const sent = await ctx.api.sendMessage(coordinatorChatId, html, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
    });
    await appDb.setHandoffMessage(handoff.id, sent.message_id);
    logger.info("question handed off", {
      updateId: ctx.update.update_id,
      interactionId: request.interactionId,
      handoffId: handoff.id,
      reason: request.reason,
    });
    return "sent";
  } catch (error) {
    await appDb.deleteHandoff(handoff.id);
    logger.warn("could not post to the coordinators' chat", {
      updateId: ctx.update.update_id,
      interactionId: request.interactionId,
      error,
    });
    return "failed";
  }
}

/**
 * Whether a declined text is worth a coordinator's time: at least two words and a few distinct
 * letters, and not buried in combining marks ("Zalgo" text, 900 marks on a digit). Noise is
 * declined to the user as usual but not handed off.
 */
export function worthHandingOff(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  const marks = text.match(/\p{M}/gu)?.length ?? 0;
  if (letters.length < 4 || marks > letters.length) return false;
  const plain = text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const words = plain.match(/\p{L}{2,}/gu) ?? [];
  return words.length >= 2 && new Set(plain.match(/\p{L}/gu)).size >= 4;
}

/**
 * Called by the ask feature after an answer was sent: a question declined in a private chat
 * goes to the coordinators (unless it is noise, see {@link worthHandingOff}), and the user is
 * told so.
 */
export async function afterAnswer(
  ctx: BotContext,
  interactionId: number | undefined,
  answer: Pick<Answer, "answered" | "declineReason" | "language" | "question">,
): Promise<void> {
  if (
    interactionId === undefined ||
    answer.answered ||
    answer.declineReason !== "no-match" ||
    !worthHandingOff(answer.question) ||
    ctx.chat?.type !== "private" ||
    !coordinatorsEnabled(ctx.deps.config)
  ) {
    return;
  }
  const result = await handOff(ctx, {
    interactionId,
    reason: "declined",
    chatId: ctx.chat.id,
    replyToMessageId: ctx.message?.message_id,
  });
  if (result === "sent") {
    await quietly(ctx, "sendMessage", () =>
      replyHtml(ctx, escapeHtml(strings(answer.language).coordinators.handedOff)),
    );
  }
}

/**
 * After a 👎: adds "🙋 Ask a coordinator" under the rated answer (when the rater asked it and it
 * was not handed off yet). Returns true when the button was added.
 */
export async function offerCoordinator(ctx: BotContext, interactionId: number): Promise<boolean> {
  const { appDb, config } = ctx.deps;
  if (!coordinatorsEnabled(config) || isCoordinatorsChat(ctx) || !ctx.from) return false;
  const interaction = await appDb.getInteraction(interactionId);
  if (!interaction || (await appDb.handoffOfInteraction(interactionId))) return false;
  if (interaction.userHash && interaction.userHash !== appDb.pseudonymise(ctx.from.id))
    return false;
  const keyboard = answerKeyboard(
    interactionId,
    keyboardFields(interaction),
    interaction.language,
    {
      askCoordinator: true,
    },
  );
  if (!keyboard) return false;
  const edited = await quietly(ctx, "editMessageReplyMarkup", () =>
    ctx.editMessageReplyMarkup({ reply_markup: keyboard }),
  );
  return edited !== undefined;
}

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

/** Outcome of {@link saveReplyAsApproved}. */
export type SaveReplyResult =
  | { status: "saved"; row: ApprovedAnswerRow }
  | { status: "already"; id: number }
  | { status: "gone" };

/**
 * "Save as FAQ" (the button in the coordinators' chat and the desk's checkbox): stores a
 * coordinator's reply as the approved answer to the question it answered, once per reply.
 */
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

/** Options of {@link coordinatorsFeature}. */
export interface CoordinatorsFeatureOptions {
  /** Approved answers, for "Save as FAQ"; absent: the button is not shown. */
  approved?: ApprovedAnswerService;
}

/**
 * The coordinators' chat: replies to hand-off messages are delivered to the user; "Save as FAQ"
 * stores a delivered reply as an approved answer. Everywhere else: "🙋 Ask a coordinator".
 * `/chatid` (anywhere) shows the chat's and the user's ids, for setting the feature up.
 */
export function coordinatorsFeature(
  options: CoordinatorsFeatureOptions = {},
): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("chatid", async (ctx) => {
    ctx.deps.logger.info("chat id asked", {
      updateId: ctx.update.update_id,
      chatType: ctx.chat.type,
    });
    await replyHtml(ctx, ctx.t.coordinators.chatIds(ctx.chat.id, ctx.from?.id ?? 0));
  });

  composer.on("message", async (ctx, next) => {
    if (!isCoordinatorsChat(ctx)) return next();
    const replyTo = ctx.message.reply_to_message;
    if (!replyTo || replyTo.from?.id !== ctx.me.id) return next();
    const text = ctx.message.text;
    if (text !== undefined && /^\/\w/.test(text)) return next();
    const { appDb, logger } = ctx.deps;
    const handoff = await appDb.handoffByMessage(ctx.chat.id, replyTo.message_id);
    const tc = strings(COORDINATORS_LANG).coordinators;
    if (!handoff) {
      // Not a question to answer (the reply is meant for a user), nor one for the report.
      logger.info("coordinators' reply to a message that is not a hand-off", {
        updateId: ctx.update.update_id,
      });
      await replyHtml(ctx, escapeHtml(tc.notAHandoff));
      return;
    }
    const body = text === undefined ? "" : stripMention(text, ctx.me.username);
    if (!body) {
      await replyHtml(ctx, escapeHtml(tc.textOnly));
      return;
    }
    const name = ctx.from.first_name || ctx.from.username || String(ctx.from.id);
    const result = await answerHandoff(
      { api: ctx.api, appDb, logger },
      handoff,
      { id: ctx.from.id, name },
      body,
      { updateId: ctx.update.update_id },
    );
    if (!result) {
      await replyHtml(ctx, escapeHtml(tc.unknownHandoff));
      return;
    }
    const { replyId } = result;
    const sent = await replyHtml(ctx, result.statusHtml, {
      keyboard: options.approved ? saveFaqKeyboard(replyId, COORDINATORS_LANG) : undefined,
    });
    const last = sent.at(-1);
    if (last) await appDb.setReplyConfirmation(replyId, last.message_id);
  });

  composer.on("callback_query:data", async (ctx, next) => {
    const action = parseCallbackData(ctx.callbackQuery.data);
    if (action?.type !== "handoff" && action?.type !== "save-faq") return next();
    const t = ctx.t;
    const toast = (text: string) =>
      quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text }));
    const { appDb, logger } = ctx.deps;

    if (action.type === "save-faq") {
      if (!isCoordinatorsChat(ctx) || !options.approved) {
        await toast(t.buttonExpired);
        return;
      }
      const result = await saveReplyAsApproved(
        { appDb, approved: options.approved },
        action.replyId,
        ctx.from.first_name,
      );
      if (result.status === "gone") {
        await toast(t.coordinators.replyGone);
        return;
      }
      if (result.status === "already") {
        await toast(t.coordinators.faqAlready(result.id));
        return;
      }
      const saved = result.row;
      logger.info("approved answer saved", {
        updateId: ctx.update.update_id,
        id: saved.id,
        replyId: action.replyId,
        indexed: saved.vector !== undefined,
      });
      await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
      await quietly(ctx, "editMessageReplyMarkup", () => ctx.editMessageReplyMarkup());
      await replyHtml(ctx, escapeHtml(t.coordinators.faqSaved(saved.id)));
      return;
    }

    if (!coordinatorsEnabled(ctx.deps.config) || isCoordinatorsChat(ctx) || !ctx.chat) {
      await toast(t.buttonExpired);
      return;
    }
    const interaction = await appDb.getInteraction(action.interactionId);
    if (!interaction) {
      await toast(t.interactionGone);
      return;
    }
    if (interaction.userHash && interaction.userHash !== appDb.pseudonymise(ctx.from.id)) {
      await toast(t.coordinators.handoffNotYours);
      return;
    }
    const result = await handOff(ctx, {
      interactionId: interaction.id,
      reason: "requested",
      chatId: ctx.chat.id,
      replyToMessageId: interaction.messageId ?? ctx.callbackQuery.message?.message_id,
    });
    const lang = interaction.language;
    if (result !== "sent") {
      await toast(
        result === "already"
          ? strings(lang).coordinators.handoffAlready
          : strings(lang).coordinators.handoffFailed,
      );
      return;
    }
    await quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery());
    const keyboard = answerKeyboard(interaction.id, keyboardFields(interaction), lang);
    await quietly(ctx, "editMessageReplyMarkup", () =>
      ctx.editMessageReplyMarkup({ reply_markup: keyboard }),
    );
    await replyHtml(ctx, escapeHtml(strings(lang).coordinators.handedOff));
  });

  return composer;
}

/**
 * Lets an admin command through: admins (`ADMIN_USER_IDS`) in a private chat or the
 * coordinators' chat. Others get a polite refusal; returns false then.
 */
export async function checkAdmin(ctx: BotContext): Promise<boolean> {
  const t = ctx.t.coordinators;
  if (!isAdmin(ctx)) {
    ctx.deps.logger.info("admin command refused", {
      updateId: ctx.update.update_id,
      chatType: ctx.chat?.type,
    });
    await replyHtml(ctx, escapeHtml(t.notAllowed));
    return false;
  }
  if (ctx.chat?.type !== "private" && !isCoordinatorsChat(ctx)) {
    await replyHtml(ctx, escapeHtml(t.adminOnlyHere));
    return false;
  }
  return true;
}
