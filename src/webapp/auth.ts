/**
 * Who is calling the Mini App's API: Telegram's signed launch data (`initData`), sent by the page
 * in the `Authorization: tma <initData>` header on every call, validated with
 * `@telegram-apps/init-data-node` against the bot token and an age limit. No cookies, no
 * sessions: a forged, altered or expired `initData` is refused (401) on every call.
 */
import { isExpiredError, parse, validate } from "@telegram-apps/init-data-node";
import type { Api } from "grammy";
import { PadomsError } from "../errors.js";
import type { Logger } from "../log.js";

/** The Telegram user of a validated launch. */
export interface WebAppUser {
  id: number;
  firstName: string;
  languageCode?: string;
}

/** Thrown when a call is not allowed: `status` 401 (who are you?) or 403 (not for you). */
export class WebAppAuthError extends PadomsError<
  "missing" | "invalid" | "expired" | "no-user" | "not-coordinator"
> {
  override readonly name = "WebAppAuthError";
  constructor(
    readonly status: 401 | 403,
    code: "missing" | "invalid" | "expired" | "no-user" | "not-coordinator",
    message: string,
  ) {
    super(code, message);
  }
}

/** Reads `Authorization: tma <initData>`; `undefined` when absent. */
export function initDataOf(header: string | undefined): string | undefined {
  const m = /^tma\s+(.+)$/s.exec(header?.trim() ?? "");
  return m?.[1];
}

/**
 * Validates a launch's `initData` (signature by the bot token, at most `maxAgeSec` old) and
 * returns its user. Throws {@link WebAppAuthError} (401) otherwise.
 */
export function authenticate(
  initData: string | undefined,
  botToken: string,
  maxAgeSec: number,
): WebAppUser {
  if (!initData) {
    throw new WebAppAuthError(401, "missing", "Open Padoms from Telegram: no launch data.");
  }
  try {
    validate(initData, botToken, { expiresIn: maxAgeSec });
  } catch (error) {
    if (isExpiredError(error)) {
      throw new WebAppAuthError(401, "expired", "This launch is too old: close and reopen Padoms.");
    }
    throw new WebAppAuthError(401, "invalid", "The launch data is not signed by Telegram.");
  }
  const user = parse(initData).user;
  if (!user) throw new WebAppAuthError(401, "no-user", "The launch data names no user.");
  return { id: user.id, firstName: user.first_name, languageCode: user.language_code };
}

/** Chat-member statuses that count as members of the coordinators' chat. */
const MEMBER_STATUSES = new Set(["creator", "administrator", "member"]);

/** Options of {@link createCoordinatorCheck}. */
export interface CoordinatorCheckOptions {
  adminIds: readonly number[];
  /** The coordinators' chat (env `COORDINATOR_CHAT_ID`); absent: only admins. */
  coordinatorChatId?: number;
  api: Pick<Api, "getChatMember">;
  logger: Logger;
}

/**
 * Whether a user may use the desk: an admin (`ADMIN_USER_IDS`), or a member of the coordinators'
 * chat, asked of Telegram (`getChatMember`) on every call: a coordinator removed from the chat
 * loses the desk at once. When Telegram cannot be asked, only admins get in.
 */
export function createCoordinatorCheck(
  options: CoordinatorCheckOptions,
): (userId: number) => Promise<boolean> {
  return async (userId) => {
    if (options.adminIds.includes(userId)) return true;
    if (options.coordinatorChatId === undefined) return false;
    try {
      const member = await options.api.getChatMember(options.coordinatorChatId, userId);
      return (
        MEMBER_STATUSES.has(member.status) ||
        (member.status === "restricted" && member.is_member === true)
      );
    } catch (error) {
      options.logger.debug("coordinators' chat membership not known", { error });
      return false;
    }
  };
}
