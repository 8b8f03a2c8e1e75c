/**
 * Whether a message is worded like the messages people send about the materials' subject or like
 * messages on other subjects: a naive Bayes log-odds over its analysed words, from how many
 * messages of each kind hold each word. The retrieval features cannot tell "kad ir Jāņi?" from a
 * question the materials answer when a word of it happens to be indexed; the words people use
 * about their weekend, their dog or the weather can.
 *
 * The counts are data (`domain-vocabulary.json`, written by `npm run fit -- topic` from the bank's
 * train questions, the train split of the blind off-topic questions and SIB-200's train
 * sentences), mixed with the indexed materials' own words, so that on another corpus its subject
 * is on the subject; the on-topic model weighs the log-odds with its other features.
 */
import { analyze } from "../text/analyze.js";

/** Messages of one kind: how many, and in how many of them each analysed token occurs. */
export interface DomainSide {
  /** Messages counted. */
  messages: number;
  /** Token occurrences counted (each message's distinct tokens). */
  tokens: number;
  /** Messages holding each token. */
  df: Readonly<Record<string, number>>;
}

/** Word counts of messages on the subject and on other subjects. */
export interface DomainVocabulary {
  /** Added to every token's count on each side (chosen by `npm run fit -- topic`). */
  smoothing: number;
  /**
   * The share of the subject's side taken from the indexed materials' own words (the rest from
   * the questions counted in `on`), so that another corpus's subject counts as on the subject
   * (chosen by `npm run fit -- topic`; absent: 0).
   */
  indexShare?: number;
  on: DomainSide;
  off: DomainSide;
}

/** The indexed materials' words: passages per token and their sum (`Retriever.termCounts`). */
export interface IndexTerms {
  df: ReadonlyMap<string, number>;
  total: number;
}

function sideOf(texts: readonly string[]): DomainSide {
  const df: Record<string, number> = {};
  let tokens = 0;
  for (const text of texts) {
    for (const t of new Set(analyze(text))) {
      df[t] = (df[t] ?? 0) + 1;
      tokens++;
    }
  }
  return { messages: texts.length, tokens, df };
}

/** Counts the words of messages on the subject (`on`) and on other subjects (`off`). */
export function countDomainVocabulary(
  on: readonly string[],
  off: readonly string[],
  smoothing: number,
  indexShare = 0,
): DomainVocabulary {
  return { smoothing, indexShare, on: sideOf(on), off: sideOf(off) };
}

/** Distinct tokens over both sides: the vocabulary size the smoothing spreads over. */
function vocabularySize(v: DomainVocabulary): number {
  const all = new Set([...Object.keys(v.on.df), ...Object.keys(v.off.df)]);
  return Math.max(1, all.size);
}

const sizes = new WeakMap<DomainVocabulary, number>();

/**
 * The mean log-odds, over a message's distinct analysed tokens, that a message holding the token
 * is on the subject rather than on another: above 0 worded like the subject's messages, below 0
 * like other subjects'. The subject's side mixes the questions counted in `v.on` with the indexed
 * materials' words (`index`, by `v.indexShare`). A word no side has seen counts a little towards
 * the larger side's vocabulary (the smoothed estimate); a message without words gets 0.
 */
export function domainOdds(text: string, v: DomainVocabulary, index?: IndexTerms): number {
  const tokens = [...new Set(analyze(text))];
  if (tokens.length === 0) return 0;
  let size = sizes.get(v);
  if (size === undefined) {
    size = vocabularySize(v);
    sizes.set(v, size);
  }
  const a = v.smoothing;
  const share = index ? (v.indexShare ?? 0) : 0;
  const onTotal = v.on.tokens + a * size;
  const indexTotal = (index?.total ?? 0) + a * size;
  const offTotal = v.off.tokens + a * size;
  let sum = 0;
  for (const t of tokens) {
    const asked = ((v.on.df[t] ?? 0) + a) / onTotal;
    const indexed = share > 0 ? ((index?.df.get(t) ?? 0) + a) / indexTotal : 0;
    const on = (1 - share) * asked + share * indexed;
    const off = ((v.off.df[t] ?? 0) + a) / offTotal;
    sum += Math.log(on / off);
  }
  return sum / tokens.length;
}
