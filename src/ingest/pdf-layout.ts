/**
 * Layout-aware reading of a PDF: lines built from pdf.js text items, with their size, weight and
 * position, then sorted into headings, body text and text set apart (running lines, captions,
 * figure and chart labels, code, tables, footnotes and copyright blocks). Pure: items in, lines out.
 */
import { TOC_LINE } from "./headings.js";
import { cleanGlyphs, collapseSpaces } from "./text-utils.js";

export { cleanGlyphs };

/** One text item of a page, as pdf.js gives it (PDF user space: y grows upwards). */
export interface PdfTextItem {
  str: string;
  /** Left edge and baseline of the item. */
  x: number;
  y: number;
  /** Font size in points (the text matrix's vertical scale). */
  size: number;
  width: number;
  /** The font's PostScript name when known (`"NimbusRomNo9L-Medi"`), else pdf.js' id. */
  font: string;
  /** pdf.js' end-of-line mark: a line break follows this item. */
  eol?: boolean;
}

/** One page of a PDF with its text items. */
export interface PdfPageLayout {
  /** 1-based page number in the file. */
  num: number;
  /** The printed page label ("viii", "8"), when the PDF defines labels. */
  label?: string;
  width: number;
  height: number;
  items: PdfTextItem[];
}

/** What a line of a page is. */
export type LineRole = "body" | "heading" | "title" | "aside";

/** A visual line of a page. */
export interface PdfLine {
  text: string;
  page: number;
  x: number;
  x1: number;
  y: number;
  /** Size of most of the line's characters. */
  size: number;
  /** Most letters are in a bold (or medium/semibold) font. */
  bold: boolean;
  /** Most characters are in a monospaced font (code listings). */
  mono: boolean;
  /** Gaps between items wider than 2.5 × the size (table cells, chart labels). */
  cells: number;
  /** Left edges of the line's cells (the line's own left edge first). */
  cellXs: number[];
  /** Length of the line's text before its second cell, when it has cells. */
  firstCell?: number;
  /** Baseline distance from the line above in the same column, when there is one. */
  gapAbove?: number;
  role: LineRole;
  /** Why the line was set apart (for debugging and tests). */
  aside?: "running" | "contents" | "caption" | "code" | "table" | "small" | "footnote" | "figure";
  /** Heading level (1 = chapter) for a heading line. */
  level?: number;
}

const BOLD_FONT = /bold|black|heavy|demi|semibold|-medi|cmbx|,b$/i;
const MONO_FONT = /mono|courier|cmtt|consol|menlo|typewriter|inconsolata|sfmono|lucidaconsole/i;

/** True for a font name that is bold, semibold or medium. */
export function isBoldFont(font: string): boolean {
  return BOLD_FONT.test(font);
}

interface Acc {
  chars: Map<number, number>;
  bold: number;
  mono: number;
  letters: number;
  all: number;
}

/** Builds the visual lines of a page from its items, in content-stream order. */
export function buildLines(page: PdfPageLayout): PdfLine[] {
  const lines: PdfLine[] = [];
  let cur: (PdfLine & { acc: Acc }) | undefined;
  let breakPending = false;
  let pendingCell = false;
  const finish = () => {
    if (!cur) return;
    const { acc } = cur;
    const text = collapseSpaces(cleanGlyphs(cur.text));
    if (text) {
      let best = 0;
      let bestSize = cur.size;
      for (const [size, n] of acc.chars) {
        if (n > best) {
          best = n;
          bestSize = size;
        }
      }
      const { acc: _acc, ...line } = cur;
      lines.push({
        ...line,
        text,
        size: bestSize,
        bold: acc.letters > 0 && acc.bold >= acc.letters * 0.8,
        mono: acc.all > 0 && acc.mono >= acc.all * 0.8,
      });
    }
    cur = undefined;
  };
  for (const item of page.items) {
    if (!item.str) {
      if (item.eol) breakPending = true;
      continue;
    }
    const size = Math.abs(item.size) || 1;
    const same =
      cur !== undefined &&
      !breakPending &&
      Math.abs(item.y - cur.y) < 0.5 * Math.max(cur.size, size) &&
      item.x >= cur.x1 - 0.5 * Math.max(cur.size, size);
    if (!same) {
      finish();
      cur = {
        text: "",
        page: page.num,
        x: item.x,
        x1: item.x,
        y: item.y,
        size,
        bold: false,
        mono: false,
        cells: 0,
        cellXs: [item.x],
        role: "body",
        acc: { chars: new Map(), bold: 0, mono: 0, letters: 0, all: 0 },
      };
    }
    const line = cur as PdfLine & { acc: Acc };
    const gap = item.x - line.x1;
    // A wide gap after some text (not after a heading's number) separates table cells.
    const wideSpace = !item.str.trim() && item.width > 2.5 * size;
    if ((wideSpace || (gap > 2.5 * size && item.str.trim())) && /\p{L}{2}/u.test(line.text)) {
      line.cells++;
      if (line.firstCell === undefined) line.firstCell = line.text.trim().length;
      pendingCell = true;
    }
    if (pendingCell && item.str.trim()) {
      if (line.cellXs.at(-1) !== item.x) line.cellXs.push(item.x);
      pendingCell = false;
    }
    if (line.text && gap > 0.15 * size && !/\s$/.test(line.text) && !/^\s/.test(item.str)) {
      line.text += " ";
    }
    line.text += item.str;
    line.x1 = Math.max(line.x1, item.x + item.width);
    const visible = item.str.replace(/\s+/g, "").length;
    const letters = (item.str.match(/\p{L}/gu) ?? []).length;
    const rounded = Math.round(size * 10) / 10;
    line.acc.chars.set(rounded, (line.acc.chars.get(rounded) ?? 0) + visible);
    line.acc.all += visible;
    line.acc.letters += letters;
    if (BOLD_FONT.test(item.font)) line.acc.bold += letters;
    if (MONO_FONT.test(item.font)) line.acc.mono += visible;
    // The baseline of a line is that of its main text, not of a superscript.
    if (size > line.size) {
      line.size = size;
      line.y = item.y;
    }
    breakPending = item.eol === true;
  }
  finish();
  // Baseline distance from the line above in the same column.
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1] as PdfLine;
    const b = lines[i] as PdfLine;
    const overlap = Math.min(a.x1, b.x1) - Math.max(a.x, b.x);
    if (b.y < a.y && overlap > 0) b.gapAbove = a.y - b.y;
  }
  return lines;
}

/** Typical text of the document: the size most characters are set in, and its line spacing. */
export interface BodyStyle {
  size: number;
  bold: boolean;
  spacing: number;
  /** Left edges of body lines, most common first. */
  lefts: number[];
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Finds the body style from the lines of all pages. */
export function bodyStyleOf(lines: readonly PdfLine[]): BodyStyle {
  const bySize = new Map<number, number>();
  for (const l of lines) {
    if (l.mono) continue;
    const key = Math.round(l.size * 2) / 2;
    bySize.set(key, (bySize.get(key) ?? 0) + l.text.length);
  }
  const size = [...bySize.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
  const body = lines.filter((l) => Math.abs(l.size - size) < 0.3 && !l.mono);
  const boldChars = body.filter((l) => l.bold).reduce((n, l) => n + l.text.length, 0);
  const allChars = body.reduce((n, l) => n + l.text.length, 0);
  const spacings = body
    .map((l) => l.gapAbove)
    .filter((g): g is number => g !== undefined && g > size * 0.8 && g < size * 2.5);
  const lefts = new Map<number, number>();
  for (const l of body) lefts.set(Math.round(l.x), (lefts.get(Math.round(l.x)) ?? 0) + 1);
  return {
    size,
    bold: boldChars > allChars * 0.5,
    spacing: median(spacings) ?? size * 1.2,
    lefts: [...lefts.entries()].sort((a, b) => b[1] - a[1]).map(([x]) => x),
  };
}

const CAPTION =
  /^(?:(?:Figure|FIGURE|Fig\.|Table|TABLE|Tab\.|Listing|Chart|Diagram|Tabula|Attēls|Grafiks|Diagramma)\s*\d{1,2}(?:\.\d{1,2})*\s?[.:–—](?:\s|$)|\d{1,2}(?:\.\d{1,2})*\.?\s*(?:attēls|att\.|tabula|tab\.|grafiks|diagramma)[.:]?(?:\s|$))/u;

/** True for the first line of a figure or table caption ("Figure 3.", "1.2. tabula", "2. attēls"). */
export function isCaptionStart(text: string): boolean {
  return CAPTION.test(text);
}

/**
 * Share of the tokens of a line (those with a letter or digit) that are words: at least two
 * letters, and mostly letters ("Rīga – 50 %" → ½, "3d-cube 25 27 1.1" → ¼).
 */
export function wordShare(text: string): number {
  const tokens = text.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t));
  if (tokens.length === 0) return 0;
  const words = tokens.filter((t) => {
    const letters = (t.match(/\p{L}/gu) ?? []).length;
    const alnum = (t.match(/[\p{L}\p{N}]/gu) ?? []).length;
    return letters >= 2 && letters >= alnum * 0.6;
  });
  return words.length / tokens.length;
}

/** A numbering at the start of a heading: its depth (1 for "2", "II"; 2 for "2.1"), or 0. */
export function headingNumberDepth(text: string): number {
  const arabic = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S/u.exec(text);
  if (arabic) return (arabic[1] ?? "").split(".").length;
  if (/^[IVX]{1,5}\.?\s+\p{Lu}/u.test(text)) return 1;
  return 0;
}

/** A cover page: the first page without body-size lines of running text. */
function isCoverPage(lines: readonly PdfLine[], body: BodyStyle): boolean {
  const running = lines.filter((l) => Math.abs(l.size - body.size) < 0.3 && l.text.length >= 50);
  return running.length < 3;
}

/**
 * The title from the largest text of the first page: the first run of lines in that size, when
 * it is larger than the body and no other line of the document is set that large.
 */
export function largestTextTitle(
  first: readonly PdfLine[],
  all: readonly PdfLine[],
  body: BodyStyle,
): PdfLine[] | undefined {
  const candidates = first.filter((l) => /\p{L}{2}/u.test(l.text));
  const max = Math.max(...candidates.map((l) => l.size));
  if (!Number.isFinite(max) || max < body.size * 1.15) return undefined;
  const start = candidates.findIndex((l) => l.size >= max - 0.3);
  const run: PdfLine[] = [];
  for (let i = start; i < candidates.length; i++) {
    const l = candidates[i] as PdfLine;
    const prev = run.at(-1);
    if (l.size < max - 0.3) break;
    if (prev && (l.y > prev.y || prev.y - l.y > l.size * 1.6)) break;
    run.push(l);
  }
  if (run.length === 0 || run.length > 4) return undefined;
  const others = all.some(
    (l) => !run.includes(l) && l.size >= max - 0.3 && /\p{L}{2}/u.test(l.text),
  );
  return others ? undefined : run;
}

function normalizeTitle(text: string): string {
  return text.toLocaleLowerCase("lv").replace(/\s+/g, " ").trim();
}

/**
 * Gives every line a role. Headings: short lines set apart by a larger size or a bold weight
 * (the whole line), not captions, table rows or code. Set apart: small text below the body of a
 * page (footnotes, copyright), text much smaller than the body (chart labels), captions and the
 * lines that continue them, code in a monospaced font, table rows, and lines with few real words.
 * A cover page (the first page, when it has no running text) keeps all its lines as body text;
 * elsewhere on the first page, a line that is the metadata title is marked as the title.
 */
export function classifyLines(
  pages: PdfLine[][],
  body: BodyStyle,
  metaTitle: string | undefined,
): void {
  const meta = metaTitle ? normalizeTitle(metaTitle) : undefined;
  pages.forEach((lines, p) => {
    if (p === 0 && isCoverPage(lines, body)) return;
    // The lowest body-size line of each column: small text below it is a footnote.
    const bodyLines = lines.filter(
      (l) => l.role === "body" && Math.abs(l.size - body.size) < 0.3 && l.text.length >= 20,
    );
    let inCaption = false;
    let tableRow: PdfLine | undefined;
    let before: PdfLine | undefined;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] as PdfLine;
      if (l.role !== "body") continue;
      const prev = lines[i - 1];
      const gapOk = closeBelow(l, body);
      if (inCaption && gapOk && !endsWithStop(prev?.text ?? "")) {
        l.role = "aside";
        l.aside = "caption";
        continue;
      }
      inCaption = false;
      if (isCaptionStart(l.text)) {
        l.role = "aside";
        l.aside = "caption";
        inCaption = !endsWithStop(l.text);
        continue;
      }
      if (l.mono) {
        l.role = "aside";
        l.aside = "code";
        continue;
      }
      if (l.size <= body.size * 0.75) {
        l.role = "aside";
        l.aside = "small";
        continue;
      }
      // A table row has wide gaps between cells; a line right below that starts at one of
      // its cells (not at its first) continues a cell.
      // A row of two cells whose first is a short term ("LU   Latvijas Universitāte") is an
      // entry of a list of terms and stays text.
      const first = l.firstCell !== undefined ? l.text.slice(0, l.firstCell).trim() : "";
      if (l.cells === 1 && first.length > 0 && first.length <= 12 && tableRow === undefined) {
        const rest = l.text.slice(first.length).trim();
        if (wordShare(rest) >= 0.5) {
          l.text = `${first} – ${rest}`;
          l.cells = 0;
        }
      }
      if (
        l.cells >= 1 ||
        (tableRow !== undefined &&
          gapOk &&
          tableRow.cellXs.slice(1).some((x) => Math.abs(x - l.x) < 2))
      ) {
        l.role = "aside";
        l.aside = "table";
        if (l.cells >= 1) tableRow = l;
        continue;
      }
      tableRow = undefined;
      if (l.size < body.size * 0.95) {
        const below = bodyLines.some(
          (b) => b.y < l.y && Math.min(b.x1, l.x1) - Math.max(b.x, l.x) > 0,
        );
        if (!below) {
          l.role = "aside";
          l.aside = "footnote";
          continue;
        }
      }
      const math = (l.text.match(/[\u{1D400}-\u{1D7FF}∑∏∫√≤≥≠±×÷]/gu) ?? []).length;
      if ((l.text.match(/\p{L}/gu) ?? []).length < 2 || math >= 3 || wordShare(l.text) < 0.35) {
        l.role = "aside";
        l.aside = "figure";
        continue;
      }
      if (p === 0 && meta && normalizeTitle(l.text) === meta) {
        l.role = "title";
        continue;
      }
      // A line that continues a paragraph of the same style is not a heading.
      const continues =
        before !== undefined &&
        before.role === "body" &&
        Math.abs(before.size - l.size) < 0.3 &&
        before.bold === l.bold &&
        closeBelow(l, body);
      if (!continues && isHeadingLine(l, body)) l.role = "heading";
      // A heading line followed by a line of its style that is not one starts a paragraph.
      if (before?.role === "heading" && l.role === "body" && sameStyleBelow(before, l, body)) {
        const wraps = l.text.length <= 100 && !endsWithStop(l.text) && !/[?:;,]$/.test(l.text);
        if (wraps) l.role = "heading";
        else before.role = "body";
      }
      before = l;
    }
  });
}

function sameStyleBelow(above: PdfLine, l: PdfLine, body: BodyStyle): boolean {
  return Math.abs(above.size - l.size) < 0.3 && above.bold === l.bold && closeBelow(l, body);
}

/** True when a line sits right below the line above it (the next line of the same block). */
function closeBelow(l: PdfLine, body: BodyStyle): boolean {
  return (
    l.gapAbove !== undefined &&
    l.gapAbove <= Math.max(l.size * 1.6, body.spacing * 1.3 * (l.size / body.size))
  );
}

function endsWithStop(text: string): boolean {
  return /[.!?]["'”’)]*$/.test(text);
}

/** A short line set apart from the body by its size or weight. */
function isHeadingLine(l: PdfLine, body: BodyStyle): boolean {
  const text = l.text;
  if (text.length > 120 || text.split(" ").length > 16) return false;
  if (!/\p{L}{2}/u.test(text) || TOC_LINE.test(text)) return false;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters < text.replace(/\s/g, "").length * 0.5) return false;
  if (!/^(?:["„“«(]?\p{Lu}|\d|[IVX]+\.?\s)/u.test(text)) return false;
  const caps = text === text.toLocaleUpperCase("lv");
  if (/[,;:]$/.test(text) || (/\.$/.test(text) && !caps && !/^\S+\.$/.test(text))) return false;
  const larger = l.size >= body.size * 1.12;
  // A bold question in the body's size asks what the text under it answers (an FAQ), and stays text.
  if (!larger && /\?["'”’)]*$/.test(text) && headingNumberDepth(text) === 0) return false;
  const bolder = l.bold && !body.bold && l.size >= body.size * 0.95;
  return larger || bolder;
}
