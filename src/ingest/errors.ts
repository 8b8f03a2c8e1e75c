import { type IngestErrorCode, PadomsError } from "../errors.js";

export type { IngestErrorCode } from "../errors.js";

/**
 * The one error type of the ingest stage. The message names the file, says what is wrong
 * and what to do about it, so it can be shown to the operator as is.
 */
export class IngestError extends PadomsError<IngestErrorCode> {
  override readonly name = "IngestError";
  /** Path of the offending file (relative to the corpus folder when known). */
  readonly path: string;

  constructor(code: IngestErrorCode, message: string, path: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.path = path;
  }
}

/** True for an {@link IngestError}, optionally of the given code. */
export function isIngestError(error: unknown, code?: IngestErrorCode): error is IngestError {
  return error instanceof IngestError && (code === undefined || error.code === code);
}
