/**
 * One mapping of OpenAI errors for both adapters: the chat model and the embedder give the same
 * codes for the same HTTP answers, through the real `openai` client against a local server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelError } from "../../src/errors.js";
import { createOpenAIChatModel } from "../../src/openai/chat.js";
import { createOpenAIEmbedder } from "../../src/openai/embeddings.js";
import { modelErrorOf } from "../../src/openai/errors.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAI();
});

afterAll(async () => {
  await server?.close();
});

async function chatError(status: number): Promise<ModelError> {
  server.behaviour = { kind: "status", status };
  const chat = createOpenAIChatModel({ baseURL: server.baseURL, timeoutMs: 4000 });
  return chat.complete([{ role: "user", content: "Vai grantu var saņemt divreiz?" }]).then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as ModelError,
  );
}

async function embedError(status: number): Promise<ModelError> {
  server.embeddingStatus = status;
  const embedder = createOpenAIEmbedder({
    baseURL: server.baseURL,
    dimensions: 16,
    maxRetries: 0,
    timeoutMs: 4000,
  });
  try {
    await embedder.embedQuery("sociālais uzņēmums");
    throw new Error("expected a failure");
  } catch (error) {
    return error as ModelError;
  } finally {
    embedder.close();
    server.embeddingStatus = 200;
  }
}

describe("OpenAI errors → ModelError codes, the same for chat and embeddings", () => {
  it.each([
    [401, "auth", false],
    [429, "rate-limited", true],
    [500, "server", true],
  ] as const)("HTTP %i is %s", async (status, code, retryable) => {
    const chat = await chatError(status);
    const embed = await embedError(status);
    for (const error of [chat, embed]) {
      expect(error).toBeInstanceOf(ModelError);
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
    }
    expect(chat.message).toMatch(/^The chat model/);
    expect(embed.message).toMatch(/^The embedding endpoint/);
  });

  it("says which variable to check when the key is refused", async () => {
    expect((await chatError(401)).message).toContain("OPENAI_API_KEY");
    expect((await embedError(401)).message).toContain("OPENAI_API_KEY");
  });

  it("an aborted request is a timeout; anything that is not an API error is a bad response", () => {
    expect(modelErrorOf(new Error("aborted"), "chat", { aborted: true }).code).toBe("timeout");
    const odd = modelErrorOf(new TypeError("x is undefined"), "embedding");
    expect(odd.code).toBe("bad-response");
    expect(odd.cause).toBeInstanceOf(TypeError);
    const kept = new ModelError("bad-response", "already wrapped");
    expect(modelErrorOf(kept, "chat")).toBe(kept);
  });
});
