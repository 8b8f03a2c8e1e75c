import type { Context, MiddlewareFn } from "grammy";
import type { AnswerEngine } from "../answer/engine.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { AppDb } from "../store/app-db.js";
import { type Lang, langFromCode, type Strings, strings } from "./i18n.js";

/** What the bot's features need from the rest of Padoms. */
export interface BotDeps {
  config: Config;
  engine: AnswerEngine;
  appDb: AppDb;
  logger: Logger;
}

/** Properties every update's context carries in addition to grammY's. */
export interface BotFlavor {
  deps: BotDeps;
  /** The user's language from `from.language_code`: `en` for `en*`, else `lv`. */
  lang: Lang;
  /** Texts in {@link BotFlavor.lang}. */
  t: Strings;
  /** Aborted when the bot stops after its grace period; passed to the engine. */
  shutdown: AbortSignal;
}

/** The context type of every Padoms middleware. */
export type BotContext = Context & BotFlavor;

/** Installs {@link BotFlavor} on each context; `shutdown` gives the current stop signal. */
export function attachContext(
  deps: BotDeps,
  shutdown: () => AbortSignal,
): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    ctx.deps = deps;
    ctx.lang = langFromCode(ctx.from?.language_code);
    ctx.t = strings(ctx.lang);
    ctx.shutdown = shutdown();
    return next();
  };
}
