/** Why a source file could not be ingested. */
export type IngestErrorCode =
  | "unreadable"
  | "encrypted"
  | "empty"
  | "corrupt"
  | "bad-timing"
  | "no-text"
  | "unsupported"
  /** The corpus folder itself is missing or unreadable. */
  | "no-corpus"
  /** A source indexed before is gone from this run (deleted, moved, or its link broken). */
  | "missing"
  /** The run was stopped (Ctrl-C, SIGTERM). */
  | "interrupted";

/**
 * The one error type of the ingest stage. The message names the file, says what is wrong
 * and what to do about it, so it can be shown to the operator as is.
 */
export class IngestError extends Error {
  override readonly name = "IngestError";
  /** Machine-readable reason. */
  readonly code: IngestErrorCode;
  /** Path of the offending file (relative to the corpus folder when known). */
  readonly path: string;

  constructor(code: IngestErrorCode, message: string, path: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = path;
  }
}

/** True for an {@link IngestError}, optionally of the given code. */
export function isIngestError(error: unknown, code?: IngestErrorCode): error is IngestError {
  return error instanceof IngestError && (code === undefined || error.code === code);
}
