import type { TextBlock } from "../types.js";
import type { TextDocument } from "./document-types.js";
import { IngestError } from "./errors.js";
import { type NumberedHeading, parseHeadingLine, SectionTracker, TOC_LINE } from "./headings.js";
import { collapseSpaces, endsSentence, titleFromFileName } from "./text-utils.js";

/** Text of one PDF page as pdf-parse returns it (`num` is the 1-based page number). */
export interface PdfPageText {
  num: number;
  text: string;
}

/**
 * Loads a PDF (the handbook) into text blocks with page numbers and section paths.
 * Running headers/footers, page-number lines and the table of contents are dropped,
 * words hyphenated at line ends are re-joined and lines are re-joined into paragraphs.
 *
 * @param data - The PDF bytes (not modified).
 * @param path - Path of the file relative to the corpus, used in the document and in errors.
 * @throws {@link IngestError} `"encrypted"`, `"corrupt"` or `"no-text"` (scanned PDF).
 */
export async function parsePdf(data: Uint8Array, path: string): Promise<TextDocument> {
  // pdf-parse (pdf.js) takes seconds to load, so it is loaded only when a PDF is parsed.
  const { PDFParse } = await import("pdf-parse");
  const parser = new PDFParse({ data: data.slice() });
  let pages: PdfPageText[];
  let metaTitle: string | undefined;
  try {
    const result = await parser.getText();
    pages = result.pages.map((p) => ({ num: p.num, text: p.text }));
    try {
      const info = await parser.getInfo();
      const title: unknown = info.info?.Title;
      const xmpTitle: unknown = info.metadata?.get("dc:title");
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
    await parser.destroy().catch(() => undefined);
  }
  return structurePdfPages(pages, path, metaTitle);
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
 * The pure part of {@link parsePdf}: turns page texts into a text document.
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
      .map((l) => collapseSpaces(l))
      .filter((l) => l.length > 0),
  }));
  if (pageLines.every((p) => p.lines.length === 0)) {
    throw new IngestError(
      "no-text",
      `${path}: the PDF has no text layer on any of its ${pages.length} page(s), so it is probably scanned images. Run it through OCR (e.g. ocrmypdf) and ingest the result.`,
      path,
    );
  }

  removeRunningLines(pageLines);
  const body = pageLines
    .filter((p) => !isTocPage(p.lines))
    .flatMap((p) => p.lines.map((text) => ({ text, page: p.num })));
  const blocks = buildBlocks(body);
  if (blocks.length === 0) {
    throw new IngestError(
      "no-text",
      `${path}: no body text was left after removing headers, footers and the table of contents. Check that the PDF has a real text layer (OCR it if it is scanned).`,
      path,
    );
  }

  const firstHeading = blocks.find((b) => b.heading);
  const title =
    cleanMetaTitle(metaTitle) ??
    (firstHeading
      ? (parseHeadingLine(firstHeading.text)?.title ?? firstHeading.text)
      : undefined) ??
    titleFromFileName(path);

  return { type: "text", kind: "handbook", path, title, blocks, pageCount: pages.length };
}

function cleanMetaTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const t = collapseSpaces(title)
    .replace(/^Microsoft (Word|PowerPoint) - /i, "")
    .replace(/\.(docx?|odt|pptx?|pdf|rtf)$/i, "")
    .trim();
  return t && !/^(untitled|bez nosaukuma|document\d*)$/i.test(t) ? t : undefined;
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
function removeRunningLines(pages: { lines: string[] }[]): void {
  const textPages = pages.filter((p) => p.lines.length > 0).length;
  const counts = new Map<string, number>();
  const extremeCounts = new Map<string, number>();
  for (const p of pages) {
    const seen = new Set<string>();
    edgeIndexes(p.lines.length).forEach((i) => {
      const line = p.lines[i];
      if (line !== undefined && line.length <= 120) seen.add(normalizeRunning(line));
    });
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
    const extremes = new Set([p.lines[0], p.lines.at(-1)].filter((l) => l !== undefined));
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
      const line = p.lines[i] ?? "";
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

/** Joins a line to the text before it, undoing end-of-line hyphenation. */
export function joinLine(before: string, next: string): string {
  if (before.endsWith("\u00AD")) return before.slice(0, -1) + next;
  const hyphen = /(\S*?)(\p{L}+)[-\u2010]$/u.exec(before);
  if (hyphen) {
    const piece = hyphen[2] ?? "";
    const keepHyphen =
      piece.length === 1 ||
      piece === piece.toLocaleUpperCase("lv") ||
      !/^\p{Ll}/u.test(next) ||
      /[/@]|\.\p{L}/u.test(hyphen[1] ?? "");
    return keepHyphen ? before + next : before.slice(0, -1) + next;
  }
  if (/[^\s][-\u2010–—]$/u.test(before)) return before + next;
  return `${before} ${next}`;
}

/** True when {@link joinLine} glues the next line on without a space. */
function glues(before: string, next: string): boolean {
  const joined = joinLine(before, next);
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

/** Turns the body lines of all pages into heading and paragraph blocks. */
function buildBlocks(lines: { text: string; page: number }[]): TextBlock[] {
  const typical = median(lines.map((l) => l.text.length).filter((n) => n >= 30)) ?? 70;
  const tracker = new SectionTracker();
  const blocks: TextBlock[] = [];
  let section: string[] = [];
  let para: { lines: string[]; page: number } | undefined;

  const flush = () => {
    if (!para) return;
    const text = para.lines.reduce((acc, l) => joinLine(acc, l));
    if (text.trim()) blocks.push({ text, page: para.page, section: [...section] });
    para = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    let text = line.text;

    const heading = parseHeadingLine(text);
    const path =
      heading && !inNumberedList(heading, lines[i - 1]?.text, lines[i + 1]?.text)
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
        headingText = joinLine(headingText, following.text);
        i++;
      }
      section = headingText === heading.text ? path : tracker.retitle(headingText);
      blocks.push({ text: headingText, page: line.page, section: [...section], heading: true });
      continue;
    }

    if (para && para.page !== line.page) {
      const last = para.lines.at(-1) ?? "";
      const firstWord = /^\S+/.exec(text)?.[0] ?? "";
      if (firstWord && glues(last, firstWord)) {
        para.lines[para.lines.length - 1] = joinLine(last, firstWord);
        text = text.slice(firstWord.length).trim();
      }
      flush();
      if (!text) continue;
    }
    if (para && LIST_ITEM.test(text)) flush();

    if (!para) para = { lines: [], page: line.page };
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
