/**
 * Where a citation points, as people read it: pages ("12.–13. lpp." / "pp. 12–13") and times
 * (`mm:ss`, `h:mm:ss`). The one formatter of both, used by the prompt, the CLI and Telegram
 * alike. Pure functions.
 */

/** The page fields of a chunk or citation. */
export interface PagePlace {
  /** First page (1-based). */
  page?: number;
  /** Last page, when the passage runs on. */
  pageEnd?: number;
  /** Printed label of the first page (e.g. "xii"), when the PDF has one. */
  pageLabel?: string;
  /** Printed label of the last page. */
  pageEndLabel?: string;
}

/**
 * The page or page range, by printed labels when known: Latvian "12. lpp." / "12.–13. lpp.",
 * English "p. 12" / "pp. 12–13". `undefined` for a place without pages.
 */
export function formatPages(place: PagePlace, language: "lv" | "en"): string | undefined {
  if (place.page === undefined) return undefined;
  const first = place.pageLabel ?? String(place.page);
  const last = place.pageEndLabel ?? (place.pageEnd !== undefined ? String(place.pageEnd) : first);
  if (last === first) return language === "en" ? `p. ${first}` : `${first}. lpp.`;
  return language === "en" ? `pp. ${first}–${last}` : `${first}.–${last}. lpp.`;
}

/** Formats seconds as `mm:ss`, or `h:mm:ss` from one hour on. Negative or NaN count as 0. */
export function formatClock(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
  const ss = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Formats a time range `03:15–04:20`; just the start when the end is missing or not later. */
export function formatTimeRange(startSec: number, endSec?: number): string {
  return endSec !== undefined && endSec > startSec
    ? `${formatClock(startSec)}–${formatClock(endSec)}`
    : formatClock(startSec);
}
