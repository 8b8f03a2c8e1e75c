/**
 * Callback data (at most 64 bytes: interactions are referenced by their integer id) and the
 * inline keyboards built from it.
 */
import { InlineKeyboard } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { videoLinkAt } from "../answer/links.js";
import type { Interaction } from "../store/app-db.js";
import type { Answer, Citation, LectureMeta } from "../types.js";
import { truncateText } from "./format.js";
import { type Lang, strings } from "./i18n.js";

/** Telegram's limit for `callback_data`, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;
/** Characters of an offered approved answer's question on its button (clients cut long ones). */
const OFFER_LABEL_CHARS = 48;

/** Encoders of callback data. */
export const callbackData = {
  feedback: (interactionId: number, value: 1 | -1) =>
    `fb:${interactionId}:${value > 0 ? "u" : "d"}`,
  sources: (interactionId: number) => `src:${interactionId}`,
  related: (interactionId: number) => `rel:${interactionId}`,
  /** By lecture id when it fits in 64 bytes, else by position in `engine.lectures()`. */
  lecture: (lecture: LectureMeta, index: number) => {
    const byId = `lec:${lecture.id}`;
    return Buffer.byteLength(byId) <= CALLBACK_DATA_LIMIT ? byId : `lei:${index}`;
  },
  example: (index: number) => `ex:${index}`,
  /** "Ask a coordinator" under an answer. */
  handoff: (interactionId: number) => `ho:${interactionId}`,
  /** "Save as FAQ" under a delivered coordinator's reply. */
  saveFaq: (replyId: number) => `faq:${replyId}`,
  /** "Answer with #N" under a hand-off post: the suggested approved answer. */
  answerWithFaq: (handoffId: number, approvedId: number) => `af:${handoffId}:${approvedId}`,
  /** The approved answer offered under an answer (`Answer.offer`). */
  offer: (interactionId: number, approvedId: number) => `ao:${interactionId}:${approvedId}`,
};

/**
 * The callback data of each kind of button, for grammY's `callbackQuery(pattern)`: each feature
 * routes only its own buttons, and `ctx.match` holds the parts. Anything no pattern matches (old
 * or foreign buttons) goes on to "unhandled".
 */
export const callbackPatterns = {
  /** `[, interactionId, "u" | "d"]` */
  feedback: /^fb:(\d{1,15}):([ud])$/,
  /** `[, interactionId]` */
  sources: /^src:(\d{1,15})$/,
  /** `[, interactionId]` */
  related: /^rel:(\d{1,15})$/,
  /** `[, lectureId]` */
  lecture: /^lec:(.+)$/s,
  /** `[, index]` */
  lectureIndex: /^lei:(\d{1,4})$/,
  /** `[, index]` */
  example: /^ex:(\d{1,4})$/,
  /** `[, interactionId]` */
  handoff: /^ho:(\d{1,15})$/,
  /** `[, replyId]` */
  saveFaq: /^faq:(\d{1,15})$/,
  /** `[, handoffId, approvedId]` */
  answerWithFaq: /^af:(\d{1,15}):(\d{1,15})$/,
  /** `[, interactionId, approvedId]` */
  offer: /^ao:(\d{1,15}):(\d{1,15})$/,
} as const;

/** Where a button was pressed (from the callback query). */
export interface ButtonPress {
  /** Chat of the message that carries the button; absent for inline messages. */
  chatId?: number;
  chatType?: string;
  /** Who pressed it. */
  userId: number;
  /** The button is on a message sent via inline mode. */
  inlineMessage: boolean;
}

/** The {@link ButtonPress} of a callback query's context. */
export function pressOf(ctx: {
  chat?: { id: number; type: string };
  from: { id: number };
  callbackQuery: { inline_message_id?: string };
}): ButtonPress {
  return {
    chatId: ctx.chat?.id,
    chatType: ctx.chat?.type,
    userId: ctx.from.id,
    inlineMessage: ctx.callbackQuery.inline_message_id !== undefined,
  };
}

/**
 * Whether a button press may act on a stored answer. Callback data can be forged, so the
 * buttons under an answer (`src:N`, `rel:N`, `fb:N:…`) work only where that answer was sent: in
 * the asker's private chat (by the asker), in the group it was answered in (by any member), or,
 * for inline answers, on an inline message.
 */
export function pressMatches(
  interaction: Pick<Interaction, "channel" | "chatId" | "userHash">,
  press: ButtonPress,
  pseudonymise: (userId: number) => string,
): boolean {
  switch (interaction.channel) {
    case "private":
      return (
        !press.inlineMessage &&
        press.chatType === "private" &&
        interaction.userHash !== undefined &&
        interaction.userHash === pseudonymise(press.userId)
      );
    case "group":
    case "supergroup":
      return (
        !press.inlineMessage && press.chatId !== undefined && press.chatId === interaction.chatId
      );
    case "inline":
      return press.inlineMessage;
    default:
      return false;
  }
}

/** A lecture an answer points to: its first related lecture, else its first lecture citation. */
export interface RelatedLecture {
  id?: string;
  title: string;
  startSec?: number;
  url?: string;
  path?: string;
}

/** Picks the lecture for the "Related lecture" button, if any. */
export function pickRelatedLecture(
  relatedLectures: Answer["relatedLectures"],
  citations: readonly Citation[],
): RelatedLecture | undefined {
  const related = relatedLectures?.[0];
  if (related) return related;
  const cited = citations.find((c) => c.kind === "lecture");
  return cited
    ? { title: cited.title, startSec: cited.startSec, url: cited.url, path: cited.path }
    : undefined;
}

/** Finds the lecture metadata of a related lecture by id, file or title. */
export function findLecture(
  lectures: readonly LectureMeta[],
  related: RelatedLecture,
): LectureMeta | undefined {
  return (
    (related.id ? lectures.find((l) => l.id === related.id) : undefined) ??
    (related.path
      ? lectures.find((l) => related.path === l.file || related.path?.endsWith(`/${l.file}`))
      : undefined) ??
    lectures.find((l) => l.title === related.title)
  );
}

/** Options of {@link answerKeyboard}. */
export interface AnswerKeyboardOptions {
  /** Adds "🙋 Ask a coordinator" (coordinators' features on). */
  askCoordinator?: boolean;
}

/**
 * Buttons under an answer: 👍/👎, "Sources" when there are quoted passages, "Related lecture"
 * when one fits, the approved answer it offers (by its question), and "Ask a coordinator" when
 * asked for. Without an interaction id (the database failed) only a link to the lecture.
 */
export function answerKeyboard(
  interactionId: number | undefined,
  answer: Pick<Answer, "answered" | "declineReason" | "citations" | "relatedLectures" | "offer">,
  lang: Lang,
  options: AnswerKeyboardOptions = {},
): InlineKeyboard | undefined {
  const t = strings(lang);
  const related = pickRelatedLecture(answer.relatedLectures, answer.citations);
  if (interactionId === undefined) {
    const url = related && videoLinkAt(related.url, undefined);
    return url ? new InlineKeyboard().url(t.buttons.related, url) : undefined;
  }
  const rows: InlineKeyboardButton[][] = [];
  if (answer.answered || answer.declineReason !== "bad-input") {
    rows.push([
      InlineKeyboard.text("👍", callbackData.feedback(interactionId, 1)),
      InlineKeyboard.text("👎", callbackData.feedback(interactionId, -1)),
    ]);
  }
  const second: InlineKeyboardButton[] = [];
  if (answer.answered && answer.citations.some((c) => c.text.trim())) {
    second.push(InlineKeyboard.text(t.buttons.sources, callbackData.sources(interactionId)));
  }
  if (related)
    second.push(InlineKeyboard.text(t.buttons.related, callbackData.related(interactionId)));
  if (second.length) rows.push(second);
  const offeredId = Number(answer.offer?.id);
  if (answer.offer && Number.isSafeInteger(offeredId) && offeredId > 0) {
    rows.push([
      InlineKeyboard.text(
        t.buttons.offer(truncateText(answer.offer.question, OFFER_LABEL_CHARS)),
        callbackData.offer(interactionId, offeredId),
      ),
    ]);
  }
  if (options.askCoordinator) {
    rows.push([InlineKeyboard.text(t.coordinators.askButton, callbackData.handoff(interactionId))]);
  }
  return rows.length ? new InlineKeyboard(rows) : undefined;
}

/** "Save as FAQ" under a coordinator's reply confirmed in the coordinators' chat. */
export function saveFaqKeyboard(replyId: number, lang: Lang): InlineKeyboard {
  return new InlineKeyboard().text(
    strings(lang).coordinators.saveFaqButton,
    callbackData.saveFaq(replyId),
  );
}

/** "Answer with #N" under a hand-off post. */
export function answerWithFaqKeyboard(
  handoffId: number,
  approvedId: number,
  lang: Lang,
): InlineKeyboard {
  return new InlineKeyboard().text(
    strings(lang).coordinators.answerWithFaqButton(approvedId),
    callbackData.answerWithFaq(handoffId, approvedId),
  );
}

/** One button per lecture for `/lectures`. */
export function lecturesKeyboard(lectures: readonly LectureMeta[]): InlineKeyboard | undefined {
  if (lectures.length === 0) return undefined;
  return new InlineKeyboard(
    lectures
      .slice(0, 90)
      .map((l, i) => [
        InlineKeyboard.text(`${i + 1}. ${truncateText(l.title, 48)}`, callbackData.lecture(l, i)),
      ]),
  );
}

/** The three example questions of `/start`. */
export function examplesKeyboard(lang: Lang): InlineKeyboard {
  return new InlineKeyboard(
    strings(lang).examples.map((q, i) => [InlineKeyboard.text(q, callbackData.example(i))]),
  );
}

/** A "watch" link button for a lecture card, when the video address is known. */
export function watchKeyboard(
  lang: Lang,
  url: string | undefined,
  atSec = 0,
): InlineKeyboard | undefined {
  const link = videoLinkAt(url, atSec);
  return link ? new InlineKeyboard().url(strings(lang).buttons.watch, link) : undefined;
}
