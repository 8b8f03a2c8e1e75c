/** What every view of the Mini App gets: the API, the texts, navigation and link opening. */
import type { MeResponse, WebLang } from "../api-types.js";
import type { Api } from "./api.js";
import type { Texts } from "./i18n.js";

/** A screen: renders itself into `root`. */
export type Screen = (root: HTMLElement) => void | Promise<void>;

/** The app's context. */
export interface Shell {
  api: Api;
  t: Texts;
  lang: WebLang;
  me: MeResponse;
  /** Shows a screen on top of the current one (Telegram's back button returns). */
  push(screen: Screen): void;
  /** Replaces the whole stack with a screen. */
  reset(screen: Screen): void;
  /** Opens an outside link (in Telegram: its in-app browser). */
  openLink(url: string): void;
  /** Shows an error of an API call in `el`. */
  showError(el: HTMLElement, error: unknown): void;
}
