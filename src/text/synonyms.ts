/**
 * Everyday Latvian words and the materials' terms for the same thing ("firma" → "uzņēmums",
 * "papīri" → "dokumenti"): data, in `synonyms.tsv` beside this file. A question that uses the
 * everyday word is also searched with the materials' term.
 */
import { readFileSync } from "node:fs";
import { analyze } from "./analyze.js";

/** The thesaurus file: `word<TAB>materials<TAB>source` (header line first). */
export const SYNONYMS_FILE = new URL("./synonyms.tsv", import.meta.url);

/** One line of the thesaurus. */
export interface SynonymEntry {
  /** What a user may type: a word or short phrase. */
  word: string;
  /** The materials' word(s) for it, space-separated. */
  materials: string;
  /** `colloquial`, `synonym`, `derivation` or `loanword`. */
  source: string;
}

/** Parses the thesaurus TSV (header line first; lines without both columns are skipped). */
export function parseSynonyms(text: string): SynonymEntry[] {
  const out: SynonymEntry[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    const [word, materials, source] = line.split("\t").map((c) => c.trim());
    if (word && materials) out.push({ word, materials, source: source ?? "" });
  }
  return out;
}

/** The materials' side of an entry: its analysed tokens and its words as written. */
export interface SynonymTerms {
  tokens: readonly string[];
  text: string;
}

/** Analysed thesaurus: the tokens of a user's word (joined by spaces) → the materials' terms. */
export interface Thesaurus {
  terms: ReadonlyMap<string, SynonymTerms>;
  /** The most tokens a `word` analyses to. */
  longest: number;
}

/** Builds the analysed thesaurus from entries (entries whose word analyses to nothing go). */
export function buildThesaurus(entries: readonly SynonymEntry[]): Thesaurus {
  const terms = new Map<string, SynonymTerms>();
  let longest = 1;
  for (const e of entries) {
    const key = analyze(e.word);
    const value = analyze(e.materials);
    if (key.length === 0 || value.length === 0) continue;
    const k = key.join(" ");
    const had = terms.get(k);
    terms.set(k, {
      tokens: [...new Set([...(had?.tokens ?? []), ...value])],
      text: had ? `${had.text} ${e.materials}` : e.materials,
    });
    longest = Math.max(longest, key.length);
  }
  return { terms, longest };
}

let loaded: Thesaurus | undefined;

/** The shipped thesaurus ({@link SYNONYMS_FILE}, read on first use). */
export function thesaurus(): Thesaurus {
  loaded ??= buildThesaurus(parseSynonyms(readFileSync(SYNONYMS_FILE, "utf8")));
  return loaded;
}

/** When everyday words are searched with the materials' terms too. */
export type SynonymUse =
  /** Never. */
  | "off"
  /** Only for a word (or phrase) with a token the index does not hold. */
  | "unseen"
  /** Whenever the thesaurus knows the word. */
  | "always";

/**
 * The materials' terms for the everyday words among `tokens` (analysed, in order): for each
 * position the longest phrase the thesaurus knows (with `held`, only a phrase with a token
 * `held` says the index lacks counts). Tokens already among `tokens` are not repeated.
 */
export function synonymsOf(
  tokens: readonly string[],
  held?: (token: string) => boolean,
  t: Thesaurus = thesaurus(),
): { tokens: string[]; text: string } {
  const out: string[] = [];
  const texts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(t.longest, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n);
      const hit = t.terms.get(phrase.join(" "));
      if (hit && (!held || !phrase.every(held))) {
        out.push(...hit.tokens);
        texts.push(hit.text);
        i += n - 1;
        break;
      }
    }
  }
  const have = new Set(tokens);
  return { tokens: [...new Set(out)].filter((x) => !have.has(x)), text: texts.join(" ") };
}
