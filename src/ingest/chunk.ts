import { createHash } from "node:crypto";
import { splitSentences } from "../text/sentences.js";
import type { Chunk, Cue, SourceDocument, TextBlock } from "../types.js";
import type { TextDocument, TranscriptDocument } from "./document-types.js";
import { detectLanguage } from "./language.js";
import { countWords, endsSentence } from "./text-utils.js";

/** Options of {@link chunkDocument}; every field has a default. */
export interface ChunkOptions {
  /** Text documents: most words per chunk (a longer single sentence is cut). Default 180. */
  maxWords?: number;
  /** Text documents: sentences repeated at the start of the next chunk of a section. Default 1. */
  overlapSentences?: number;
  /** Transcripts: preferred window length in seconds. Default 60. */
  targetSeconds?: number;
  /** Transcripts: shortest window (except the last). Default 30, or less when `targetSeconds` is under 60. */
  minSeconds?: number;
  /** Transcripts: longest window. Default 90, or 1.5 × `targetSeconds` when that is more. */
  maxSeconds?: number;
  /** Transcripts: cues repeated at the start of the next window. Default 1. */
  overlapCues?: number;
}

/** Separator of the section path in {@link Chunk.section}. */
export const SECTION_SEPARATOR = " › ";

/** Stable, content-addressed chunk id: first 16 hex digits of sha1(path, ordinal, text). */
export function chunkId(path: string, ordinal: number, text: string): string {
  return createHash("sha1")
    .update(`${path}\u0000${ordinal}\u0000${text}`)
    .digest("hex")
    .slice(0, 16);
}

/**
 * Splits a loaded document into retrieval chunks.
 * Text documents: chunks never cross a section heading, end at sentence boundaries, hold at most
 * `maxWords` words (balanced within a section) and carry `page`/`pageEnd` (`pageEnd` only when the
 * chunk runs onto a later page) and the section path. Transcripts: windows of whole cues, about
 * `targetSeconds` long within [`minSeconds`, `maxSeconds`] (the last may be shorter), preferably
 * ending at a cue that ends a sentence; they carry the time range and the lecture's id, title and url.
 */
export function chunkDocument(doc: SourceDocument, options: ChunkOptions = {}): Chunk[] {
  const chunks = doc.type === "text" ? chunkText(doc, options) : chunkTranscript(doc, options);
  const language = doc.language ?? detectLanguage(chunks.map((c) => c.text).join("\n"));
  if (language) for (const c of chunks) c.language = language;
  return chunks;
}

interface Unit {
  text: string;
  words: number;
  page?: number;
  pageEnd?: number;
  pageLabel?: string;
  pageEndLabel?: string;
  /** First sentence of a paragraph. */
  paraStart: boolean;
  /** Part of a list: a list item, or the lead-in line ("…:") right before one. */
  inList?: boolean;
}

/** A list (lead-in and items) may make its chunk this many times `maxWords` long, not be split. */
export const LIST_SLACK = 1.6;

const LIST_ITEM = /^\s*(?:[•·▪◦‣∙*–-]|\d{1,2}[.)])\s+/u;

/** Marks list items and their lead-in, so that packing keeps a list in one chunk. */
function markLists(units: Unit[]): void {
  for (let i = 1; i < units.length; i++) {
    const u = units[i] as Unit;
    const before = units[i - 1] as Unit;
    if (!u.inList) continue;
    if (before.text.trim().endsWith(":")) before.inList = true;
  }
}

function sectionGroups(blocks: readonly TextBlock[]): { section: string[]; blocks: TextBlock[] }[] {
  const groups: { section: string[]; blocks: TextBlock[] }[] = [];
  let current: { section: string[]; blocks: TextBlock[]; key: string } | undefined;
  for (const b of blocks) {
    if (b.heading) {
      current = undefined;
      continue;
    }
    const key = b.section.join("\u0000");
    if (!current || current.key !== key) {
      current = { section: b.section, blocks: [], key };
      groups.push(current);
    }
    current.blocks.push(b);
  }
  return groups;
}

/** Passages keep the source's quotes, dashes and bullets. */
const INGEST_SPLIT = { normalize: false, dropBullets: false } as const;

/** Sentences of a section; a sentence cut by a page break is re-joined and spans both pages. */
function unitsOf(blocks: readonly TextBlock[], maxWords: number): Unit[] {
  const units: Unit[] = [];
  for (const b of blocks) {
    splitSentences(b.text, INGEST_SPLIT).forEach((sentence, idx) => {
      const last = units.at(-1);
      const words = countWords(sentence);
      if (
        idx === 0 &&
        last !== undefined &&
        b.page !== undefined &&
        last.pageEnd !== undefined &&
        b.page > last.pageEnd &&
        !endsSentence(last.text)
      ) {
        last.text = `${last.text} ${sentence}`;
        last.words += words;
        last.pageEnd = b.page;
        if (b.pageLabel !== undefined) last.pageEndLabel = b.pageLabel;
        return;
      }
      const unit: Unit = { text: sentence, words, paraStart: idx === 0 };
      if (idx === 0 && LIST_ITEM.test(b.text)) unit.inList = true;
      if (b.page !== undefined) {
        unit.page = b.page;
        unit.pageEnd = b.page;
      }
      if (b.pageLabel !== undefined) {
        unit.pageLabel = b.pageLabel;
        unit.pageEndLabel = b.pageLabel;
      }
      units.push(unit);
    });
  }
  markLists(units);
  return units.flatMap((u) => (u.words > maxWords ? cutLongUnit(u, maxWords) : [u]));
}

function cutLongUnit(u: Unit, maxWords: number): Unit[] {
  const words = u.text.split(/\s+/).filter(Boolean);
  const pieces = Math.ceil(words.length / maxWords);
  const size = Math.ceil(words.length / pieces);
  const out: Unit[] = [];
  for (let i = 0; i < words.length; i += size) {
    const slice = words.slice(i, i + size);
    const piece: Unit = {
      text: slice.join(" "),
      words: slice.length,
      paraStart: i === 0 && u.paraStart,
    };
    if (u.page !== undefined) {
      piece.page = u.page;
      piece.pageEnd = u.pageEnd ?? u.page;
    }
    if (u.pageLabel !== undefined) {
      piece.pageLabel = u.pageLabel;
      piece.pageEndLabel = u.pageEndLabel ?? u.pageLabel;
    }
    out.push(piece);
  }
  return out;
}

/** Groups units into chunks of at most `maxWords`, balanced so the last chunk is not tiny. */
function pack(units: readonly Unit[], maxWords: number, overlap: number): Unit[][] {
  const chunks: Unit[][] = [];
  let i = 0;
  while (i < units.length) {
    const remaining = units.slice(i).reduce((n, u) => n + u.words, 0);
    if (remaining <= maxWords) {
      chunks.push(units.slice(i));
      break;
    }
    const perChunk = remaining / Math.ceil(remaining / maxWords);
    const current: Unit[] = [];
    let words = 0;
    let j = i;
    while (j < units.length) {
      const u = units[j] as Unit;
      // A list item stays with the list it belongs to, up to LIST_SLACK × maxWords.
      const glued = u.inList === true && (units[j - 1]?.inList ?? false) && current.length > 0;
      const limit = glued ? maxWords * LIST_SLACK : maxWords;
      if (current.length > 0 && words + u.words > limit) break;
      current.push(u);
      words += u.words;
      j++;
      const nextGlued = (units[j]?.inList ?? false) && u.inList === true;
      if (words >= perChunk && !nextGlued) break;
    }
    chunks.push(current);
    if (j >= units.length) break;
    i = j - overlap > i ? j - overlap : j;
  }
  return chunks;
}

function joinUnits(units: readonly Unit[]): string {
  return units.map((u, k) => (k === 0 ? u.text : `${u.paraStart ? "\n" : " "}${u.text}`)).join("");
}

/** Where the joined text of `units` moves to another page (see {@link Chunk.pageBreaks}). */
function pageBreaksOf(units: readonly Unit[]): NonNullable<Chunk["pageBreaks"]> {
  const breaks: NonNullable<Chunk["pageBreaks"]> = [];
  let at = 0;
  let current = units[0]?.page;
  const add = (offset: number, page: number, label: string | undefined) => {
    breaks.push(label === undefined ? { at: offset, page } : { at: offset, page, label });
    current = page;
  };
  units.forEach((u, k) => {
    if (k > 0) at += 1;
    if (u.page !== undefined && current !== undefined && u.page > current) {
      add(at, u.page, u.pageLabel);
    }
    // A sentence cut by a page break: its last character is on the later page.
    if (u.pageEnd !== undefined && current !== undefined && u.pageEnd > current) {
      add(at + u.text.length - 1, u.pageEnd, u.pageEndLabel);
    }
    at += u.text.length;
  });
  return breaks;
}

function chunkText(doc: TextDocument, options: ChunkOptions): Chunk[] {
  const maxWords = Math.max(20, options.maxWords ?? 180);
  const overlap = Math.max(0, options.overlapSentences ?? 1);
  const packs: { section: string; units: Unit[] }[] = [];
  for (const group of sectionGroups(doc.blocks)) {
    const section = group.section.join(SECTION_SEPARATOR);
    for (const units of pack(unitsOf(group.blocks, maxWords), maxWords, overlap)) {
      const previous = packs.at(-1);
      if (previous && isFragment(units, section === previous.section)) {
        previous.units.push(...units.map((u, k) => (k === 0 ? { ...u, paraStart: false } : u)));
      } else packs.push({ section, units });
    }
  }
  const chunks: Chunk[] = [];
  for (const { section, units } of packs) {
    const text = joinUnits(units).trim();
    if (!text) continue;
    const ordinal = chunks.length;
    const chunk: Chunk = {
      id: chunkId(doc.path, ordinal, text),
      kind: doc.kind,
      path: doc.path,
      title: doc.title,
      text,
      ordinal,
    };
    if (section) chunk.section = section;
    const page = units[0]?.page;
    const pageEnd = units.at(-1)?.pageEnd;
    if (page !== undefined) chunk.page = page;
    if (page !== undefined && pageEnd !== undefined && pageEnd > page) chunk.pageEnd = pageEnd;
    const label = units[0]?.pageLabel;
    const endLabel = units.at(-1)?.pageEndLabel;
    if (label !== undefined) chunk.pageLabel = label;
    if (chunk.pageEnd !== undefined && endLabel !== undefined) chunk.pageEndLabel = endLabel;
    if (chunk.pageEnd !== undefined) chunk.pageBreaks = pageBreaksOf(units);
    chunks.push(chunk);
  }
  return chunks;
}

/** Fewest words of a passage of its own; shorter ones join the passage before them. */
const FRAGMENT_WORDS = 6;

/**
 * A fragment too short to be a passage: under {@link FRAGMENT_WORDS} words that continue the
 * sentence before them (lower-case start), or any such scrap of the same section.
 */
function isFragment(units: readonly Unit[], sameSection: boolean): boolean {
  const words = units.reduce((n, u) => n + u.words, 0);
  if (words >= FRAGMENT_WORDS) return false;
  return sameSection || /^\p{Ll}/u.test(units[0]?.text ?? "");
}

/**
 * Whether cue `j` ends a sentence: its text ends like one and the next cue does not go on in
 * lower case ("… no 2024." + "līdz 2029. gadam …" is one sentence about a period).
 */
function endsSentenceAt(cues: readonly Cue[], j: number): boolean {
  const next = cues[j + 1]?.text.trimStart() ?? "";
  return endsSentence((cues[j] as Cue).text) && !/^\p{Ll}/u.test(next);
}

/** Picks the index of the last cue of the window starting at `i`. */
function windowEnd(
  cues: readonly Cue[],
  i: number,
  min: number,
  max: number,
  target: number,
): number {
  const first = cues[i] as Cue;
  let bestSentence = -1;
  let bestAny = -1;
  let lastFitting = i;
  for (let j = i; j < cues.length; j++) {
    const duration = (cues[j] as Cue).end - first.start;
    if (j > i && duration > max) break;
    lastFitting = j;
    if (duration < min) continue;
    const distance = Math.abs(duration - target);
    const closer = (k: number) =>
      k < 0 || distance < Math.abs((cues[k] as Cue).end - first.start - target);
    if (endsSentenceAt(cues, j) && closer(bestSentence)) bestSentence = j;
    if (closer(bestAny)) bestAny = j;
  }
  if (lastFitting === cues.length - 1) {
    const chosen = bestSentence >= 0 ? bestSentence : bestAny;
    const rest = chosen >= 0 ? (cues.at(-1) as Cue).end - (cues[chosen + 1]?.start ?? 0) : 0;
    if (chosen < 0 || chosen === cues.length - 1 || rest < min) return lastFitting;
  }
  if (bestSentence >= 0) return bestSentence;
  if (bestAny >= 0) return bestAny;
  return lastFitting;
}

function chunkTranscript(doc: TranscriptDocument, options: ChunkOptions): Chunk[] {
  const target = Math.max(1, options.targetSeconds ?? 60);
  const min = options.minSeconds ?? Math.min(30, target * 0.5);
  const max = Math.max(options.maxSeconds ?? Math.max(90, target * 1.5), min);
  const overlap = Math.max(0, options.overlapCues ?? 1);
  const cues = doc.cues.filter((c) => c.text.trim() !== "");
  const title = doc.meta?.title ?? doc.title;
  const url = doc.meta?.url?.trim();
  const chunks: Chunk[] = [];
  let i = 0;
  while (i < cues.length) {
    const j = windowEnd(cues, i, min, max, target);
    const window = cues.slice(i, j + 1);
    const text = window
      .map((c) => c.text.trim())
      .join(" ")
      .replace(/\s+/g, " ");
    const ordinal = chunks.length;
    const chunk: Chunk = {
      id: chunkId(doc.path, ordinal, text),
      kind: doc.kind,
      path: doc.path,
      title,
      text,
      startSec: (window[0] as Cue).start,
      endSec: Math.max(...window.map((c) => c.end)),
      ordinal,
    };
    if (url) chunk.url = url;
    if (doc.meta?.id) chunk.lectureId = doc.meta.id;
    chunks.push(chunk);
    if (j >= cues.length - 1) break;
    i = j + 1 - overlap > i ? j + 1 - overlap : j + 1;
  }
  return chunks;
}
