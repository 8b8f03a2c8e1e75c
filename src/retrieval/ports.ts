/**
 * The port of the retriever: what it reads of an opened index. The store's `OpenedIndex`
 * (`store/open-index.ts`: the chunk database and the vector index of one build) satisfies it.
 */
import type { Chunk, LectureMeta } from "../types.js";

/** The passages of an index with their analysed tokens (the store's chunk database). */
export interface IndexedPassages {
  /** BM25 over the analysed tokens (OR of the tokens); higher scores are better. */
  keywordSearch(tokens: string[], k: number): { label: number; score: number }[];
  /** Passages by their integer labels (unknown labels are left out). */
  getChunks(labels: number[]): Map<number, Chunk>;
  /** Every indexed token with the number of passages it occurs in. */
  vocabulary(): Map<string, number>;
  /** The passages of one file in order, with labels. */
  chunksOfFile(path: string): { label: number; chunk: Chunk }[];
  allLabels(): number[];
  /** The indexed source files (paths relative to the corpus folder). */
  files(): { path: string }[];
  lectures(): LectureMeta[];
}

/** Nearest neighbours of a normalised query vector, by cosine similarity. */
export interface NearestNeighbours {
  search(vector: ArrayLike<number>, k: number): { label: number; similarity: number }[];
  /** Optional: a search started at once that runs elsewhere (another thread). */
  searchAsync?(
    vector: ArrayLike<number>,
    k: number,
  ): Promise<{ label: number; similarity: number }[]>;
}

/** What the retriever searches: one opened build of the index. */
export interface RetrievalIndex {
  manifest: { chunkCount: number };
  db: IndexedPassages;
  vectors: NearestNeighbours;
}
