import type { Embedder } from "../embed/embedder.js";
import type { OpenedIndex } from "../store/open-index.js";
import type { RetrievedChunk } from "../types.js";
import { diversify, fuseRankings } from "./fuse.js";
import { type PreparedQuery, prepareQuery } from "./query.js";
import { createSpellingCorrector, type SpellingCorrector } from "./spelling.js";

/** Which signals a search uses. */
export type SearchMode = "hybrid" | "keyword" | "vector";

/** Options of one search. */
export interface SearchOptions {
  /** Results returned. Default 5. */
  k?: number;
  /** Candidates taken from each list before fusion. Default 40. */
  candidates?: number;
  mode?: SearchMode;
  /** Reorder so neighbours of one passage do not fill the top. Default true. */
  diversify?: boolean;
}

export type { PreparedQuery } from "./query.js";

/** Hybrid retrieval over one opened index. */
export interface Retriever {
  prepare(query: string): PreparedQuery;
  search(query: string | PreparedQuery, options?: SearchOptions): Promise<RetrievedChunk[]>;
  /** Inverse document frequency of an analysed token (high for tokens the index lacks). */
  idf(token: string): number;
  /** The query embedding (cached for the last few queries). */
  embed(text: string): Promise<number[]>;
  readonly chunkCount: number;
}

/**
 * Creates a retriever: BM25 over analysed tokens (FTS5) and vector nearest neighbours, fused
 * with reciprocal rank fusion, deduplicated and diversified.
 */
export function createRetriever(index: OpenedIndex, embedder: Embedder): Retriever {
  let speller: SpellingCorrector | undefined;
  let vocabulary: Map<string, number> | undefined;
  const n = index.manifest.chunkCount;
  const vectorCache = new Map<string, number[]>();
  const vocab = () => {
    vocabulary ??= index.db.vocabulary();
    return vocabulary;
  };

  /**
   * Tokens worth a keyword lookup: in a large index, those in more than a third of all passages
   * add almost nothing to BM25 but make FTS5 walk most of the index, so they are left out (the
   * rarest three stay).
   */
  const selective = (tokens: readonly string[]): string[] => {
    if (n < 5000) return [...tokens];
    const df = vocab();
    const limit = n / 3;
    const rare = tokens.filter((t) => (df.get(t) ?? 0) <= limit);
    if (rare.length > 0 || tokens.length === 0) return rare;
    return [...tokens].sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0)).slice(0, 3);
  };

  const retriever: Retriever = {
    chunkCount: n,
    prepare(query) {
      speller ??= createSpellingCorrector(vocab());
      return prepareQuery(query, vocab(), speller);
    },
    idf(token) {
      const df = vocab().get(token) ?? 0;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    },
    async embed(text) {
      const hit = vectorCache.get(text);
      if (hit) return hit;
      const v = await embedder.embedQuery(text);
      if (vectorCache.size > 64) vectorCache.clear();
      vectorCache.set(text, v);
      return v;
    },
    async search(query, options = {}) {
      const k = options.k ?? 5;
      const mode = options.mode ?? "hybrid";
      const candidates = Math.max(options.candidates ?? 40, k);
      const prepared = typeof query === "string" ? retriever.prepare(query) : query;

      const keyword =
        mode === "vector" ? [] : index.db.keywordSearch(selective(prepared.tokens), candidates);
      const vector =
        mode === "keyword"
          ? []
          : index.vectors.search(await retriever.embed(prepared.text), candidates);
      const maxKeyword = keyword[0]?.score ?? 0;
      const keywordScores = new Map(
        keyword.map((h) => [h.label, maxKeyword > 0 ? h.score / maxKeyword : 0]),
      );
      const vectorScores = new Map(vector.map((h) => [h.label, h.similarity]));
      const vectorRanking = vector.map((h) => ({ label: h.label, score: h.similarity }));

      const fused =
        mode === "keyword"
          ? keyword
          : mode === "vector"
            ? vectorRanking
            : fuseRankings([keyword, vectorRanking], { weights: [1, 0.6] });

      const pool = fused.slice(0, Math.max(k * 4, 20));
      const chunks = index.db.getChunks(pool.map((f) => f.label));
      let results = pool.flatMap((f) => {
        const chunk = chunks.get(f.label);
        if (!chunk) return [];
        const r: RetrievedChunk = { chunk, rank: 0, score: f.score };
        const ks = keywordScores.get(f.label);
        if (ks !== undefined) r.keywordScore = ks;
        const vs = vectorScores.get(f.label);
        if (vs !== undefined) r.vectorScore = vs;
        return [r];
      });
      if (options.diversify ?? true) results = diversify(results, (r) => r.chunk);
      return results.slice(0, k).map((r, i) => ({ ...r, rank: i + 1 }));
    },
  };
  return retriever;
}
