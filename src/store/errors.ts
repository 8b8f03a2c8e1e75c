/** Codes of {@link StoreError}. */
export type StoreErrorCode =
  | "no-index"
  | "embedder-mismatch"
  | "corrupt-index"
  | "old-version"
  | "busy"
  | "pseudonym-key";

/** A problem with the index or a database in the data folder; the message says how to fix it. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
