/**
 * Definitions in the materials: sentences of the form "<term> ir …" / "<term> nozīmē …" /
 * "<term> is …", found by the few words right before the copula. A definition question
 * ("kas ir mazkapitāla SIA?") looks its term up here, so the sentence that defines the term is
 * a candidate even when the term's words are so common that search ranks other passages first.
 * Pure functions over text.
 */
import { analyze } from "./analyze.js";
import { splitSentences } from "./sentences.js";

/** Words before the copula that may belong to the defined term ("juridiskā nozīmē sociālais uzņēmums"). */
export const DEFINITION_HEAD_WORDS = 4;

/** Copulas of a definition, Latvian and English (lower-case). */
const COPULA = /\s(?:ir|nozīmē|is|are|means)(?=\s)/gu;

/** The analysed tokens of a question's term: its content words, without the copula's. */
const COPULA_TOKENS = new Set(analyze("ir nozīmē nozīme is are means mean meant"));

/** The term a definition question asks about, as analysed tokens ("kas ir X?" → X). */
export function termOf(question: string): string[] {
  return withoutCopula(analyze(question));
}

/** Analysed tokens without the copula's ("nozīmē", "means"). */
export function withoutCopula(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !COPULA_TOKENS.has(t));
}

/**
 * Whether a text ends inside a quotation: a claim the materials quote (a misconception they
 * refute, "X is the same as Y") is not their definition.
 */
function quoted(before: string): boolean {
  const count = (re: RegExp) => (before.match(re) ?? []).length;
  return count(/"/g) % 2 === 1 || count(/[„“«]/gu) > count(/[”»]/gu);
}

/**
 * The terms a sentence may define: for each copula in it, the analysed tokens of up to
 * {@link DEFINITION_HEAD_WORDS} words before it, within the clause (after the last comma, colon
 * or bracket before it); the last of them is the head word. ("Šaurākā nozīmē X ir …" has two
 * copulas: "nozīmē", with nothing defined before it, and "ir", which defines X.) A copula inside
 * quotation marks is skipped.
 */
export function definedHeads(sentence: string): { tokens: string[]; head: string }[] {
  const out: { tokens: string[]; head: string }[] = [];
  const lower = sentence.toLowerCase();
  for (const m of lower.matchAll(COPULA)) {
    if (quoted(sentence.slice(0, m.index))) continue;
    const before =
      sentence
        .slice(0, m.index)
        .split(/[,:;–—(]/u)
        .pop() ?? "";
    const words = before.trim().split(/\s+/u).slice(-DEFINITION_HEAD_WORDS);
    const head = analyze(words[words.length - 1] ?? "")[0];
    if (head) out.push({ tokens: analyze(words.join(" ")), head });
  }
  return out;
}

/**
 * Whether a defined head (from {@link definedHeads}) is the term: every token of the term is
 * among its words, and its last word is one of the term's ("sociālais uzņēmums ir …" defines
 * "sociālais uzņēmums"; "statusu var iegūt uzņēmums, kura valde ir …" does not).
 */
export function headDefines(
  d: { tokens: ReadonlySet<string> | readonly string[]; head: string },
  term: readonly string[],
): boolean {
  if (term.length === 0 || !term.includes(d.head)) return false;
  const have = d.tokens instanceof Set ? d.tokens : new Set(d.tokens);
  return term.every((t) => have.has(t));
}

/** Whether a sentence defines the term: one of its {@link definedHeads} is the term. */
export function definesTerm(sentence: string, term: readonly string[]): boolean {
  return term.length > 0 && definedHeads(sentence).some((d) => headDefines(d, term));
}

/** The sentences of a text that define the term. */
export function definitionsIn(text: string, term: readonly string[]): string[] {
  return splitSentences(text).filter((s) => definesTerm(s, term));
}
