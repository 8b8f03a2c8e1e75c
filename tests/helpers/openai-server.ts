import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the fake server answers chat completions. */
export type ChatBehaviour =
  | { kind: "reply"; text: string | ((prompt: string) => string) }
  | { kind: "stream"; pieces: string[]; delayMs?: number }
  | { kind: "stall"; pieces: string[] }
  | { kind: "status"; status: number }
  | { kind: "malformed" }
  | { kind: "hang" };

/** A small OpenAI-compatible HTTP server on 127.0.0.1 for tests (chat completions, embeddings). */
export interface FakeOpenAIServer {
  baseURL: string;
  /** Requests received, newest last. */
  requests: { path: string; body: Record<string, unknown> }[];
  behaviour: ChatBehaviour;
  /** Status to answer embedding requests with (200 by default). */
  embeddingStatus: number;
  /** Number of coming embedding requests to fail with 503 before answering normally. */
  embeddingFailures: number;
  close(): Promise<void>;
}

function fakeVector(text: string, dims = 16): number[] {
  const h = createHash("sha256").update(text).digest();
  return Array.from({ length: dims }, (_, i) => ((h[i % h.length] as number) - 128) / 128);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  const text = Buffer.concat(parts).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function completion(text: string) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 0,
    model: "test-model",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: text } }],
  };
}

function chunk(piece: string) {
  return `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "test-model", choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`;
}

/** Starts the server on a free loopback port. */
export async function startFakeOpenAI(
  initial: ChatBehaviour = { kind: "reply", text: "OK [1]" },
): Promise<FakeOpenAIServer> {
  const open = new Set<ServerResponse>();
  const state: FakeOpenAIServer = {
    baseURL: "",
    requests: [],
    behaviour: initial,
    embeddingStatus: 200,
    embeddingFailures: 0,
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    open.add(res);
    res.on("close", () => open.delete(res));
    const body = await readBody(req);
    const path = req.url ?? "";
    state.requests.push({ path, body });
    if (path.endsWith("/embeddings")) {
      const failing = state.embeddingFailures > 0;
      if (failing) state.embeddingFailures--;
      if (failing || state.embeddingStatus !== 200) {
        res.writeHead(failing ? 503 : state.embeddingStatus, {
          "content-type": "application/json",
        });
        res.end(JSON.stringify({ error: { message: "failing on purpose" } }));
        return;
      }
      const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          model: body.model,
          data: input.map((t, index) => ({ object: "embedding", index, embedding: fakeVector(t) })),
        }),
      );
      return;
    }
    if (!path.endsWith("/chat/completions")) {
      res.writeHead(404).end();
      return;
    }
    const b = state.behaviour;
    const messages = (body.messages as { content: string }[] | undefined) ?? [];
    const prompt = messages.map((m) => m.content).join("\n");
    switch (b.kind) {
      case "reply":
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(completion(typeof b.text === "function" ? b.text(prompt) : b.text)));
        return;
      case "status":
        res.writeHead(b.status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "failing on purpose", type: "server_error" } }));
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"choices": [ {"message": ');
        return;
      case "hang":
        return;
      case "stream":
      case "stall": {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        for (const p of b.pieces) {
          res.write(chunk(p));
          if (b.kind === "stream" && b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
        }
        if (b.kind === "stall") return;
        res.write(
          `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "test-model", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
        );
        res.end("data: [DONE]\n\n");
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.baseURL = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const r of open) r.destroy();
      server.close(() => resolve());
    });
  return state;
}
