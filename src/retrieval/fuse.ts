/** A ranked list of labels, best first. */
export type Ranking = readonly { label: number; score: number }[];

/**
 * Reciprocal rank fusion: each list adds `weight / (k + rank)` to a label's score.
 * Returns labels by fused score, best first.
 */
export function fuseRankings(
  rankings: readonly Ranking[],
  options: { k?: number; weights?: readonly number[] } = {},
): { label: number; score: number }[] {
  const k = options.k ?? 60;
  const scores = new Map<number, number>();
  rankings.forEach((ranking, list) => {
    const weight = options.weights?.[list] ?? 1;
    ranking.forEach((hit, i) => {
      scores.set(hit.label, (scores.get(hit.label) ?? 0) + weight / (k + i + 1));
    });
  });
  return [...scores.entries()]
    .map(([label, score]) => ({ label, score }))
    .sort((a, b) => b.score - a.score || a.label - b.label);
}

/** Something with a source file and a position in it. */
export interface Positioned {
  path: string;
  ordinal: number;
  text: string;
}

/**
 * Reorders results so the top is not filled by neighbours of one passage: a result adjacent
 * (±1 position) to one already taken, or beyond `maxPerFile` from one file, moves down behind
 * the others. Exact duplicate texts are dropped. Order is otherwise kept.
 */
export function diversify<T>(
  items: readonly T[],
  get: (item: T) => Positioned,
  options: { maxPerFile?: number } = {},
): T[] {
  const maxPerFile = options.maxPerFile ?? 3;
  const taken: T[] = [];
  const deferred: T[] = [];
  const perFile = new Map<string, number>();
  const positions = new Set<string>();
  const texts = new Set<string>();
  for (const item of items) {
    const p = get(item);
    const key = p.text.trim();
    if (texts.has(key)) continue;
    texts.add(key);
    const neighbour =
      positions.has(`${p.path}#${p.ordinal - 1}`) || positions.has(`${p.path}#${p.ordinal + 1}`);
    const count = perFile.get(p.path) ?? 0;
    if (neighbour || count >= maxPerFile) {
      deferred.push(item);
      continue;
    }
    taken.push(item);
    positions.add(`${p.path}#${p.ordinal}`);
    perFile.set(p.path, count + 1);
  }
  return [...taken, ...deferred];
}
