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

function normalizeKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[-‐‑–—]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The glossary file: `english<TAB>latvian<TAB>source`, alternatives separated by " / ". */
export const GLOSSARY_FILE = new URL("./glossary.tsv", import.meta.url);

/** One glossary entry, as the TSV holds it. */
export interface GlossaryEntry {
  english: string;
  latvian: string[];
  /** Where the pairing comes from: `domain`, `vocab` (the materials' words) or `abbr`. */
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

/** The glossary: English term → Latvian terms (read from {@link GLOSSARY_FILE} on first use). */
export function glossary(): ReadonlyMap<string, readonly string[]> {
  if (!loaded) {
    loaded = new Map();
    for (const e of parseGlossary(readFileSync(GLOSSARY_FILE, "utf8"))) {
      loaded.set(e.english, [...(loaded.get(e.english) ?? []), ...e.latvian]);
    }
    maxPhrase = Math.max(1, ...[...loaded.keys()].map((k) => k.split(" ").length));
  }
  return loaded;
}

/** A naive English singular: "taxes" → "tax", "companies" → "company", "grants" → "grant". */
function singular(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

function lookup(words: readonly string[]): readonly string[] | undefined {
  const phrase = words.join(" ");
  const exact = glossary().get(phrase);
  if (exact) return exact;
  const last = words[words.length - 1] ?? "";
  const single = singular(last);
  if (single === last) return undefined;
  return glossary().get([...words.slice(0, -1), single].join(" "));
}

/** Options of {@link expandEnglishQuery}. */
export interface ExpandOptions {
  /** Keep English words that the glossary does not know (names, rare terms). Default true. */
  keepUnknown?: boolean;
}

/**
 * Turns an English question into Latvian search terms: glossary phrases (longest match first,
 * plural or singular) become their Latvian terms, abbreviations (SIA, LM, ALTUM, LEADER …) and
 * numbers are kept, English stop words are dropped, and other words are kept unless
 * `keepUnknown` is false. Example: "How much share capital does a social enterprise need?" →
 * "cik pamatkapitāls sociālais uzņēmums vajadzība".
 */
export function expandEnglishQuery(text: string, options?: ExpandOptions): string {
  const keepUnknown = options?.keepUnknown !== false;
  const raw = text.normalize("NFC").match(/[\p{L}\p{N}]+(?:[.,'’]\p{N}+)*/gu) ?? [];
  const words = raw.map((w) => w.toLowerCase());
  const out: string[] = [];
  const seen = new Set<string>();
  const emit = (term: string): void => {
    if (!seen.has(term)) {
      seen.add(term);
      out.push(term);
    }
  };
  let i = 0;
  while (i < words.length) {
    const original = raw[i] ?? "";
    if (PRESERVED_TERMS.has(original.toUpperCase()) && original === original.toUpperCase()) {
      emit(original);
      i++;
      continue;
    }
    let matched = 0;
    glossary();
    for (let n = Math.min(maxPhrase, words.length - i); n > 0; n--) {
      const lv = lookup(words.slice(i, i + n));
      if (lv) {
        for (const t of lv) emit(t);
        matched = n;
        break;
      }
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const word = words[i] ?? "";
    if (/\p{N}/u.test(word)) emit(word);
    else if (PRESERVED_TERMS.has(original.toUpperCase())) emit(original.toUpperCase());
    else if (keepUnknown && word.length > 1 && !ENGLISH_STOPWORDS.has(word)) emit(original);
    i++;
  }
  return out.join(" ");
}
