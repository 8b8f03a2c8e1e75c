import { analyze } from "../text/analyze.js";
import { splitSentences } from "../text/sentences.js";
import type { Chunk } from "../types.js";

/** A sentence chosen for an extractive answer. */
export interface PickedSentence {
  text: string;
  /** Index of the passage it comes from (into the `passages` given). */
  passage: number;
  /** Position of the sentence in its passage. */
  position: number;
  score: number;
}

/** Options of {@link pickSentences}. */
export interface PickOptions {
  /** Sentences at most. Default 3. */
  maxSentences?: number;
  /** Words at most over all picked sentences. Default 90. */
  maxWords?: number;
}

/** Input of {@link pickSentences}. */
export interface PickInput {
  /** Analysed question tokens. */
  queryTokens: readonly string[];
  /** Weight of a token (its IDF in the index). */
  weight: (token: string) => number;
  /** Retrieved passages, best first. */
  passages: readonly Chunk[];
  /** The question asks for an amount, a date or a count ("cik", "kad", "how much"). */
  wantsNumber?: boolean;
  /** The question asks what something is ("Kas ir …?"): prefer sentences that say what it is. */
  wantsDefinition?: boolean;
}

const NUMBER_QUESTION =
  /\b(cik|kad|kurā\s+gadā|kura\s+gada|kādā\s+apmērā|kada\s+apmera|how\s+much|how\s+many|when|what\s+year)\b/i;

/** Spoken connectives that read oddly at the start of a quoted sentence ("Otrkārt, …"). */
const LEADING_CONNECTIVE =
  /^(pirmkārt|otrkārt|treškārt|ceturtkārt|tātad|un|bet|taču|turklāt|tad|nu|jā|labi),?\s+/i;

/** A sentence that introduces the next one: ends with a colon, or "šādi" / "sekojoši" / "as follows". */
const LIST_INTRO = /(:|(?<!\p{L})(šādi|sekojoši|as follows)[.:]?)$/iu;

const DEFINITION_QUESTION =
  /^(?:\p{L}+[,!]\s+)*(?:kas\s+(?:ir|tas\s+ir)|ko\s+nozīmē|ko\s+nozime|what\s+(?:is|are)|what\s+does\b.*\bmean\b)(?=[\s?.!]|$)/iu;

/** Whether a question asks what something is or means ("Kas ir LEADER?", "What is …?"). */
export function asksForDefinition(question: string): boolean {
  return DEFINITION_QUESTION.test(question.trim());
}

/** A copula: "X ir …", "X nozīmē …", "X is …". */
const COPULA = /(?<![\p{L}\p{N}])(?:ir|nozīmē|nozime|is|are|means)(?![\p{L}\p{N}])/giu;

/**
 * Talk about the talk ("Šodien parunāsim …", "Sīkāk par to runāsim nākamajā lekcijā", "Šajā
 * nodaļā …"): on topic by its words, but no answer.
 */
const META_TALK =
  /^(?:šodien|tagad|vispirms|sīkāk|beigās|paldies|šajā\s+(?:lekcijā|nodaļā|sadaļā)|nākamajā\s+lekcijā)(?!\p{L})|(?<!\p{L})(?:parunāsim|runāsim|apskatīsim|paskatīsimies)(?!\p{L})/iu;

/** Talk about the talk, unless it leads into a list ("…, bet īsumā kritēriji ir šādi:"). */
function isMetaTalk(text: string): boolean {
  return META_TALK.test(text) && !LIST_INTRO.test(text);
}

/** Share of a sentence inside quotation marks: a quoted claim is often one the speaker refutes. */
function quotedShare(text: string): number {
  let quoted = 0;
  for (const m of text.matchAll(/["„“”«»]([^"„“”«»]{3,})["„“”«»]/gu)) quoted += m[1]?.length ?? 0;
  return quoted / Math.max(1, text.length);
}

/**
 * Whether a sentence says what the subject is: every subject token within the four words just
 * before a copula, the last of them the subject's own word, and a predicate of six words or more
 * ("Šaurākā, juridiskā nozīmē sociālais uzņēmums ir sabiedrība ar ierobežotu atbildību, …", not
 * "Sociālā uzņēmuma jēga ir ietekme"); never a quotation or talk about the talk.
 */
export function definesSubject(text: string, subject: readonly string[]): boolean {
  if (subject.length === 0 || quotedShare(text) > 0.5 || isMetaTalk(text.trim())) return false;
  for (const copula of text.matchAll(COPULA)) {
    const words = text.slice(0, copula.index).split(/\s+/).filter(Boolean).slice(-4);
    const tokens = new Set(analyze(words.join(" ")));
    const head = analyze(words.at(-1) ?? "");
    const predicate = wordCount(text.slice(copula.index + copula[0].length));
    if (
      subject.every((t) => tokens.has(t)) &&
      head.some((t) => subject.includes(t)) &&
      predicate >= 6
    )
      return true;
  }
  return false;
}

/**
 * For a question asking what something is: the passages with a sentence that says what it is
 * come first, the rest after, each group in its given order.
 */
export function definitionsFirst<T extends { chunk: Chunk }>(
  results: readonly T[],
  subject: readonly string[],
): T[] {
  const defines = (r: T) => splitSentences(r.chunk.text).some((s) => definesSubject(s, subject));
  const yes = results.filter(defines);
  return [...yes, ...results.filter((r) => !yes.includes(r))];
}

/** Whether a question asks for a number (amount, date, count). */
export function asksForNumber(question: string): boolean {
  return NUMBER_QUESTION.test(question);
}

/** Two sentences say nearly the same thing (Jaccard similarity of their tokens ≥ 0.6). */
function similar(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union > 0 && shared / union >= 0.6;
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

/**
 * Picks the few sentences of the top passages that best answer a question: IDF-weighted overlap
 * with the question, a prior for better-ranked passages, a bonus for figures when the question
 * asks for one, and a penalty for repeating what is already picked. The best sentence of the
 * best-ranked passage is always included. Returned in reading order
 * (by passage rank, then position in the passage).
 */
export function pickSentences(input: PickInput, options: PickOptions = {}): PickedSentence[] {
  const maxSentences = options.maxSentences ?? 3;
  const maxWords = options.maxWords ?? 90;
  const query = [...new Set(input.queryTokens)];
  const weights = new Map(query.map((t) => [t, input.weight(t)]));
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;

  const candidates: (PickedSentence & { tokens: Set<string> })[] = [];
  input.passages.forEach((chunk, passage) => {
    splitSentences(chunk.text).forEach((text, position) => {
      const clean = text
        .trim()
        .replace(LEADING_CONNECTIVE, "")
        .replace(/^\p{Ll}/u, (c) => c.toUpperCase());
      const words = wordCount(clean);
      if (words < 4) return;
      const tokens = new Set(analyze(clean));
      let overlap = 0;
      for (const t of query) if (tokens.has(t)) overlap += weights.get(t) ?? 0;
      let score = overlap / total;
      score += 0.12 / (passage + 1);
      if (input.wantsNumber && /\d/.test(clean)) score += 0.12;
      if (input.wantsDefinition && definesSubject(clean, query)) score += 0.3;
      if (isMetaTalk(clean) || quotedShare(clean) > 0.5) score -= 0.3;
      if (words > 55) score -= 0.05;
      candidates.push({ text: clean, passage, position, score, tokens });
    });
  });
  // A question in the materials (an FAQ entry) is not an answer: its score goes to the sentence
  // that follows it, and the question itself is not quoted.
  for (const c of candidates) {
    if (!c.text.endsWith("?")) continue;
    const next = candidates.find((n) => n.passage === c.passage && n.position === c.position + 1);
    if (next && !next.text.endsWith("?") && !isMetaTalk(next.text))
      next.score = Math.max(next.score, c.score + 0.05);
  }
  for (let i = candidates.length - 1; i >= 0; i--) {
    if (candidates[i]?.text.endsWith("?")) candidates.splice(i, 1);
  }
  if (candidates.length === 0) return [];

  const picked: typeof candidates = [];
  const covered = new Set<string>();
  let words = 0;
  const best = Math.max(...candidates.map((c) => c.score));
  // The best-ranked passage is always quoted: its best sentence goes first.
  const lead = candidates
    .filter((c) => c.passage === 0)
    .reduce<(typeof candidates)[number] | undefined>(
      (a, c) => (!a || c.score > a.score ? c : a),
      undefined,
    );
  if (lead) {
    picked.push(lead);
    words += wordCount(lead.text);
    for (const t of lead.tokens) covered.add(t);
  }
  // The runner-up passage is quoted too when one of its sentences is nearly as good.
  const second = candidates
    .filter((c) => c.passage === 1 && !(lead && similar(lead.tokens, c.tokens)))
    .reduce<(typeof candidates)[number] | undefined>(
      (a, c) => (!a || c.score > a.score ? c : a),
      undefined,
    );
  if (second && second.score >= best * 0.4 && maxSentences > 1) {
    picked.push(second);
    words += wordCount(second.text);
    for (const t of second.tokens) covered.add(t);
  }
  while (picked.length < maxSentences) {
    let choice: (typeof candidates)[number] | undefined;
    let choiceScore = Number.NEGATIVE_INFINITY;
    for (const c of candidates) {
      if (picked.includes(c) || picked.some((p) => similar(p.tokens, c.tokens))) continue;
      let repeat = 0;
      for (const t of query) if (c.tokens.has(t) && covered.has(t)) repeat += weights.get(t) ?? 0;
      const adjusted = c.score - (0.5 * repeat) / total;
      if (adjusted > choiceScore) {
        choice = c;
        choiceScore = adjusted;
      }
    }
    if (!choice) break;
    const w = wordCount(choice.text);
    if (picked.length > 0 && (choiceScore < best * 0.55 || words + w > maxWords)) break;
    picked.push(choice);
    words += w;
    for (const t of choice.tokens) covered.add(t);
  }
  // A sentence that only announces what follows ("… kritēriji ir šādi:") brings its follow-up.
  for (const p of [...picked]) {
    if (!LIST_INTRO.test(p.text)) continue;
    const next = candidates.find((c) => c.passage === p.passage && c.position === p.position + 1);
    if (next && !picked.includes(next)) picked.push(next);
  }
  return picked
    .sort((a, b) => a.passage - b.passage || a.position - b.position)
    .map(({ text, passage, position, score }) => ({ text, passage, position, score }));
}
