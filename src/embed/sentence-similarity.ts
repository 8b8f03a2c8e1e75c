import type { SentenceSimilarity } from "../answer/features.js";
import { LocalEmbedder } from "./local.js";

/** Dimensions of the sentence vectors (small: they only compare a question with sentences). */
export const SENTENCE_DIMENSIONS = 256;
/** Sentence vectors remembered across questions (the same passages come back often). */
const CACHE_SIZE = 20_000;

/**
 * Cosine similarity of a question and sentences with the local hashed embedder, whatever
 * embedder the index uses: offline, a fraction of a millisecond per sentence, and the same
 * scale as the fitted answer models were trained on.
 */
export function createSentenceSimilarity(): SentenceSimilarity {
  const embedder = new LocalEmbedder({ dimensions: SENTENCE_DIMENSIONS, idfBuckets: 1024 });
  const cache = new Map<string, Float32Array>();
  const vectorOf = (text: string): Float32Array => {
    let v = cache.get(text);
    if (!v) {
      v = embedder.embedQuerySync(text);
      if (cache.size >= CACHE_SIZE) cache.clear();
      cache.set(text, v);
    }
    return v;
  };
  return (query) => {
    const q = vectorOf(query);
    return (text) => {
      const t = vectorOf(text);
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += (q[i] as number) * (t[i] as number);
      return dot;
    };
  };
}
