/**
 * The lecture finder: which lecture to watch for a question, and from which moment. Lectures are
 * ranked by how well their metadata (title, topics, summary, key moments) and their retrieved
 * passages cover the question's topic. Pure: data in, a ranking out.
 */
import { analyze } from "../text/analyze.js";
import { splitSentences } from "../text/sentences.js";
import type { LectureMeta, RetrievedChunk } from "../types.js";
import { coverage } from "./features.js";
import { type LogisticModel, predict } from "./model.js";
import type { LecturePrecedentEvidence } from "./precedents.js";

/**
 * Features of a lecture for a request: metadata coverage of the topic, its passages' reciprocal
 * ranks among the retrieved lecture passages, the best key moment title's coverage, and the
 * similarity of the request to the lecture's title and summary, and the similarity of the nearest
 * earlier request pointed to the lecture (`precedents.ts`). A fitted ranker
 * (`weights.json` `lecture`, made by `npm run fit`) weighs them; without one they weigh the same.
 */
export const LECTURE_FEATURES = ["meta", "passages", "moment", "summary", "precedent"] as const;
/** Passages of one lecture that count towards its score. */
export const LECTURE_PASSAGES_COUNTED = 3;
/** A key moment whose title covers this share of the topic is where the answer points. */
export const MOMENT_TITLE_COVERAGE = 0.5;

/** Words about lectures themselves (analysed): not part of what a lecture request is about. */
export const LECTURE_WORDS = new Set(
  analyze(
    "lekcija lekciju lekcijā lekcijas lekcijām video videoklips ieraksts ierakstu noskatīties skatīties paklausīties " +
      "lecture lectures video videos watch recording talk",
  ),
);

/** Words of a beginner's "where do I start" request (analysed). */
const BEGINNER_WORDS = new Set(
  analyze(
    "iesācējs iesācējam iesācējiem sākums sākt sākumā pirmais pirmo pirmā vispirms vispār pamati pamatus secība secībā kārtība " +
      "beginner beginners start starting first basics new newcomer order",
  ),
);

/** A lecture recommended for a question, with the passage that fits best. */
export interface LectureChoice {
  lecture: LectureMeta;
  /** The lecture's best retrieved passage, if any was retrieved. */
  best?: RetrievedChunk;
  /** The lecture's retrieved passages, best first. */
  passages: RetrievedChunk[];
  /** The key moment whose title fits the question best, if any. */
  moment?: { startSec: number; title: string };
  /** The moment [from, to] (seconds) an earlier request like this one asked for, if close enough. */
  recalled?: [number, number];
  score: number;
  /** True when the question only asks where to start. */
  beginner: boolean;
  /** The ranker's features ({@link LECTURE_FEATURES}). */
  features: Record<(typeof LECTURE_FEATURES)[number], number>;
}

function metaTokens(meta: LectureMeta): Set<string> {
  const moments = (meta.moments ?? []).map((m) => m.title).join(" ");
  return new Set(
    analyze(`${meta.title} ${(meta.topics ?? []).join(" ")} ${meta.summary ?? ""} ${moments}`),
  );
}

/**
 * How much a lecture's own words back a request: metadata, passages and key moments, weighed
 * alike (the ranking without a fitted model; 0 means nothing of the lecture mentions the topic).
 */
export function lectureEvidence(f: Readonly<Partial<Record<string, number>>>): number {
  return (f.meta ?? 0) + (f.passages ?? 0) + (f.moment ?? 0);
}

/**
 * What a lecture request's tokens ask about: its topic (the words that are neither lecture nor
 * beginner words), whether it names a beginner's "where do I start" (`startWords`), and whether
 * it is one (no topic, or a start word with little topic).
 */
export function lectureRequestTopic(tokens: readonly string[]): {
  topic: string[];
  startWords: boolean;
  beginner: boolean;
} {
  const topic = tokens.filter((t) => !LECTURE_WORDS.has(t) && !BEGINNER_WORDS.has(t));
  const startWords = tokens.some((t) => BEGINNER_WORDS.has(t));
  return { topic, startWords, beginner: topic.length === 0 || (startWords && topic.length <= 2) };
}

/**
 * Ranks lectures for the topic tokens of a lecture request. A request with no topic beyond
 * "where do I start" gets the lectures in their `order` (beginners' first).
 */
export function rankLectures(
  tokens: readonly string[],
  results: readonly RetrievedChunk[],
  lectures: readonly LectureMeta[],
  weight: (token: string) => number,
  fitted?: {
    model?: LogisticModel;
    similarity?: (text: string) => number;
    /** Earlier lecture requests like this one (see `precedents.ts`). */
    precedents?: LecturePrecedentEvidence;
    /** From this similarity an earlier request's moment is where the answer points. */
    recallFrom?: number;
  },
): LectureChoice[] {
  const { topic, beginner } = lectureRequestTopic(tokens);
  const lecturePassages = results.filter((r) => r.chunk.kind === "lecture");
  const choices = lectures.map((lecture, index): LectureChoice => {
    const own = lecturePassages.filter((r) => r.chunk.lectureId === lecture.id);
    const best = own[0];
    const moments = (lecture.moments ?? []).map((m) => ({
      m,
      c: coverage(topic, new Set(analyze(m.title)), weight),
    }));
    const moment = moments.sort((a, b) => b.c - a.c)[0];
    const features = {
      meta: coverage(topic, metaTokens(lecture), weight),
      passages: own
        .slice(0, LECTURE_PASSAGES_COUNTED)
        .reduce((a, r) => a + 1 / (lecturePassages.indexOf(r) + 1), 0),
      moment: moment?.c ?? 0,
      summary: Math.max(0, fitted?.similarity?.(`${lecture.title}. ${lecture.summary ?? ""}`) ?? 0),
      precedent: fitted?.precedents?.lecture(lecture.id) ?? 0,
    };
    const earlier = fitted?.precedents?.moment(lecture.id);
    const recalled =
      earlier && earlier.similarity >= (fitted?.recallFrom ?? Number.POSITIVE_INFINITY)
        ? earlier.moment
        : undefined;
    const order = lecture.order ?? index + 1;
    const score = beginner
      ? 1 / order + (lecture.level === "beginner" ? 1 : 0)
      : fitted?.model
        ? predict(fitted.model, features)
        : lectureEvidence(features);
    return {
      lecture,
      ...(best ? { best } : {}),
      passages: own,
      ...(moment && moment.c >= MOMENT_TITLE_COVERAGE ? { moment: moment.m } : {}),
      ...(recalled ? { recalled } : {}),
      score,
      beginner,
      features,
    };
  });
  return choices.sort((a, b) => b.score - a.score);
}

/**
 * Where in the chosen lecture to start: the moment an earlier request like this one asked for,
 * else the passage of a key moment whose title names the topic, else the best retrieved passage
 * that is not the lecture's opening overview (an overview names every topic of the lecture),
 * else the opening.
 */
export function momentPassage<T extends { startSec?: number; endSec?: number; ordinal: number }>(
  choice: LectureChoice,
  passages: readonly T[],
): T | undefined {
  if (choice.beginner) return passages[0];
  if (choice.recalled) {
    const at = choice.recalled[0];
    return passages.filter((p) => (p.startSec ?? 0) <= at).at(-1) ?? passages[0];
  }
  if (choice.moment) {
    const at = choice.moment.startSec;
    return passages.filter((p) => (p.startSec ?? 0) <= at).at(-1) ?? passages[0];
  }
  const retrieved = choice.passages.map((r) => r.chunk.ordinal);
  const inner = retrieved.find((o) => o > 0);
  const ordinal = inner ?? retrieved[0];
  return passages.find((p) => p.ordinal === ordinal) ?? passages[0];
}

/** Sentences quoted from a lecture's moment: the one about the topic and the one after it. */
export const LECTURE_QUOTE_SENTENCES = 2;

/**
 * The sentence of a lecture passage that says most about the topic (IDF-weighted coverage; the
 * earliest of equals), skipping a first sentence the passage's start cut in half, and the
 * {@link LECTURE_QUOTE_SENTENCES} − 1 after it: spoken sentences are short, and the one about the
 * topic often only introduces it ("Tagad par cenu.").
 */
export function topicSentence(
  text: string,
  topic: readonly string[],
  weight: (token: string) => number,
): string {
  const sentences = splitSentences(text)
    .map((s) => s.trim())
    .filter(Boolean);
  const whole = sentences.filter((s, i) => i > 0 || /^[\p{Lu}\d"“„«]/u.test(s));
  const pool = whole.length ? whole : sentences;
  let best = 0;
  let bestScore = -1;
  pool.forEach((s, i) => {
    const score = coverage(topic, new Set(analyze(s)), weight);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return pool.slice(best, best + LECTURE_QUOTE_SENTENCES).join(" ");
}
