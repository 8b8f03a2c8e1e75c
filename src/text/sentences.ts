/**
 * Sentence splitting for Latvian and English text: abbreviations, ordinal numbers in dates
 * ("2017. gada 12. oktobrī"), decimal numbers, initials, section numbers, bullets and
 * line-wrapped text.
 */
import { normalizeText } from "./normalize.js";

/**
 * Abbreviations (lower case, without the final dot) after which a dot does not end a
 * sentence, whatever follows: "5 milj. EUR", "Nr. 5", "t.sk. Rīgā", "prof. Kalniņš".
 * Abbreviations that often do end a sentence ("utt.", "u.c.", "etc.") are not here: after them
 * the usual rule applies (a split when an upper-case letter follows).
 */
const NO_SPLIT_ABBREVIATIONS: ReadonlySet<string> = new Set([
  // Latvian
  "piem",
  "nr",
  "t.sk",
  "tsk",
  "t.i",
  "milj",
  "mlj",
  "mljrd",
  "mlrd",
  "tūkst",
  "g",
  "gs",
  "gg",
  "prof",
  "doc",
  "dr",
  "asoc",
  "sk",
  "skat",
  "lpp",
  "plkst",
  "apm",
  "resp",
  "sal",
  "att",
  "tab",
  "pielik",
  "p",
  "pp",
  "st",
  "kv",
  "iel",
  "nod",
  "red",
  "aut",
  "izd",
  "vsk",
  "v.sk",
  "dz",
  "val",
  "angl",
  "lat",
  "vēst",
  "sl",
  "kpt",
  "ltn",
  "ģen",
  "ap",
  "pag",
  "nov",
  "str",
  "tālr",
  "mob",
  "iesk",
  "salīdz",
  "u.c.t",
  "tūkt",
  "mil",
  // English
  "e.g",
  "i.e",
  "mr",
  "mrs",
  "ms",
  "vs",
  "cf",
  "approx",
  "fig",
  "no",
  "jr",
  "sr",
  "dept",
  "art",
]);

const BULLET_START = /^(?:[-•▪◦‣●○■□*·]\s+|\(?\d{1,2}\)\s+|\(?[a-zA-Z]\)\s+)/;
const NUMBERED_HEADING = /^\d+(?:\.\d+)*\.?\s+\p{Lu}/u;
// Closing and opening quotes include the typographic ones, for text that is not normalised.
const TERMINAL = /[.!?…]+["'”’»)\]]*(?=\s|$)/g;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const NUMBERING_ONLY = /^(?:\d+(?:\.\d+)*\.?|\(?\d{1,2}\)|[-•▪◦‣●○■□*·])$/;
const NUMBER = /^\d+(?:[.,]\d+)*$/;
const INITIALS = /^(?:\p{Lu}\.)*\p{Lu}$/u;
const LEADING_BULLET = /^[-•▪◦‣●○■□*·]\s+/;

/** Whether a line starts a new unit rather than continuing the previous (wrapped) line. */
function startsNewUnit(prev: string, line: string): boolean {
  if (BULLET_START.test(line) || NUMBERED_HEADING.test(line)) return true;
  const first = line[0] ?? "";
  if (LOWER.test(first)) return false;
  if (/[.!?…:;]["')\]]*$/.test(prev)) return true;
  if (/\d/.test(first)) return false;
  // An upper-case start after an unpunctuated line: a heading above it, unless the previous
  // line is long enough to be a wrapped line of running text.
  return prev.length < 60;
}

/** Groups lines into units: paragraphs, headings and bullet items, wrapped lines rejoined. */
function units(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") {
      if (current) out.push(current);
      current = "";
      continue;
    }
    if (current === "") current = line;
    else if (startsNewUnit(current, line)) {
      out.push(current);
      current = line;
    } else if (current.endsWith("-") && LOWER.test(line[0] ?? "") && /\p{L}-$/u.test(current)) {
      current = current.slice(0, -1) + line;
    } else current = `${current} ${line}`;
  }
  if (current) out.push(current);
  return out;
}

/** The word right before position `end` (back to the previous whitespace). */
function wordBefore(s: string, end: number): string {
  let i = end;
  while (i > 0 && !/\s/.test(s[i - 1] ?? "")) i--;
  return s.slice(i, end).replace(/^["'„“«([]+/, "");
}

/** The text after position `start`, skipping whitespace and opening quotes and brackets. */
function nextWord(s: string, start: number): string {
  const m = /^\s*["'„“«([]*(\S*)/.exec(s.slice(start, start + 40));
  return m?.[1] ?? "";
}

/** Decides whether the terminal punctuation `punct` ending at `end` ends a sentence. */
function endsSentence(
  unit: string,
  sentenceStart: number,
  punctStart: number,
  punct: string,
  end: number,
): boolean {
  const next = nextWord(unit, end);
  if (next === "") return true;
  const first = next[0] ?? "";
  if (LOWER.test(first)) return false;
  if (!punct.startsWith(".") || /[!?]/.test(punct)) return true;
  if (punct.startsWith("...") || punct.startsWith(".."))
    return UPPER.test(first) || /\d/.test(first);
  const word = wordBefore(unit, punctStart);
  const lowerWord = word.toLowerCase();
  if (NO_SPLIT_ABBREVIATIONS.has(lowerWord)) return false;
  if (INITIALS.test(word)) return false;
  const sentenceSoFar = unit.slice(sentenceStart, end).trim();
  if (NUMBERING_ONLY.test(sentenceSoFar)) return false;
  if (NUMBER.test(word) && /^\d/.test(next)) return false;
  return true;
}

/** Options of {@link splitSentences}. */
export interface SplitSentencesOptions {
  /**
   * Normalise the text first (`normalizeText`: quotes, dashes, white space). Default true;
   * the chunker passes false, so that passages keep the source's typography.
   */
  normalize?: boolean;
  /** Remove leading bullet symbols ("• ", "- "). Default true; the chunker keeps them. */
  dropBullets?: boolean;
}

/**
 * Splits text into sentences. Line breaks end a sentence before a bullet or a numbered
 * heading, after terminal punctuation, and after a short unpunctuated line (a heading); other
 * line breaks are wraps and are joined. Inside a line, ".", "!", "?" and "…" end a sentence
 * unless a lower-case word follows, the word before is a known abbreviation ("piem.", "milj.",
 * "Nr.", "t.sk."), an initial ("J. Bērziņš"), or the sentence so far is only a section number
 * ("9.1.1."). Ordinal dots ("2017. gada 12. oktobrī") and decimals ("14.92") never split.
 * Leading bullet symbols are removed (unless `dropBullets: false`); numbering is kept.
 */
export function splitSentences(text: string, options: SplitSentencesOptions = {}): string[] {
  const out: string[] = [];
  const dropBullets = options.dropBullets ?? true;
  const source = (options.normalize ?? true) ? normalizeText(text) : text.trim();
  for (const unit of units(source)) {
    let start = 0;
    TERMINAL.lastIndex = 0;
    for (let m = TERMINAL.exec(unit); m !== null; m = TERMINAL.exec(unit)) {
      const end = m.index + m[0].length;
      if (!endsSentence(unit, start, m.index, m[0], end)) continue;
      push(out, unit.slice(start, end), dropBullets);
      start = end;
    }
    push(out, unit.slice(start), dropBullets);
  }
  return out;
}

function push(out: string[], sentence: string, dropBullets: boolean): void {
  const trimmed = sentence.trim();
  const s = dropBullets ? trimmed.replace(LEADING_BULLET, "") : trimmed;
  if (s !== "") out.push(s);
}
