import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSearch } from "../../src/app.js";
import { ModelError } from "../../src/errors.js";
import { ingestCorpus } from "../../src/ingest/ingest.js";
import { createOpenAIEmbedder } from "../../src/openai/embeddings.js";
import { fixtureCorpus, tempDir, testConfig } from "../helpers/corpus.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";

let server: FakeOpenAIServer;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const embeddingRequests = () => server.requests.filter((r) => r.path.endsWith("/embeddings"));

describe("OpenAI-compatible embeddings", () => {
  it("indexes a corpus in batches, and a re-ingest pays only for changed text (disk cache)", async () => {
    const corpus = await fixtureCorpus(["guide.md", "youtube.vtt"]);
    const data = await tempDir();
    dirs.push(corpus, data);
    const config = testConfig(data, corpus, {
      EMBEDDINGS: "openai",
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_EMBEDDING_MODEL: "test-embed",
    });
    server.requests.length = 0;
    const first = await ingestCorpus({ config });
    expect(first.status).toBe("built");
    expect(first.embedder).toBe("openai/test-embed");
    const texts = embeddingRequests().flatMap((r) => r.body.input as string[]);
    expect(texts.length).toBeGreaterThanOrEqual(first.chunks);

    server.requests.length = 0;
    const again = await ingestCorpus({ config, force: true });
    expect(again.status).toBe("built");
    expect(embeddingRequests()).toHaveLength(0);

    const stack = await openSearch({ config });
    try {
      const hits = await stack.retriever.search("sociālais uzņēmums", { k: 3 });
      expect(hits.length).toBeGreaterThan(0);
    } finally {
      stack.close();
    }
    // The index remembers its embedder: asking with the local one is refused.
    await expect(openSearch({ config: testConfig(data, corpus) })).rejects.toMatchObject({
      code: "embedder-mismatch",
    });
  });

  it("retries 5xx answers with back-off and then succeeds", async () => {
    server.embeddingFailures = 2;
    const embedder = createOpenAIEmbedder({
      baseURL: server.baseURL,
      model: "test-embed",
      maxRetries: 3,
    });
    const vectors = await embedder.embedDocuments(["viens", "divi", "trīs"]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    embedder.close();
  });

  it("wraps a failing endpoint in a ModelError that says what to check", async () => {
    server.embeddingStatus = 500;
    const embedder = createOpenAIEmbedder({
      baseURL: server.baseURL,
      model: "test-embed",
      maxRetries: 0,
    });
    await expect(embedder.embedQuery("x")).rejects.toBeInstanceOf(ModelError);
    server.embeddingStatus = 200;
    const down = createOpenAIEmbedder({ baseURL: "http://127.0.0.1:9/v1", maxRetries: 0 });
    await expect(down.embedQuery("x")).rejects.toMatchObject({
      code: "unreachable",
      message: expect.stringContaining("OPENAI_BASE_URL"),
    });
    embedder.close();
    down.close();
  });
});
