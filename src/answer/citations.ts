import { formatPages } from "../place.js";
import type { Chunk, Citation } from "../types.js";
import { formatClock, videoLinkAt } from "./links.js";

/** Builds the numbered citation of a chunk. */
export function citationOf(chunk: Chunk, n: number): Citation {
  const c: Citation = {
    n,
    kind: chunk.kind,
    title: chunk.title,
    path: chunk.path,
    chunkId: chunk.id,
    text: chunk.text,
  };
  if (chunk.page !== undefined) c.page = chunk.page;
  if (chunk.pageEnd !== undefined && chunk.pageEnd !== chunk.page) c.pageEnd = chunk.pageEnd;
  if (chunk.pageLabel !== undefined) c.pageLabel = chunk.pageLabel;
  if (c.pageEnd !== undefined && chunk.pageEndLabel !== undefined)
    c.pageEndLabel = chunk.pageEndLabel;
  if (chunk.section) c.section = chunk.section;
  if (chunk.startSec !== undefined) c.startSec = chunk.startSec;
  if (chunk.endSec !== undefined) c.endSec = chunk.endSec;
  const link = videoLinkAt(chunk.url, chunk.startSec);
  if (link) c.url = link;
  return c;
}

/**
 * Narrows a citation's pages to those of the quoted text: the passage's pieces `quoted` (in
 * order, as they occur in its text). A passage without page breaks, or a quote not found in it,
 * leaves the citation as it is.
 */
export function narrowToQuote(c: Citation, chunk: Chunk, quoted: readonly string[]): void {
  const breaks = chunk.pageBreaks;
  if (!breaks?.length || chunk.page === undefined || quoted.length === 0) return;
  const start = chunk.text.indexOf(quoted[0] as string);
  if (start < 0) return;
  let end = start;
  for (const piece of quoted) {
    const at = chunk.text.indexOf(piece, end);
    if (at < 0) return;
    end = at + piece.length;
  }
  const pageAt = (offset: number) => {
    let place = { page: chunk.page as number, label: chunk.pageLabel };
    for (const b of breaks) if (b.at <= offset) place = { page: b.page, label: b.label };
    return place;
  };
  const first = pageAt(start);
  const last = pageAt(end - 1);
  c.page = first.page;
  if (first.label !== undefined) c.pageLabel = first.label;
  else delete c.pageLabel;
  if (last.page !== first.page) {
    c.pageEnd = last.page;
    if (last.label !== undefined) c.pageEndLabel = last.label;
  } else {
    delete c.pageEnd;
    delete c.pageEndLabel;
  }
}

/** Matches `[1]`, `[1, 3]`, `[1][2]`, `[1-2]` style markers. */
const MARKER = /\[(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\]/g;

/** Numbers referenced by a marker group such as `1, 3` or `2-4`. */
function numbersIn(group: string): number[] {
  const out: number[] = [];
  for (const part of group.split(/\s*[,;]\s*/)) {
    const range = part.split(/\s*[–-]\s*/).map(Number);
    if (range.length === 2 && range[0]! <= range[1]! && range[1]! - range[0]! < 10) {
      for (let i = range[0]!; i <= range[1]!; i++) out.push(i);
    } else out.push(...range);
  }
  return out.filter((x) => Number.isInteger(x));
}

/** Result of {@link validateCitations}. */
export interface ValidatedText {
  /** Text whose markers are renumbered 1..m in order of first use. */
  text: string;
  /** For each new number (index + 1), the 1-based number of the passage it refers to. */
  used: number[];
  /** Markers that pointed nowhere and were removed. */
  dropped: number[];
}

/**
 * Keeps only citation markers that refer to one of the `passageCount` passages given to the
 * model, drops the rest, and renumbers the kept ones in order of first use, so no citation
 * ever points nowhere.
 */
export function validateCitations(text: string, passageCount: number): ValidatedText {
  const used: number[] = [];
  const dropped: number[] = [];
  const renumber = new Map<number, number>();
  const out = text.replace(MARKER, (_m, group: string) => {
    const kept: number[] = [];
    for (const n of numbersIn(group)) {
      if (n < 1 || n > passageCount) {
        dropped.push(n);
        continue;
      }
      if (!renumber.has(n)) {
        used.push(n);
        renumber.set(n, used.length);
      }
      const m = renumber.get(n) as number;
      if (!kept.includes(m)) kept.push(m);
    }
    return kept.map((m) => `[${m}]`).join("");
  });
  const tidy = out
    .replace(/[ \t]+([.,;:!?])/g, "$1")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
  return { text: tidy, used, dropped };
}

/** Short human label of a citation's place: page(s) and section, or the time range. */
export function placeOf(c: Citation, language: "lv" | "en"): string {
  if (c.kind === "lecture" && c.startSec !== undefined) {
    return `${formatClock(c.startSec)}–${formatClock(c.endSec ?? c.startSec)}`;
  }
  const parts: string[] = [];
  const pages = formatPages(c, language);
  if (pages) parts.push(pages);
  if (c.section) parts.push(c.section);
  return parts.join(", ");
}

/** Plain-text source list, one line per citation. */
export function formatSourceList(citations: readonly Citation[], language: "lv" | "en"): string {
  return citations
    .map((c) => {
      const place = placeOf(c, language);
      const link = c.url ? ` ${c.url}` : "";
      return `[${c.n}] ${c.title}${place ? `, ${place}` : ""}${link}`;
    })
    .join("\n");
}
