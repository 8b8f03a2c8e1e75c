/** Codes of {@link StoreError}. */
export type StoreErrorCode =
  | "no-index"
  | "embedder-mismatch"
  | "corrupt-index"
  | "old-version"
  | "busy"
  | "pseudonym-key"
  | "database";

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

/** Thrown when the database was written by a newer Padoms. */
export class AppDbVersionError extends Error {
  override readonly name = "AppDbVersionError";
  readonly code = "app-db-too-new";
}
