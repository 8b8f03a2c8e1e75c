/**
 * Who the coordinators are: the coordinators' chat (`COORDINATOR_CHAT_ID`; without it the
 * hand-off features are off and invisible) and the admins (`ADMIN_USER_IDS`), and `/chatid` for
 * setting both up.
 */
import { Composer } from "grammy";
import type { Chat, User } from "grammy/types";
import type { Config } from "../../../config.js";
import type { BotContext } from "../../context.js";
import { escapeHtml } from "../../format.js";
import type { Lang } from "../../i18n.js";
import { replyHtml } from "../../send.js";

/** Language of the bot's posts in the coordinators' chat. */
export const COORDINATORS_LANG: Lang = "lv";

/** The settings {@link coordinatorAccess} reads. */
export type AccessConfig = Pick<Config, "COORDINATOR_CHAT_ID" | "ADMIN_USER_IDS">;

/** Who may do what around the coordinators' chat. */
export interface CoordinatorAccess {
  /** The coordinators' chat; `undefined`: the hand-off features are off. */
  readonly chatId: number | undefined;
  /** True when the coordinators' chat is configured. */
  readonly enabled: boolean;
  /** True in the configured coordinators' chat. */
  isCoordinatorsChat(ctx: { chat?: Pick<Chat, "id"> }): boolean;
  /** True for a user listed in `ADMIN_USER_IDS`. */
  isAdmin(ctx: { from?: Pick<User, "id"> }): boolean;
  /**
   * Lets an admin command through: admins in a private chat or the coordinators' chat. Others
   * get a polite refusal; returns false then.
   */
  checkAdmin(ctx: BotContext): Promise<boolean>;
}

/** The {@link CoordinatorAccess} of a configuration. */
export function coordinatorAccess(config: AccessConfig): CoordinatorAccess {
  const chatId = config.COORDINATOR_CHAT_ID;
  const access: CoordinatorAccess = {
    chatId,
    enabled: chatId !== undefined,
    isCoordinatorsChat: (ctx) => chatId !== undefined && ctx.chat?.id === chatId,
    isAdmin: (ctx) => ctx.from !== undefined && config.ADMIN_USER_IDS.includes(ctx.from.id),
    async checkAdmin(ctx) {
      const t = ctx.t.coordinators;
      if (!access.isAdmin(ctx)) {
        ctx.log.info("admin command refused", { chatType: ctx.chat?.type });
        await replyHtml(ctx, escapeHtml(t.notAllowed));
        return false;
      }
      if (ctx.chat?.type !== "private" && !access.isCoordinatorsChat(ctx)) {
        await replyHtml(ctx, escapeHtml(t.adminOnlyHere));
        return false;
      }
      return true;
    },
  };
  return access;
}

/** `/chatid` (anywhere): the chat's and the user's ids, for setting the coordinators up. */
export function chatIdFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("chatid", async (ctx) => {
    ctx.log.info("chat id asked", { chatType: ctx.chat.type });
    await replyHtml(ctx, ctx.t.coordinators.chatIds(ctx.chat.id, ctx.from?.id ?? 0));
  });
  return composer;
}
