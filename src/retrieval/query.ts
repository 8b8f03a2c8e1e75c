import { analyze } from "../text/analyze.js";
import { expandEnglishQuery, segmentEnglishQuery } from "../text/glossary.js";
import { detectLanguage } from "../text/language.js";
import { type SynonymUse, synonymsOf } from "../text/synonyms.js";
import type { SpellingCorrector } from "./spelling.js";

/** A question made ready for search. */
export interface PreparedQuery {
  /** The text embedded for vector search: for English questions, with Latvian glossary terms. */
  text: string;
  language: "lv" | "en";
  /** Analysed tokens for keyword search and relevance, normalised against the index vocabulary. */
  tokens: string[];
  /** Tokens that were guessed (misspelling or verb form matched to a close indexed token). */
  approximate: string[];
  /** Words of an English question that neither the glossary nor the index knows. */
  unknown: string[];
}

/**
 * Words people put around a question in chat that say nothing about its subject: greetings,
 * politeness, "I want", "really" … They are left out of the query's tokens.
 */
const FILLERS = new Set(
  analyze(
    "sveiki sveika sveiks čau klau ei hei labdien labvakar labrīt lūdzu paldies gribu gribam gribētu gribētos " +
      "vajag vajadzētu reāli vispār tiešām pastāstiet pastāsti pasaki sakiet zināt zini interesē " +
      "ok okei nu jautājums jautājumiņš čakarēties ņemties",
  ),
);

/** Prefixes that inflect a verb without changing its meaning (debitive "jā-", negation "ne-"). */
const PREFIXES = ["ja", "ne"];

/**
 * Prepares a question: language, analysed tokens without chat fillers, everyday words joined
 * by the materials' terms for them (`synonyms`: see {@link SynonymUse}), inflected verb
 * prefixes and misspellings normalised against the index vocabulary. English questions are
 * searched through their Latvian glossary terms (one per phrase, see {@link translateEnglish}),
 * plus any English token the index itself knows (names such as ALTUM, LEADER, numbers); only
 * tokens the index contains are kept.
 */
export function prepareQuery(
  query: string,
  vocabulary: ReadonlyMap<string, number>,
  speller: SpellingCorrector,
  association?: Association,
  synonyms: SynonymUse = "always",
): PreparedQuery {
  const language = detectLanguage(query);
  if (language === "en") {
    const expansion = expandEnglishQuery(query, { keepUnknown: false });
    const known = analyze(query).filter((t) => vocabulary.has(t));
    const { translated, unknown } = translateEnglish(query, vocabulary, association);
    return {
      text: `${query} ${expansion}`,
      language,
      tokens: [...new Set([...translated, ...known])],
      approximate: [],
      unknown: [...new Set(unknown)],
    };
  }
  const tokens: string[] = [];
  const approximate: string[] = [];
  const words = analyze(query).filter((raw) => !FILLERS.has(raw));
  for (const raw of words) {
    let t = raw;
    if (!vocabulary.has(t)) {
      const stripped = PREFIXES.map((p) => (t.startsWith(p) ? t.slice(p.length) : "")).find(
        (rest) => rest.length >= 4 && vocabulary.has(rest),
      );
      t = stripped ?? speller.correct(t);
      if (!stripped && t !== raw) approximate.push(t);
    }
    tokens.push(t);
  }
  const extra =
    synonyms === "off"
      ? { tokens: [], text: "" }
      : synonymsOf(words, synonyms === "unseen" ? (t) => vocabulary.has(t) : undefined);
  tokens.push(...extra.tokens);
  const text = extra.text ? `${query} ${extra.text}` : query;
  return { text, language, tokens: [...new Set(tokens)], approximate, unknown: [] };
}

/**
 * The index tokens of an English question, and its words the index does not know. Each
 * glossary phrase gives the tokens of ONE of its Latvian terms ({@link bestTerm}): a glossary
 * lists alternatives of which the materials use one, and every alternative kept would lower the
 * share of the question's words that a fitting passage holds (the embedded text keeps them
 * all). A word is unknown when the index holds neither it nor the whole of one of its Latvian
 * terms: a subject the materials never mention stays visible even when the glossary translates
 * it. Abbreviations and numbers are kept.
 */
function translateEnglish(
  query: string,
  vocabulary: ReadonlyMap<string, number>,
  association?: Association,
): { translated: string[]; unknown: string[] } {
  const translated: string[] = [];
  const unknown: string[] = [];
  const unseen = (words: readonly string[]) =>
    analyze(words.join(" ")).filter((t) => !vocabulary.has(t));
  const segments = segmentEnglishQuery(query);
  // Each piece's Latvian terms the index holds whole: the senses to choose from.
  const senses = segments.map((s) =>
    s.kind === "kept"
      ? [analyze(s.words.join(" "))]
      : s.kind === "glossary"
        ? heldTerms(s.latvian ?? [], vocabulary)
        : [],
  );
  segments.forEach((s, i) => {
    if (s.kind === "kept") translated.push(...analyze(s.words.join(" ")));
    else if (s.kind === "unknown") unknown.push(...unseen(s.words));
    else if (s.kind === "glossary") {
      const others = senses.filter((_, j) => j !== i);
      const best = association
        ? inContext(senses[i] ?? [], others, vocabulary, association)
        : mostFrequent(senses[i] ?? [], vocabulary);
      if (best.length) translated.push(...best);
      else unknown.push(...unseen(s.words));
    }
  });
  return { translated: translated.filter((t) => vocabulary.has(t)), unknown };
}

/**
 * How strongly two terms (analysed tokens) go together in the indexed passages, in [0, 1]:
 * e.g. the Dice coefficient of the passages that hold each whole.
 */
export type Association = (a: readonly string[], b: readonly string[]) => number;

/** The analysed tokens of each Latvian term the index holds whole (see {@link bestTerm}). */
function heldTerms(terms: readonly string[], vocabulary: ReadonlyMap<string, number>): string[][] {
  return terms
    .map((term) => analyze(term))
    .filter((tokens) => tokens.length > 0 && tokens.every((t) => vocabulary.has(t)));
}

/**
 * The sense of a glossary phrase that goes best with the rest of the question: the term whose
 * passages most share the other phrases' terms (for each other phrase, its best-associated
 * sense), as in co-occurrence translation disambiguation (Ballesteros & Croft, 1998). "Call"
 * beside "ministry" is "piezvanīt", not "saukt". With no association to go by, the most
 * frequent term ({@link bestTerm}). The statistics are those of the indexed passages: in a small
 * corpus a sense may go with nothing, and a wrong one win by one shared passage.
 */
function inContext(
  senses: readonly string[][],
  others: readonly string[][][],
  vocabulary: ReadonlyMap<string, number>,
  association: Association,
): string[] {
  if (senses.length < 2) return senses[0] ?? [];
  let best: string[] = [];
  let bestScore = 0;
  for (const sense of senses) {
    let score = 0;
    for (const other of others) {
      score += Math.max(0, ...other.map((o) => association(sense, o)));
    }
    if (score > bestScore) {
      best = sense;
      bestScore = score;
    }
  }
  return bestScore > 0 ? best : mostFrequent(senses, vocabulary);
}

/**
 * The tokens of the Latvian term whose words are all in the index, the most frequent one
 * (none: `[]`). A term the index holds only in part ("procentu likme" where the materials have
 * "procentu" but never "likme") is not what they talk about.
 */
export function bestTerm(
  terms: readonly string[],
  vocabulary: ReadonlyMap<string, number>,
): string[] {
  return mostFrequent(heldTerms(terms, vocabulary), vocabulary);
}

/** The term (analysed tokens) whose tokens occur in the most passages, summed. */
function mostFrequent(
  terms: readonly string[][],
  vocabulary: ReadonlyMap<string, number>,
): string[] {
  let best: string[] = [];
  let bestScore = 0;
  for (const tokens of terms) {
    const frequency = tokens.reduce((a, t) => a + (vocabulary.get(t) ?? 0), 0);
    if (frequency > bestScore) {
      best = tokens;
      bestScore = frequency;
    }
  }
  return best;
}
