/**
 * Structure of laws, regulations and rules written as plain text: parts, divisions, chapters,
 * articles ("12.pants.", "3. nodaļa", "Article 5", "Chapter II") and the numbered points of
 * closing provisions; and tables of contents, which are dropped before parsing.
 */
import type { TextBlock } from "../types.js";
import { TOC_LINE } from "./headings.js";
import { collapseSpaces } from "./text-utils.js";

/** Kinds of structural units, outermost first. */
export type LegalUnitKind = "part" | "division" | "chapter" | "article";

/** A structural heading recognised at the start of a line. */
export interface LegalMarker {
  kind: LegalUnitKind;
  /** Sort key within its kind: article 14.^1 → 14.01. */
  order: number;
  /** The marker as written ("12.pants.", "A DAĻA", "Chapter II"). */
  label: string;
  /** The title after the marker on the same line, if any. */
  title: string;
}

const LEVEL: Record<LegalUnitKind, number> = { part: 1, division: 2, chapter: 3, article: 4 };

const ORDINALS_LV = [
  "PIRMĀ",
  "OTRĀ",
  "TREŠĀ",
  "CETURTĀ",
  "PIEKTĀ",
  "SESTĀ",
  "SEPTĪTĀ",
  "ASTOTĀ",
  "DEVĪTĀ",
  "DESMITĀ",
];

function roman(value: string): number | undefined {
  if (!/^[IVXLC]+$/.test(value)) return undefined;
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
  let total = 0;
  for (let i = 0; i < value.length; i++) {
    const cur = v[value[i] as string] ?? 0;
    const next = v[value[i + 1] as string] ?? 0;
    total += cur < next ? -cur : cur;
  }
  return total;
}

const number = (value: string) => roman(value) ?? Number(value);

const PATTERNS: {
  kind: LegalUnitKind;
  re: RegExp;
  order: (m: RegExpExecArray) => number;
}[] = [
  {
    kind: "article",
    re: /^((\d{1,3})\.\s?(?:\^(\d{1,2})\s?)?pants\b\.?)\s*(.*)$/iu,
    order: (m) => Number(m[2]) + Number(m[3] ?? 0) / 100,
  },
  {
    kind: "article",
    re: /^((?:Article|ARTICLE|Art\.)\s+(\d{1,3})([a-z])?\b\.?)\s*[:.–—-]?\s*(.*)$/u,
    order: (m) => Number(m[2]) + (m[3] ? (m[3].charCodeAt(0) - 96) / 100 : 0),
  },
  { kind: "chapter", re: /^((\d{1,3})\.\s?nodaļa\b\.?)\s*(.*)$/iu, order: (m) => Number(m[2]) },
  {
    kind: "chapter",
    re: /^((?:Chapter|CHAPTER)\s+(\d{1,3}|[IVXLC]+)\b\.?)\s*[:.–—-]?\s*(.*)$/u,
    order: (m) => number(m[2] ?? ""),
  },
  {
    kind: "division",
    re: new RegExp(`^((${ORDINALS_LV.join("|")})\\s+SADAĻA)\\b\\s*(.*)$`, "u"),
    order: (m) => ORDINALS_LV.indexOf(m[2] ?? "") + 1,
  },
  { kind: "division", re: /^((\d{1,2})\.\s?sadaļa\b\.?)\s*(.*)$/iu, order: (m) => Number(m[2]) },
  { kind: "part", re: /^(([A-H])\s+DAĻA)\b\s*(.*)$/u, order: (m) => (m[2] ?? "A").charCodeAt(0) },
  {
    kind: "part",
    re: /^((?:Part|PART)\s+(\d{1,2}|[IVX]+)\b\.?)\s*[:.–—-]?\s*(.*)$/u,
    order: (m) => number(m[2] ?? ""),
  },
];

/** Recognises a structural heading at the start of a line, or returns `undefined`. */
export function parseLegalMarker(line: string): LegalMarker | undefined {
  const text = collapseSpaces(line);
  if (text.length > 200) return undefined;
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const title = m.at(-1) ?? "";
    // "12. pants nosaka, ka …" is a sentence about an article, not its heading.
    if (title && !/^["„“«(]?[\p{Lu}\d]/u.test(title)) continue;
    if (/[,;]$/.test(title)) continue;
    return { kind: p.kind, order: p.order(m), label: m[1] ?? "", title };
  }
  return undefined;
}

/** Closing headings of a law, after its last chapter: their numbered paragraphs are points. */
const CLOSING =
  /^(Pārejas noteikumi|Noslēguma jautājumi|Noslēguma noteikumi|Informatīvā atsauce uz Eiropas Savienības direktīvām|Transitional provisions|Final provisions)$/iu;

/**
 * The editorial notes of a consolidated Latvian act (likumi.lv): which amendment changed a
 * paragraph, in whose wording it stands, that it was deleted or lost force. They are the
 * publisher's, not the law's words, and their dates would read as the law's values.
 */
const EDITORIAL_NOTE =
  /\s*\((?:Ar grozījumiem, kas izdarīti ar|\d{1,2}\.\d{1,2}\.\d{4}\. (?:likuma|noteikumu) redakcijā|[Ii]zslēgt[sa] ar|[Zz]audēj(?:is|usi) spēku ar)[^()]*\)/gu;

/** A paragraph with the editorial notes taken out; empty when nothing but its number is left. */
export function withoutEditorialNotes(text: string): string {
  const rest = text.replace(EDITORIAL_NOTE, "").trim();
  return /^(?:\(\d{1,3}(?:\^\d{1,2})?\)|\d{1,3}\.)?$/u.test(rest) ? "" : rest;
}

/** Headings that open a table of contents. */
export const TOC_TITLE = /^(satura rādītājs|saturs|contents|table of contents|index)\s*:?$/iu;

const BULLET = /^[•·▪◦‣∙●○■□*–-]\s*/u;

function normalizeEntry(line: string): string {
  return collapseSpaces(line)
    .replace(BULLET, "")
    .replace(/(?:[.…·_]\s*){2,}\s*\d{1,4}$/u, "")
    .replace(/\s+\d{1,4}$/u, "")
    .toLowerCase();
}

/**
 * Blanks out tables of contents: a run of entries (bulleted lines, lines ending in a page number,
 * or short lines that start a later line of the text, as headings do) after a "Saturs"/"Contents"
 * line, or of at least three such entries without one. Returns new lines; the others are kept.
 */
export function dropTableOfContents(lines: readonly string[]): string[] {
  const out = [...lines];
  const norm = lines.map((l) => collapseSpaces(l).toLowerCase());
  const joined = norm.join(" ");
  const offsets: number[] = [];
  let at = 0;
  for (const n of norm) {
    offsets.push(at);
    at += n.length + 1;
  }
  const pageNumbered = (l: string) =>
    TOC_LINE.test(l.trimEnd()) || /\S(?:\s{2,}|\t)\d{1,4}\s*$/.test(l);
  const lineStarts = new Set(offsets);
  /** The entry starts a later line (a heading), possibly running onto the next lines. */
  const repeatedLater = (i: number) => {
    const entry = normalizeEntry(lines[i] ?? "");
    if (entry.length < 6) return false;
    for (let from = offsets[i + 1] ?? joined.length; ; ) {
      const found = joined.indexOf(entry, from);
      if (found === -1) return false;
      if (lineStarts.has(found)) return true;
      from = found + 1;
    }
  };

  let i = 0;
  while (i < lines.length) {
    const first = collapseSpaces(lines[i] ?? "");
    const titled = TOC_TITLE.test(first);
    const startsRun = titled || pageNumbered(lines[i] ?? "") || BULLET.test(first);
    if (!startsRun) {
      i++;
      continue;
    }
    let j = titled ? i + 1 : i;
    let entries = 0;
    let strong = 0;
    let last = titled ? i : i - 1;
    for (; j < lines.length; j++) {
      const raw = lines[j] ?? "";
      const t = collapseSpaces(raw);
      if (t === "" || (BULLET.test(t) && t.replace(BULLET, "") === "")) continue;
      if (t.length > 160) break;
      const page = pageNumbered(raw);
      const bullet = BULLET.test(t);
      const again = !page && !/[.!?:;]$/.test(t) && repeatedLater(j);
      if (!page && !again && !(bullet && (titled || entries > 0))) break;
      entries++;
      if (page || again) strong++;
      last = j;
    }
    const isToc = titled ? entries >= 2 : strong >= 3 && strong >= entries * 0.5;
    if (isToc) {
      for (let k = i; k <= last; k++) out[k] = "";
      i = last + 1;
    } else {
      i++;
    }
  }
  return out;
}

/** A parsed law: blocks with article sections, and the act's name when it precedes the body. */
export interface LegalText {
  blocks: TextBlock[];
  title?: string;
}

/**
 * Parses plain text with the structure of a law or rules: parts, divisions, chapters and
 * articles become headings (a chapter's title may be on the next line); passages are cited by
 * the two innermost units ("1.nodaļa …", "12.pants. …"). The numbered paragraphs under closing
 * headings ("Pārejas noteikumi") become points ("3. punkts"). Markers must run in order (a
 * cross-reference at the start of a line is text). Returns `undefined` when the text has fewer
 * than two articles or chapters, so ordinary documents keep their own parsing.
 */
export function parseLegalText(lines: readonly string[]): LegalText | undefined {
  type Frame = { level: number; text: string; kind: LegalUnitKind | "closing" | "point" };
  const stack: Frame[] = [];
  const lastOrder = new Map<string, number>();
  const blocks: TextBlock[] = [];
  let accepted = 0;
  let titleBeforeBody: string | undefined;
  let lastLine: string | undefined;
  let lastPoint = 0;
  const english = lines.some((l) => /^(Article|Chapter)\s+\w/.test(l.trim()));

  const section = () => stack.slice(-2).map((f) => f.text);
  const push = (frame: Frame) => {
    while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= frame.level) stack.pop();
    stack.push(frame);
    blocks.push({ text: frame.text, section: section(), heading: true });
  };
  const accept = (m: LegalMarker): boolean => {
    const key = m.kind;
    const prev = lastOrder.get(key) ?? 0;
    // Chapters and articles number on through the whole act; parts and divisions may restart.
    const fits =
      m.order > prev && (m.kind === "part" || m.kind === "division" || m.order <= prev + 20);
    if (!fits) return false;
    lastOrder.set(key, m.order);
    if (m.kind === "part") lastOrder.delete("division");
    return true;
  };

  let para: string[] = [];
  const flush = () => {
    if (para.length === 0) return;
    const whole = para.join(" ");
    const text = withoutEditorialNotes(whole);
    para = [];
    const top = stack.at(-1);
    if (!text) {
      // A deleted point keeps its number: the next one still follows it.
      const deleted = /^(\d{1,3})\.\s/u.exec(whole);
      if (deleted && (top?.kind === "closing" || top?.kind === "point")) {
        if (Number(deleted[1]) === lastPoint + 1) lastPoint++;
      }
      return;
    }
    const point = /^(\d{1,3})\.\s+["„“«(]?\p{Lu}/u.exec(text);
    if (point && (top?.kind === "closing" || top?.kind === "point")) {
      const n = Number(point[1]);
      if (n === lastPoint + 1) {
        lastPoint = n;
        push({ level: 2, text: english ? `Point ${n}` : `${n}. punkts`, kind: "point" });
      }
    }
    blocks.push({ text, section: section() });
  };

  for (let i = 0; i < lines.length; i++) {
    const line = collapseSpaces(lines[i] ?? "");
    if (line === "") {
      flush();
      continue;
    }
    const marker = parseLegalMarker(line);
    if (marker && accept(marker)) {
      if (accepted === 0 && lastLine !== undefined) {
        if (lastLine.length <= 80 && !/[.,:;!?]$/.test(lastLine)) titleBeforeBody = lastLine;
      }
      flush();
      accepted++;
      let title = marker.title;
      const next = collapseSpaces(lines[i + 1] ?? "");
      if (
        !title &&
        marker.kind !== "article" &&
        next &&
        next.length <= 150 &&
        !parseLegalMarker(next) &&
        !/[.;:]$/.test(next)
      ) {
        title = next;
        i++;
      }
      // A title wrapped onto the next lines: they go on in lower case.
      while (title.length < 200 && /^\p{Ll}/u.test(collapseSpaces(lines[i + 1] ?? ""))) {
        title = `${title} ${collapseSpaces(lines[i + 1] ?? "")}`;
        i++;
      }
      push({
        level: LEVEL[marker.kind],
        text: title ? `${marker.label} ${title}` : marker.label,
        kind: marker.kind,
      });
      continue;
    }
    if (accepted > 0 && CLOSING.test(line) && para.length === 0) {
      const following = collapseSpaces(lines[i + 1] ?? "");
      if (following === "") {
        lastPoint = 0;
        push({ level: 1, text: line, kind: "closing" });
        continue;
      }
    }
    para.push(line);
    lastLine = line;
  }
  flush();

  const structural = blocks.filter((b) => b.heading).length;
  if (accepted < 2 || structural < 2) return undefined;
  return titleBeforeBody ? { blocks, title: titleBeforeBody } : { blocks };
}
