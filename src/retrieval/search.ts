import type { Embedder } from "../embed/embedder.js";
import { abbreviationsIn } from "../text/abbreviations.js";
import { analyze } from "../text/analyze.js";
import { definedHeads, headDefines } from "../text/definitions.js";
import { splitSentences } from "../text/sentences.js";
import type { SynonymUse } from "../text/synonyms.js";
import type { Chunk, RetrievedChunk } from "../types.js";
import { diversify, fuseRankings } from "./fuse.js";
import type { RetrievalIndex } from "./ports.js";
import { type Association, type PreparedQuery, prepareQuery } from "./query.js";
import { createSpellingCorrector, type SpellingCorrector } from "./spelling.js";

/** Index size from which keyword search leaves out the commonest tokens of a question. */
const SELECTIVE_FROM = 5000;

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
  /** A question made ready for search; `synonyms`: when everyday words get the materials' terms. */
  prepare(query: string, options?: { synonyms?: SynonymUse }): PreparedQuery;
  search(query: string | PreparedQuery, options?: SearchOptions): Promise<RetrievedChunk[]>;
  /** Inverse document frequency of an analysed token (high for tokens the index lacks). */
  idf(token: string): number;
  /** The query embedding (cached for the last few queries). */
  embed(text: string): Promise<number[]>;
  /** The passages of the same file right after `chunk`, in order (at most `count`). */
  following(chunk: Chunk, count: number): Chunk[];
  /** The passages of a lecture (by its id in `lectures.json`), in order. */
  lecturePassages(id: string): Chunk[];
  /**
   * Abbreviations the materials define ("Labklājības ministrija (LM)" → LM), found once per
   * index in its first {@link ABBREVIATION_SCAN_LIMIT} passages.
   */
  abbreviations(): ReadonlyMap<string, string>;
  /**
   * Passages with a sentence that defines the term (analysed tokens; see `definesTerm`), in
   * index order, from the same first {@link ABBREVIATION_SCAN_LIMIT} passages.
   */
  definitions(term: readonly string[]): Chunk[];
  /** The index's first {@link ABBREVIATION_SCAN_LIMIT} passages, in index order (read once). */
  passages(): readonly Chunk[];
  /**
   * Every indexed token with the number of passages it occurs in, and the sum of those numbers
   * (how the materials word things, for `domainOdds`).
   */
  termCounts(): { df: ReadonlyMap<string, number>; total: number };
  readonly chunkCount: number;
}

/** Passages scanned for abbreviation definitions (an index's first ones: handbooks come first). */
export const ABBREVIATION_SCAN_LIMIT = 5000;

/**
 * Tokens worth a keyword lookup in a large index. FTS5 scores every passage that matches any
 * token, so its work grows with the tokens' document frequencies, while a token found in many
 * passages adds almost nothing to BM25. From the rarest up, tokens are kept while their postings
 * fit a budget of a twentieth of the index; the rarest one is kept anyway when it is in at most
 * a tenth of the passages. A question made only of common words ("sociālais uzņēmums") gets no
 * keyword list, and the vectors rank it alone. (The retriever uses this from 5,000 passages.)
 */
export function selectKeywordTokens(
  tokens: readonly string[],
  documentFrequency: ReadonlyMap<string, number>,
  passages: number,
): string[] {
  const df = (t: string) => documentFrequency.get(t) ?? 0;
  const budget = passages / 20;
  const kept: string[] = [];
  let postings = 0;
  for (const t of [...tokens].sort((a, b) => df(a) - df(b))) {
    const first = kept.length === 0 && df(t) <= passages / 10;
    if (!first && postings + df(t) > budget) break;
    kept.push(t);
    postings += df(t);
  }
  return kept;
}

/**
 * Creates a retriever: BM25 over analysed tokens (FTS5) and vector nearest neighbours, fused
 * with reciprocal rank fusion, deduplicated and diversified.
 */
export function createRetriever(index: RetrievalIndex, embedder: Embedder): Retriever {
  let speller: SpellingCorrector | undefined;
  let vocabulary: Map<string, number> | undefined;
  let termCounts: { df: ReadonlyMap<string, number>; total: number } | undefined;
  const n = index.manifest.chunkCount;
  const vectorCache = new Map<string, number[]>();
  const vocab = () => {
    vocabulary ??= index.db.vocabulary();
    return vocabulary;
  };

  const selective = (tokens: readonly string[]): string[] =>
    n < SELECTIVE_FROM ? [...tokens] : selectKeywordTokens(tokens, vocab(), n);

  // What the materials define, from one pass over the first passages: abbreviations, and the
  // passages with sentences that define a term (only those passages are kept).
  type DefiningPassage = { chunk: Chunk; heads: { tokens: Set<string>; head: string }[] };
  let defined: { abbreviations: Map<string, string>; terms: DefiningPassage[] } | undefined;
  let first: Chunk[] | undefined;
  const firstPassages = (): Chunk[] => {
    first ??= [
      ...index.db.getChunks(index.db.allLabels().slice(0, ABBREVIATION_SCAN_LIMIT)).values(),
    ];
    return first;
  };
  const scan = () => {
    if (defined) return defined;
    const abbreviations = new Map<string, string>();
    const terms: DefiningPassage[] = [];
    for (const chunk of firstPassages()) {
      for (const [abbr, full] of abbreviationsIn(chunk.text)) {
        if (!abbreviations.has(abbr)) abbreviations.set(abbr, full);
      }
      const heads = splitSentences(chunk.text).flatMap((sentence) =>
        definedHeads(sentence).map((d) => ({ tokens: new Set(d.tokens), head: d.head })),
      );
      if (heads.length) terms.push({ chunk, heads });
    }
    defined = { abbreviations, terms };
    return defined;
  };
  const files = new Map<string, Chunk[]>();
  const passagesOf = (path: string): Chunk[] => {
    let list = files.get(path);
    if (!list) {
      list = index.db.chunksOfFile(path).map((x) => x.chunk);
      if (files.size > 32) files.clear();
      files.set(path, list);
    }
    return list;
  };

  // Which passages hold each token (of the first passages, as above): how strongly two terms go
  // together, for choosing an English word's Latvian sense (`prepareQuery`).
  let postings: Map<string, Set<number>> | undefined;
  const passagesWith = (tokens: readonly string[]): Set<number> => {
    postings ??= postingsOf(firstPassages());
    const [head, ...rest] = tokens.map((t) => postings?.get(t) ?? new Set<number>());
    return new Set([...(head ?? [])].filter((p) => rest.every((r) => r.has(p))));
  };
  const association: Association = (a, b) => {
    const pa = passagesWith(a);
    const pb = passagesWith(b);
    if (pa.size === 0 || pb.size === 0) return 0;
    let both = 0;
    for (const p of pa) if (pb.has(p)) both++;
    return (2 * both) / (pa.size + pb.size);
  };

  const retriever: Retriever = {
    chunkCount: n,
    following(chunk, count) {
      return passagesOf(chunk.path)
        .filter((c) => c.ordinal > chunk.ordinal)
        .slice(0, count);
    },
    lecturePassages(id) {
      const meta = index.db.lectures().find((l) => l.id === id);
      const file = meta
        ? index.db.files().find((f) => f.path === meta.file || f.path.endsWith(`/${meta.file}`))
        : undefined;
      return file ? passagesOf(file.path) : [];
    },
    abbreviations() {
      return scan().abbreviations;
    },
    passages: () => firstPassages(),
    termCounts() {
      if (!termCounts) {
        let total = 0;
        for (const df of vocab().values()) total += df;
        termCounts = { df: vocab(), total };
      }
      return termCounts;
    },
    definitions(term) {
      if (term.length === 0) return [];
      return scan()
        .terms.filter((x) => x.heads.some((d) => headDefines(d, term)))
        .map((x) => x.chunk);
    },
    prepare(query, options) {
      speller ??= createSpellingCorrector(vocab());
      return prepareQuery(query, vocab(), speller, association, options?.synonyms);
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

      // An index with an asynchronous search (e.g. a remote one) runs while FTS5 runs here.
      const queryVector = mode === "keyword" ? undefined : await retriever.embed(prepared.text);
      const vectorSearch =
        queryVector && index.vectors.searchAsync
          ? index.vectors.searchAsync(queryVector, candidates)
          : undefined;
      vectorSearch?.catch(() => {});
      const keywordTokens = mode === "vector" ? [] : selective(prepared.tokens);
      const keyword =
        keywordTokens.length === 0 ? [] : index.db.keywordSearch(keywordTokens, candidates);
      const vector = vectorSearch
        ? await vectorSearch
        : queryVector
          ? index.vectors.search(queryVector, candidates)
          : [];
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

/** The passages (by position) that hold each analysed token. */
function postingsOf(chunks: readonly Chunk[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  chunks.forEach((chunk, i) => {
    for (const t of analyze(chunk.text)) {
      const set = out.get(t) ?? new Set<number>();
      set.add(i);
      out.set(t, set);
    }
  });
  return out;
}
