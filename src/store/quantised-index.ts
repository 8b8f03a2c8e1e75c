import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import usearch from "usearch";
import { StoreError } from "./errors.js";
import type { Neighbour, VectorIndex } from "./vector-index.js";

/**
 * The vector index of a build: an exact scan over int8 codes (one scale per dimension) with the
 * best candidates rescored against the float32 vectors. Two files:
 *
 * - `vectors.f32`: a 16-byte header (`PDMSF32\0`, dimensions, count as uint32 LE), then one
 *   float32 row per passage, in insertion order. Read row by row when rescoring, never held in
 *   memory.
 * - `vectors.i8`: a 16-byte header (`PDMSI8\0\0`, dimensions, count), the per-dimension scales
 *   (float32), the labels (int32), then one int8 row of codes per passage. Held in memory and
 *   scanned by usearch's `exactSearch` (SIMD, picked at run time).
 *
 * At 100k passages and 768 dimensions the codes are 73 MiB, a scan takes about 3 ms on one
 * thread, and recall@10 against exact float32 search is 1.0 (bench). Beyond a few hundred
 * thousand passages a graph is needed; see docs/scaling.md.
 */
export const VECTORS_FILE = "vectors.f32";
export const CODES_FILE = "vectors.i8";

const HEADER_BYTES = 16;
const F32_MAGIC = "PDMSF32\0";
const I8_MAGIC = "PDMSI8\0\0";

/**
 * Candidates rescored in float32 per search: at least this many, and at least twice the k
 * asked for. int8 alone gives recall@10 0.98; rescoring the top 20 already gives 1.0.
 */
export const RESCORE_MIN = 100;

function header(magic: string, dimensions: number, count: number): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  b.write(magic, 0, "latin1");
  b.writeUInt32LE(dimensions, 8);
  b.writeUInt32LE(count, 12);
  return b;
}

function bytesOf(a: Float32Array | Int32Array | Int8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes a build's vectors as they come, then the codes; see {@link VECTORS_FILE}. */
export interface QuantisedIndexWriter {
  readonly dimensions: number;
  readonly size: number;
  add(label: number, vector: ArrayLike<number>): void;
  /** Quantises the vectors written so far into the codes file and closes both files. */
  finish(): void;
  /** Closes the files without finishing (after a failure; the caller removes them). */
  abort(): void;
}

/**
 * Starts the two files of a build's vector index at `vectorsPath` and `codesPath`. Each vector
 * is written to disk when added (one streaming pass, nothing kept but the labels and the largest
 * magnitude of each dimension); {@link QuantisedIndexWriter.finish} then reads the float32 rows
 * back a block at a time and writes their int8 codes.
 */
export function createQuantisedWriter(
  vectorsPath: string,
  codesPath: string,
  dimensions: number,
): QuantisedIndexWriter {
  const fd = openSync(vectorsPath, "w+");
  writeSync(fd, header(F32_MAGIC, dimensions, 0), 0, HEADER_BYTES, 0);
  const maxAbs = new Float32Array(dimensions);
  let labels = new Int32Array(1024);
  let count = 0;
  let closed = false;
  const row = new Float32Array(dimensions);
  const rowBytes = bytesOf(row);
  const close = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  return {
    dimensions,
    get size() {
      return count;
    },
    add(label, vector) {
      if (closed) throw new Error(`Vector file ${vectorsPath} is already closed.`);
      if (vector.length !== dimensions) {
        throw new RangeError(`vector has ${vector.length} dimensions, index has ${dimensions}`);
      }
      for (let d = 0; d < dimensions; d++) {
        const x = vector[d] as number;
        row[d] = x;
        const a = Math.abs(x);
        if (a > (maxAbs[d] as number)) maxAbs[d] = a;
      }
      writeSync(fd, rowBytes, 0, rowBytes.length, HEADER_BYTES + count * rowBytes.length);
      if (count === labels.length) {
        const grown = new Int32Array(labels.length * 2);
        grown.set(labels);
        labels = grown;
      }
      labels[count++] = label;
    },
    finish() {
      writeSync(fd, header(F32_MAGIC, dimensions, count), 0, HEADER_BYTES, 0);
      const scales = new Float32Array(dimensions);
      for (let d = 0; d < dimensions; d++) scales[d] = (maxAbs[d] as number) / 127;
      const out = openSync(codesPath, "w");
      try {
        let at = 0;
        const put = (b: Buffer) => {
          writeSync(out, b, 0, b.length, at);
          at += b.length;
        };
        put(header(I8_MAGIC, dimensions, count));
        put(bytesOf(scales));
        put(bytesOf(labels.subarray(0, count)));
        const block = 4096;
        const f32 = new Float32Array(block * dimensions);
        const f32Bytes = bytesOf(f32);
        const codes = new Int8Array(block * dimensions);
        for (let first = 0; first < count; first += block) {
          const rows = Math.min(block, count - first);
          const bytes = rows * dimensions * 4;
          readSync(fd, f32Bytes, 0, bytes, HEADER_BYTES + first * dimensions * 4);
          for (let r = 0; r < rows; r++) {
            const o = r * dimensions;
            for (let d = 0; d < dimensions; d++) {
              const s = scales[d] as number;
              codes[o + d] = s > 0 ? Math.round((f32[o + d] as number) / s) : 0;
            }
          }
          put(Buffer.from(codes.buffer, 0, rows * dimensions));
        }
      } finally {
        closeSync(out);
        close();
      }
    },
    abort: close,
  };
}

/** A {@link VectorIndex} read from a build's files; read-only. */
export interface QuantisedIndex extends VectorIndex {
  close(): void;
}

/**
 * Float32 vectors up to this size are held in memory for rescoring (64 MiB: about 20k passages
 * at 768 dimensions); larger ones are read from the file row by row, which keeps serving RSS
 * at 100k passages near 300 MiB instead of 600 and costs about 0.3 ms per search.
 */
export const VECTORS_IN_MEMORY_BYTES = 64 * 1024 * 1024;

/** Options of {@link openQuantisedIndex}. */
export interface QuantisedIndexOptions {
  /** Candidates rescored in float32: at least this many. Default {@link RESCORE_MIN}. */
  rescore?: number;
  /** Hold the float32 vectors in memory up to this many bytes. Default {@link VECTORS_IN_MEMORY_BYTES}. */
  vectorsInMemoryBytes?: number;
}

function unreadable(path: string, why: string): StoreError {
  return new StoreError(
    "corrupt-index",
    `Vector index ${path} ${why}. Run \`npm run ingest\` to rebuild the index.`,
    path,
  );
}

/** Reads exactly `into.byteLength` bytes at `position`, or fails naming the file. */
function readExactly(fd: number, into: Buffer, position: number, path: string): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw unreadable(path, "is truncated");
    done += n;
  }
}

function readHeader(fd: number, path: string, magic: string, dimensions: number): number {
  const h = Buffer.alloc(HEADER_BYTES);
  readExactly(fd, h, 0, path);
  if (h.toString("latin1", 0, 8) !== magic) throw unreadable(path, "is not a Padoms vector file");
  const dims = h.readUInt32LE(8);
  if (dims !== dimensions) {
    throw unreadable(path, `has ${dims} dimensions, the manifest says ${dimensions}`);
  }
  return h.readUInt32LE(12);
}

/**
 * Opens the vector index of a build. The caller has checked both files against the manifest;
 * this still checks their headers and sizes, so a mismatch is a clear error, not a wrong answer.
 */
export function openQuantisedIndex(
  vectorsPath: string,
  codesPath: string,
  dimensions: number,
  options: QuantisedIndexOptions = {},
): QuantisedIndex {
  const rescoreMin = options.rescore ?? RESCORE_MIN;
  let codes: Int8Array;
  let scales: Float32Array;
  let labels: Int32Array;
  let count: number;
  const cfd = openSync(codesPath, "r");
  try {
    count = readHeader(cfd, codesPath, I8_MAGIC, dimensions);
    const expected = HEADER_BYTES + dimensions * 4 + count * 4 + count * dimensions;
    if (fstatSync(cfd).size !== expected) throw unreadable(codesPath, "has the wrong size");
    scales = new Float32Array(dimensions);
    readExactly(cfd, bytesOf(scales), HEADER_BYTES, codesPath);
    labels = new Int32Array(count);
    readExactly(cfd, bytesOf(labels), HEADER_BYTES + dimensions * 4, codesPath);
    // A fresh ArrayBuffer of its own: usearch's exactSearch reads from the start of the
    // buffer, whatever a typed array's byteOffset (and rejects SharedArrayBuffer memory).
    codes = new Int8Array(new ArrayBuffer(count * dimensions));
    readExactly(cfd, bytesOf(codes), HEADER_BYTES + dimensions * 4 + count * 4, codesPath);
  } finally {
    closeSync(cfd);
  }
  const fd = openSync(vectorsPath, "r");
  try {
    const rows = readHeader(fd, vectorsPath, F32_MAGIC, dimensions);
    if (rows !== count || fstatSync(fd).size !== HEADER_BYTES + count * dimensions * 4) {
      throw unreadable(vectorsPath, `does not match ${codesPath}`);
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }

  const rowBytes = dimensions * 4;
  let inMemory: Float32Array | undefined;
  if (count * rowBytes <= (options.vectorsInMemoryBytes ?? VECTORS_IN_MEMORY_BYTES)) {
    try {
      inMemory = new Float32Array(count * dimensions);
      readExactly(fd, bytesOf(inMemory), HEADER_BYTES, vectorsPath);
    } finally {
      closeSync(fd);
    }
  }
  const row = new Float32Array(dimensions);
  const rowBuffer = bytesOf(row);
  const query = new Float32Array(dimensions);
  const queryCodes = new Int8Array(new ArrayBuffer(dimensions));
  let closed = false;

  return {
    dimensions,
    size: count,
    add() {
      throw new Error("The vector index of a build is read-only; run `npm run ingest`.");
    },
    search(vector, k): Neighbour[] {
      if (closed) throw new Error(`Vector index ${vectorsPath} is closed.`);
      if (vector.length !== dimensions) {
        throw new RangeError(`Query vector has ${vector.length} numbers, the index ${dimensions}.`);
      }
      const n = Math.min(k, count);
      if (n <= 0) return [];
      // The query in the codes' terms: dot(x, y) ≈ Σ code_d · (scale_d · y_d).
      let top = 0;
      for (let d = 0; d < dimensions; d++) {
        const y = vector[d] as number;
        query[d] = y;
        const z = Math.abs(y * (scales[d] as number));
        if (z > top) top = z;
      }
      const t = top > 0 ? 127 / top : 0;
      for (let d = 0; d < dimensions; d++) {
        queryCodes[d] = Math.round((query[d] as number) * (scales[d] as number) * t);
      }
      const wanted = Math.min(count, Math.max(rescoreMin, 2 * n));
      const found = usearch.exactSearch(
        codes,
        queryCodes,
        dimensions,
        wanted,
        usearch.MetricKind.IP,
        1,
      ) as { keys: BigUint64Array };
      const rowsFound = Array.from(found.keys, Number).sort((a, b) => a - b);
      const scored: Neighbour[] = [];
      for (const r of rowsFound) {
        let s = 0;
        if (inMemory) {
          const o = r * dimensions;
          for (let d = 0; d < dimensions; d++)
            s += (inMemory[o + d] as number) * (query[d] as number);
        } else {
          readExactly(fd, rowBuffer, HEADER_BYTES + r * rowBytes, vectorsPath);
          for (let d = 0; d < dimensions; d++) s += (row[d] as number) * (query[d] as number);
        }
        scored.push({ label: labels[r] as number, similarity: s });
      }
      scored.sort((a, b) => b.similarity - a.similarity || a.label - b.label);
      return scored.slice(0, n);
    },
    close() {
      if (closed) return;
      closed = true;
      if (!inMemory) closeSync(fd);
    },
  };
}

/** One block of a build's vectors, as {@link readVectorBlocks} yields them. */
export interface VectorBlock {
  dimensions: number;
  /** Labels of the rows of this block. */
  labels: Int32Array;
  /** `labels.length` float32 rows, one after another (a fresh buffer per block). */
  vectors: Float32Array;
}

/**
 * Reads a build's labels and float32 vectors back in blocks of `block` rows (for the bench and
 * tools; serving reads single rows).
 */
export function* readVectorBlocks(
  vectorsPath: string,
  codesPath: string,
  block = 4096,
): Generator<VectorBlock> {
  const cfd = openSync(codesPath, "r");
  let labels: Int32Array;
  let dimensions: number;
  try {
    const h = Buffer.alloc(HEADER_BYTES);
    readExactly(cfd, h, 0, codesPath);
    dimensions = h.readUInt32LE(8);
    labels = new Int32Array(h.readUInt32LE(12));
    readExactly(cfd, bytesOf(labels), HEADER_BYTES + dimensions * 4, codesPath);
  } finally {
    closeSync(cfd);
  }
  const fd = openSync(vectorsPath, "r");
  try {
    readHeader(fd, vectorsPath, F32_MAGIC, dimensions);
    for (let first = 0; first < labels.length; first += block) {
      const rows = Math.min(block, labels.length - first);
      const vectors = new Float32Array(rows * dimensions);
      readExactly(fd, bytesOf(vectors), HEADER_BYTES + first * dimensions * 4, vectorsPath);
      yield { dimensions, labels: labels.slice(first, first + rows), vectors };
    }
  } finally {
    closeSync(fd);
  }
}
