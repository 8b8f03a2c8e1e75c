import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelError } from "../../src/errors.js";
import { createOpenAIChatModel, MAX_REPLY_CHARS } from "../../src/openai/chat.js";
import { type FakeOpenAIServer, startFakeOpenAI } from "../helpers/openai-server.js";

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAI();
});

afterAll(async () => {
  await server?.close();
});

describe("createOpenAIChatModel", () => {
  const piece = "ALTUM grantu piešķir konkursa kārtībā [1]. ";
  const runaway = Array.from({ length: Math.ceil(311_000 / piece.length) }, () => piece);

  it("stops reading a runaway stream at the reply cap and fails it", async () => {
    server.behaviour = { kind: "stream", pieces: runaway };
    const chat = createOpenAIChatModel({ baseURL: server.baseURL, timeoutMs: 4000 });
    let received = "";
    const reply = chat.complete([{ role: "user", content: "?" }], {
      onToken: (p) => {
        received += p;
      },
    });
    await expect(reply).rejects.toThrow(ModelError);
    await expect(reply).rejects.toThrow(/ran past 8000 characters/);
    expect(received.length).toBeLessThanOrEqual(MAX_REPLY_CHARS);
  });

  it("fails an over-long reply that is not streamed", async () => {
    server.behaviour = { kind: "reply", text: runaway.join("") };
    const chat = createOpenAIChatModel({ baseURL: server.baseURL, maxReplyChars: 1000 });
    await expect(chat.complete([{ role: "user", content: "?" }])).rejects.toThrow(
      /ran past 1000 characters/,
    );
  });

  it("returns a reply within the cap", async () => {
    server.behaviour = { kind: "stream", pieces: [piece, piece] };
    const chat = createOpenAIChatModel({ baseURL: server.baseURL });
    expect(await chat.complete([{ role: "user", content: "?" }], { onToken: () => {} })).toBe(
      piece + piece,
    );
  });
});
