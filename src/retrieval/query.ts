import { analyze } from "../text/analyze.js";
import { expandEnglishQuery } from "../text/glossary.js";
import { detectLanguage } from "../text/language.js";
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

/** Colloquial words and the terms the materials use for the same thing (added to the query). */
const COLLOQUIAL: [string, string][] = [
  ["uztaisīt", "izveidot dibināt"],
  ["uztaisīja", "izveidoja dibināja"],
  ["dabūt", "saņemt iegūt"],
  ["iedot", "piešķirt nodot"],
  ["iedos", "piešķirs"],
  ["invalīds", "invaliditāte"],
  ["invalīdiem", "invaliditāte"],
  ["grīstē", "kļūda"],
  ["salaiž", "kļūda"],
  ["nauda", "finansējums"],
  ["naudu", "finansējums"],
  ["veikals", "tirdzniecība"],
  ["firma", "uzņēmums"],
  ["firmu", "uzņēmums"],
];
const COLLOQUIAL_TOKENS = new Map<string, string[]>(
  COLLOQUIAL.map(([word, terms]) => [analyze(word)[0] ?? word, analyze(terms)]),
);

/** Prefixes that inflect a verb without changing its meaning (debitive "jā-", negation "ne-"). */
const PREFIXES = ["ja", "ne"];

/**
 * Prepares a question: language, analysed tokens without chat fillers, colloquial words
 * mapped to the materials' terms, inflected verb prefixes and misspellings normalised against
 * the index vocabulary. English questions are searched through their Latvian glossary terms,
 * plus any English token the index itself knows (names such as ALTUM, LEADER, numbers); only
 * tokens the index contains are kept, since a glossary offers alternatives of which the
 * materials use one.
 */
export function prepareQuery(
  query: string,
  vocabulary: ReadonlyMap<string, number>,
  speller: SpellingCorrector,
): PreparedQuery {
  const language = detectLanguage(query);
  if (language === "en") {
    const expansion = expandEnglishQuery(query, { keepUnknown: false });
    const known = analyze(query).filter((t) => vocabulary.has(t));
    const tokens = [...new Set([...analyze(expansion), ...known])].filter((t) => vocabulary.has(t));
    const translated = new Set(analyze(expansion));
    const unknown = analyze(expandEnglishQuery(query)).filter(
      (t) => !translated.has(t) && !vocabulary.has(t),
    );
    return {
      text: `${query} ${expansion}`,
      language,
      tokens,
      approximate: [],
      unknown: [...new Set(unknown)],
    };
  }
  const tokens: string[] = [];
  const approximate: string[] = [];
  for (const raw of analyze(query)) {
    if (FILLERS.has(raw)) continue;
    let t = raw;
    if (!vocabulary.has(t)) {
      const stripped = PREFIXES.map((p) => (t.startsWith(p) ? t.slice(p.length) : "")).find(
        (rest) => rest.length >= 4 && vocabulary.has(rest),
      );
      t = stripped ?? speller.correct(t);
      if (!stripped && t !== raw) approximate.push(t);
    }
    tokens.push(t);
    const extra = COLLOQUIAL_TOKENS.get(raw);
    if (extra) tokens.push(...extra);
  }
  return { text: query, language, tokens: [...new Set(tokens)], approximate, unknown: [] };
}
