/**
 * Entry points of the Mini App (on when `WEBAPP_URL` is set): `/desk` opens the coordinators'
 * desk (coordinators only; in a group it links to the private chat, since Telegram opens Mini
 * Apps from buttons only there), `/start desk` is that link's landing, and the catalogue buttons
 * under `/lectures` and "Related lecture" open the catalogue (at the moment, for the latter).
 * The server checks every call again; these buttons are only doors.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { Config } from "../../config.js";
import { createCoordinatorCheck } from "../../webapp/auth.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import type { Lang } from "../i18n.js";
import { replyHtml } from "../send.js";

const texts = {
  lv: {
    openDesk: "🗂 Atvērt koordinatoru galdu",
    deskIntro:
      "🗂 <b>Koordinatoru galds</b>: atvērtie jautājumi, atbildes, apstiprinātās atbildes un pārskats vienuviet.",
    deskInPrivate: "Galdu atver privātā sarunā ar mani:",
    openPrivate: "💬 Uz privāto sarunu",
    notCoordinator: "🔒 Galds pieejams tikai Padoma koordinatoriem.",
    openCatalogue: "📚 Atvērt katalogu",
    openAtMoment: "📚 Katalogā no šī brīža",
  },
  en: {
    openDesk: "🗂 Open the coordinators' desk",
    deskIntro:
      "🗂 <b>Coordinators' desk</b>: open questions, replies, approved answers and the report in one place.",
    deskInPrivate: "The desk opens in a private chat with me:",
    openPrivate: "💬 To the private chat",
    notCoordinator: "🔒 The desk is for Padoms coordinators only.",
    openCatalogue: "📚 Open the catalogue",
    openAtMoment: "📚 In the catalogue from this moment",
  },
} satisfies Record<Lang, Record<string, string>>;

/** Texts of the Mini App's buttons in a language. */
export function webAppTexts(lang: Lang): (typeof texts)["lv"] {
  return texts[lang];
}

/** The Mini App's address with a view to open; `undefined` when the Mini App is off. */
export function webAppLink(
  config: Pick<Config, "WEBAPP_URL">,
  view: { view: "desk" } | { view: "lectures"; lecture?: string; t?: number },
): string | undefined {
  if (!config.WEBAPP_URL) return undefined;
  const url = new URL(config.WEBAPP_URL);
  url.searchParams.set("view", view.view);
  if (view.view === "lectures" && view.lecture) {
    url.searchParams.set("lecture", view.lecture);
    if (view.t !== undefined) url.searchParams.set("t", String(Math.max(0, Math.floor(view.t))));
  }
  return url.toString();
}

/**
 * A button that opens the catalogue, for private chats (Telegram refuses `web_app` buttons
 * elsewhere); `undefined` when the Mini App is off or the chat is not private.
 */
export function catalogueButton(
  config: Pick<Config, "WEBAPP_URL">,
  ctx: BotContext,
  lang: Lang,
  at?: { lecture: string; t?: number },
): ReturnType<typeof InlineKeyboard.webApp> | undefined {
  if (ctx.chat?.type !== "private") return undefined;
  const url = webAppLink(config, { view: "lectures", ...(at ?? {}) } as {
    view: "lectures";
  });
  if (!url) return undefined;
  return InlineKeyboard.webApp(at ? texts[lang].openAtMoment : texts[lang].openCatalogue, url);
}

/** The settings {@link webAppFeature} reads. */
export type WebAppFeatureConfig = Pick<
  Config,
  "WEBAPP_URL" | "ADMIN_USER_IDS" | "COORDINATOR_CHAT_ID"
>;

/** `/desk` and `/start desk`; not installed while the Mini App is off (no `WEBAPP_URL`). */
export function webAppFeature({ config }: { config: WebAppFeatureConfig }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const url = webAppLink(config, { view: "desk" });
  if (!url) return composer;

  const openDesk = async (ctx: BotContext) => {
    const t = texts[ctx.lang];
    if (!ctx.from) return;
    const isCoordinator = createCoordinatorCheck({
      adminIds: config.ADMIN_USER_IDS,
      coordinatorChatId: config.COORDINATOR_CHAT_ID,
      api: ctx.api,
      logger: ctx.log,
    });
    if (!(await isCoordinator(ctx.from.id))) {
      ctx.log.info("desk refused", { chatType: ctx.chat?.type });
      await replyHtml(ctx, escapeHtml(t.notCoordinator));
      return;
    }
    if (ctx.chat?.type !== "private") {
      await replyHtml(ctx, escapeHtml(t.deskInPrivate), {
        keyboard: new InlineKeyboard().url(
          t.openPrivate,
          `https://t.me/${ctx.me.username}?start=desk`,
        ),
      });
      return;
    }
    await replyHtml(ctx, t.deskIntro, {
      keyboard: new InlineKeyboard().webApp(t.openDesk, url),
    });
  };

  composer.command("desk", openDesk);
  composer
    .command("start")
    .filter((ctx) => ctx.match.trim() === "desk")
    .use(openDesk);
  return composer;
}
