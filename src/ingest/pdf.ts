import type { TextBlock } from "../types.js";
import type { TextDocument } from "./document-types.js";
import { IngestError } from "./errors.js";
import { type NumberedHeading, parseHeadingLine, SectionTracker, TOC_LINE } from "./headings.js";
import {
  bodyStyleOf,
  buildLines,
  classifyLines,
  cleanGlyphs,
  headingNumberDepth,
  largestTextTitle,
  type PdfLine,
  type PdfPageLayout,
  type PdfTextItem,
} from "./pdf-layout.js";
import { collapseSpaces, endsSentence, titleFromFileName } from "./text-utils.js";

/** Text of one PDF page (`num` is the 1-based page number). */
export interface PdfPageText {
  num: number;
  text: string;
}

/**
 * Loads a PDF (the handbook) into text blocks with page numbers, printed page labels and section
 * paths. The structure comes from the layout: headings are short lines set apart by size or
 * weight; running headers/footers, page-number lines, the table of contents, captions, figure and
 * chart labels, code, tables, footnotes and copyright blocks are left out; words hyphenated at
 * line ends are re-joined and lines are re-joined into paragraphs.
 *
 * @param data - The PDF bytes (not modified).
 * @param path - Path of the file relative to the corpus, used in the document and in errors.
 * @throws {@link IngestError} `"encrypted"`, `"corrupt"` or `"no-text"` (scanned PDF).
 */
export async function parsePdf(data: Uint8Array, path: string): Promise<TextDocument> {
  // pdf.js takes seconds to load, so it is loaded only when a PDF is parsed.
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const task = pdfjs.getDocument({
    data: data.slice(),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    isEvalSupported: false,
  });
  const pages: PdfPageLayout[] = [];
  let metaTitle: string | undefined;
  try {
    const doc = await task.promise;
    const labels = await doc.getPageLabels().catch(() => null);
    for (let num = 1; num <= doc.numPages; num++) {
      const page = await doc.getPage(num);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      // The operator list loads the fonts, which tells bold and monospaced faces apart; a page
      // whose drawing cannot be read keeps pdf.js' font ids (no weights) and its text.
      await page.getOperatorList().catch(() => undefined);
      const fontNames = new Map<string, string>();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!("str" in item)) continue;
        let font = fontNames.get(item.fontName);
        if (font === undefined) {
          font = fontNameOf(page.commonObjs, item.fontName);
          fontNames.set(item.fontName, font);
        }
        const [a = 1, b = 0, , , x = 0, y = 0] = item.transform as number[];
        items.push({
          str: item.str,
          x,
          y,
          size: Math.hypot(a, b) || item.height,
          width: item.width,
          font,
          eol: item.hasEOL,
        });
      }
      const label = labels?.[num - 1]?.trim();
      pages.push({
        num,
        ...(label ? { label } : {}),
        width: viewport.width,
        height: viewport.height,
        items,
      });
      page.cleanup();
    }
    try {
      const { info, metadata } = await doc.getMetadata();
      const title: unknown = (info as Record<string, unknown> | undefined)?.Title;
      const xmpTitle: unknown = metadata?.get("dc:title");
      metaTitle =
        typeof title === "string" && title.trim()
          ? title
          : typeof xmpTitle === "string"
            ? xmpTitle
            : undefined;
    } catch {
      metaTitle = undefined;
    }
  } catch (error) {
    throw pdfError(error, path);
  } finally {
    await task.destroy().catch(() => undefined);
  }
  return structurePdfLayout(pages, path, metaTitle);
}

function fontNameOf(objs: { get(id: string): unknown }, id: string): string {
  try {
    const font = objs.get(id) as { name?: unknown } | undefined;
    return typeof font?.name === "string" ? font.name : id;
  } catch {
    return id;
  }
}

function pdfError(error: unknown, path: string): IngestError {
  const name = error instanceof Error ? error.name : "";
  const detail = error instanceof Error ? error.message : String(error);
  if (name === "PasswordException") {
    return new IngestError(
      "encrypted",
      `${path}: the PDF is password-protected (${detail}). Save an unprotected copy (e.g. "print to PDF" after opening it with the password) and ingest that instead.`,
      path,
      { cause: error },
    );
  }
  if (name === "InvalidPDFException" || name === "FormatError") {
    return new IngestError(
      "corrupt",
      `${path}: not a valid PDF, the file is damaged or truncated (${detail}). Re-download or re-export it.`,
      path,
      { cause: error },
    );
  }
  return new IngestError(
    "corrupt",
    `${path}: the PDF could not be parsed (${detail}). Re-export it from the original document and try again.`,
    path,
    { cause: error },
  );
}

/**
 * Turns page texts (no layout) into a text document: headings come from the numbering only.
 *
 * @param pages - Page texts in page order.
 * @param path - Path of the file relative to the corpus.
 * @param metaTitle - The PDF's metadata Title, if any.
 * @throws {@link IngestError} `"no-text"` when no page has any text.
 */
export function structurePdfPages(
  pages: readonly PdfPageText[],
  path: string,
  metaTitle?: string,
): TextDocument {
  const pageLines = pages.map((p) => ({
    num: p.num,
    lines: p.text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .map((l) => collapseSpaces(cleanGlyphs(l)))
      .filter((l) => l.length > 0)
      .map((text) => ({ text })),
  }));
  if (pageLines.every((p) => p.lines.length === 0)) throw noText(path, pages.length);

  removeRunningLines(pageLines);
  const body: FlowLine[] = pageLines
    .filter((p) => !isTocPage(p.lines.map((l) => l.text)))
    .flatMap((p) => p.lines.map((l) => ({ text: l.text, page: p.num })));
  const blocks = buildBlocks(body, false);
  if (blocks.length === 0) throw noBody(path);

  const firstHeading = blocks.find((b) => b.heading);
  const title =
    cleanMetaTitle(metaTitle) ??
    (firstHeading
      ? (parseHeadingLine(firstHeading.text)?.title ?? firstHeading.text)
      : undefined) ??
    titleFromFileName(path);

  return { type: "text", kind: "handbook", path, title, blocks, pageCount: pages.length };
}

function noText(path: string, pageCount: number): IngestError {
  return new IngestError(
    "no-text",
    `${path}: the PDF has no text layer on any of its ${pageCount} page(s), so it is probably scanned images. Run it through OCR (e.g. ocrmypdf) and ingest the result.`,
    path,
  );
}

function noBody(path: string): IngestError {
  return new IngestError(
    "no-text",
    `${path}: no body text was left after removing headers, footers and the table of contents. Check that the PDF has a real text layer (OCR it if it is scanned).`,
    path,
  );
}

/**
 * The pure part of {@link parsePdf}: turns the text items of the pages into a text document.
 * When the layout sets headings apart by size or weight, those are the headings; otherwise
 * numbered lines that continue the document's numbering and stand apart from the text above are.
 *
 * @param pages - Pages with their text items, in page order.
 * @param path - Path of the file relative to the corpus.
 * @param metaTitle - The PDF's metadata Title, if any.
 * @throws {@link IngestError} `"no-text"` when no page has any text.
 */
export function structurePdfLayout(
  pages: readonly PdfPageLayout[],
  path: string,
  metaTitle?: string,
): TextDocument {
  const pageLines = pages.map((p) => ({ num: p.num, label: p.label, lines: buildLines(p) }));
  if (pageLines.every((p) => p.lines.length === 0)) throw noText(path, pages.length);
  const labelled = pages.some((p) => p.label !== undefined && p.label !== String(p.num));

  removeRunningLines(pageLines);
  const kept = pageLines.filter((p) => !isTocPage(p.lines.map((l) => l.text)));
  const body = bodyStyleOf(kept.flatMap((p) => p.lines));
  const meta = cleanMetaTitle(metaTitle);
  classifyLines(
    kept.map((p) => p.lines),
    body,
    meta,
  );
  const first = pageLines[0]?.lines ?? [];
  const largest = meta
    ? undefined
    : largestTextTitle(
        first,
        pageLines.flatMap((p) => p.lines),
        body,
      );
  if (largest && kept[0] === pageLines[0]) {
    for (const l of largest) if (l.role === "heading") l.role = "title";
  }

  const flow: FlowLine[] = [];
  const styled = kept.some((p) => p.lines.some((l) => l.role === "heading"));
  for (const p of kept) {
    for (const l of mergeHeadingLines(p.lines)) {
      if (l.role !== "body" && l.role !== "heading") continue;
      const line: FlowLine = { text: l.text, page: p.num };
      if (labelled && p.label !== undefined) line.label = p.label;
      if (l.gapAbove !== undefined) line.gap = l.gapAbove / body.spacing;
      if (l.role === "heading") line.level = headingLevel(l, kept);
      flow.push(line);
    }
  }
  const blocks = buildBlocks(flow, styled);
  if (blocks.length === 0) throw noBody(path);

  const firstHeading = blocks.find((b) => b.heading);
  const title =
    meta ??
    (largest ? largest.map((l) => l.text).reduce((a, b) => joinLine(a, b)) : undefined) ??
    (firstHeading
      ? (parseHeadingLine(firstHeading.text)?.title ?? firstHeading.text)
      : undefined) ??
    titleFromFileName(path);
  return { type: "text", kind: "handbook", path, title, blocks, pageCount: pages.length };
}

/** Joins a heading that wraps over consecutive lines of the same style into one line. */
function mergeHeadingLines(lines: readonly PdfLine[]): PdfLine[] {
  const out: PdfLine[] = [];
  for (const l of lines) {
    const prev = out.at(-1);
    if (
      prev?.role === "heading" &&
      l.role === "heading" &&
      Math.abs(prev.size - l.size) < 0.3 &&
      prev.bold === l.bold &&
      l.gapAbove !== undefined &&
      l.gapAbove <= l.size * 1.6 &&
      headingNumberDepth(l.text) === 0 &&
      prev.text.length + l.text.length <= 160
    ) {
      out[out.length - 1] = { ...prev, text: joinLine(prev.text, l.text) };
      continue;
    }
    out.push(l);
  }
  return out;
}

/**
 * Level of a heading line: the depth of its numbering (1, 1.1, 1.1.1; Roman numerals are
 * chapters); an unnumbered heading takes the level numbered headings of its style have, else
 * the level below the numbered headings set larger than it, else 1.
 */
function headingLevel(line: PdfLine, pages: readonly { lines: PdfLine[] }[]): number {
  const depth = headingNumberDepth(line.text);
  if (depth > 0) return depth;
  const key = (l: PdfLine) => `${Math.round(l.size * 2) / 2}|${l.bold}`;
  const depths = new Map<string, number[]>();
  let larger = 0;
  for (const p of pages) {
    for (const l of p.lines) {
      if (l.role !== "heading") continue;
      const d = headingNumberDepth(l.text);
      if (d === 0) continue;
      depths.set(key(l), [...(depths.get(key(l)) ?? []), d]);
      if (
        l.size > line.size + 0.3 ||
        (Math.abs(l.size - line.size) < 0.3 && l.bold && !line.bold)
      ) {
        larger = Math.max(larger, d);
      }
    }
  }
  const same = depths.get(key(line));
  if (same && same.length > 0) return Math.min(...same);
  return larger + 1;
}

/** Metadata titles that say nothing about the document (template and tool defaults). */
const GENERIC_TITLE =
  /^(?:untitled|bez nosaukuma|nosaukums|document\s*\d*|dokuments\s*\d*|title|virsraksts|example|sample|template|paraugs|introduction|ievads|abstract|anotācija|slide\s*\d*|presentation\d*|prezentācija|pdf|tex|latex|main|thesis|report|paper|draft|new document|jauns dokuments|\d+)$/iu;

/**
 * The metadata title when it is meaningful: "Microsoft Word - " and file extensions dropped;
 * a tool's or template's default ("Untitled", "Example", "Introduction"), a file name or a path
 * is not a title.
 */
export function cleanMetaTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const t = collapseSpaces(title)
    .replace(/^Microsoft (Word|PowerPoint|Excel) - /i, "")
    .replace(/\.(docx?|odt|pptx?|pdf|rtf|tex|dvi|ps)$/i, "")
    .trim();
  if (!t || !/\p{L}{2}/u.test(t) || GENERIC_TITLE.test(t)) return undefined;
  if (/[\\/]|^[\w-]+\.\w{2,4}$|^[\w-]*_[\w-]*$|^\w+(?:-\w+){2,}$/u.test(t)) return undefined;
  return t;
}

/** How many lines at the top and the bottom of a page may be running headers or footers. */
const EDGE = 3;

function normalizeRunning(line: string): string {
  return line.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ");
}

const PAGE_NUMBER_LINE = [
  /^\d{1,4}$/,
  /^[-–—]\s*\d{1,4}\s*[-–—]$/,
  /^(?:lpp\.?|lappuse|page|p\.)\s*\d{1,4}(?:\s*(?:no|of|\/)\s*\d{1,4})?$/i,
  /^\d{1,4}\.?\s*(?:lpp\.?|lappuse)$/i,
  /^\d{1,4}\s*(?:\/|no|of)\s*\d{1,4}$/i,
];

/** True for a line that is only a page number ("3", "- 3 -", "3. lpp.", "Page 3 of 10"). */
export function isPageNumberLine(line: string): boolean {
  return PAGE_NUMBER_LINE.some((re) => re.test(line.trim()));
}

/**
 * Drops running headers and footers in place: lines near the top or bottom of a page that,
 * with digits ignored, recur on most pages (or open / close at least three pages),
 * and bare page-number lines near the edges.
 */
function removeRunningLines<T extends { text: string }>(pages: { lines: T[] }[]): void {
  const textPages = pages.filter((p) => p.lines.length > 0).length;
  const counts = new Map<string, number>();
  const extremeCounts = new Map<string, number>();
  for (const p of pages) {
    const seen = new Set<string>();
    edgeIndexes(p.lines.length).forEach((i) => {
      const line = p.lines[i]?.text;
      if (line !== undefined && line.length <= 120) seen.add(normalizeRunning(line));
    });
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
    const extremes = new Set(
      [p.lines[0]?.text, p.lines.at(-1)?.text].filter((l) => l !== undefined),
    );
    for (const l of extremes) {
      const key = normalizeRunning(l);
      extremeCounts.set(key, (extremeCounts.get(key) ?? 0) + 1);
    }
  }
  const threshold = Math.max(2, Math.ceil(textPages * 0.5));
  const running = (key: string) =>
    (counts.get(key) ?? 0) >= threshold || (extremeCounts.get(key) ?? 0) >= 3;

  for (const p of pages) {
    const n = p.lines.length;
    const drop = new Set<number>();
    for (const i of edgeIndexes(n)) {
      const line = p.lines[i]?.text ?? "";
      const nearEdge = i < 2 || i >= n - 2;
      if (
        (textPages >= 2 && line.length <= 120 && running(normalizeRunning(line))) ||
        (nearEdge && isPageNumberLine(line))
      ) {
        drop.add(i);
      }
    }
    if (drop.size > 0) p.lines = p.lines.filter((_, i) => !drop.has(i));
  }
}

function edgeIndexes(n: number): number[] {
  const out = new Set<number>();
  for (let i = 0; i < Math.min(EDGE, n); i++) {
    out.add(i);
    out.add(n - 1 - i);
  }
  return [...out].sort((a, b) => a - b);
}

const TOC_HEADING = /^(saturs|satura rādītājs|satura raditajs|contents|table of contents)$/i;

/** True for a table-of-contents page: headed "Saturs"/"Contents", or mostly dot-leader lines. */
export function isTocPage(lines: readonly string[]): boolean {
  const first = lines[0];
  if (first !== undefined && TOC_HEADING.test(first.trim())) return true;
  const leaders = lines.filter((l) => TOC_LINE.test(l)).length;
  return leaders >= 3 && leaders >= lines.length * 0.5;
}

const LIST_ITEM = /^(?:[•▪●◦‣∙·*–-]\s+|\(?\d{1,2}\)\s+|\(?[a-zā-ž]\)\s+)/u;

/** Words of a document, for deciding line-end hyphens: lower-case words and hyphenated compounds. */
export interface Vocabulary {
  words: ReadonlySet<string>;
  compounds: ReadonlySet<string>;
}

/**
 * The words of a document's lines, leaving out the halves of a word split at a line end (the
 * last word of a line ending in a hyphen and the first word of the next line).
 */
export function vocabularyOf(lines: readonly { text: string }[]): Vocabulary {
  const words = new Set<string>();
  const compounds = new Set<string>();
  let split = false;
  for (const { text } of lines) {
    const tokens = text.split(/\s+/).filter(Boolean);
    const endsSplit = /\p{L}[-\u2010\u00AD]$/u.test(text);
    tokens.forEach((token, i) => {
      if ((i === 0 && split) || (i === tokens.length - 1 && endsSplit)) return;
      const t = token.toLocaleLowerCase("lv").replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
      if (!t) return;
      if (/^\p{L}+(?:-\p{L}+)+$/u.test(t)) {
        compounds.add(t);
        for (const part of t.split("-")) words.add(part);
      } else if (/^\p{L}+$/u.test(t)) words.add(t);
    });
    split = endsSplit;
  }
  return { words, compounds };
}

/**
 * Joins a line to the text before it, undoing end-of-line hyphenation. With the document's
 * vocabulary: the halves are joined when the joined word occurs elsewhere ("Trace-" + "Monkey" →
 * "TraceMonkey"), and the hyphen is kept when the hyphenated compound occurs elsewhere or both
 * halves are words of their own (4 letters or more) and the joined word is not ("single-" +
 * "decree").
 * Otherwise a lower-case word split is joined and other hyphens are kept.
 */
export function joinLine(before: string, next: string, vocabulary?: Vocabulary): string {
  if (before.endsWith("\u00AD")) return before.slice(0, -1) + next;
  const hyphen = /(\S*?)(\p{L}+)[-\u2010]$/u.exec(before);
  if (hyphen) {
    const piece = hyphen[2] ?? "";
    const nextWord = /^\p{L}+/u.exec(next)?.[0] ?? "";
    const structural = /[/@]|\.\p{L}/u.test(hyphen[1] ?? "");
    if (vocabulary && nextWord && !structural) {
      const lower = (w: string) => w.toLocaleLowerCase("lv");
      const joined = lower(piece + nextWord);
      if (vocabulary.words.has(joined)) return before.slice(0, -1) + next;
      const whole = /^\p{L}+(?:-\p{L}+)*/u.exec(next)?.[0] ?? nextWord;
      if (
        vocabulary.compounds.has(lower(`${piece}-${whole}`)) ||
        (piece.length >= 4 &&
          nextWord.length >= 4 &&
          vocabulary.words.has(lower(piece)) &&
          vocabulary.words.has(lower(nextWord)))
      ) {
        return before + next;
      }
    }
    const keepHyphen =
      piece.length === 1 ||
      piece === piece.toLocaleUpperCase("lv") ||
      !/^\p{Ll}/u.test(next) ||
      structural;
    return keepHyphen ? before + next : before.slice(0, -1) + next;
  }
  if (/[^\s][-\u2010–—]$/u.test(before)) return before + next;
  return `${before} ${next}`;
}

/** True when {@link joinLine} glues the next line on without a space. */
function glues(before: string, next: string, vocabulary?: Vocabulary): boolean {
  const joined = joinLine(before, next, vocabulary);
  return joined !== `${before} ${next}`;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** True when a heading-like line is an item of a numbered list (after "…:" or next to its neighbours). */
function inNumberedList(
  h: NumberedHeading,
  previous: string | undefined,
  next: string | undefined,
): boolean {
  if (previous?.trimEnd().endsWith(":")) return true;
  const n = h.numbers.at(-1) ?? 0;
  const neighbour = (line: string | undefined, expected: number) => {
    const other = line === undefined ? undefined : parseHeadingLine(line);
    return other !== undefined && other.level === h.level && other.numbers.at(-1) === expected;
  };
  return neighbour(previous, n - 1) || neighbour(next, n + 1);
}

/** A line of the text flow of a document, in reading order. */
interface FlowLine {
  text: string;
  page: number;
  /** Printed page label, when the PDF's labels differ from the page numbers. */
  label?: string;
  /** Baseline distance from the line above, in body line spacings (layout only). */
  gap?: number;
  /** Heading level, when the layout set this line apart as a heading. */
  level?: number;
}

/**
 * Turns the body lines of all pages into heading and paragraph blocks. With `layout`, the lines'
 * `level` marks the headings; otherwise numbered lines that continue the numbering are headings.
 */
function buildBlocks(lines: FlowLine[], layout: boolean): TextBlock[] {
  const typical = median(lines.map((l) => l.text.length).filter((n) => n >= 30)) ?? 70;
  const vocabulary = vocabularyOf(lines);
  const join = (a: string, b: string) => joinLine(a, b, vocabulary);
  const tracker = new SectionTracker();
  const blocks: TextBlock[] = [];
  let section: string[] = [];
  const stack: string[] = [];
  let para: { lines: string[]; page: number; label?: string } | undefined;

  const flush = () => {
    if (!para) return;
    const text = para.lines.reduce((acc, l) => join(acc, l));
    if (text.trim()) {
      const block: TextBlock = { text, page: para.page, section: [...section] };
      if (para.label !== undefined) block.pageLabel = para.label;
      blocks.push(block);
    }
    para = undefined;
  };
  const pushHeading = (text: string, line: FlowLine) => {
    const block: TextBlock = { text, page: line.page, section: [...section], heading: true };
    if (line.label !== undefined) block.pageLabel = line.label;
    blocks.push(block);
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    let text = line.text;

    if (layout && line.level !== undefined) {
      flush();
      const level = Math.max(1, Math.min(line.level, stack.length + 1));
      stack.length = level - 1;
      stack.push(text);
      section = [...stack];
      pushHeading(text, line);
      continue;
    }
    const heading = layout ? undefined : parseHeadingLine(text);
    const path =
      heading &&
      !inNumberedList(heading, lines[i - 1]?.text, lines[i + 1]?.text) &&
      (line.gap === undefined || line.gap >= 1.3)
        ? tracker.accept(heading)
        : undefined;
    if (heading && path) {
      flush();
      let headingText = heading.text;
      const following = lines[i + 1];
      if (
        following &&
        following.page === line.page &&
        /^\p{Ll}/u.test(following.text) &&
        !endsSentence(following.text) &&
        !/[?:]$/.test(headingText) &&
        headingText.length + following.text.length <= 150
      ) {
        headingText = join(headingText, following.text);
        i++;
      }
      section = headingText === heading.text ? path : tracker.retitle(headingText);
      pushHeading(headingText, line);
      continue;
    }

    if (para && para.page !== line.page) {
      const last = para.lines.at(-1) ?? "";
      const firstWord = /^\S+/.exec(text)?.[0] ?? "";
      if (firstWord && glues(last, firstWord, vocabulary)) {
        para.lines[para.lines.length - 1] = join(last, firstWord);
        text = text.slice(firstWord.length).trim();
      }
      flush();
      if (!text) continue;
    }
    if (para && LIST_ITEM.test(text)) flush();

    if (!para) {
      para = { lines: [], page: line.page };
      if (line.label !== undefined) para.label = line.label;
    }
    para.lines.push(text);

    const next = lines[i + 1];
    const nextStartsItem = next !== undefined && LIST_ITEM.test(next.text);
    const short = text.length < typical * 0.85;
    if (endsSentence(text) && (short || nextStartsItem)) flush();
    else if (
      text.length < typical * 0.6 &&
      !endsSentence(text) &&
      !/[,;:\-–]$/.test(text) &&
      next !== undefined &&
      next.page === line.page &&
      /^\p{Lu}/u.test(next.text)
    ) {
      flush();
    }
  }
  flush();
  return blocks;
}
