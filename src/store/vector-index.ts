/** One nearest neighbour: the label given at insertion and the cosine similarity. */
export interface Neighbour {
  label: number;
  similarity: number;
}

/** The vector port: insert normalised vectors by integer label, search by cosine similarity. */
export interface VectorIndex {
  readonly dimensions: number;
  readonly size: number;
  add(label: number, vector: ArrayLike<number>): void;
  search(vector: ArrayLike<number>, k: number): Neighbour[];
  /**
   * Optional: a search that runs elsewhere (another thread) and is started before this returns,
   * so the caller can do other work meanwhile.
   */
  searchAsync?(vector: ArrayLike<number>, k: number): Promise<Neighbour[]>;
  /** Optional: frees what the index holds beyond memory (a thread). */
  close?(): void;
}

/** Inner product of two equally long vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Exact (brute-force) search over normalised float32 vectors in plain JavaScript, held in memory.
 * A reference for tests; builds use the int8 scan of `quantised-index.ts`.
 */
export function createExactIndex(dimensions: number, capacity = 1024): VectorIndex {
  let data = new Float32Array(dimensions * capacity);
  let labels = new Int32Array(capacity);
  let count = 0;
  return {
    dimensions,
    get size() {
      return count;
    },
    add(label, vector) {
      if (vector.length !== dimensions) {
        throw new RangeError(`vector has ${vector.length} dimensions, index has ${dimensions}`);
      }
      if (count === labels.length) {
        const grown = new Float32Array(data.length * 2);
        grown.set(data);
        data = grown;
        const grownLabels = new Int32Array(labels.length * 2);
        grownLabels.set(labels);
        labels = grownLabels;
      }
      data.set(vector, count * dimensions);
      labels[count] = label;
      count++;
    },
    search(vector, k) {
      const top: Neighbour[] = [];
      for (let i = 0; i < count; i++) {
        let s = 0;
        const off = i * dimensions;
        for (let d = 0; d < dimensions; d++) s += (data[off + d] as number) * (vector[d] as number);
        if (top.length < k || s > (top[top.length - 1] as Neighbour).similarity) {
          const n = { label: labels[i] as number, similarity: s };
          let j = top.length;
          top.push(n);
          while (j > 0 && (top[j - 1] as Neighbour).similarity < s) {
            top[j] = top[j - 1] as Neighbour;
            j--;
          }
          top[j] = n;
          if (top.length > k) top.pop();
        }
      }
      return top;
    },
  };
}
