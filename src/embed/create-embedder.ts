import { join } from "node:path";
import type { Config } from "../config.js";
import { StoreError } from "../store/errors.js";
import type { Manifest } from "../store/manifest.js";
import type { Embedder } from "./embedder.js";
import { fitLocalEmbedder, LocalEmbedder } from "./local.js";

/** An embedder for building an index, with the state to save beside it. */
export interface IndexingEmbedder {
  embedder: Embedder;
  /** JSON-serialisable state to store in the build (local embedder: its IDF table). */
  state?: unknown;
  close(): void;
}

/** The embedder settings that, when changed, require re-embedding (the local one's id covers its features). */
export function embedderKind(config: Config): string {
  return config.EMBEDDINGS === "local"
    ? new LocalEmbedder({ dimensions: config.LOCAL_EMBEDDING_DIM }).id
    : `openai/${config.OPENAI_EMBEDDING_MODEL}`;
}

/** Creates the embedder for an ingest run; the local one is fitted on the corpus texts. */
export async function createIndexingEmbedder(
  config: Config,
  texts: string[],
  onProgress?: (done: number, total: number) => void,
): Promise<IndexingEmbedder> {
  if (config.EMBEDDINGS === "local") {
    const local = fitLocalEmbedder(texts, { dimensions: config.LOCAL_EMBEDDING_DIM });
    return { embedder: local, state: local.toJSON(), close() {} };
  }
  const { createOpenAIEmbedder } = await import("../openai/embeddings.js");
  const remote = createOpenAIEmbedder({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_EMBEDDING_MODEL,
    cachePath: join(config.PADOMS_DATA_DIR, "embedding-cache.sqlite"),
    onProgress,
  });
  await remote.ready();
  return { embedder: remote, close: () => remote.close() };
}

/**
 * Creates the query embedder matching an index. Fails with a message to re-ingest when the
 * index was built with another embedder than the configuration asks for.
 */
export async function createQueryEmbedder(
  config: Config,
  manifest: Manifest,
  state: unknown,
): Promise<Embedder> {
  const built = manifest.embedder.id;
  const wantsLocal = config.EMBEDDINGS === "local";
  const isLocal = built.startsWith("local");
  const mismatch = (want: string) =>
    new StoreError(
      "embedder-mismatch",
      `The index in ${config.PADOMS_DATA_DIR} was built with the embedder "${built}", but the configuration asks for "${want}". Run \`npm run ingest\` to rebuild it, or change EMBEDDINGS back.`,
    );
  if (wantsLocal) {
    if (!isLocal) throw mismatch(`local (${config.LOCAL_EMBEDDING_DIM} dimensions)`);
    const local = LocalEmbedder.fromJSON(state);
    if (local.dimensions !== manifest.embedder.dimensions || local.id !== built)
      throw mismatch(local.id);
    if (local.dimensions !== config.LOCAL_EMBEDDING_DIM)
      throw mismatch(`local (${config.LOCAL_EMBEDDING_DIM} dimensions)`);
    return local;
  }
  const want = `openai/${config.OPENAI_EMBEDDING_MODEL}`;
  if (built !== want) throw mismatch(want);
  const { createOpenAIEmbedder } = await import("../openai/embeddings.js");
  const remote = createOpenAIEmbedder({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_EMBEDDING_MODEL,
    dimensions: manifest.embedder.dimensions,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: 1,
  });
  return remote;
}
