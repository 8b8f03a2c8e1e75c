import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalEmbedder } from "../../src/embed/local.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { createRetriever } from "../../src/retrieval/search.js";
import { StoreError } from "../../src/store/errors.js";
import { createHnswIndex, readHnswIndex } from "../../src/store/hnsw-index.js";
import { openThreadedHnswIndex } from "../../src/store/hnsw-thread.js";
import { openIndex } from "../../src/store/open-index.js";
import { fixtureCorpus, tempDir, testConfig } from "../helpers/corpus.js";

const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

/** Deterministic unit vectors. */
function vectors(n: number, dims: number, seed = 7): Float32Array[] {
  let x = seed;
  const rnd = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32 - 0.5;
  };
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dims }, rnd);
    const norm = Math.hypot(...v);
    return v.map((c) => c / norm);
  });
}

async function writtenIndex(n: number, dims: number) {
  const dir = await tempDir();
  cleanup.push(dir);
  const path = join(dir, "vectors.hnsw");
  const index = createHnswIndex(dims, n);
  vectors(n, dims).forEach((v, i) => {
    index.add(i + 1, v);
  });
  await index.write(path);
  return path;
}

describe("the threaded HNSW index", () => {
  it("returns what the in-process index returns, synchronously and asynchronously", async () => {
    const path = await writtenIndex(300, 16);
    const local = await readHnswIndex(path, 16, { efSearch: 64 });
    const threaded = await openThreadedHnswIndex(path, 16, 64);
    try {
      expect(threaded.size).toBe(300);
      for (const q of vectors(5, 16, 99)) {
        const expected = local.search(q, 10);
        expect(threaded.search(q, 10)).toEqual(
          expected.map((n) => ({ label: n.label, similarity: expect.closeTo(n.similarity, 5) })),
        );
        const got = await threaded.searchAsync(q, 10);
        expect(got.map((n) => n.label)).toEqual(expected.map((n) => n.label));
      }
    } finally {
      threaded.close();
    }
  });

  it("serves searches started together one after another, each with its own answer", async () => {
    const path = await writtenIndex(200, 8);
    const local = await readHnswIndex(path, 8, { efSearch: 64 });
    const threaded = await openThreadedHnswIndex(path, 8, 64);
    try {
      const queries = vectors(12, 8, 5);
      const results = await Promise.all(queries.map((q) => threaded.searchAsync(q, 5)));
      results.forEach((r, i) => {
        expect(r.map((n) => n.label)).toEqual(
          local.search(queries[i] ?? [], 5).map((n) => n.label),
        );
      });
    } finally {
      threaded.close();
    }
  });

  it("names the file and the fix when the graph cannot be read", async () => {
    const dir = await tempDir();
    cleanup.push(dir);
    const path = join(dir, "vectors.hnsw");
    await writeFile(path, Buffer.alloc(64, 7));
    const error = await openThreadedHnswIndex(path, 8, 64).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(path);
    expect((error as StoreError).message).toContain("npm run ingest");
  });

  it("refuses searches after close", async () => {
    const path = await writtenIndex(50, 8);
    const threaded = await openThreadedHnswIndex(path, 8, 64);
    threaded.close();
    await expect(threaded.searchAsync(vectors(1, 8)[0] ?? [], 3)).rejects.toThrow(/closed/);
  });

  it("gives the retriever the same hybrid results as an in-process index", async () => {
    const corpus = await fixtureCorpus(["handbook.pdf", "youtube.vtt", "guide.md"]);
    const data = await tempDir();
    cleanup.push(corpus, data);
    await ingestCorpus({ config: testConfig(data, corpus) });
    const plain = await openIndex(data, { threadedVectors: false });
    const threaded = await openIndex(data, { threadedVectors: true });
    try {
      expect(threaded.vectors.searchAsync).toBeTypeOf("function");
      const embedder = LocalEmbedder.fromJSON(plain.embedderState as never);
      const a = createRetriever(plain, embedder);
      const b = createRetriever(threaded, embedder);
      for (const q of ["uzņēmuma statuss", "finansējums lauku uzņēmumiem", "mērķa grupas"]) {
        const x = await a.search(q, { k: 5 });
        const y = await b.search(q, { k: 5 });
        expect(y.map((r) => r.chunk.id)).toEqual(x.map((r) => r.chunk.id));
      }
    } finally {
      plain.close();
      threaded.close();
    }
  });
});
