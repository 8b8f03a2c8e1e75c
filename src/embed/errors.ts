/** A failure of an embedding or chat model endpoint, wrapped at the adapter edge. */
export class ModelError extends Error {
  override readonly name = "ModelError";
  constructor(
    readonly code: "unreachable" | "timeout" | "bad-response" | "auth" | "rate-limited" | "server",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
