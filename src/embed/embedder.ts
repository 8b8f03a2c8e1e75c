import type { EmbeddingsInterface } from "@langchain/core/embeddings";

/**
 * The embedding port: LangChain's `EmbeddingsInterface` plus what the index manifest records.
 * Vectors are L2-normalised so that inner product equals cosine similarity.
 */
export interface Embedder extends EmbeddingsInterface<number[]> {
  /** Stable identifier of the model and its settings, e.g. `local-hash-v1/512`. */
  readonly id: string;
  /** Length of every vector this embedder returns. */
  readonly dimensions: number;
}
