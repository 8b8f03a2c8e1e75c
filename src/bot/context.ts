import type { Context, MiddlewareFn } from "grammy";
import type { AnswerEngine } from "../answer/engine.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { AppDb } from "../store/app-db.js";
import { type Lang, langFromCode, type Strings, strings } from "./i18n.js";

/** What the bot as a whole needs from the rest of Padoms (each feature takes only its part). */
export interface BotDeps {
  config: Config;
  engine: AnswerEngine;
  appDb: AppDb;
  logger: Logger;
}

/** Properties every update's context carries in addition to grammY's. */
export interface BotFlavor {
  /** The bot's logger with this update's `updateId` on every line. */
  log: Logger;
  /** The user's language from `from.language_code`: `en` for `en*`, else `lv`. */
  lang: Lang;
  /** Texts in {@link BotFlavor.lang}. */
  t: Strings;
  /** Aborted when the bot stops after its grace period; passed to the engine. */
  shutdown: AbortSignal;
}

/** The context type of every Padoms middleware. */
export type BotContext = Context & BotFlavor;

/** The kind of update (`message`, `callback_query` …), for log lines. */
export function updateKind(ctx: Context): string {
  return Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
}

/**
 * Gives each update its child logger (`ctx.log`, with `updateId`), logs its arrival and how long
 * it took at debug level. Installed first, so every later middleware and the error handler have
 * `ctx.log`.
 */
export function logUpdates(logger: Logger): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const started = Date.now();
    ctx.log = logger.child({ updateId: ctx.update.update_id });
    const fields = { kind: updateKind(ctx), chatType: ctx.chat?.type };
    ctx.log.debug("update received", fields);
    await next();
    ctx.log.debug("update handled", { ...fields, ms: Date.now() - started });
  };
}

/** Installs language, texts and the stop signal on each context; `shutdown` gives the current one. */
export function attachContext(shutdown: () => AbortSignal): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    ctx.lang = langFromCode(ctx.from?.language_code);
    ctx.t = strings(ctx.lang);
    ctx.shutdown = shutdown();
    return next();
  };
}
