import { type BotStartErrorCode, PadomsError } from "../errors.js";

export type { BotStartErrorCode } from "../errors.js";

/**
 * The bot could not connect to Telegram or open its webhook. The message names the setting to
 * check and the fix, never the token or a URL holding it.
 */
export class BotStartError extends PadomsError<BotStartErrorCode> {
  override readonly name = "BotStartError";
  constructor(
    code: BotStartErrorCode,
    message: string,
    /** The environment variable to check, when one is at fault. */
    readonly variable?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
