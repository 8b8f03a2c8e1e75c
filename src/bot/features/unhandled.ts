import { Composer } from "grammy";
import type { Message } from "grammy/types";
import type { BotContext } from "../context.js";
import type { UnhandledKind } from "../i18n.js";
import { isGroupChat, quietly, replyText } from "../send.js";
import { isCommandText } from "./ask.js";

/** Service messages (joins, pins, topics …): never answered. */
const SERVICE_KEYS = [
  "new_chat_members",
  "left_chat_member",
  "new_chat_title",
  "new_chat_photo",
  "delete_chat_photo",
  "group_chat_created",
  "supergroup_chat_created",
  "channel_chat_created",
  "message_auto_delete_timer_changed",
  "migrate_to_chat_id",
  "migrate_from_chat_id",
  "pinned_message",
  "write_access_allowed",
  "forum_topic_created",
  "forum_topic_edited",
  "forum_topic_closed",
  "forum_topic_reopened",
  "general_forum_topic_hidden",
  "general_forum_topic_unhidden",
  "video_chat_scheduled",
  "video_chat_started",
  "video_chat_ended",
  "video_chat_participants_invited",
  "chat_background_set",
  "boost_added",
  "users_shared",
  "chat_shared",
  "successful_payment",
  "refunded_payment",
  "proximity_alert_triggered",
] as const;

/** What kind of non-question a message is; `undefined` for service messages. */
export function classifyMessage(message: Message): UnhandledKind | undefined {
  if (SERVICE_KEYS.some((key) => key in message)) return undefined;
  if (message.forward_origin) return "forward";
  if (message.voice || message.audio) return "voice";
  if (message.photo) return "photo";
  if (message.video || message.video_note || message.animation) return "video";
  if (message.sticker) return "sticker";
  if (message.document) return "document";
  if (message.location || message.venue) return "location";
  if (message.contact) return "contact";
  if (message.poll) return "poll";
  if (message.dice) return "dice";
  if (message.text !== undefined) {
    if (isCommandText(message)) return "command";
    if (!/[\p{L}\p{N}]/u.test(message.text)) return "emoji";
  }
  return "other";
}

function replyKindly(ctx: BotContext, kind: UnhandledKind): Promise<unknown> {
  return replyText(ctx, `${ctx.t.unhandled[kind]}\n\n${ctx.t.whatICanDo}`);
}

/**
 * Registered last: a short, kind reply in the user's language to anything the other features
 * did not take (voice, photo, sticker, document, location, edits, forwards, unknown commands …),
 * and an answer to every other button press so that no spinner hangs.
 */
export function unhandledFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("edited_message", (ctx) => replyKindly(ctx, "edited"));
  composer.on("message", async (ctx) => {
    if (ctx.message.via_bot?.id === ctx.me.id) return;
    const kind = classifyMessage(ctx.message);
    if (!kind) return;
    if (kind === "command" && isGroupChat(ctx)) {
      const addressed = new RegExp(`^/\\w+@${ctx.me.username}\\b`, "i").test(
        ctx.message.text ?? "",
      );
      if (!addressed) return;
    }
    await replyKindly(ctx, kind);
  });
  composer.on("callback_query", async (ctx) => {
    await quietly(ctx, "answerCallbackQuery", () =>
      ctx.answerCallbackQuery({ text: ctx.t.buttonExpired }),
    );
  });
  return composer;
}
