/**
 * Named features of candidate answer units and of a whole question's candidate set. The fitted
 * models (`weights.json`) turn them into "this unit answers the question" and "the materials
 * answer this question" probabilities. Pure: data in, numbers out.
 */
import { analyze } from "../text/analyze.js";
import { definesTerm } from "../text/definitions.js";
import type { RetrievedChunk } from "../types.js";
import { hasValueOf, VALUE_CUE_TOKENS, valuesIn } from "./answer-type.js";
import { asksForList, type QuestionIntent } from "./intent.js";
import { isInstructionLike } from "./llm-guard.js";
import type { FeatureVector } from "./model.js";
import { type PrecedentEvidence, unitKey } from "./precedents.js";
import { type AnswerUnit, leansBack, SELF_REFERENCE, unitsOf, unitText } from "./units.js";

/** Highest weight of one query token, so that one word the index lacks cannot dominate. */
export const MAX_TOKEN_WEIGHT = 3.5;

/** A token weight (IDF) capped at {@link MAX_TOKEN_WEIGHT}. */
export function cappedWeight(weight: (token: string) => number): (token: string) => number {
  return (t) => Math.min(weight(t), MAX_TOKEN_WEIGHT);
}

/**
 * Similarity of a question to pieces of text, in [-1, 1] (a port: the app passes one made with
 * the local embedder). Called once per question; the returned function once per sentence.
 */
export type SentenceSimilarity = (query: string) => (text: string) => number;

/** The question's tokens as the feature functions need them. */
export interface QueryTerms {
  /** Analysed tokens of the asking clause(s). */
  focus: readonly string[];
  /** Analysed tokens of the rest of the message, not in `focus`. */
  context: readonly string[];
  /** Tokens that were guessed (misspellings). */
  approximate: readonly string[];
  /** Words of an English question the glossary and the index do not know. */
  unknown: readonly string[];
  /** Token weight (IDF, capped). */
  weight: (token: string) => number;
  /** Similarity of the focus to a text (0 when no similarity is available). */
  similarity?: (text: string) => number;
  /** Similarity of the whole message (context and focus) to a text; absent for a one-clause one. */
  wholeSimilarity?: (text: string) => number;
  /** The term a definition question asks about (analysed tokens; absent for other questions). */
  defined?: readonly string[];
  /** Whether the index has never seen an analysed token. */
  unseen?: (token: string) => boolean;
  /** What earlier questions like this one say (absent: no precedents; see `precedents.ts`). */
  precedents?: PrecedentEvidence;
}

/** A unit inside a retrieved passage, with its features. */
export interface Candidate {
  unit: AnswerUnit;
  /** Index of the passage in the retrieved list. */
  passage: number;
  features: FeatureVector;
}

/** Names of the unit features, in the order the model stores them. */
export const UNIT_FEATURES = [
  "leadFocus",
  "windowFocus",
  "passageFocus",
  "sectionFocus",
  "leadContext",
  "leadVector",
  "windowVector",
  "prevFocus",
  "prevVector",
  "keyword",
  "vector",
  "reciprocalRank",
  "typeFit",
  "typeMiss",
  "listFit",
  "listElse",
  "faqPair",
  "definitional",
  "isQuestion",
  "position",
  "first",
  "words",
  "lecture",
  "english",
  "firstPersonPlural",
  "selfReference",
  "leadFocusRel",
  "leadVectorRel",
  "windowFocusRel",
  "vectorRel",
  "bestInPassage",
  "leadWhole",
  "windowWhole",
  "leadWholeVector",
  "contextShare",
  "whereUrl",
  "definesTerm",
  "precedent",
  "precedentProfile",
  "dependent",
  "neighbour",
  "polarity",
  "leadWholeByContext",
  "windowWholeByContext",
  "leadWholeVectorByContext",
] as const;

/** Names of the question-level (decline) features. */
export const QUESTION_FEATURES = [
  "best",
  "second",
  "bestLeadFocus",
  "bestPassageFocus",
  "maxLeadFocus",
  "maxLeadVector",
  "topKeyword",
  "topVector",
  "missingRare",
  "unknownShare",
  "approximateShare",
  "valueFound",
  "valueAsked",
  "valueMissing",
  "yearMissing",
  "english",
  "englishBest",
  "englishLeadFocus",
  "focusWeight",
  "unseenWords",
  "unseenName",
  "unitMissingRare",
  "unitRareShare",
  "quotedValueFit",
  "precedentAnswered",
  "precedentUnanswered",
  "precedentUnit",
] as const;

/**
 * Features of "is this message about what the materials cover at all" (the on-topic model): the
 * retrieval-level question features, which no fitted answer model or precedent feeds, and the
 * largest share of the focus' weighted words one retrieved passage covers.
 */
export const TOPIC_FEATURES = [
  "coverage",
  "maxLeadFocus",
  "maxLeadVector",
  "topKeyword",
  "topVector",
  "missingRare",
  "unseenWords",
  "unknownShare",
  "focusWeight",
  "domainOdds",
] as const;

/** The on-topic features without the word counts (for an index on another subject). */
export const PLAIN_TOPIC_FEATURES = TOPIC_FEATURES.filter((f) => f !== "domainOdds");

/**
 * The on-topic model's features, from a question's {@link questionFeatures}, its coverage and
 * how its words lean to the subject's messages or others' (`domainOdds` in `domain.ts`).
 */
export function topicFeatures(
  asked: FeatureVector,
  coverage: number,
  domainOdds = 0,
): FeatureVector {
  return Object.fromEntries(
    TOPIC_FEATURES.map((f) => [
      f,
      f === "coverage" ? coverage : f === "domainOdds" ? domainOdds : (asked[f] ?? 0),
    ]),
  );
}

/** The best-scored units whose quoted text the question-level "unit" features look at. */
export const ANSWER_UNITS_CHECKED = 3;

/**
 * Texts whose analysis and units are remembered: the same passages come back question after
 * question, and analysing them again took about a third of a long message's time (a CPU profile
 * of 120 long train messages).
 */
export const TEXT_CACHE_SIZE = 50_000;

/** A pure function of a text, remembered for up to `size` texts (then forgotten at once). */
function remembered<T>(fn: (text: string) => T, size = TEXT_CACHE_SIZE): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      value = fn(text);
      if (cache.size >= size) cache.clear();
      cache.set(text, value);
    }
    return value;
  };
}

/** The analysed tokens of a text, as a set (shared: read it, never change it). */
const setOf: (text: string) => ReadonlySet<string> = remembered((text) => new Set(analyze(text)));

/** IDF-weighted share of `tokens` present in `have`, in [0, 1]. */
export function coverage(
  tokens: readonly string[],
  have: ReadonlySet<string>,
  weight: (t: string) => number,
): number {
  let total = 0;
  let got = 0;
  for (const t of tokens) {
    const w = weight(t);
    total += w;
    if (have.has(t)) got += w;
  }
  return total > 0 ? got / total : 0;
}

/** A definition-like sentence: "X ir …", "X nozīmē …", "X is …" early in a long sentence. */
function definitional(sentence: string): boolean {
  const words = sentence.split(/\s+/);
  if (words.length < 8) return false;
  const head = words.slice(1, 7).join(" ").toLowerCase();
  return /(^|\s)(ir|nozīmē|nozime|is|are|means)(\s|$)/.test(head);
}

/** First-person plural future ("runāsim", "apskatīsim"): talk about the talk. */
const WE_WILL = /\p{L}{3,}(?:sim|šim)\b/u;

/**
 * The units of a passage without sentences that give orders to an assistant or ask for money
 * (text planted in the materials is quoted as data, never as the answer).
 */
export const safeUnitsOf: (text: string) => readonly AnswerUnit[] = remembered((text) =>
  unitsOf(text).flatMap((u): AnswerUnit[] => {
    if (isInstructionLike(u.lead) || (u.asked && isInstructionLike(u.asked))) return [];
    if (u.items?.some(isInstructionLike)) return [];
    const next = u.next && !isInstructionLike(u.next) ? u.next : undefined;
    const then = next && u.then && !isInstructionLike(u.then) ? u.then : undefined;
    const more = then ? (u.more ?? []).filter((m) => !isInstructionLike(m)) : [];
    const { next: _n, then: _t, more: _m, ...rest } = u;
    return [
      {
        ...rest,
        ...(next ? { next } : {}),
        ...(then ? { then } : {}),
        ...(more.length ? { more } : {}),
      },
    ];
  }),
);

/**
 * Words that say yes, no or "only" (modal verbs and negations, both languages): a yes/no
 * question's answer usually has one. Closed-class words; the ranker learns their weight.
 */
const POLARITY =
  /(?<![\p{L}\p{N}])(?:var|nevar|drīkst|nedrīkst|jā|nē|tikai|nav|vajag|nevajag|jābūt|neattiecas|attiecas|can|cannot|can't|only|must|may|not|no|yes)(?![\p{L}\p{N}])/iu;

/** A question asking where (a place or a web address). */
const WHERE = /(?:^|[\s,(])(?:kur|where)(?=[\s,?]|$)/iu;
/** A web address in a sentence. */
const URL_LIKE = /https?:\/\/|\bwww\.|\b[\p{L}\d-]+\.(?:lv|eu|com|org|gov)\b/iu;

/** Features of every unit of the retrieved passages. */
export function candidatesOf(
  intent: QuestionIntent,
  terms: QueryTerms,
  results: readonly RetrievedChunk[],
  /** Indexes of `results` that were not found by the search but follow a passage it found. */
  neighbours: ReadonlySet<number> = new Set(),
): Candidate[] {
  const w = cappedWeight(terms.weight);
  const topic = terms.focus.filter((t) => !VALUE_CUE_TOKENS.has(t) || intent.expects !== "value");
  const focus = topic.length ? topic : terms.focus;
  // The question's own words are conditions, not answers; its value cues ("procentu") are not.
  const given = new Set(terms.focus.filter((t) => !VALUE_CUE_TOKENS.has(t)));
  const sim = (text: string) => Math.max(0, terms.similarity?.(text) ?? 0);
  // The whole message: for a long one, the focus clause often points back ("is that possible?")
  // and its subject is in the context; how much the context carries is `contextShare`.
  const whole = [...focus, ...terms.context];
  const wholeSim = (text: string) =>
    terms.wholeSimilarity ? Math.max(0, terms.wholeSimilarity(text)) : sim(text);
  const mass = (ts: readonly string[]) => ts.reduce((a, t) => a + w(t), 0);
  const contextShare = mass(terms.context) / (mass(whole) || 1);
  const asksWhere = WHERE.test(intent.focus) ? 1 : 0;
  const out: Candidate[] = [];
  results.forEach((r, passage) => {
    const c = r.chunk;
    const passageTokens = setOf(`${c.title} ${c.section ?? ""} ${c.text}`);
    const sectionTokens = setOf(`${c.title} ${c.section ?? ""}`);
    const passageFocus = coverage(focus, passageTokens, w);
    const sectionFocus = coverage(focus, sectionTokens, w);
    for (const unit of safeUnitsOf(c.text)) {
      const leadTokens = setOf(unit.kind === "faq" ? `${unit.asked} ${unit.lead}` : unit.lead);
      const shown = unitText(unit);
      const windowTokens = setOf(shown);
      const wantsValue = intent.expects === "value" && intent.valueType !== undefined;
      const typeFit =
        wantsValue && intent.valueType
          ? hasValueOf(intent.valueType, unit.kind === "list" ? shown : unit.lead, given)
            ? 1
            : hasValueOf(intent.valueType, shown, given)
              ? 0.5
              : 0
          : valuesIn(unit.lead, given).size > 0
            ? 0.2
            : 0;
      const wantsList = asksForList(intent.expects);
      const features: Record<string, number> = {
        leadFocus: coverage(focus, leadTokens, w),
        windowFocus: coverage(focus, windowTokens, w),
        passageFocus,
        sectionFocus,
        leadContext: coverage(terms.context, leadTokens, w),
        leadVector: sim(unit.kind === "faq" ? `${unit.asked} ${unit.lead}` : unit.lead),
        windowVector: sim(shown),
        prevFocus: unit.prev ? coverage(focus, setOf(unit.prev), w) : 0,
        prevVector: unit.prev ? sim(unit.prev) : 0,
        keyword: r.keywordScore ?? 0,
        vector: Math.max(0, r.vectorScore ?? 0),
        reciprocalRank: 1 / (passage + 1),
        typeFit,
        typeMiss: wantsValue && typeFit === 0 ? 1 : 0,
        listFit: unit.kind === "list" && wantsList ? 1 : 0,
        listElse: unit.kind === "list" && !wantsList ? 1 : 0,
        faqPair: unit.kind === "faq" ? 1 : 0,
        definitional: intent.expects === "definition" && definitional(unit.lead) ? 1 : 0,
        isQuestion: unit.kind !== "faq" && unit.lead.trim().endsWith("?") ? 1 : 0,
        position: unit.of > 1 ? unit.position / (unit.of - 1) : 0,
        first: unit.position === 0 ? 1 : 0,
        words: Math.log1p(unit.lead.split(/\s+/).length) / 4,
        lecture: c.kind === "lecture" ? 1 : 0,
        english: intent.language === "en" ? 1 : 0,
        firstPersonPlural: WE_WILL.test(unit.lead) ? 1 : 0,
        selfReference: SELF_REFERENCE.test(unit.lead) ? 1 : 0,
        leadWhole: coverage(whole, leadTokens, w),
        windowWhole: coverage(whole, windowTokens, w),
        leadWholeVector: wholeSim(unit.kind === "faq" ? `${unit.asked} ${unit.lead}` : unit.lead),
        contextShare,
        whereUrl: asksWhere && URL_LIKE.test(unit.lead) ? 1 : 0,
        definesTerm: terms.defined && definesTerm(unit.lead, terms.defined) ? 1 : 0,
        precedent: terms.precedents?.unit(unitKey(unit)) ?? 0,
        precedentProfile: terms.precedents?.profile(unitKey(unit)) ?? 0,
        dependent: unit.kind === "sentence" && leansBack(unit.lead) ? 1 : 0,
        neighbour: neighbours.has(passage) ? 1 : 0,
        polarity: intent.expects === "yesno" && POLARITY.test(unit.lead) ? 1 : 0,
      };
      // The whole message's coverage, as much as the context carries of it: a linear ranker
      // cannot weigh it more for a long message whose asking clause only points back unless
      // it is given the product ("vai tas ir iespējams?" after three sentences of situation).
      features.leadWholeByContext = (features.leadWhole ?? 0) * contextShare;
      features.windowWholeByContext = (features.windowWhole ?? 0) * contextShare;
      features.leadWholeVectorByContext = (features.leadWholeVector ?? 0) * contextShare;
      out.push({ unit, passage, features });
    }
  });
  addRelativeFeatures(out);
  return out;
}

/**
 * Features relative to the question's other candidates: how a unit compares with the best one
 * (absolute coverage varies from question to question; the best of them is what matters).
 */
function addRelativeFeatures(candidates: Candidate[]): void {
  const max = (name: string) => Math.max(1e-9, ...candidates.map((c) => c.features[name] ?? 0));
  const maxLead = max("leadFocus");
  const maxLeadVector = max("leadVector");
  const maxWindow = max("windowFocus");
  const maxVector = max("vector");
  const bestOfPassage = new Map<number, number>();
  for (const c of candidates) {
    const v = (c.features.leadFocus ?? 0) + (c.features.leadVector ?? 0);
    bestOfPassage.set(c.passage, Math.max(bestOfPassage.get(c.passage) ?? 0, v));
  }
  for (const c of candidates) {
    const f = c.features as Record<string, number>;
    f.leadFocusRel = (f.leadFocus ?? 0) / maxLead;
    f.leadVectorRel = (f.leadVector ?? 0) / maxLeadVector;
    f.windowFocusRel = (f.windowFocus ?? 0) / maxWindow;
    f.vectorRel = (f.vector ?? 0) / maxVector;
    f.bestInPassage =
      (f.leadFocus ?? 0) + (f.leadVector ?? 0) >= (bestOfPassage.get(c.passage) ?? 0) ? 1 : 0;
  }
}

/** Question-level features from the scored candidates (probabilities in `scores`). */
export function questionFeatures(
  intent: QuestionIntent,
  terms: QueryTerms,
  results: readonly RetrievedChunk[],
  candidates: readonly Candidate[],
  scores: readonly number[],
): FeatureVector {
  const w = cappedWeight(terms.weight);
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s);
  const best = order[0] ? candidates[order[0].i] : undefined;
  const top = results.slice(0, 3);
  const present = new Set(
    top.flatMap((r) => [...setOf(`${r.chunk.section ?? ""} ${r.chunk.text}`)]),
  );
  const absent = terms.focus.filter((t) => !present.has(t) && !VALUE_CUE_TOKENS.has(t));
  const missingRare = Math.max(0, ...absent.map((t) => w(t))) / MAX_TOKEN_WEIGHT;
  const words = terms.focus.length + terms.unknown.length;
  const years = intent.text.match(/(?<!\d)(?:19|20)\d\d(?!\d)/g) ?? [];
  const topText = top.map((r) => r.chunk.text).join(" ");
  const focusWeight = terms.focus.reduce((a, t) => a + w(t), 0);
  // Words of the question the index has never seen (before spelling correction): a typo, or a
  // subject the materials do not cover; a capitalised one is usually a name they do not know.
  const unseen = (t: string) => terms.unseen?.(t) ?? false;
  const raw = intent.language === "en" ? [...terms.focus, ...terms.unknown] : analyze(intent.focus);
  const unseenWords = raw.length ? raw.filter(unseen).length / raw.length : 0;
  // (An English name is unseen when neither the index nor the glossary knows it: "Narnia".)
  const unknown = new Set(terms.unknown);
  const names = [...intent.focus.matchAll(/(?<=\S\s+)(\p{Lu}\p{Ll}{2,}\p{L}*)/gu)].map(
    (m) => m[1] as string,
  );
  const unseenName = names.some((n) =>
    analyze(n).some((t) => (intent.language === "en" ? unknown.has(t) : unseen(t))),
  )
    ? 1
    : 0;
  // The question's words, the rare ones weighing most, that the text of one of the best units
  // holds: a near-topic question the materials do not answer usually leaves its most specific
  // word ("address", "appeal") out of every unit that could be quoted.
  const asked = terms.focus.filter((t) => !VALUE_CUE_TOKENS.has(t));
  const topUnits = order.slice(0, ANSWER_UNITS_CHECKED).map((o) => candidates[o.i] as Candidate);
  let unitMissingRare = asked.length ? 1 : 0;
  let unitRareShare = 0;
  for (const c of topUnits) {
    const have = setOf(unitText(c.unit, 3));
    const missing = asked.filter((t) => !have.has(t));
    unitMissingRare = Math.min(
      unitMissingRare,
      Math.max(0, ...missing.map((t) => w(t))) / MAX_TOKEN_WEIGHT,
    );
    unitRareShare = Math.max(
      unitRareShare,
      coverage(asked, have, (t) => w(t) ** 2),
    );
  }
  // A value question whose best units (those the answer would quote) hold no value of the
  // asked type: a value elsewhere in the passages is seldom the one asked for.
  const quotedValueFit =
    intent.expects === "value" ? Math.max(0, ...topUnits.map((c) => c.features.typeFit ?? 0)) : 1;
  return {
    best: order[0]?.s ?? 0,
    second: order[1]?.s ?? 0,
    bestLeadFocus: best?.features.leadFocus ?? 0,
    bestPassageFocus: best?.features.passageFocus ?? 0,
    maxLeadFocus: Math.max(0, ...candidates.map((c) => c.features.leadFocus ?? 0)),
    maxLeadVector: Math.max(0, ...candidates.map((c) => c.features.leadVector ?? 0)),
    topKeyword: results[0]?.keywordScore ?? 0,
    topVector: Math.max(0, results[0]?.vectorScore ?? 0),
    missingRare,
    unknownShare: words > 0 ? terms.unknown.length / words : 0,
    approximateShare: terms.focus.length ? terms.approximate.length / terms.focus.length : 0,
    valueFound:
      intent.expects === "value"
        ? Math.max(0, ...candidates.map((c) => c.features.typeFit ?? 0))
        : 1,
    valueAsked: intent.expects === "value" ? 1 : 0,
    // A value question none of whose candidates holds a value of the asked type.
    valueMissing:
      intent.expects === "value" &&
      Math.max(0, ...candidates.map((c) => c.features.typeFit ?? 0)) < 1
        ? 1
        : 0,
    yearMissing: years.some((y) => !topText.includes(y)) ? 1 : 0,
    english: intent.language === "en" ? 1 : 0,
    // An English question is searched through the glossary, so its scores run lower than a
    // Latvian one's for the same fit: these let the model weigh them on their own scale.
    englishBest: intent.language === "en" ? (order[0]?.s ?? 0) : 0,
    englishLeadFocus: intent.language === "en" ? (best?.features.leadFocus ?? 0) : 0,
    focusWeight: Math.min(1, focusWeight / (4 * MAX_TOKEN_WEIGHT)),
    unseenWords,
    unseenName,
    unitMissingRare,
    unitRareShare,
    quotedValueFit,
    // Earlier questions like this one: answered, unanswerable, answered by a unit it would quote.
    precedentAnswered: terms.precedents?.answered ?? 0,
    precedentUnanswered: terms.precedents?.unanswered ?? 0,
    precedentUnit: Math.max(0, ...topUnits.map((c) => c.features.precedent ?? 0)),
  };
}
