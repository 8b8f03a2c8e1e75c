import type { TextBlock } from "../types.js";
import type { TextDocument } from "./document-types.js";
import { IngestError } from "./errors.js";
import { parseHeadingLine, SectionTracker } from "./headings.js";
import { dropTableOfContents, parseLegalMarker, parseLegalText, TOC_TITLE } from "./legal.js";
import {
  collapseSpaces,
  decodeEntities,
  normalizeNewlines,
  titleFromFileName,
} from "./text-utils.js";

/**
 * Removes inline Markdown syntax, keeping the readable text: emphasis and inline code
 * (→ their content), links (→ their text), autolinks (→ the address); images, HTML tags and
 * comments are dropped, backslash escapes resolved, entities decoded.
 */
export function stripInlineMarkdown(text: string): string {
  let t = text;
  t = t.replace(/<!--[\s\S]*?-->/g, "");
  t = t.replace(/!\[[^\]]*\]\([^)]*\)/g, "");
  t = t.replace(/!\[[^\]]*\]\[[^\]]*\]/g, "");
  t = t.replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, "$1");
  t = t.replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1");
  t = t.replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1");
  t = t.replace(/<\/?[a-zA-Z][^>]*>/g, "");
  t = t.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, "$2");
  t = t.replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2");
  t = t.replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*]*?\S)\*(?![\p{L}\p{N}*])/gu, "$1$2");
  t = t.replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, "$1$2");
  t = t.replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1");
  t = t.replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, "$1");
  return collapseSpaces(decodeEntities(t));
}

interface RawBlock {
  kind: "heading" | "para" | "code";
  text: string;
  level?: number;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_MARKER = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const REF_DEF = /^ {0,3}\[[^\]]+\]:\s*\S+/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function splitMarkdown(text: string): { blocks: RawBlock[]; frontTitle?: string } {
  const lines = normalizeNewlines(text).split("\n");
  const blocks: RawBlock[] = [];
  let frontTitle: string | undefined;
  let i = 0;

  if (lines[0]?.trim() === "---") {
    const close = lines.findIndex((l, k) => k > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (close > 0) {
      for (const l of lines.slice(1, close)) {
        const m = /^title:\s*["']?(.*?)["']?\s*$/i.exec(l);
        if (m?.[1]) frontTitle = m[1];
      }
      i = close + 1;
    }
  }

  let para: string[] = [];
  const flush = () => {
    if (para.length > 0) blocks.push({ kind: "para", text: para.join("\n") });
    para = [];
  };

  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1] ?? "```";
      const closing = new RegExp(`^ {0,3}${marker[0] === "~" ? "~" : "`"}{${marker.length},}\\s*$`);
      const body: string[] = [];
      for (i++; i < lines.length && !closing.test(lines[i] ?? ""); i++) body.push(lines[i] ?? "");
      const code = body.join("\n").trim();
      if (code) blocks.push({ kind: "code", text: code });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      blocks.push({ kind: "heading", text: atx[2] ?? "", level: (atx[1] ?? "#").length });
      continue;
    }
    if (
      para.length > 0 &&
      /^ {0,3}(=+|-+)\s*$/.test(line) &&
      !LIST_MARKER.test(para.at(-1) ?? "")
    ) {
      const headingText = para.pop() ?? "";
      flush();
      blocks.push({
        kind: "heading",
        text: headingText,
        level: line.trim().startsWith("=") ? 1 : 2,
      });
      continue;
    }
    if (TABLE_RULE.test(line) && line.includes("|")) continue;
    if (!line.trim() || RULE.test(line) || REF_DEF.test(line)) {
      flush();
      continue;
    }
    if (LIST_MARKER.test(line) && para.length > 0) flush();
    para.push(line);
  }
  flush();
  return frontTitle === undefined ? { blocks } : { blocks, frontTitle };
}

/** The marker a list item keeps: its number ("3. "), or "• " for a bullet. */
function itemMarker(marker: string): string {
  const n = /\d+/.exec(marker)?.[0];
  return n ? `${n}. ` : "• ";
}

/**
 * Cleans one paragraph into list items (or one item): block quotes and inline syntax removed,
 * list markers made "• " or "N. ", table rows turned into `cell — cell;` lines.
 */
function cleanParagraph(text: string): string[] {
  const items: string[] = [];
  let current: string[] = [];
  for (const raw of text.split("\n")) {
    let line = raw.replace(/^\s*(?:>\s?)+/, "");
    const marker = LIST_MARKER.exec(line)?.[0];
    const isItem = marker !== undefined;
    // An item keeps a marker ("• ", or its number), so that chunking keeps the list together
    // and the answer can quote it whole.
    if (marker) line = line.replace(LIST_MARKER, itemMarker(marker));
    if (/^\s*\|.*\|\s*$/.test(line)) {
      line = line
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => c.trim())
        .filter(Boolean)
        .join(" — ")
        .concat(";");
    }
    if (isItem && current.length > 0) {
      items.push(current.join(" "));
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) items.push(current.join(" "));
  return items.map((item) => stripInlineMarkdown(item).replace(/;$/, "")).filter(Boolean);
}

/**
 * Parses a Markdown document: ATX and setext headings become the section path, paragraphs
 * and list items become blocks with Markdown syntax removed, fenced code is kept verbatim.
 * The title is the front-matter `title`, else the first level-1 heading, else the file name.
 *
 * @throws {@link IngestError} `"no-text"` when there is no text at all.
 */
export function parseMarkdown(text: string, path: string): TextDocument {
  const { blocks: raw, frontTitle } = splitMarkdown(text);
  const blocks: TextBlock[] = [];
  const stack: { level: number; text: string }[] = [];
  const lastOrder = new Map<string, number>();
  let firstH1: string | undefined;
  let firstHeading: string | undefined;
  /** Level of the table-of-contents heading being skipped, if any. */
  let skipping: number | undefined;

  const openSection = (heading: string, level: number) => {
    while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= level) stack.pop();
    stack.push({ level, text: heading });
    blocks.push({ text: heading, section: stack.map((s) => s.text), heading: true });
  };

  for (const b of raw) {
    if (b.kind === "heading") {
      const heading = stripInlineMarkdown(b.text);
      if (!heading) continue;
      const level = b.level ?? 1;
      if (skipping !== undefined && level > skipping) continue;
      skipping = undefined;
      if (TOC_TITLE.test(heading)) {
        skipping = level;
        continue;
      }
      if (level === 1 && firstH1 === undefined) firstH1 = heading;
      firstHeading ??= heading;
      openSection(heading, level);
    } else if (skipping !== undefined) {
      // the table of contents: its links and entries are not passages
    } else if (b.kind === "code") {
      blocks.push({ text: b.text, section: stack.map((s) => s.text) });
    } else {
      const items = cleanParagraph(b.text);
      const [firstLine = "", ...rest] = b.text.split("\n");
      const marker = parseLegalMarker(stripInlineMarkdown(firstLine.replace(/^\s*(?:>\s?)+/, "")));
      if (
        marker &&
        (marker.kind === "article" || marker.kind === "chapter") &&
        marker.order > (lastOrder.get(marker.kind) ?? 0)
      ) {
        // An article or chapter written as a paragraph ("**12. pants.** …") opens a section
        // below the Markdown headings.
        lastOrder.set(marker.kind, marker.order);
        openSection(
          marker.title ? `${marker.label} ${marker.title}` : marker.label,
          marker.kind === "article" ? 8 : 7,
        );
        for (const item of rest.length > 0 ? cleanParagraph(rest.join("\n")) : []) {
          blocks.push({ text: item, section: stack.map((s) => s.text) });
        }
        continue;
      }
      for (const item of items) {
        blocks.push({ text: item, section: stack.map((s) => s.text) });
      }
    }
  }
  if (!blocks.some((b) => !b.heading)) {
    throw new IngestError(
      "no-text",
      `${path}: the Markdown file has no paragraphs, only headings or markup. Add the text, or remove the file from the corpus.`,
      path,
    );
  }
  const title =
    (frontTitle && collapseSpaces(frontTitle)) ||
    firstH1 ||
    firstHeading ||
    titleFromFileName(path);
  return { type: "text", kind: "document", path, title, blocks };
}

/** A line of plain text that may start a list item: a bullet, "1." / "1)", or "a)". */
const PLAIN_ITEM = /^(?:[•▪◦‣∙●*–-]|\d{1,2}[.)]|[a-zā-ž]\))\s+\S/u;

/**
 * A plain-text paragraph as blocks: its lines joined, but each list item on a line of its own
 * (with the lines that wrap it), so that chunking keeps the list together and the answer can
 * quote it whole. A line is an item when it follows a line ending in ":" or another item, or
 * opens a paragraph of two or more item lines after one ending in ":" (a day of a date at the
 * start of a wrapped line, "12. oktobrī …", is not).
 */
function listParts(lines: readonly string[], before = ""): string[] {
  const candidates = lines.filter((l) => PLAIN_ITEM.test(l)).length;
  const parts: string[][] = [];
  let inList = false;
  lines.forEach((line, i) => {
    const previous = i === 0 ? before : (lines[i - 1] ?? "");
    const item =
      PLAIN_ITEM.test(line) &&
      (/[:：]$/.test(previous) || inList || (i === 0 && candidates >= 2 && /[:：]$/.test(before)));
    if (item || parts.length === 0 || (inList && !item && /[.!?]$/.test(previous))) {
      parts.push([line]);
      inList = item;
    } else parts.at(-1)?.push(line);
  });
  return parts.map((p) => p.join(" "));
}

/**
 * Parses a plain-text document. A table of contents is dropped. A law or rules (articles
 * "N. pants" / "Article N", chapters "N. nodaļa" / "Chapter N", see {@link parseLegalText}) is
 * sectioned by its chapters and articles and titled by the act's name before its body. Other
 * text: blank lines separate paragraphs, lines within a paragraph are re-joined; a paragraph
 * that is a single short numbered heading line (`2. Finansējums`, `2.1. Granti`) becomes a
 * section heading.
 *
 * @throws {@link IngestError} `"no-text"` when there is no text at all.
 */
export function parsePlainText(text: string, path: string): TextDocument {
  const lines = dropTableOfContents(normalizeNewlines(text).split("\n"));
  const legal = parseLegalText(lines);
  if (legal?.blocks.some((b) => !b.heading)) {
    const title = legal.title ?? titleFromFileName(path);
    return { type: "text", kind: "document", path, title, blocks: legal.blocks };
  }
  const paragraphs = lines
    .join("\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.split("\n").map(collapseSpaces).filter(Boolean))
    .filter((p) => p.length > 0);
  const blocks: TextBlock[] = [];
  const tracker = new SectionTracker();
  let section: string[] = [];
  for (const lines of paragraphs) {
    const heading = lines.length === 1 ? parseHeadingLine(lines[0] ?? "") : undefined;
    const path = heading ? tracker.accept(heading) : undefined;
    if (heading && path) {
      section = path;
      blocks.push({ text: heading.text, section: [...section], heading: true });
      continue;
    }
    for (const part of listParts(lines, blocks.at(-1)?.text)) {
      blocks.push({ text: part, section: [...section] });
    }
  }
  if (!blocks.some((b) => !b.heading)) {
    throw new IngestError(
      "no-text",
      `${path}: the text file has no text. Add the text, or remove the file from the corpus.`,
      path,
    );
  }
  const firstHeading = blocks.find((b) => b.heading);
  const title = firstHeading
    ? (parseHeadingLine(firstHeading.text)?.title ?? firstHeading.text)
    : titleFromFileName(path);
  return { type: "text", kind: "document", path, title, blocks };
}
