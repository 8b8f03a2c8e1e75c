/**
 * The Padoms Mini App: the lecture catalogue for everyone, the desk for coordinators. Telegram's
 * launch data (signed `initData`) is read with `@telegram-apps/sdk` and sent with every API call;
 * the theme colours and the back button are Telegram's.
 */
import {
  backButton,
  init,
  miniApp,
  openLink,
  retrieveRawInitData,
  themeParams,
} from "@telegram-apps/sdk";
import type { MeResponse } from "../api-types.js";
import { ApiCallError, createApi } from "./api.js";
import { catalogueScreen, openLectureAt } from "./catalogue.js";
import { deskScreen } from "./desk.js";
import { h, mount } from "./dom.js";
import { texts } from "./i18n.js";
import type { Screen, Shell } from "./shell.js";

const root = document.getElementById("app") as HTMLElement;

/** Runs a Telegram SDK call; a client that lacks it (or a plain browser) is not an error. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // The theme, the back button and "ready" are niceties; the page works without them.
  }
}

function telegram(): { initData?: string; inTelegram: boolean } {
  try {
    init({ acceptCustomStyles: false });
  } catch {
    // Not inside a Telegram client (a plain browser): the launch data may still be in the URL.
    return { initData: rawInitData(), inTelegram: false };
  }
  safely(() => {
    if (!themeParams.mountSync.isAvailable()) return;
    themeParams.mountSync();
    themeParams.bindCssVars();
  });
  safely(() => miniApp.mountSync.isAvailable() && miniApp.mountSync());
  safely(() => backButton.mount.isAvailable() && backButton.mount());
  return { initData: rawInitData(), inTelegram: true };
}

function rawInitData(): string | undefined {
  try {
    return retrieveRawInitData();
  } catch {
    return undefined;
  }
}

async function start(): Promise<void> {
  const browserLang = navigator.language.toLowerCase().startsWith("en") ? "en" : "lv";
  const { initData, inTelegram } = telegram();
  if (!initData) {
    mount(root, h("p", { class: "notice" }, texts(browserLang).openFromTelegram));
    return;
  }
  const api = createApi(initData);
  let me: MeResponse;
  try {
    me = await api.get<MeResponse>("me");
  } catch (error) {
    const t = texts(browserLang);
    mount(
      root,
      h(
        "p",
        { class: "notice" },
        error instanceof ApiCallError && error.status === 401 ? t.expired : t.failed,
      ),
    );
    return;
  }
  const t = texts(me.lang);
  document.documentElement.lang = me.lang;

  const stack: Screen[] = [];
  const content = h("div", { class: "content" });
  const render = () => {
    const top = stack.at(-1);
    if (!top) return;
    window.scrollTo(0, 0);
    void top(content);
    if (inTelegram)
      safely(() => {
        if (!backButton.isMounted()) return;
        if (stack.length > 1) backButton.show();
        else backButton.hide();
      });
  };
  const shell: Shell = {
    api,
    t,
    lang: me.lang,
    me,
    push(screen) {
      stack.push(screen);
      render();
    },
    reset(screen) {
      stack.length = 0;
      stack.push(screen);
      render();
    },
    openLink(url) {
      if (inTelegram && openLink.isAvailable()) openLink(url);
      else window.open(url, "_blank", "noopener,noreferrer");
    },
    showError(el, error) {
      const message =
        error instanceof ApiCallError
          ? error.status === 401
            ? t.expired
            : error.status === 403
              ? t.notCoordinator
              : error.message
          : t.failed;
      mount(el, h("p", { class: "status error", role: "alert" }, message));
    },
  };
  if (inTelegram)
    safely(() => {
      if (!backButton.isMounted()) return;
      backButton.onClick(() => {
        if (stack.length > 1) {
          stack.pop();
          render();
        }
      });
    });

  const params = new URLSearchParams(location.search);
  const wantsDesk = params.get("view") === "desk" && me.coordinator;
  const tabs = h(
    "nav",
    { class: "tabs", role: "tablist" },
    h(
      "button",
      { type: "button", role: "tab", "data-tab": "lectures", onclick: () => select("lectures") },
      `📚 ${t.catalogue}`,
    ),
    me.coordinator
      ? h(
          "button",
          { type: "button", role: "tab", "data-tab": "desk", onclick: () => select("desk") },
          `🗂 ${t.desk}`,
        )
      : null,
  );
  const select = (tab: "lectures" | "desk") => {
    tabs.querySelectorAll("button").forEach((b) => {
      b.setAttribute("aria-selected", String(b.dataset.tab === tab));
    });
    shell.reset(tab === "desk" ? deskScreen(shell) : catalogueScreen(shell));
  };
  mount(root, me.coordinator ? tabs : null, content);
  select(wantsDesk ? "desk" : "lectures");
  const lecture = params.get("lecture");
  if (params.get("view") === "lectures" && lecture) {
    await openLectureAt(shell, lecture, Number(params.get("t")) || 0);
  }
  if (inTelegram) safely(() => miniApp.ready.isAvailable() && miniApp.ready());
}

void start();
