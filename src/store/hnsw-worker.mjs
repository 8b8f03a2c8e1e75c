// The vector-search thread of a large index (see hnsw-thread.ts). Plain JavaScript, so that it
// runs the same under node, tsx and vitest without a TypeScript loader in the worker.
//
// It loads the hnswlib graph once, then serves one search at a time through shared memory:
// the main thread writes the query vector and k, sets the status to REQUEST and notifies; this
// thread searches, writes labels and distances, sets DONE and notifies. Nothing is copied
// through messages, and the main thread can run its keyword search meanwhile.
import { workerData } from "node:worker_threads";
import hnswlib from "hnswlib-node";

// Status values (the main thread starts at LOADING = 0).
const IDLE = 1;
const REQUEST = 2;
const DONE = 3;
const FAILED = 4;
const STOP = 5;

const { path, dimensions, efSearch, control, vector, labels, distances } = workerData;
// control: [status, k, count of results, error flag, vectors in the index]
const state = new Int32Array(control);
const query = new Float32Array(vector);
const outLabels = new Int32Array(labels);
const outDistances = new Float32Array(distances);

function publish(status) {
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
}

let index;
try {
  index = new hnswlib.HierarchicalNSW("cosine", dimensions);
  index.readIndexSync(path);
  Atomics.store(state, 4, index.getCurrentCount());
  publish(IDLE);
} catch {
  publish(FAILED);
}

let ef = 0;
while (index) {
  const status = Atomics.load(state, 0);
  if (status === STOP) break;
  if (status !== REQUEST) {
    Atomics.wait(state, 0, status);
    continue;
  }
  try {
    const n = Math.min(Atomics.load(state, 1), index.getCurrentCount(), outLabels.length);
    const want = Math.max(efSearch, n);
    if (want !== ef) {
      index.setEf(want);
      ef = want;
    }
    const found = n > 0 ? index.searchKnn(Array.from(query.subarray(0, dimensions)), n) : null;
    const count = found ? found.neighbors.length : 0;
    for (let i = 0; i < count; i++) {
      outLabels[i] = found.neighbors[i];
      outDistances[i] = found.distances[i];
    }
    Atomics.store(state, 2, count);
    Atomics.store(state, 3, 0);
  } catch {
    Atomics.store(state, 2, 0);
    Atomics.store(state, 3, 1);
  }
  publish(DONE);
}
