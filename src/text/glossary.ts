/**
 * An English → Latvian glossary of social entrepreneurship in Latvia, and a query expander
 * that lets an English question match the Latvian index without a translator (offline mode).
 */
import { readFileSync } from "node:fs";
import { ENGLISH_STOPWORDS } from "./stopwords.js";

/** Abbreviations and names that the expander keeps as they are. */
export const PRESERVED_TERMS: ReadonlySet<string> = new Set([
  "SIA",
  "LM",
  "ALTUM",
  "LEADER",
  "SEB",
  "UR",
  "VRG",
  "ESF",
  "ES",
  "EUR",
  "VID",
  "PVN",
  "NVA",
  "LAD",
  "LIAA",
  "MK",
  "NVO",
  "ERAF",
  "EIB",
]);

/**
 * Words people put into an English question that say nothing about its subject ("actually",
 * "whether", "something", the "ll" of "we'll", the "doesn" of "doesn't"): treated as stop words, so that they neither
 * stay untranslated nor count as words the materials lack.
 */
export const ENGLISH_FILLERS: ReadonlySet<string> = new Set(
  (
    "actually really basically exactly just also else besides whether something anything " +
    "somewhere anywhere someone anyone itself themselves myself ourselves yourself aside " +
    "wonder hi hello hey thanks thank please kindly whats ll ve re okay ok " +
    // The first half of a negative contraction ("doesn't" is read as "doesn" and "t").
    "don doesn didn isn aren wasn weren hasn haven hadn wouldn couldn shouldn mustn needn"
  ).split(" "),
);

function normalizeKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[-‐‑–—]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The glossary file: `english<TAB>latvian<TAB>source`, alternatives separated by " / ". */
export const GLOSSARY_FILE = new URL("./glossary.tsv", import.meta.url);

/**
 * Everyday and general words (work, law, money, daily life, community …) in the same format,
 * source `general`, for English questions over materials other than the sample's: they fill
 * only the English terms {@link GLOSSARY_FILE} lacks, so the materials' own pairings win.
 */
export const GENERAL_GLOSSARY_FILE = new URL("./glossary-general.tsv", import.meta.url);

/** One glossary entry, as the TSV holds it. */
export interface GlossaryEntry {
  english: string;
  latvian: string[];
  /**
   * Where the pairing comes from: `domain`, `vocab` (the materials' words), `abbr`, or
   * `general` ({@link GENERAL_GLOSSARY_FILE}).
   */
  source: string;
}

/** Parses the glossary TSV (header line first). */
export function parseGlossary(text: string): GlossaryEntry[] {
  const out: GlossaryEntry[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    const [en, lv, source] = line.split("\t");
    if (!en || !lv) continue;
    const latvian = lv
      .split("/")
      .map((t) => t.trim())
      .filter(Boolean);
    if (latvian.length)
      out.push({ english: normalizeKey(en), latvian, source: (source ?? "").trim() });
  }
  return out;
}

let loaded: Map<string, string[]> | undefined;
let maxPhrase = 1;

/**
 * The glossary: English term → Latvian terms, read on first use from {@link GLOSSARY_FILE} and
 * then {@link GENERAL_GLOSSARY_FILE} for the terms the first lacks.
 */
export function glossary(): ReadonlyMap<string, readonly string[]> {
  if (!loaded) {
    const table = new Map<string, string[]>();
    for (const e of parseGlossary(readFileSync(GLOSSARY_FILE, "utf8"))) {
      table.set(e.english, [...(table.get(e.english) ?? []), ...e.latvian]);
    }
    for (const e of parseGlossary(readFileSync(GENERAL_GLOSSARY_FILE, "utf8"))) {
      if (!table.has(e.english)) table.set(e.english, e.latvian);
    }
    loaded = table;
    maxPhrase = Math.max(1, ...[...loaded.keys()].map((k) => k.split(" ").length));
  }
  return loaded;
}

/** Past forms of common irregular English verbs, and their base form. */
const IRREGULAR: Readonly<Record<string, string>> = {
  became: "become",
  began: "begin",
  begun: "begin",
  bought: "buy",
  brought: "bring",
  built: "build",
  chose: "choose",
  chosen: "choose",
  dealt: "deal",
  drew: "draw",
  drawn: "draw",
  fell: "fall",
  fallen: "fall",
  felt: "feel",
  found: "find",
  gave: "give",
  given: "give",
  goes: "go",
  gone: "go",
  went: "go",
  grew: "grow",
  grown: "grow",
  held: "hold",
  kept: "keep",
  knew: "know",
  known: "know",
  laid: "lay",
  led: "lead",
  left: "leave",
  lent: "lend",
  lost: "lose",
  made: "make",
  meant: "mean",
  met: "meet",
  paid: "pay",
  ran: "run",
  rose: "rise",
  risen: "rise",
  said: "say",
  saw: "see",
  seen: "see",
  sold: "sell",
  sent: "send",
  sought: "seek",
  spent: "spend",
  spoke: "speak",
  spoken: "speak",
  stood: "stand",
  taught: "teach",
  thought: "think",
  told: "tell",
  took: "take",
  taken: "take",
  understood: "understand",
  won: "win",
  wrote: "write",
  written: "write",
};

/**
 * Possible dictionary forms of an English word, most likely first: plural and third person
 * ("taxes" → "tax", "companies" → "company", "applies" → "apply"), past and participle
 * ("registered" → "register", "applied" → "apply", "planned" → "plan", "paid" → "pay") and
 * "-ing" ("hiring" → "hire", "running" → "run"). Only forms the glossary has are used, so a
 * wrong guess costs nothing.
 */
export function englishLemmas(word: string): string[] {
  const out: string[] = [];
  const irregular = IRREGULAR[word];
  if (irregular) out.push(irregular);
  const undouble = (stem: string) => (/([bdfgklmnprtz])\1$/.test(stem) ? [stem.slice(0, -1)] : []);
  if (word.length > 4 && word.endsWith("ies")) out.push(`${word.slice(0, -3)}y`);
  else if (word.length > 4 && /(?:sses|xes|ches|shes|zes|oes)$/.test(word))
    out.push(word.slice(0, -2));
  if (word.length > 3 && word.endsWith("s") && !/(?:ss|us|is)$/.test(word))
    out.push(word.slice(0, -1));
  if (word.length > 4 && word.endsWith("ied")) out.push(`${word.slice(0, -3)}y`);
  else if (word.length > 3 && word.endsWith("ed")) {
    const stem = word.slice(0, -2);
    out.push(stem, `${stem}e`, ...undouble(stem));
  }
  if (word.length > 5 && word.endsWith("ing")) {
    const stem = word.slice(0, -3);
    out.push(stem, `${stem}e`, ...undouble(stem));
  }
  return [...new Set(out)].filter((w) => w !== word && w.length > 1);
}

function lookup(words: readonly string[]): readonly string[] | undefined {
  const table = glossary();
  const exact = table.get(words.join(" "));
  if (exact) return exact;
  // One inflected word per phrase ("applied for", "turning into", "paid taxes").
  for (let j = words.length - 1; j >= 0; j--) {
    const word = words[j] ?? "";
    if (ENGLISH_STOPWORDS.has(word)) continue;
    for (const lemma of englishLemmas(word)) {
      const found = table.get([...words.slice(0, j), lemma, ...words.slice(j + 1)].join(" "));
      if (found) return found;
    }
  }
  return undefined;
}

/** One piece of an English question, as {@link segmentEnglishQuery} reads it. */
export interface EnglishSegment {
  /** The words of the piece, as written. */
  words: string[];
  /**
   * `glossary`: a glossary phrase (then `latvian` holds its terms); `kept`: an abbreviation or
   * a number kept as it is; `stop`: an English stop word; `unknown`: a word the glossary lacks.
   */
  kind: "glossary" | "kept" | "stop" | "unknown";
  latvian?: readonly string[];
}

/**
 * Splits an English question into glossary phrases (longest match first, a word of a phrase
 * also in an inflected form: {@link englishLemmas}),
 * kept abbreviations and numbers, stop words and unknown words.
 */
export function segmentEnglishQuery(text: string): EnglishSegment[] {
  const raw = text.normalize("NFC").match(/[\p{L}\p{N}]+(?:[.,'’]\p{N}+)*/gu) ?? [];
  const words = raw.map((w) => w.toLowerCase());
  const out: EnglishSegment[] = [];
  glossary();
  let i = 0;
  while (i < words.length) {
    const original = raw[i] ?? "";
    if (PRESERVED_TERMS.has(original.toUpperCase()) && original === original.toUpperCase()) {
      out.push({ words: [original], kind: "kept" });
      i++;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(maxPhrase, words.length - i); n > 0; n--) {
      const lv = lookup(words.slice(i, i + n));
      if (lv) {
        out.push({ words: raw.slice(i, i + n), kind: "glossary", latvian: lv });
        matched = n;
        break;
      }
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const word = words[i] ?? "";
    if (/\p{N}/u.test(word)) out.push({ words: [word], kind: "kept" });
    else if (PRESERVED_TERMS.has(original.toUpperCase()))
      out.push({ words: [original.toUpperCase()], kind: "kept" });
    else if (word.length > 1 && !ENGLISH_STOPWORDS.has(word) && !ENGLISH_FILLERS.has(word))
      out.push({ words: [original], kind: "unknown" });
    else out.push({ words: [original], kind: "stop" });
    i++;
  }
  return out;
}

/** Options of {@link expandEnglishQuery}. */
export interface ExpandOptions {
  /** Keep English words that the glossary does not know (names, rare terms). Default true. */
  keepUnknown?: boolean;
}

/**
 * Turns an English question into Latvian search terms: glossary phrases (longest match first,
 * inflected forms too) become their Latvian terms, abbreviations (SIA, LM, ALTUM, LEADER …) and
 * numbers are kept, English stop words are dropped, and other words are kept unless
 * `keepUnknown` is false. Example: "How much share capital does a social enterprise need?" →
 * "cik pamatkapitāls sociālais uzņēmums vajadzība".
 */
export function expandEnglishQuery(text: string, options?: ExpandOptions): string {
  const keepUnknown = options?.keepUnknown !== false;
  const out = new Set<string>();
  for (const s of segmentEnglishQuery(text)) {
    if (s.kind === "glossary") for (const t of s.latvian ?? []) out.add(t);
    else if (s.kind === "kept" || (s.kind === "unknown" && keepUnknown))
      for (const w of s.words) out.add(w);
  }
  return [...out].join(" ");
}
