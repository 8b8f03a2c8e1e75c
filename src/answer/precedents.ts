/**
 * Precedents: questions answered (or found unanswerable) before, with the answer units that held
 * their answer. A new question like an earlier one is evidence for the same unit, and one like an
 * earlier unanswerable question is evidence for declining: the nearest-neighbour part of the
 * fitted answer models (`npm run fit` builds the log from the train split's questions and their
 * answer keys; no question text is stored, only its analysed tokens). Pure: data in, numbers out.
 */
import { foldDiacritics } from "../text/normalize.js";
import type { AnswerUnit } from "./units.js";

/** One earlier question: its analysed tokens, and the units that answered it (none: unanswerable). */
export interface Precedent {
  /** Analysed tokens of the whole question (English questions: their glossary translation). */
  tokens: string[];
  /** {@link unitKey}s of the units whose text held the answer. */
  units: string[];
  /** False for a question the materials do not answer. */
  answerable: boolean;
}

/** What the precedents say about one new question. */
export interface PrecedentEvidence {
  /** Similarity of the nearest earlier question that `unit` answered (0: none). */
  unit: (key: string) => number;
  /**
   * The share (by weight) of the question's focus words that earlier questions answered by `unit`
   * used, all of them together (0: none): the unit's text expanded by the words people asked for
   * it with, so a question worded like none of them alone but like several together still finds it.
   */
  profile: (key: string) => number;
  /** The units earlier questions like this one were answered by, the most alike first. */
  units: readonly { key: string; similarity: number }[];
  /** Similarity of the nearest earlier answerable question. */
  answered: number;
  /** Similarity of the nearest earlier unanswerable question. */
  unanswered: number;
}

/** 32-bit FNV-1a of a string, as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * A unit's identity across index rebuilds: a hash of its lead sentence as read (case, diacritics
 * and spacing folded), so a re-chunked corpus keeps its precedents and another corpus has none.
 */
export function unitKey(unit: Pick<AnswerUnit, "lead">): string {
  return fnv1a(
    foldDiacritics(unit.lead.normalize("NFC").toLowerCase()).replace(/\s+/g, " ").trim(),
  );
}

/** Cosine similarity of two token sets, each token weighted by `weight` (IDF). */
export function weightedCosine(
  a: readonly string[],
  b: readonly string[],
  weight: (token: string) => number,
): number {
  const as = new Set(a);
  const bs = new Set(b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const t of as) {
    const w2 = weight(t) ** 2;
    na += w2;
    if (bs.has(t)) dot += w2;
  }
  for (const t of bs) nb += weight(t) ** 2;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** The entries of `log` that share a word with `tokens`, with their similarity. */
function* alike<T extends { tokens: readonly string[] }>(
  log: readonly T[],
  tokens: readonly string[],
  weight: (token: string) => number,
): Generator<[T, number]> {
  for (const p of log) {
    const s = weightedCosine(tokens, p.tokens, weight);
    if (s > 0) yield [p, s];
  }
}

/** The words of the answerable precedents, per unit that answered them. */
const profiles = new WeakMap<readonly Precedent[], Map<string, Set<string>>>();

function profilesOf(log: readonly Precedent[]): Map<string, Set<string>> {
  let out = profiles.get(log);
  if (!out) {
    out = new Map();
    for (const p of log) {
      if (!p.answerable) continue;
      for (const k of p.units) {
        const words = out.get(k) ?? new Set<string>();
        for (const t of p.tokens) words.add(t);
        out.set(k, words);
      }
    }
    profiles.set(log, out);
  }
  return out;
}

/**
 * The evidence of `log` for a question with these analysed tokens (`focus`: the words of its
 * asking clause, for {@link PrecedentEvidence.profile}; default all of them).
 */
export function precedentEvidence(
  log: readonly Precedent[],
  tokens: readonly string[],
  weight: (token: string) => number,
  focus: readonly string[] = tokens,
): PrecedentEvidence {
  const byUnit = new Map<string, number>();
  let answered = 0;
  let unanswered = 0;
  for (const [p, s] of alike(log, tokens, weight)) {
    if (!p.answerable) {
      unanswered = Math.max(unanswered, s);
      continue;
    }
    answered = Math.max(answered, s);
    for (const k of p.units) byUnit.set(k, Math.max(byUnit.get(k) ?? 0, s));
  }
  const units = [...byUnit]
    .map(([key, similarity]) => ({ key, similarity }))
    .sort((a, b) => b.similarity - a.similarity);
  const asked = [...new Set(focus)];
  const total = asked.reduce((a, t) => a + weight(t), 0);
  const profile = (key: string) => {
    const words = profilesOf(log).get(key);
    if (!words || total <= 0) return 0;
    return asked.reduce((a, t) => a + (words.has(t) ? weight(t) : 0), 0) / total;
  };
  return { unit: (key) => byUnit.get(key) ?? 0, profile, units, answered, unanswered };
}

/** An earlier lecture request: its topic's analysed tokens, its lecture, and the moment asked for. */
export interface LecturePrecedent {
  tokens: string[];
  lecture: string;
  /** [from, to] in seconds, when the request was about a moment of the lecture. */
  moment?: [number, number];
}

/** What earlier lecture requests say about a new one. */
export interface LecturePrecedentEvidence {
  /** Similarity of the nearest earlier request that was pointed to this lecture (0: none). */
  lecture: (id: string) => number;
  /** The moment of the nearest earlier request for this lecture that asked for one. */
  moment: (id: string) => { similarity: number; moment: [number, number] } | undefined;
  /** Similarity of the nearest earlier request, whatever its lecture. */
  nearest: number;
}

/** The evidence of earlier lecture requests for a request with these topic tokens. */
export function lecturePrecedentEvidence(
  log: readonly LecturePrecedent[],
  tokens: readonly string[],
  weight: (token: string) => number,
): LecturePrecedentEvidence {
  const byLecture = new Map<string, number>();
  const moments = new Map<string, { similarity: number; moment: [number, number] }>();
  let nearest = 0;
  for (const [p, s] of alike(log, tokens, weight)) {
    nearest = Math.max(nearest, s);
    byLecture.set(p.lecture, Math.max(byLecture.get(p.lecture) ?? 0, s));
    const known = moments.get(p.lecture);
    if (p.moment && (!known || s > known.similarity)) {
      moments.set(p.lecture, { similarity: s, moment: p.moment });
    }
  }
  return { lecture: (id) => byLecture.get(id) ?? 0, moment: (id) => moments.get(id), nearest };
}
