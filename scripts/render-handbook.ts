/**
 * Renders the sample handbook from `corpus-src/handbook/rokasgramata.md` into
 * `corpus/handbook/rokasgramata.pdf` (run with `npm run corpus:render`).
 *
 * Supported Markdown, and nothing more: a `---` front matter of `key: value` lines
 * (title, subtitle, date, pdfTitle, note), `# N. Chapter`, `## N.M. Section`, paragraphs,
 * `- ` bullet lists and `**bold**` spans.
 *
 * pdfkit may break a line after "/" or "-", so keep long web addresses at the start of a list item
 * (as in the source list) and check the extracted text after editing.
 *
 * Layout: title page (page 1, unnumbered), table of contents (page 2), each chapter on a new
 * page, footer with the page number on every page but the first. The printed page number is
 * the PDF page index. Output is deterministic (fixed creation date).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import PDFDocument from "pdfkit";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sourcePath = resolve(repoRoot, "corpus-src/handbook/rokasgramata.md");
const outputPath = resolve(repoRoot, "corpus/handbook/rokasgramata.pdf");

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
const FONT_BOLD = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf");

/** Fixed so that re-rendering an unchanged source gives the same bytes. */
const CREATION_DATE = new Date("2026-11-01T00:00:00Z");
const RUNNING_FOOTER = "Padoms · Sociālā uzņēmējdarbība laukos (paraugs)";

const PAGE = { size: "A4", top: 68, bottom: 76, left: 66, right: 66 } as const;
const BODY = { size: 10, lineGap: 3, paragraphGap: 6.5 };
const CHAPTER_SIZE = 16;
const SECTION_SIZE = 12.5;
const BULLET_INDENT = 16;
/** Distance of the footer rule from the bottom edge of the page. */
const FOOTER_TOP = 52;
const TEXT_COLOR = "#1a1a1a";
const MUTED_COLOR = "#666666";

interface Span {
  text: string;
  bold: boolean;
}

type Block =
  | { type: "chapter"; number: string; title: string }
  | { type: "section"; number: string; title: string }
  | { type: "paragraph"; spans: Span[] }
  | { type: "list"; items: Span[][] };

interface Handbook {
  meta: Record<string, string>;
  blocks: Block[];
}

interface TocEntry {
  level: 1 | 2;
  label: string;
  page: number;
  destination: string;
}

type Doc = PDFKit.PDFDocument;

function parseSpans(text: string, line: number): Span[] {
  const parts = text.split("**");
  if (parts.length % 2 === 0) {
    throw new Error(`Line ${line}: unbalanced ** in "${text.slice(0, 60)}…"`);
  }
  return parts
    .map((part, i) => ({ text: part, bold: i % 2 === 1 }))
    .filter((span) => span.text.length > 0);
}

function parseHandbook(markdown: string): Handbook {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const meta: Record<string, string> = {};
  let i = 0;
  if (lines[0]?.trim() === "---") {
    i = 1;
    for (; i < lines.length && lines[i]?.trim() !== "---"; i++) {
      const match = /^(\w+):\s*(.*)$/.exec(lines[i] ?? "");
      if (match?.[1] && match[2] !== undefined) meta[match[1]] = match[2].trim();
    }
    i++;
  }

  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let paragraphLine = 0;
  let list: string[] | undefined;
  let listLine = 0;
  let chapter = 0;
  let section = 0;

  const flush = () => {
    if (paragraph.length > 0) {
      blocks.push({ type: "paragraph", spans: parseSpans(paragraph.join(" "), paragraphLine) });
      paragraph = [];
    }
    if (list) {
      blocks.push({ type: "list", items: list.map((item) => parseSpans(item, listLine)) });
      list = undefined;
    }
  };

  for (; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const line = raw.trim();
    const lineNo = i + 1;
    if (line === "") {
      flush();
      continue;
    }
    const chapterMatch = /^#\s+(\d+)\.\s+(.+)$/.exec(line);
    const sectionMatch = /^##\s+(\d+)\.(\d+)\.\s+(.+)$/.exec(line);
    if (line.startsWith("#")) {
      flush();
      if (chapterMatch?.[1] && chapterMatch[2]) {
        chapter++;
        section = 0;
        if (Number(chapterMatch[1]) !== chapter) {
          throw new Error(`Line ${lineNo}: expected chapter ${chapter}, found "${line}"`);
        }
        blocks.push({ type: "chapter", number: `${chapter}.`, title: chapterMatch[2] });
      } else if (sectionMatch?.[1] && sectionMatch[2] && sectionMatch[3]) {
        section++;
        if (Number(sectionMatch[1]) !== chapter || Number(sectionMatch[2]) !== section) {
          throw new Error(
            `Line ${lineNo}: expected section ${chapter}.${section}, found "${line}"`,
          );
        }
        blocks.push({ type: "section", number: `${chapter}.${section}.`, title: sectionMatch[3] });
      } else {
        throw new Error(`Line ${lineNo}: headings must be "# N. Title" or "## N.M. Title"`);
      }
      continue;
    }
    if (line.startsWith("- ")) {
      if (paragraph.length > 0) flush();
      if (!list) {
        list = [];
        listLine = lineNo;
      }
      list.push(line.slice(2).trim());
      continue;
    }
    if (list && /^\s{2,}/.test(raw)) {
      list[list.length - 1] += ` ${line}`;
      continue;
    }
    if (list) flush();
    if (paragraph.length === 0) paragraphLine = lineNo;
    paragraph.push(line);
  }
  flush();

  for (const key of ["title", "subtitle", "date", "pdfTitle"]) {
    if (!meta[key]) throw new Error(`Front matter is missing "${key}"`);
  }
  return { meta, blocks };
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

function bodyLineHeight(doc: Doc): number {
  doc.font("regular").fontSize(BODY.size);
  return doc.currentLineHeight(true) + BODY.lineGap;
}

/** Starts a new page unless `height` points still fit above the bottom margin. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

const MONTHS = "janvār|februār|mart|aprīl|maij|jūnij|jūlij|august|septembr|oktobr|novembr|decembr";

/**
 * Binds with no-break spaces what must not be split across lines: digit groups ("64 331 822"),
 * "30 %", "Nr. 173", "12. oktobrī", "200 000 euro". PDF text extraction reads them as spaces.
 */
function glue(text: string): string {
  return text
    .replace(/(\d) (?=\d{3}(?!\d))/g, "$1\u00a0")
    .replace(/(\d) (?=%|euro\b|milj)/g, "$1\u00a0")
    .replace(/\b(Nr\.|plkst\.) (?=\d)/g, "$1\u00a0")
    .replace(new RegExp(`(\\d{1,2}\\.) (?=(${MONTHS}))`, "g"), "$1\u00a0");
}

/** Font size at which every web address of the block fits on one line (they must not break). */
function fittingSize(doc: Doc, spans: Span[], width: number): number {
  let size = BODY.size;
  for (const span of spans) {
    for (const token of span.text.split(/\s+/)) {
      if (!/^[(„"]?(https?:\/\/|[\w.-]+\.(lv|eu)\/)/.test(token)) continue;
      doc.font(span.bold ? "bold" : "regular").fontSize(BODY.size);
      const tokenWidth = doc.widthOfString(token);
      if (tokenWidth > width)
        size = Math.min(size, Math.floor((BODY.size * width * 4) / tokenWidth) / 4);
    }
  }
  return Math.max(size, 7.5);
}

function writeSpans(doc: Doc, spans: Span[], x: number, width: number): void {
  const size = fittingSize(doc, spans, width);
  doc.fillColor(TEXT_COLOR).fontSize(size);
  spans.forEach((span, i) => {
    const options: PDFKit.Mixins.TextOptions = {
      width,
      align: "left",
      lineGap: BODY.lineGap,
      continued: i < spans.length - 1,
    };
    doc.font(span.bold ? "bold" : "regular");
    if (i === 0) doc.text(glue(span.text), x, doc.y, options);
    else doc.text(glue(span.text), options);
  });
}

function writeHeadingLine(doc: Doc, text: string, size: number): void {
  doc.font("bold").fontSize(size).fillColor(TEXT_COLOR);
  if (doc.widthOfString(text) > contentWidth(doc)) {
    throw new Error(`Heading does not fit on one line, shorten it: "${text}"`);
  }
  doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineBreak: false });
  doc.x = doc.page.margins.left;
}

function renderTitlePage(doc: Doc, meta: Record<string, string>): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  doc.rect(left, 150, 56, 4).fill("#2f6b3a");
  doc.font("bold").fontSize(26).fillColor(TEXT_COLOR);
  doc.text(meta["title"] ?? "", left, 175, { width, lineGap: 4 });
  doc.moveDown(0.8);
  doc.font("regular").fontSize(13).fillColor(MUTED_COLOR);
  doc.text(meta["subtitle"] ?? "", { width, lineGap: 3 });
  doc.moveDown(1.2);
  doc
    .font("bold")
    .fontSize(12)
    .fillColor(TEXT_COLOR)
    .text(meta["date"] ?? "", { width });
  if (meta["note"]) {
    doc.font("regular").fontSize(9).fillColor(MUTED_COLOR);
    const height = doc.heightOfString(meta["note"], { width, lineGap: 2 });
    doc.text(meta["note"], left, bottomLimit(doc) - height, { width, lineGap: 2 });
  }
  doc.fillColor(TEXT_COLOR);
}

function renderBody(doc: Doc, blocks: Block[]): TocEntry[] {
  const toc: TocEntry[] = [];
  const left = doc.page.margins.left;
  const lineHeight = bodyLineHeight(doc);
  let first = true;
  let afterHeading = false;

  for (const block of blocks) {
    switch (block.type) {
      case "chapter": {
        if (!first) doc.addPage();
        first = false;
        const label = `${block.number} ${block.title}`;
        const destination = `chapter-${block.number.replace(/\.$/, "")}`;
        doc.addNamedDestination(destination);
        doc.outline.addItem(label);
        toc.push({ level: 1, label, page: doc.bufferedPageRange().count, destination });
        doc.y = doc.page.margins.top + 6;
        writeHeadingLine(doc, label, CHAPTER_SIZE);
        doc.y += CHAPTER_SIZE * 1.25 + 4;
        doc
          .moveTo(left, doc.y)
          .lineTo(left + contentWidth(doc), doc.y)
          .lineWidth(0.8)
          .strokeColor("#2f6b3a")
          .stroke();
        doc.y += 16;
        afterHeading = true;
        break;
      }
      case "section": {
        const label = `${block.number} ${block.title}`;
        if (!afterHeading) doc.y += 10;
        // Keep the heading together with at least four lines of what follows.
        ensureSpace(doc, SECTION_SIZE * 1.4 + 4 * lineHeight);
        const destination = `section-${block.number.replace(/\.$/, "")}`;
        doc.addNamedDestination(destination);
        toc.push({ level: 2, label, page: doc.bufferedPageRange().count, destination });
        writeHeadingLine(doc, label, SECTION_SIZE);
        doc.y += SECTION_SIZE * 1.3 + 5;
        afterHeading = true;
        break;
      }
      case "paragraph": {
        // A bold-only paragraph works as a run-in heading (FAQ questions): keep it with its answer.
        const isLead = block.spans.every((span) => span.bold);
        ensureSpace(doc, (isLead ? 4 : 2) * lineHeight);
        writeSpans(doc, block.spans, left, contentWidth(doc));
        doc.y += isLead ? 2 : BODY.paragraphGap;
        afterHeading = false;
        break;
      }
      case "list": {
        const width = contentWidth(doc) - BULLET_INDENT;
        for (const item of block.items) {
          ensureSpace(doc, 2 * lineHeight);
          const y = doc.y;
          doc.font("regular").fontSize(BODY.size).fillColor(TEXT_COLOR);
          doc.text("•", left + 4, y, { lineBreak: false });
          doc.y = y;
          writeSpans(doc, item, left + BULLET_INDENT, width);
          doc.y += 2.5;
        }
        doc.y += BODY.paragraphGap - 2.5;
        doc.x = left;
        afterHeading = false;
        break;
      }
    }
  }
  return toc;
}

/** Draws the table of contents on page 2 once the body has been laid out. */
function renderToc(doc: Doc, toc: TocEntry[]): void {
  doc.switchToPage(1);
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  // The footer sits lower than the body text, so the contents may use part of the bottom margin.
  const limit = doc.page.height - FOOTER_TOP - 8;
  let y = doc.page.margins.top + 6;
  doc.font("bold").fontSize(CHAPTER_SIZE).fillColor(TEXT_COLOR);
  doc.text("Saturs", left, y, { lineBreak: false });
  y += CHAPTER_SIZE * 1.25 + 16;

  const sizeOf = (entry: TocEntry) => (entry.level === 1 ? 10 : 9);
  const gapBefore = (entry: TocEntry, i: number) => (entry.level === 1 && i > 0 ? 5 : 0);
  const natural = toc.reduce((sum, e, i) => sum + sizeOf(e) * 1.6 + gapBefore(e, i), 0);
  const fixed = toc.reduce((sum, e, i) => sum + sizeOf(e) + gapBefore(e, i), 0);
  // Shrink the leading (never the type) until the contents fit on one page.
  const leading = Math.min(0.6, Math.max(0.25, ((limit - y - fixed) / (natural - fixed)) * 0.6));

  toc.forEach((entry, i) => {
    const size = sizeOf(entry);
    const x = entry.level === 1 ? left : left + 18;
    y += gapBefore(entry, i);
    if (y + size > limit) throw new Error("Table of contents needs more than one page");
    doc.font(entry.level === 1 ? "bold" : "regular").fontSize(size);
    const pageText = String(entry.page);
    const labelWidth = doc.widthOfString(entry.label);
    doc.font("regular");
    const dotWidth = doc.widthOfString(".");
    const room = right - x - labelWidth - doc.widthOfString(` ${pageText}`) - 8;
    if (room < dotWidth * 3) throw new Error(`TOC line too long: "${entry.label}"`);
    const leader = `${".".repeat(Math.floor(room / dotWidth))} ${pageText}`;

    doc.font(entry.level === 1 ? "bold" : "regular");
    doc.text(entry.label, x, y, { lineBreak: false, goTo: entry.destination });
    doc.font("regular").fillColor(MUTED_COLOR);
    doc.text(leader, right - doc.widthOfString(leader), y, { lineBreak: false });
    doc.fillColor(TEXT_COLOR);
    y += size * (1 + leading);
  });
}

function renderFooters(doc: Doc): void {
  const { count } = doc.bufferedPageRange();
  for (let i = 1; i < count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would make pdfkit add a page; lift the margin meanwhile.
    doc.page.margins.bottom = 0;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    const ruleY = doc.page.height - FOOTER_TOP;
    doc
      .moveTo(left, ruleY)
      .lineTo(left + width, ruleY)
      .lineWidth(0.4)
      .strokeColor("#bbbbbb");
    doc.stroke();
    doc.font("regular").fontSize(7.5).fillColor(MUTED_COLOR);
    doc.text(RUNNING_FOOTER, left, ruleY + 6, { width, align: "center", lineBreak: false });
    doc.font("regular").fontSize(9).fillColor(TEXT_COLOR);
    doc.text(`— ${i + 1} —`, left, ruleY + 19, { width, align: "center", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

async function render(
  handbook: Handbook,
): Promise<{ pdf: Buffer; toc: TocEntry[]; pageCount: number }> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right },
    bufferPages: true,
    autoFirstPage: true,
    lang: "lv",
    displayTitle: true,
    info: {
      Title: handbook.meta["pdfTitle"] ?? "",
      Author: "Padoms",
      Subject: handbook.meta["subtitle"] ?? "",
      Keywords: "sociālā uzņēmējdarbība; sociālais uzņēmums; LEADER; Latvija",
      Creator: "Padoms scripts/render-handbook.ts",
      CreationDate: CREATION_DATE,
      ModDate: CREATION_DATE,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolveDone, reject) => {
    doc.on("end", () => resolveDone());
    doc.on("error", reject);
  });

  doc.registerFont("regular", FONT_REGULAR);
  doc.registerFont("bold", FONT_BOLD);

  renderTitlePage(doc, handbook.meta);
  doc.addPage(); // table of contents, filled in after layout
  doc.addPage();
  const toc = renderBody(doc, handbook.blocks);
  renderToc(doc, toc);
  renderFooters(doc);
  const pageCount = doc.bufferedPageRange().count;
  doc.end();
  await finished;
  return { pdf: Buffer.concat(chunks), toc, pageCount };
}

async function main(): Promise<void> {
  const handbook = parseHandbook(readFileSync(sourcePath, "utf8"));
  const { pdf, toc, pageCount } = await render(handbook);
  mkdirSync(dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, pdf);
  console.log(`Wrote ${relative(repoRoot, outputPath)}: ${pageCount} pages, ${pdf.length} bytes`);
  for (const entry of toc.filter((e) => e.level === 1)) {
    console.log(`  ${String(entry.page).padStart(3)}  ${entry.label}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
