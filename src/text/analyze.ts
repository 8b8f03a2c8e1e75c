/**
 * The analyzer: text → the tokens that the keyword index and the local embedder see.
 *
 * Pipeline: normalise (only when the text has non-ASCII characters) → split into words and
 * numbers → lower-case → fold diacritics → drop stop words and one-letter words → stem with
 * the folded Latvian ending table.
 *
 * Diacritics strategy: every word is folded BEFORE stemming, and stemmed with the folded
 * ending table ({@link stemLatvianFolded}). Input typed with and without diacritics therefore
 * reaches the stemmer as the same string and gets the same token by construction
 * ("uzņēmuma" and "uznemuma" → "uznemum"). On nouns and adjectives this is the same as stemming
 * with diacritics and folding afterwards, because the alternations that stemming undoes (ļ→l,
 * ņ→n, č→c, šņ→sn …) are exactly what folding does anyway; the exceptions (1.4% of SIB-200's
 * word forms) are -āj- forms, where the folded stemmer is the more consistent one
 * (every case of lietotājs → "lietot").
 *
 * Token alphabet: a–z, 0–9, other scripts' letters, and "." inside numbers only
 * ("14,92" → "14.92", "2 800" → "2800", "9.1.1.3." → "9.1.1.3").
 */
import { foldDiacritics, hasNonAscii, normalizeForAnalysis, normalizeText } from "./normalize.js";
import { stemLatvianFolded } from "./stemmer.js";
import { STOPWORDS } from "./stopwords.js";

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Folded stop words to drop; `false` keeps every word. Default: {@link STOPWORDS}. */
  stopwords?: ReadonlySet<string> | false;
  /** Stem words (default true). */
  stem?: boolean;
}

/** Receives each kept term: its token and its folded, lower-case surface word. */
export type TermSink = (token: string, surface: string) => void;

/** One character that may group thousands: "12 500", also with a no-break or thin space. */
const GROUP_SEP = "[ \\t\\v\\f\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]";
const GROUP_SEP_G = new RegExp(GROUP_SEP, "g");

/**
 * A number with grouped thousands and an optional decimal comma ("12 500,50"), or a word
 * (letters, combining marks, digits) with optional decimal or section parts ("14,92", "9.1.1").
 */
const TERM_RE = new RegExp(
  `\\d{1,3}(?:${GROUP_SEP}\\d{3})+(?:,\\d+)?(?![\\p{L}\\p{N}])|[\\p{L}\\p{N}\\p{M}]+(?:[.,]\\d+)*`,
  "gu",
);
const DIGIT_RE = /\d/;

/** Capitalised forms that are abbreviations although their lower case is a stop word. */
const CASE_SENSITIVE_KEEP: Readonly<Record<string, string>> = { ES: "es", IT: "it" };
const CASE_SENSITIVE_WORD = /(?<![\p{L}\p{N}\p{M}])(?:ES|IT)(?![\p{L}\p{N}\p{M}])/u;

/** Folded names and abbreviations that are not inflected and must not lose an "ending". */
const PROTECTED: ReadonlySet<string> = new Set(["altum", "leader", "interreg", "erasmus", "covid"]);

function numberToken(raw: string): string {
  let t = raw.replace(GROUP_SEP_G, "").replace(/,/g, ".");
  if (hasNonAscii(t)) t = foldDiacritics(t);
  return t.toLowerCase();
}

function wordToken(folded: string, stop: ReadonlySet<string> | false, stem: boolean): string {
  if (folded.length < 2 || (stop !== false && stop.has(folded))) return "";
  return stem && !PROTECTED.has(folded) ? stemLatvianFolded(folded) : folded;
}

/** The reference analysis: a Unicode-aware pattern, then lower-casing and folding per word. */
function collectReference(
  text: string,
  options: AnalyzeOptions | undefined,
  tokens: string[],
  surfaces: string[] | null,
): void {
  const stop = options?.stopwords === undefined ? STOPWORDS : options.stopwords;
  const stem = options?.stem !== false;
  const joined = joinECompounds(text);
  const t = hasNonAscii(joined) ? normalizeForAnalysis(joined) : joined;
  for (const m of t.matchAll(TERM_RE)) {
    const raw = m[0];
    let token: string;
    let surface: string;
    if (DIGIT_RE.test(raw)) {
      token = surface = numberToken(raw);
    } else if (CASE_SENSITIVE_KEEP[raw] !== undefined) {
      token = surface = CASE_SENSITIVE_KEEP[raw];
    } else {
      const lower = raw.toLowerCase();
      surface = hasNonAscii(lower) ? foldDiacritics(lower) : lower;
      token = wordToken(surface, stop, stem);
    }
    if (token === "") continue;
    tokens.push(token);
    surfaces?.push(surface);
  }
}

/*
 * The fast path. It scans the lower-cased text once, folding each character through a table
 * (non-ASCII letter → its ASCII base letter, space-like → " ", punctuation → "#"), hashes words
 * on the fly and finds known words in a cache without allocating strings. A character the
 * table cannot fold one-to-one (letters of other scripts, combining marks, soft hyphens,
 * non-ASCII digits …) sends the whole text to the reference path, as do "ES" and "IT".
 */

const FOLD_LIMIT = 0x2200;
const UNSUPPORTED = 0;

/** Folded ASCII code of each (lower-case) character below {@link FOLD_LIMIT}. */
const FOLD: Uint8Array = (() => {
  const table = new Uint8Array(FOLD_LIMIT);
  const space = /^[\u00A0\u1680\u2000-\u200A\u202F\u205F]$/;
  const unsupported = /^[\p{M}\p{N}\p{Cf}\p{Cs}]$/u;
  const letter = /^\p{L}$/u;
  for (let c = 0; c < FOLD_LIMIT; c++) {
    if (c < 128) {
      table[c] = c === 0 ? 35 : c;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (space.test(ch)) table[c] = 32;
    else if (unsupported.test(ch)) table[c] = UNSUPPORTED;
    else if (letter.test(ch)) {
      const f = foldDiacritics(ch.normalize("NFC").toLowerCase());
      table[c] = /^[a-z]$/.test(f) ? f.charCodeAt(0) : UNSUPPORTED;
    } else table[c] = 35;
  }
  return table;
})();

/** Folded code at position i: -1 past the end or for an unsupported character. */
function foldedAt(s: string, i: number): number {
  if (i >= s.length) return -1;
  const c = s.charCodeAt(i);
  if (c < 128) return c;
  const f = c < FOLD_LIMIT ? (FOLD[c] ?? UNSUPPORTED) : UNSUPPORTED;
  return f === UNSUPPORTED ? -1 : f;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnumCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

function isGroupSepCode(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

/** End of the number term that starts at `start`, whose alphanumeric run ends at `runEnd`. */
function numberEnd(s: string, start: number, runEnd: number, allDigits: boolean): number {
  if (allDigits && runEnd - start <= 3) {
    let groups = 0;
    let lastEnd = runEnd;
    let prevEnd = runEnd;
    while (
      isGroupSepCode(foldedAt(s, lastEnd)) &&
      isDigitCode(foldedAt(s, lastEnd + 1)) &&
      isDigitCode(foldedAt(s, lastEnd + 2)) &&
      isDigitCode(foldedAt(s, lastEnd + 3))
    ) {
      prevEnd = lastEnd;
      lastEnd += 4;
      groups++;
    }
    if (groups > 0) {
      if (foldedAt(s, lastEnd) === 44 && isDigitCode(foldedAt(s, lastEnd + 1))) {
        let q = lastEnd + 2;
        while (isDigitCode(foldedAt(s, q))) q++;
        if (!isAlnumCode(foldedAt(s, q))) return q;
      }
      if (!isAlnumCode(foldedAt(s, lastEnd))) return lastEnd;
      if (groups > 1) return prevEnd;
    }
  }
  let end = runEnd;
  for (;;) {
    const c = foldedAt(s, end);
    if ((c !== 46 && c !== 44) || !isDigitCode(foldedAt(s, end + 1))) return end;
    end += 2;
    while (isDigitCode(foldedAt(s, end))) end++;
  }
}

const codeBuffer: number[] = [];

/** The folded string of s[start, end), without group separators and with "," → ".". */
function foldedString(s: string, start: number, end: number, isNumber: boolean): string {
  let out = "";
  codeBuffer.length = 0;
  for (let i = start; i < end; i++) {
    const c = foldedAt(s, i);
    if (isNumber && isGroupSepCode(c)) continue;
    codeBuffer.push(isNumber && c === 44 ? 46 : c);
    if (codeBuffer.length === 4096) {
      out += String.fromCharCode(...codeBuffer);
      codeBuffer.length = 0;
    }
  }
  return out + String.fromCharCode(...codeBuffer);
}

/**
 * An open-addressing cache from a folded word (the key, kept as the surface string) to its
 * token ("" for a stop word), probed straight from the characters of the text so that known
 * words cost no allocation. Used with the default options only. It starts small (a small
 * vocabulary stays in the processor cache), doubles when half full, and is emptied when half
 * full at its largest size.
 */
const CACHE_MIN_BITS = 12;
const CACHE_MAX_BITS = 17;
let cacheSize = 1 << CACHE_MIN_BITS;
let cacheMask = cacheSize - 1;
/** Interleaved [key, token] pairs, so that one probe touches one place. */
let cacheEntries: (string | undefined)[] = new Array(2 * cacheSize).fill(undefined);
let cacheHashes = new Int32Array(cacheSize);
let cacheFill = 0;

/** The slot holding the folded word of s[start, end), or the empty slot where it belongs. */
function cacheSlot(s: string, start: number, end: number, hash: number): number {
  const len = end - start;
  let slot = (hash ^ (hash >>> 15)) & cacheMask;
  for (;;) {
    const key = cacheEntries[2 * slot];
    if (key === undefined) return slot;
    if (cacheHashes[slot] === hash && key.length === len) {
      let k = 0;
      while (k < len) {
        let c = s.charCodeAt(start + k);
        if (c >= 128) c = FOLD[c] ?? UNSUPPORTED;
        if (key.charCodeAt(k) !== c) break;
        k++;
      }
      if (k === len) return slot;
    }
    slot = (slot + 1) & cacheMask;
  }
}

/** Makes room for one more entry: doubles the table, or empties it at the largest size. */
function cacheMakeRoom(): void {
  if (2 * (cacheFill + 1) <= cacheSize) return;
  const oldEntries = cacheEntries;
  const oldHashes = cacheHashes;
  const oldSize = cacheSize;
  if (cacheSize < 1 << CACHE_MAX_BITS) cacheSize *= 2;
  cacheMask = cacheSize - 1;
  cacheEntries = new Array(2 * cacheSize).fill(undefined);
  cacheHashes = new Int32Array(cacheSize);
  if (cacheSize === oldSize) {
    cacheFill = 0;
    return;
  }
  for (let i = 0; i < oldSize; i++) {
    const key = oldEntries[2 * i];
    if (key === undefined) continue;
    const hash = oldHashes[i] ?? 0;
    let slot = (hash ^ (hash >>> 15)) & cacheMask;
    while (cacheEntries[2 * slot] !== undefined) slot = (slot + 1) & cacheMask;
    cacheEntries[2 * slot] = key;
    cacheEntries[2 * slot + 1] = oldEntries[2 * i + 1];
    cacheHashes[slot] = hash;
  }
}

/** The fast path; returns false (having added nothing) when the text needs the reference path. */
function collectFast(
  text: string,
  options: AnalyzeOptions | undefined,
  tokens: string[],
  surfaces: string[] | null,
): boolean {
  if ((text.includes("ES") || text.includes("IT")) && CASE_SENSITIVE_WORD.test(text)) return false;
  const stop = options?.stopwords === undefined ? STOPWORDS : options.stopwords;
  const stem = options?.stem !== false;
  const useCache = options?.stopwords === undefined && stem;
  const s = text.toLowerCase();
  const n = s.length;
  const tokens0 = tokens.length;
  const fail = (): boolean => {
    tokens.length = tokens0;
    if (surfaces) surfaces.length = tokens0;
    return false;
  };
  let i = 0;
  while (i < n) {
    let raw = s.charCodeAt(i);
    let c = raw < 128 ? raw : raw < FOLD_LIMIT ? (FOLD[raw] ?? UNSUPPORTED) : UNSUPPORTED;
    if (c === UNSUPPORTED) return fail();
    if (!isAlnumCode(c)) {
      i++;
      continue;
    }
    const start = i;
    let hash = 0x811c9dc5 | 0;
    let digits = 0;
    let nonAscii = false;
    for (;;) {
      if (c >= 97 && c <= 122) hash = Math.imul(hash ^ c, 0x01000193);
      else if (c >= 48 && c <= 57) digits++;
      else break;
      if (raw >= 128) nonAscii = true;
      if (++i >= n) {
        c = -1;
        break;
      }
      raw = s.charCodeAt(i);
      c = raw < 128 ? raw : raw < FOLD_LIMIT ? (FOLD[raw] ?? UNSUPPORTED) : UNSUPPORTED;
      if (c === UNSUPPORTED) return fail();
    }
    if (digits > 0 || ((c === 46 || c === 44) && isDigitCode(foldedAt(s, i + 1)))) {
      const end = numberEnd(s, start, i, digits === i - start);
      const num = foldedString(s, start, end, true);
      tokens.push(num);
      surfaces?.push(num);
      i = end;
      continue;
    }
    if (i - start < 2) continue;
    let surface: string;
    let token: string;
    if (useCache) {
      const slot = cacheSlot(s, start, i, hash);
      const key = cacheEntries[2 * slot];
      if (key !== undefined) {
        surface = key;
        token = cacheEntries[2 * slot + 1] ?? "";
      } else {
        surface = nonAscii ? foldedString(s, start, i, false) : s.slice(start, i);
        token = wordToken(surface, STOPWORDS, true);
        let free = slot;
        if (2 * (cacheFill + 1) > cacheSize) {
          cacheMakeRoom();
          free = cacheSlot(s, start, i, hash);
        }
        cacheEntries[2 * free] = surface;
        cacheEntries[2 * free + 1] = token;
        cacheHashes[free] = hash;
        cacheFill++;
      }
    } else {
      surface = nonAscii ? foldedString(s, start, i, false) : s.slice(start, i);
      token = wordToken(surface, stop, stem);
    }
    if (token === "") continue;
    tokens.push(token);
    surfaces?.push(surface);
  }
  return true;
}

/**
 * "e-" compounds ("e-pasts", "e-adrese", "e-veikals") are words of their own: split at the
 * hyphen, "e-pastu" would become "pastu" and match questions about the post.
 */
const E_COMPOUND = /(?<![\p{L}\p{N}\p{M}])([eE])[-\u2010\u2011](?=\p{L})/gu;
const E_COMPOUND_HINT = /[eE][-\u2010\u2011]/;

function joinECompounds(text: string): string {
  return E_COMPOUND_HINT.test(text) ? text.replace(E_COMPOUND, "$1") : text;
}

function collect(
  text: string,
  options: AnalyzeOptions | undefined,
  tokens: string[],
  surfaces: string[] | null,
): void {
  text = joinECompounds(text);
  if (!collectFast(text, options, tokens, surfaces))
    collectReference(text, options, tokens, surfaces);
}

/**
 * Analyses text into index tokens: lower-case, diacritic-free stems of the words that are not
 * stop words, and normalised numbers. Example: "Sociālajam uzņēmumam jābūt reģistrētam
 * 2017. gadā" → ["social", "uznemum", "registret", "2017", "gad"].
 */
export function analyze(text: string, options?: AnalyzeOptions): string[] {
  const tokens: string[] = [];
  collect(text, options, tokens, null);
  return tokens;
}

/**
 * Like {@link analyze}, also returning each token's surface word (lower-case, folded, not
 * stemmed), index for index: e.g. token "uznemum" with surface "uznemumiem".
 */
export function analyzeWithSurfaces(
  text: string,
  options?: AnalyzeOptions,
): { tokens: string[]; surfaces: string[] } {
  const tokens: string[] = [];
  const surfaces: string[] = [];
  collect(text, options, tokens, surfaces);
  return { tokens, surfaces };
}

/** Calls `sink` for every kept term of `text`, in order. */
export function forEachTerm(text: string, sink: TermSink, options?: AnalyzeOptions): void {
  const { tokens, surfaces } = analyzeWithSurfaces(text, options);
  for (let i = 0; i < tokens.length; i++) sink(tokens[i] ?? "", surfaces[i] ?? "");
}

/**
 * The reference implementation of {@link analyze}: slower and simpler, one regular expression
 * and per-word folding. `analyze` gives the same tokens; tests compare the two.
 */
export function analyzeReference(text: string, options?: AnalyzeOptions): string[] {
  const tokens: string[] = [];
  collectReference(text, options, tokens, null);
  return tokens;
}

/** Analyses one word; returns "" when it is a stop word or not a word. */
export function analyzeWord(word: string, options?: AnalyzeOptions): string {
  return analyze(word, options)[0] ?? "";
}

/**
 * Splits text into its surface words and numbers: normalised, lower-case, diacritics kept,
 * nothing dropped (e.g. "Kā reģistrēt SIA?" → ["kā", "reģistrēt", "sia"]).
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of normalizeText(text).matchAll(TERM_RE)) {
    const raw = m[0];
    out.push(
      DIGIT_RE.test(raw) ? raw.replace(GROUP_SEP_G, "").replace(/,/g, ".") : raw.toLowerCase(),
    );
  }
  return out;
}
