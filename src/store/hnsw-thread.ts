import { Worker } from "node:worker_threads";
import { StoreError } from "./errors.js";
import type { Neighbour, VectorIndex } from "./vector-index.js";

// Status values shared with hnsw-worker.mjs: LOADING 0, IDLE 1, REQUEST 2, DONE 3 (results
// written), FAILED 4 (the graph could not be read), STOP 5.
const LOADING = 0;
const IDLE = 1;
const REQUEST = 2;
const STOP = 5;

/** The most neighbours one search can return (the retriever asks for 40). */
const MAX_K = 1024;
/** A search that takes longer than this means the thread is gone. */
const SEARCH_TIMEOUT_MS = 30_000;

/**
 * A vector index whose hnswlib graph lives in its own thread: `searchAsync` starts a search and
 * returns at once, so the caller can run its keyword search meanwhile (both native calls are
 * synchronous, so on one thread they add up). Searches are served one at a time, in order.
 */
export interface ThreadedVectorIndex extends VectorIndex {
  searchAsync(vector: ArrayLike<number>, k: number): Promise<Neighbour[]>;
  close(): void;
}

/**
 * Loads the graph at `path` (already checked against the manifest) in a worker thread. Rejects
 * with a `StoreError` naming the file when hnswlib cannot read it.
 */
export async function openThreadedHnswIndex(
  path: string,
  dimensions: number,
  efSearch: number,
): Promise<ThreadedVectorIndex> {
  const control = new SharedArrayBuffer(5 * 4);
  const vector = new SharedArrayBuffer(dimensions * 4);
  const labels = new SharedArrayBuffer(MAX_K * 4);
  const distances = new SharedArrayBuffer(MAX_K * 4);
  const state = new Int32Array(control);
  const query = new Float32Array(vector);
  const outLabels = new Int32Array(labels);
  const outDistances = new Float32Array(distances);

  const worker = new Worker(new URL("./hnsw-worker.mjs", import.meta.url), {
    workerData: { path, dimensions, efSearch, control, vector, labels, distances },
  });
  // Atomics.waitAsync does not keep Node's event loop alive: the worker does while a load or a
  // search is under way, and is unreferenced when idle so that it never holds a process open.
  let gone: Error | undefined;
  const unreadable = (cause?: unknown) =>
    new StoreError(
      "corrupt-index",
      `Vector index ${path} could not be read. Run \`npm run ingest\` to rebuild the index.`,
      path,
      cause === undefined ? undefined : { cause },
    );
  const stopped = new Promise<never>((_, reject) => {
    worker.once("error", (error) => {
      gone = error;
      reject(unreadable(error));
    });
    worker.once("exit", () => {
      gone ??= new Error("the vector search thread exited");
      reject(unreadable(gone));
    });
  });
  stopped.catch(() => {});

  const loading = Atomics.waitAsync(state, 0, LOADING);
  if (loading.async) await Promise.race([loading.value, stopped]);
  if (Atomics.load(state, 0) !== IDLE) {
    await worker.terminate();
    throw unreadable();
  }
  const size = Atomics.load(state, 4);
  worker.unref();

  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;
  let closed = false;

  const request = (v: ArrayLike<number>, k: number): number => {
    if (closed) throw new Error(`Vector index ${path} is closed.`);
    if (gone) throw unreadable(gone);
    if (v.length !== dimensions)
      throw new RangeError(`Query vector has ${v.length} numbers, the index ${dimensions}.`);
    query.set(v);
    Atomics.store(state, 1, Math.min(k, MAX_K));
    Atomics.store(state, 0, REQUEST);
    Atomics.notify(state, 0);
    return k;
  };
  const collect = (): Neighbour[] => {
    const failed = Atomics.load(state, 3) !== 0;
    const count = Atomics.load(state, 2);
    const out: Neighbour[] = [];
    for (let i = 0; i < count; i++)
      out.push({ label: outLabels[i] as number, similarity: 1 - (outDistances[i] as number) });
    Atomics.store(state, 0, IDLE);
    if (failed) throw new Error(`Vector search in ${path} failed.`);
    return out;
  };

  return {
    dimensions,
    size,
    add() {
      throw new Error("A threaded vector index is read-only.");
    },
    search(v, k) {
      if (Atomics.load(state, 0) !== IDLE)
        throw new Error("A threaded vector index cannot search synchronously while busy.");
      request(v, k);
      if (Atomics.wait(state, 0, REQUEST, SEARCH_TIMEOUT_MS) === "timed-out") throw unreadable();
      return collect();
    },
    searchAsync(v, k) {
      const run = async (): Promise<Neighbour[]> => {
        try {
          // Posted before the first await: when nothing is queued, the thread starts searching
          // while the caller goes on with its own work.
          request(v, k);
          const waiting = Atomics.waitAsync(state, 0, REQUEST, SEARCH_TIMEOUT_MS);
          if (waiting.async && (await Promise.race([waiting.value, stopped])) === "timed-out")
            throw unreadable();
          return collect();
        } finally {
          if (--pending === 0) worker.unref();
        }
      };
      const first = pending++ === 0;
      if (first) worker.ref();
      const result = first ? run() : queue.then(run, run);
      queue = result.catch(() => {});
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(state, 0, STOP);
      Atomics.notify(state, 0);
      void worker.terminate();
    },
  };
}
