import { Composer } from "grammy";
import type { Message, UserFromGetMe } from "grammy/types";
import type { BotContext } from "../context.js";
import { quietly, replyHtml } from "../send.js";

function mentions(text: string, username: string): boolean {
  const name = username.toLowerCase();
  return text
    .toLowerCase()
    .split(/[^a-z0-9_@]+/)
    .some((word) => word === `@${name}`);
}

/**
 * True when a group message is meant for the bot: a command at the start (`/ask`, or
 * `/cmd@thisbot`; `/cmd@otherbot` is not), a mention (`@botname`, as an entity or in the text),
 * or a reply to one of the bot's messages. Works with privacy mode on, which delivers exactly
 * these messages.
 */
export function isAddressedToBot(message: Message, me: UserFromGetMe): boolean {
  const text = message.text ?? message.caption ?? "";
  const entities = message.entities ?? message.caption_entities ?? [];
  const command = /^\/[A-Za-z0-9_]+(?:@(\w+))?(?:\s|$)/.exec(text);
  if (command) return !command[1] || command[1].toLowerCase() === me.username.toLowerCase();
  if (entities.some((e) => e.type === "text_mention" && e.user.id === me.id)) return true;
  if (mentions(text, me.username)) return true;
  return message.reply_to_message?.from?.id === me.id;
}

/**
 * The group rules, checked before every other feature (`bot.filter(passesGroupGate)`): in groups
 * and supergroups only messages addressed to the bot, button presses and membership changes go
 * on; everything else (including edited messages) is dropped silently. Channel posts are always
 * dropped.
 */
export function passesGroupGate(ctx: BotContext): boolean {
  const type = ctx.chat?.type;
  if (type === "channel" || ctx.channelPost || ctx.editedChannelPost) return false;
  if (type !== "group" && type !== "supergroup") return true;
  if (ctx.callbackQuery || ctx.myChatMember) return true;
  return Boolean(
    ctx.message && !ctx.message.is_automatic_forward && isAddressedToBot(ctx.message, ctx.me),
  );
}

/** A short introduction when the bot is added to a group. */
export function groupFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.chatType(["group", "supergroup"]).on("my_chat_member", async (ctx) => {
    const { old_chat_member: before, new_chat_member: after } = ctx.myChatMember;
    const joined =
      (before.status === "left" || before.status === "kicked") &&
      (after.status === "member" || after.status === "administrator");
    if (!joined) return;
    await quietly(ctx, "sendMessage", () => replyHtml(ctx, ctx.t.groupIntro(ctx.me.username)));
  });
  return composer;
}
