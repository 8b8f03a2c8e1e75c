/**
 * The index a front end searches: opened with its query embedder and a retriever
 * ({@link openSearch}), and kept current in a long-running process ({@link openLiveIndex}).
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "./config.js";
import { createQueryEmbedder } from "./embed/create-embedder.js";
import type { Embedder } from "./embed/embedder.js";
import type { Logger } from "./log.js";
import { silentLogger } from "./log.js";
import { createRetriever, type Retriever } from "./retrieval/search.js";
import { MANIFEST_FILE } from "./store/manifest.js";
import { type OpenedIndex, openIndex } from "./store/open-index.js";
import type { LectureMeta } from "./types.js";

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
  /** Lectures of the index, in corpus order. */
  lectures: LectureMeta[];
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
      lectures: index.db.lectures(),
      close: () => index.close(),
    };
  } catch (error) {
    index.close();
    throw error;
  }
}

/** The index a long-running process serves, switched to a newer build when an ingest completes. */
export interface LiveIndex {
  current(): SearchStack;
  /** Opens the newest build if the manifest changed; returns true when it switched. */
  refresh(): Promise<boolean>;
  /** Checks the manifest every `intervalMs` and switches between questions. */
  watch(intervalMs?: number): void;
  close(): void;
}

/**
 * Opens the index and keeps it current: when `manifest.json` names a new build, the new build
 * is opened beside the old one and swapped in; questions in flight finish on the old one, which
 * is closed a minute later. A new build that fails to open is logged and the old one kept.
 */
export async function openLiveIndex(options: OpenSearchOptions): Promise<LiveIndex> {
  const logger = options.logger ?? silentLogger;
  const manifestPath = join(options.config.PADOMS_DATA_DIR, MANIFEST_FILE);
  let stack = await openSearch(options);
  let mtime = (await stat(manifestPath)).mtimeMs;
  let timer: NodeJS.Timeout | undefined;
  const retired = new Set<NodeJS.Timeout>();
  let refreshing = false;

  const live: LiveIndex = {
    current: () => stack,
    async refresh() {
      if (refreshing) return false;
      refreshing = true;
      try {
        const m = await stat(manifestPath).catch(() => undefined);
        if (!m || m.mtimeMs === mtime) return false;
        // Remember this manifest even if its build fails to open, so it is tried once, not every tick.
        mtime = m.mtimeMs;
        const next = await openSearch(options);
        if (next.index.manifest.build === stack.index.manifest.build) {
          next.close();
          return false;
        }
        const old = stack;
        stack = next;
        const t = setTimeout(() => {
          old.close();
          retired.delete(t);
        }, 60_000);
        t.unref();
        retired.add(t);
        logger.info("switched to a new index", {
          build: next.index.manifest.build,
          chunks: next.index.manifest.chunkCount,
        });
        return true;
      } catch (error) {
        logger.warn("a new index could not be opened; still serving the previous one", { error });
        return false;
      } finally {
        refreshing = false;
      }
    },
    watch(intervalMs = 2000) {
      if (timer) return;
      timer = setInterval(() => void live.refresh(), intervalMs);
      timer.unref();
    },
    close() {
      if (timer) clearInterval(timer);
      for (const t of retired) clearTimeout(t);
      stack.close();
    },
  };
  return live;
}
