/**
 * Damerau–Levenshtein distance (optimal string alignment) with an early exit: returns
 * `max + 1` as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prevPrev = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prevPrev[j - 2] as number) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prevPrev[j] = prev[j] as number;
    prev = cur;
  }
  return prev[b.length] as number;
}

/** Corrects query tokens that the index has never seen to a close, frequent indexed token. */
export interface SpellingCorrector {
  correct(token: string): string;
}

/**
 * Builds a corrector over an index vocabulary (token → document frequency). Tokens of 5+
 * letters that are not in the vocabulary are replaced by the most frequent indexed token within
 * edit distance 1 (2 for tokens of 8+ letters) that starts with the same letter; failing that, a
 * token of 6+ letters goes to the most frequent indexed token sharing all but its last two
 * letters (verb forms the stemmer leaves apart, e.g. "paklausīties" → "paklausīt"). Numbers and
 * known tokens pass unchanged.
 */
export function createSpellingCorrector(
  vocabulary: ReadonlyMap<string, number>,
): SpellingCorrector {
  const buckets = new Map<string, string[]>();
  for (const term of vocabulary.keys()) {
    if (term.length < 3 || /\d/.test(term)) continue;
    const key = term[0] as string;
    const list = buckets.get(key);
    if (list) list.push(term);
    else buckets.set(key, [term]);
  }
  const cache = new Map<string, string>();
  return {
    correct(token) {
      if (token.length < 5 || vocabulary.has(token) || /\d/.test(token)) return token;
      const hit = cache.get(token);
      if (hit !== undefined) return hit;
      const max = token.length >= 8 ? 2 : 1;
      let best = token;
      let bestDistance = max + 1;
      let bestDf = 0;
      for (const term of buckets.get(token[0] as string) ?? []) {
        if (Math.abs(term.length - token.length) > max) continue;
        const d = editDistance(token, term, max);
        const df = vocabulary.get(term) ?? 0;
        if (d < bestDistance || (d === bestDistance && d <= max && df > bestDf)) {
          best = term;
          bestDistance = d;
          bestDf = df;
        }
      }
      if (bestDistance > max && token.length >= 6) {
        const prefix = token.slice(0, token.length - 2);
        for (const term of buckets.get(token[0] as string) ?? []) {
          const df = vocabulary.get(term) ?? 0;
          if (term.startsWith(prefix) && df > bestDf) {
            best = term;
            bestDf = df;
            bestDistance = max;
          }
        }
      }
      const out = bestDistance <= max ? best : token;
      if (cache.size > 10_000) cache.clear();
      cache.set(token, out);
      return out;
    },
  };
}
