import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import OpenAI from "openai";
import type { Embedder } from "../embed/embedder.js";
import { ModelError } from "../errors.js";
import { modelErrorOf } from "./errors.js";

/** Options of {@link createOpenAIEmbedder}. */
export interface OpenAIEmbedderOptions {
  /** Env `OPENAI_API_KEY`; a placeholder is used for keyless local servers. */
  apiKey?: string;
  /** Env `OPENAI_BASE_URL`, e.g. `http://127.0.0.1:11434/v1` for Ollama. */
  baseURL?: string;
  /** Env `OPENAI_EMBEDDING_MODEL`. Default `text-embedding-3-small`. */
  model?: string;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Retries with back-off on 429/5xx/connection errors. Default 4. */
  maxRetries?: number;
  /** Per-request timeout in ms. Default 60 000. */
  timeoutMs?: number;
  /** SQLite file caching vectors by model + text hash; absent: no cache. */
  cachePath?: string;
  /** Known dimensions (skips a probe request). */
  dimensions?: number;
  /** Called after each batch with the number of texts done. */
  onProgress?: (done: number, total: number) => void;
}

/** An embedder whose dimensions are learnt from the first response. */
export interface OpenAIEmbedder extends Embedder {
  /** Resolves the dimensions with one small request when they are not known yet. */
  ready(): Promise<void>;
  close(): void;
}

function normalise(v: number[]): number[] {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

/**
 * Embeddings from the OpenAI API or any OpenAI-compatible server (Ollama, llama.cpp, vLLM).
 * Batches requests, retries with back-off (the SDK's), and caches vectors on disk so that a
 * re-ingest pays only for changed text.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions = {}): OpenAIEmbedder {
  const model = options.model ?? "text-embedding-3-small";
  const client = new OpenAI({
    apiKey: options.apiKey ?? "not-needed",
    baseURL: options.baseURL,
    maxRetries: options.maxRetries ?? 4,
    timeout: options.timeoutMs ?? 60_000,
  });
  const batchSize = options.batchSize ?? 64;
  let dimensions = options.dimensions ?? 0;
  const cache = options.cachePath ? new Database(options.cachePath) : undefined;
  cache?.pragma("journal_mode = WAL");
  cache?.pragma("busy_timeout = 5000");
  cache?.exec("CREATE TABLE IF NOT EXISTS vectors(key TEXT PRIMARY KEY, vector BLOB NOT NULL)");
  const getCached = cache?.prepare("SELECT vector FROM vectors WHERE key = ?");
  const putCached = cache?.prepare("INSERT OR REPLACE INTO vectors(key, vector) VALUES (?, ?)");
  const keyOf = (text: string) =>
    createHash("sha256").update(model).update("\0").update(text).digest("hex");

  async function request(texts: string[]): Promise<number[][]> {
    let res: Awaited<ReturnType<typeof client.embeddings.create>>;
    try {
      res = await client.embeddings.create({ model, input: texts, encoding_format: "float" });
    } catch (cause) {
      throw modelErrorOf(cause, "embedding", { baseURL: options.baseURL });
    }
    const data = Array.isArray(res?.data) ? [...res.data] : undefined;
    if (!data || data.length !== texts.length) {
      throw new ModelError(
        "bad-response",
        `The embedding endpoint returned ${data?.length ?? "no"} vectors for ${texts.length} texts.`,
      );
    }
    data.sort((a, b) => a.index - b.index);
    return data.map((d) => {
      if (!Array.isArray(d.embedding) || d.embedding.length === 0) {
        throw new ModelError("bad-response", "The embedding endpoint returned an empty vector.");
      }
      if (dimensions === 0) dimensions = d.embedding.length;
      if (d.embedding.length !== dimensions) {
        throw new ModelError(
          "bad-response",
          `The embedding endpoint returned ${d.embedding.length} dimensions, expected ${dimensions}.`,
        );
      }
      return normalise(d.embedding);
    });
  }

  async function embedMany(texts: string[]): Promise<number[][]> {
    const out: (number[] | undefined)[] = new Array(texts.length);
    const missing: number[] = [];
    texts.forEach((t, i) => {
      const row = getCached?.get(keyOf(t)) as { vector: Buffer } | undefined;
      if (row) {
        const v = Array.from(
          new Float32Array(row.vector.buffer, row.vector.byteOffset, row.vector.byteLength / 4),
        );
        if (dimensions === 0) dimensions = v.length;
        out[i] = v;
      } else missing.push(i);
    });
    let done = texts.length - missing.length;
    options.onProgress?.(done, texts.length);
    for (let b = 0; b < missing.length; b += batchSize) {
      const idx = missing.slice(b, b + batchSize);
      const vectors = await request(idx.map((i) => texts[i] as string));
      idx.forEach((i, j) => {
        const v = vectors[j] as number[];
        out[i] = v;
        putCached?.run(keyOf(texts[i] as string), Buffer.from(new Float32Array(v).buffer));
      });
      done += idx.length;
      options.onProgress?.(done, texts.length);
    }
    return out as number[][];
  }

  return {
    get id() {
      return `openai/${model}`;
    },
    get dimensions() {
      return dimensions;
    },
    async ready() {
      if (dimensions === 0) await embedMany(["sociālais uzņēmums"]);
    },
    embedDocuments: embedMany,
    async embedQuery(text) {
      const [v] = await embedMany([text]);
      return v as number[];
    },
    close() {
      cache?.close();
    },
  };
}
