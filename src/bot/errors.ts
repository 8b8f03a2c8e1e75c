/** Why the bot could not start. */
export type BotStartErrorCode =
  | "bad-token"
  | "telegram-unreachable"
  | "telegram-refused"
  | "webhook-port"
  | "webapp-port"
  | "webhook-refused"
  | "stopped";

/**
 * The bot could not connect to Telegram or open its webhook. The message names the setting to
 * check and the fix, never the token or a URL holding it.
 */
export class BotStartError extends Error {
  override readonly name = "BotStartError";
  constructor(
    readonly code: BotStartErrorCode,
    message: string,
    /** The environment variable to check, when one is at fault. */
    readonly variable?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
