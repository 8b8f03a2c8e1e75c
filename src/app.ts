import type { Config } from "./config.js";
import { createQueryEmbedder } from "./embed/create-embedder.js";
import type { Embedder } from "./embed/embedder.js";
import type { Logger } from "./log.js";
import { silentLogger } from "./log.js";
import { createRetriever, type Retriever } from "./retrieval/search.js";
import { type OpenedIndex, openIndex } from "./store/open-index.js";

/** Options of {@link openSearch}. */
export interface OpenSearchOptions {
  config: Config;
  logger?: Logger;
}

/** The opened index with the matching query embedder and a retriever over both. */
export interface SearchStack {
  index: OpenedIndex;
  embedder: Embedder;
  retriever: Retriever;
  close(): void;
}

/** Opens the live index of `config.PADOMS_DATA_DIR` and builds a retriever over it. */
export async function openSearch(options: OpenSearchOptions): Promise<SearchStack> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const index = await openIndex(config.PADOMS_DATA_DIR);
  try {
    const embedder = await createQueryEmbedder(config, index.manifest, index.embedderState);
    logger.debug("index opened", {
      build: index.manifest.build,
      chunks: index.manifest.chunkCount,
    });
    return {
      index,
      embedder,
      retriever: createRetriever(index, embedder),
      close: () => index.close(),
    };
  } catch (error) {
    index.close();
    throw error;
  }
}
