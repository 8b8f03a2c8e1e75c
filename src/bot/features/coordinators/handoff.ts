/**
 * The hand-off: questions Padoms declines (private chats), and those a user passes on with
 * "🙋 Ask a coordinator", are posted to the coordinators' chat with the asker's first name, the
 * bot's draft answer and its sources.
 */
import { Composer } from "grammy";
import type { Chat } from "grammy/types";
import {
  type ApprovedAnswerService,
  type ApprovedSuggestion,
  suggestionOf,
} from "../../../answer/approved.js";
import type { AppDb, HandoffReason, Interaction } from "../../../store/app-db.js";
import type { Answer } from "../../../types.js";
import type { BotContext } from "../../context.js";
import { escapeHtml, formatSources, renderAnswerText, truncateText } from "../../format.js";
import { type Lang, strings } from "../../i18n.js";
import { answerKeyboard, answerWithFaqKeyboard, callbackPatterns } from "../../keyboards.js";
import { isGroupChat, quietly, replyHtml } from "../../send.js";
import { COORDINATORS_LANG, type CoordinatorAccess } from "./access.js";

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

/** Outcome of {@link Handoffs.handOff}. */
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
    /** The closest approved answer, shown with "Answer with #N". */
    suggestion?: ApprovedSuggestion;
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
  const s = input.suggestion;
  if (s) {
    blocks.push(
      p.suggestion(
        s.id,
        escapeHtml(truncateText(s.question, 300)),
        escapeHtml(truncateText(s.answer, 800)),
      ),
    );
  }
  blocks.push(p.hint(name));
  return blocks.join("\n\n");
}

/** What {@link Handoffs.handOff} needs to know about the question. */
export interface HandoffRequest {
  interactionId: number;
  reason: HandoffReason;
  /** Chat the coordinators' replies go to. */
  chatId: number;
  /** The user's question message (quoted by the replies). */
  replyToMessageId?: number;
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

/** The hand-off as the ask and feedback features use it. */
export interface Handoffs {
  /**
   * Whether "🙋 Ask a coordinator" goes under an answer just given: under declined answers in
   * groups (in private chats a declined question is handed off at once, see `afterAnswer`).
   */
  askCoordinatorButton(
    ctx: BotContext,
    answer: Pick<Answer, "answered" | "declineReason">,
  ): boolean;
  /**
   * Posts a question to the coordinators' chat and records the hand-off (one per interaction).
   * A failed post is logged and forgotten, so that the user can try again.
   */
  handOff(ctx: BotContext, request: HandoffRequest): Promise<HandoffResult>;
  /**
   * Called after an answer was sent: a question declined in a private chat goes to the
   * coordinators (unless it is noise, see {@link worthHandingOff}), and the user is told so.
   */
  afterAnswer(
    ctx: BotContext,
    interactionId: number | undefined,
    answer: Pick<Answer, "answered" | "declineReason" | "language" | "question">,
  ): Promise<void>;
  /**
   * After a 👎: adds "🙋 Ask a coordinator" under the rated answer (when the rater asked it and
   * it was not handed off yet). Returns true when the button was added.
   */
  offerCoordinator(ctx: BotContext, interactionId: number): Promise<boolean>;
}

/** Options of {@link createHandoffs} and {@link handoffFeature}. */
export interface HandoffOptions {
  access: CoordinatorAccess;
  appDb: AppDb;
  /** Approved answers: the closest one is suggested with each hand-off; absent: none. */
  approved?: Pick<ApprovedAnswerService, "closest">;
}

/** The hand-off over the app state; every call is a no-op while the coordinators' chat is off. */
export function createHandoffs({ access, appDb, approved }: HandoffOptions): Handoffs {
  const handOff: Handoffs["handOff"] = async (ctx, request) => {
    const coordinatorChatId = access.chatId;
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
    // The closest approved answer, for "Answer with #N" (a failed search only means none).
    const closest = await approved?.closest(interaction.question).catch(() => undefined);
    const suggestion = closest && suggestionOf(closest.row);
    const html = formatHandoffPost({
      handoffId: handoff.id,
      reason: request.reason,
      askerName: ctx.from?.first_name ?? "",
      groupTitle:
        (ctx.chat?.type === "group" || ctx.chat?.type === "supergroup") && ctx.chat.title
          ? ctx.chat.title
          : undefined,
      interaction,
      suggestion,
    });
    try {
      const sent = await ctx.api.sendMessage(coordinatorChatId, html, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(suggestion
          ? {
              reply_markup: answerWithFaqKeyboard(handoff.id, suggestion.id, COORDINATORS_LANG),
            }
          : {}),
      });
      await appDb.setHandoffMessage(handoff.id, sent.message_id);
      ctx.log.info("question handed off", {
        interactionId: request.interactionId,
        handoffId: handoff.id,
        reason: request.reason,
        ...(suggestion
          ? { suggested: suggestion.id, score: Number(closest?.score.toFixed(3)) }
          : {}),
      });
      return "sent";
    } catch (error) {
      await appDb.deleteHandoff(handoff.id);
      ctx.log.warn("could not post to the coordinators' chat", {
        interactionId: request.interactionId,
        error,
      });
      return "failed";
    }
  };

  return {
    handOff,
    askCoordinatorButton: (ctx, answer) =>
      access.enabled &&
      !access.isCoordinatorsChat(ctx) &&
      isGroupChat(ctx) &&
      !answer.answered &&
      answer.declineReason === "no-match",
    async afterAnswer(ctx, interactionId, answer) {
      if (
        interactionId === undefined ||
        answer.answered ||
        answer.declineReason !== "no-match" ||
        !worthHandingOff(answer.question) ||
        ctx.chat?.type !== "private" ||
        !access.enabled
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
    },
    async offerCoordinator(ctx, interactionId) {
      if (!access.enabled || access.isCoordinatorsChat(ctx) || !ctx.from) return false;
      const interaction = await appDb.getInteraction(interactionId);
      if (!interaction || (await appDb.handoffOfInteraction(interactionId))) return false;
      if (interaction.userHash && interaction.userHash !== appDb.pseudonymise(ctx.from.id))
        return false;
      const keyboard = answerKeyboard(
        interactionId,
        keyboardFields(interaction),
        interaction.language,
        { askCoordinator: true },
      );
      if (!keyboard) return false;
      const edited = await quietly(ctx, "editMessageReplyMarkup", () =>
        ctx.editMessageReplyMarkup({ reply_markup: keyboard }),
      );
      return edited !== undefined;
    },
  };
}

/**
 * "🙋 Ask a coordinator" (`ho:N`) under an answer, outside the coordinators' chat: hands the
 * question off (only its asker may, when it is known) and takes the button away. Not installed
 * while the coordinators' chat is off; a press then, or in the coordinators' chat itself, goes
 * on to "unhandled" (the "button expired" notice).
 */
export function handoffFeature(
  options: HandoffOptions & { handoffs: Handoffs },
): Composer<BotContext> {
  const { access, appDb, handoffs } = options;
  const composer = new Composer<BotContext>();
  if (!access.enabled) return composer;
  composer
    .callbackQuery(callbackPatterns.handoff)
    .filter((ctx): ctx is typeof ctx & { chat: Chat } =>
      Boolean(ctx.chat && !access.isCoordinatorsChat(ctx)),
    )
    .use(async (ctx) => {
      const t = ctx.t;
      const toast = (text: string) =>
        quietly(ctx, "answerCallbackQuery", () => ctx.answerCallbackQuery({ text }));
      const interaction = await appDb.getInteraction(Number(ctx.match[1]));
      if (!interaction) {
        await toast(t.interactionGone);
        return;
      }
      if (interaction.userHash && interaction.userHash !== appDb.pseudonymise(ctx.from.id)) {
        await toast(t.coordinators.handoffNotYours);
        return;
      }
      const result = await handoffs.handOff(ctx, {
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
