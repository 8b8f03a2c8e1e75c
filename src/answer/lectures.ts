import { analyze } from "../text/analyze.js";
import type { LectureMeta, RetrievedChunk } from "../types.js";

const LECTURE_INTENT =
  /\b(lekcij\w*|video\w*|ierakst\w*|noskatīties|noskatities|skatīties|skatities|paklausīties|paklausities|lecture\w*|video|watch)\b/i;

/** Whether a question asks which lecture (video) to watch rather than for a fact. */
export function asksForLecture(question: string): boolean {
  return (
    LECTURE_INTENT.test(question) &&
    /\b(kur\w*|kād\w*|kad\w*|kuru|kura|which|what|recommend|iesak\w*|ieteik\w*|ko)\b/i.test(
      question,
    )
  );
}

/** Tokens of the intent words themselves, left out when judging what the question is about. */
export const LECTURE_INTENT_TOKENS = new Set(
  analyze(
    "lekcija lekciju lekcijā lekcijas video ieraksts noskatīties skatīties paklausīties lecture lectures watch",
  ),
);

/** Analysed tokens of what a lecture's metadata says it is about. */
function metaTokens(meta: LectureMeta | undefined, fallbackTitle: string): Set<string> {
  const moments = (meta?.moments ?? []).map((m) => m.title).join(" ");
  return new Set(
    analyze(
      `${meta?.title ?? fallbackTitle} ${(meta?.topics ?? []).join(" ")} ${meta?.summary ?? ""} ${moments}`,
    ),
  );
}

/**
 * How well the best-matching lecture's title, topics, summary and key moments cover the
 * question (IDF-weighted share of its tokens, intent words left out), in [0, 1].
 */
export function lectureCoverage(
  tokens: readonly string[],
  lectures: readonly LectureMeta[],
  weight: (token: string) => number,
): number {
  const query = tokens.filter((t) => !LECTURE_INTENT_TOKENS.has(t));
  const total = query.reduce((a, t) => a + weight(t), 0);
  if (total === 0) return 0;
  let best = 0;
  for (const l of lectures) {
    const meta = metaTokens(l, l.title);
    const covered = query.reduce((a, t) => a + (meta.has(t) ? weight(t) : 0), 0);
    best = Math.max(best, covered / total);
  }
  return best;
}

/** A lecture recommended for a question, with the passage that fits best. */
export interface LectureChoice {
  lecture: LectureMeta | undefined;
  best: RetrievedChunk;
  score: number;
}

/**
 * Ranks lectures for a question: the retrieval scores of each lecture's passages, plus the
 * overlap of the question with the lecture's title, topics and summary.
 */
export function rankLectures(
  tokens: readonly string[],
  results: readonly RetrievedChunk[],
  lectures: readonly LectureMeta[],
): LectureChoice[] {
  const byLecture = new Map<string, LectureChoice>();
  const query = tokens.filter((t) => !LECTURE_INTENT_TOKENS.has(t));
  for (const r of results) {
    if (r.chunk.kind !== "lecture") continue;
    const id = r.chunk.lectureId ?? r.chunk.path;
    const entry = byLecture.get(id);
    if (entry) entry.score += r.score;
    else {
      const meta = lectures.find((l) => l.id === id);
      const metaTokens = new Set(
        analyze(
          `${meta?.title ?? r.chunk.title} ${(meta?.topics ?? []).join(" ")} ${meta?.summary ?? ""}`,
        ),
      );
      const overlap = query.length
        ? query.filter((t) => metaTokens.has(t)).length / query.length
        : 0;
      byLecture.set(id, { lecture: meta, best: r, score: r.score + 0.05 * overlap });
    }
  }
  return [...byLecture.values()].sort((a, b) => b.score - a.score);
}
