import { PadomsError, type StoreErrorCode } from "../errors.js";

export type { StoreErrorCode } from "../errors.js";

/** A problem with the index or a database in the data folder; the message says how to fix it. */
export class StoreError extends PadomsError<StoreErrorCode> {
  override readonly name = "StoreError";
  constructor(
    code: StoreErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Thrown when the database was written by a newer Padoms. */
export class AppDbVersionError extends PadomsError<"app-db-too-new"> {
  override readonly name = "AppDbVersionError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("app-db-too-new", message, options);
  }
}
