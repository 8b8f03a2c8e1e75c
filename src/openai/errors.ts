/**
 * One mapping of the OpenAI SDK's errors to {@link ModelError} codes, for the embedding adapter
 * (`embeddings.ts`) and the chat adapter (`chat.ts`); only the wording differs.
 */
import OpenAI from "openai";
import { ModelError } from "../errors.js";

/** Which endpoint failed: its messages. */
export type OpenAIEndpointKind = "embedding" | "chat";

interface Wording {
  timeout(where: string): string;
  unreachable(where: string): string;
  auth: string;
  rateLimited: string;
  server(status: number | string, message: string): string;
  badResponse(cause: unknown): string;
}

const WORDING: Record<OpenAIEndpointKind, Wording> = {
  embedding: {
    timeout: (where) => `The embedding endpoint ${where} timed out.`,
    unreachable: (where) =>
      `Cannot reach the embedding endpoint ${where}. Check OPENAI_BASE_URL, or use EMBEDDINGS=local.`,
    auth: "The embedding endpoint refused the key. Check OPENAI_API_KEY.",
    rateLimited: "The embedding endpoint keeps answering 429 (rate limited). Try again later.",
    server: (status, message) => `The embedding endpoint answered ${status}: ${message}`,
    badResponse: (cause) =>
      `The embedding endpoint returned something unexpected: ${String(cause)}`,
  },
  chat: {
    timeout: () => "The chat model did not answer in time.",
    unreachable: () => "The chat model endpoint cannot be reached.",
    auth: "The chat model endpoint refused the key. Check OPENAI_API_KEY.",
    rateLimited: "The chat model endpoint answered 429 (rate limited).",
    server: (status) => `The chat model endpoint answered ${status}.`,
    badResponse: () => "The chat model returned a malformed reply.",
  },
};

/** Options of {@link modelErrorOf}. */
export interface ModelErrorOfOptions {
  /** Named in the messages; default "the OpenAI API". */
  baseURL?: string;
  /** The request was aborted (the caller's deadline): a timeout. */
  aborted?: boolean;
}

/**
 * The {@link ModelError} for a failed OpenAI request: timeout, unreachable, auth (401),
 * rate-limited (429), server (any other HTTP error) or bad-response; a ModelError is kept.
 */
export function modelErrorOf(
  cause: unknown,
  kind: OpenAIEndpointKind,
  options: ModelErrorOfOptions = {},
): ModelError {
  if (cause instanceof ModelError) return cause;
  const words = WORDING[kind];
  const where = options.baseURL ?? "the OpenAI API";
  // The SDK's connection errors are APIErrors too: the order of the checks matters.
  if (options.aborted || cause instanceof OpenAI.APIConnectionTimeoutError)
    return new ModelError("timeout", words.timeout(where), { cause });
  if (cause instanceof OpenAI.APIConnectionError)
    return new ModelError("unreachable", words.unreachable(where), { cause });
  if (cause instanceof OpenAI.AuthenticationError)
    return new ModelError("auth", words.auth, { cause });
  if (cause instanceof OpenAI.RateLimitError)
    return new ModelError("rate-limited", words.rateLimited, { cause });
  if (cause instanceof OpenAI.APIError)
    return new ModelError("server", words.server(cause.status ?? "an error", cause.message), {
      cause,
    });
  return new ModelError("bad-response", words.badResponse(cause), { cause });
}
