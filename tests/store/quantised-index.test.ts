import { mkdir, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPrng } from "../../scripts/bench/prng.js";
import { StoreError } from "../../src/store/errors.js";
import { INDEX_FORMAT_VERSION, readManifest } from "../../src/store/manifest.js";
import {
  createQuantisedWriter,
  openQuantisedIndex,
  readVectorBlocks,
} from "../../src/store/quantised-index.js";
import { createExactIndex } from "../../src/store/vector-index.js";
import { tempDir } from "../helpers/corpus.js";

const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

/** Unit vectors whose dimensions have very different ranges (as real embeddings do). */
function vectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const prng = createPrng(seed);
  const range = Array.from({ length: dimensions }, (_, d) => (d % 7 === 0 ? 8 : 1));
  return Array.from({ length: count }, () => {
    const v = new Float32Array(dimensions);
    let norm = 0;
    for (let d = 0; d < dimensions; d++) {
      const x = (prng.next() * 2 - 1) * (range[d] as number);
      v[d] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dimensions; d++) v[d] = (v[d] as number) / norm;
    return v;
  });
}

async function written(rows: Float32Array[], dimensions: number, firstLabel = 1) {
  const dir = await tempDir("padoms-vectors-");
  cleanup.push(dir);
  const vectorsPath = join(dir, "vectors.f32");
  const codesPath = join(dir, "vectors.i8");
  const writer = createQuantisedWriter(vectorsPath, codesPath, dimensions);
  rows.forEach((v, i) => {
    writer.add(firstLabel + i, v);
  });
  writer.finish();
  return { dir, vectorsPath, codesPath };
}

describe("exact int8 scan with float32 rescoring", () => {
  it("finds the same neighbours, with the same similarities, as exact float32 search", async () => {
    const dims = 64;
    const rows = vectors(2000, dims, 7);
    const { vectorsPath, codesPath } = await written(rows, dims, 10);
    const exact = createExactIndex(dims, rows.length);
    rows.forEach((v, i) => {
      exact.add(10 + i, v);
    });
    // Float32 rows rescored from memory (small index) and from the file (large index).
    for (const vectorsInMemoryBytes of [Number.POSITIVE_INFINITY, 0]) {
      const index = openQuantisedIndex(vectorsPath, codesPath, dims, { vectorsInMemoryBytes });
      expect(index.size).toBe(2000);
      try {
        for (const q of vectors(20, dims, 99)) {
          const got = index.search(q, 40);
          const want = exact.search(q, 40);
          expect(got.map((n) => n.label)).toEqual(want.map((n) => n.label));
          got.forEach((n, i) => {
            expect(n.similarity).toBeCloseTo(want[i]?.similarity ?? Number.NaN, 5);
          });
        }
      } finally {
        index.close();
      }
    }
  });

  it("searches the right vector when the query is a view into a larger buffer", async () => {
    const dims = 32;
    const rows = vectors(300, dims, 3);
    const { vectorsPath, codesPath } = await written(rows, dims);
    const index = openQuantisedIndex(vectorsPath, codesPath, dims);
    try {
      // usearch ignores a typed array's byte offset; the index must copy the query first.
      const many = new Float32Array(dims * 3);
      many.set(rows[120] as Float32Array, dims * 2);
      const view = many.subarray(dims * 2);
      expect(index.search(view, 1)[0]?.label).toBe(121);
      expect(index.search(view, 5)).toEqual(index.search(Array.from(view), 5));
    } finally {
      index.close();
    }
  });

  it("returns at most as many neighbours as it holds, and none from an empty index", async () => {
    const dims = 16;
    const small = await written(vectors(3, dims, 1), dims);
    const index = openQuantisedIndex(small.vectorsPath, small.codesPath, dims);
    expect(index.search(vectors(1, dims, 2)[0] as Float32Array, 40)).toHaveLength(3);
    expect(() => index.search([1, 2], 3)).toThrow(/2 numbers, the index 16/);
    index.close();
    const empty = await written([], dims);
    const none = openQuantisedIndex(empty.vectorsPath, empty.codesPath, dims);
    expect(none.size).toBe(0);
    expect(none.search(vectors(1, dims, 2)[0] as Float32Array, 5)).toEqual([]);
    none.close();
  });

  it("reads the labels and vectors back in blocks", async () => {
    const dims = 8;
    const rows = vectors(10, dims, 5);
    const { vectorsPath, codesPath } = await written(rows, dims, 100);
    const blocks = [...readVectorBlocks(vectorsPath, codesPath, 4)];
    expect(blocks.map((b) => b.labels.length)).toEqual([4, 4, 2]);
    expect(blocks[2]?.labels[1]).toBe(109);
    expect(Array.from(blocks[1]?.vectors.subarray(0, dims) ?? [])).toEqual(
      Array.from(rows[4] ?? []),
    );
  });

  it("refuses a truncated file or one of other dimensions, naming the file and the fix", async () => {
    const dims = 16;
    const a = await written(vectors(50, dims, 1), dims);
    expect(() => openQuantisedIndex(a.vectorsPath, a.codesPath, 32)).toThrow(
      expect.objectContaining({
        code: "corrupt-index",
        message: expect.stringMatching(/has 16 dimensions.*npm run ingest/),
      }),
    );
    await truncate(a.codesPath, 200);
    const error = (() => {
      try {
        openQuantisedIndex(a.vectorsPath, a.codesPath, dims);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(a.codesPath);
    expect((error as StoreError).message).toContain("npm run ingest");
    const b = await written(vectors(50, dims, 1), dims);
    await truncate(b.vectorsPath, 1000);
    expect(() => openQuantisedIndex(b.vectorsPath, b.codesPath, dims)).toThrow(b.vectorsPath);
  });
});

describe("index format", () => {
  it("says that an index of the previous format (hnswlib graph) needs a re-ingest", async () => {
    const data = await tempDir("padoms-old-");
    cleanup.push(data);
    await mkdir(data, { recursive: true });
    await writeFile(
      join(data, "manifest.json"),
      JSON.stringify({
        formatVersion: INDEX_FORMAT_VERSION - 1,
        build: "old",
        vectors: { file: "vectors.hnsw", bytes: 1, sha256: "x" },
        db: { file: "chunks.sqlite", bytes: 1, sha256: "x" },
      }),
    );
    await expect(readManifest(data)).rejects.toMatchObject({
      code: "old-version",
      message: expect.stringMatching(/Re-ingest needed: run `npm run ingest`/),
    });
  });
});
