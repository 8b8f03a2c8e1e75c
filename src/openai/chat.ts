import OpenAI from "openai";
import type { ChatMessage, ChatModel, CompleteOptions } from "../answer/chat-model.js";
import { ModelError } from "../errors.js";
import { modelErrorOf } from "./errors.js";

/** Options of {@link createOpenAIChatModel}. */
export interface OpenAIChatOptions {
  /** Env `OPENAI_API_KEY`; a placeholder is sent to keyless local servers. */
  apiKey?: string;
  /** Env `OPENAI_BASE_URL` (Ollama, llama.cpp server, vLLM …). */
  baseURL?: string;
  /** Env `OPENAI_CHAT_MODEL`. Default `gpt-4o-mini`. */
  model?: string;
  /** Per-request timeout in ms. Env `LLM_TIMEOUT_MS`. Default 20 000. */
  timeoutMs?: number;
  temperature?: number;
  /**
   * Longest reply read, in characters. Default {@link MAX_REPLY_CHARS}. A server that ignores
   * `max_tokens` and streams on is cut off there, and the reply counts as failed.
   */
  maxReplyChars?: number;
}

/** Default of {@link OpenAIChatOptions.maxReplyChars}: well above a 700-token answer. */
export const MAX_REPLY_CHARS = 8000;

/**
 * A {@link ChatModel} over the OpenAI chat completions API or any compatible server.
 * No SDK retries: the answering engine falls back to the offline answer instead of waiting.
 * Every failure (connection, timeout, HTTP error, malformed body, empty reply) is a `ModelError`.
 */
export function createOpenAIChatModel(options: OpenAIChatOptions = {}): ChatModel {
  const model = options.model ?? "gpt-4o-mini";
  const maxChars = options.maxReplyChars ?? MAX_REPLY_CHARS;
  const tooLong = () =>
    new ModelError(
      "bad-response",
      `The chat model's reply ran past ${maxChars} characters; it was cut off and withheld.`,
    );
  const client = new OpenAI({
    apiKey: options.apiKey ?? "not-needed",
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 20_000,
  });
  return {
    id: `openai/${model}`,
    async complete(messages: ChatMessage[], opts: CompleteOptions = {}) {
      try {
        if (opts.onToken) {
          const stream = await client.chat.completions.create(
            {
              model,
              messages,
              stream: true,
              temperature: options.temperature ?? 0.1,
              max_tokens: opts.maxTokens ?? 700,
            },
            { signal: opts.signal },
          );
          let text = "";
          let finished = false;
          for await (const part of stream) {
            if (part.choices?.[0]?.finish_reason) finished = true;
            const piece = part.choices?.[0]?.delta?.content ?? "";
            if (piece) {
              text += piece;
              if (text.length > maxChars) {
                stream.controller.abort();
                throw tooLong();
              }
              opts.onToken(piece);
            }
          }
          if (opts.signal?.aborted || !finished) {
            throw new ModelError(
              "timeout",
              "The chat model stream stalled or was cut off before it finished.",
            );
          }
          if (!text.trim()) {
            throw new ModelError("bad-response", "The chat model streamed an empty reply.");
          }
          return text;
        }
        const res = await client.chat.completions.create(
          {
            model,
            messages,
            temperature: options.temperature ?? 0.1,
            max_tokens: opts.maxTokens ?? 700,
          },
          { signal: opts.signal },
        );
        const text = res?.choices?.[0]?.message?.content;
        if (typeof text !== "string" || !text.trim()) {
          throw new ModelError("bad-response", "The chat model returned no text.");
        }
        if (text.length > maxChars) throw tooLong();
        return text;
      } catch (cause) {
        throw modelErrorOf(cause, "chat", { aborted: opts.signal?.aborted });
      }
    },
  };
}
