/**
 * The one error family of Padoms, shaped like the OpenAI SDK's `APIError` and LangChain's
 * errors: every error Padoms throws on purpose is a {@link PadomsError} with a machine-readable
 * `code`, a `retryable` flag and, where it wraps a library's error, a `cause`. Its message says
 * what is wrong and how to fix it, so front ends show it as is. Imports nothing.
 *
 * The subclasses live beside the code that throws them (`IngestError` in `ingest/`, `StoreError`
 * in `store/` …), except {@link ModelError}, which the answer engine (a core folder) also throws.
 */

/** Why a source file could not be ingested ({@link PadomsError} of the ingest stage). */
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

/** A problem with the index or a database in the data folder. */
export type StoreErrorCode =
  | "no-index"
  | "embedder-mismatch"
  | "corrupt-index"
  | "old-version"
  | "busy"
  | "pseudonym-key"
  | "database"
  /** The app state's database was written by a newer Padoms. */
  | "app-db-too-new";

/** A failure of an embedding or chat model endpoint. */
export type ModelErrorCode =
  | "unreachable"
  | "timeout"
  | "bad-response"
  | "auth"
  | "rate-limited"
  | "server";

/** Why the bot could not start. */
export type BotStartErrorCode =
  | "bad-token"
  | "telegram-unreachable"
  | "telegram-refused"
  | "webhook-port"
  | "webapp-port"
  | "webhook-refused"
  | "stopped";

/** Why a Mini App call was refused or could not be carried out. */
export type WebAppErrorCode =
  /** 401/403 of the launch check. */
  | "missing"
  | "invalid"
  | "expired"
  | "no-user"
  | "not-coordinator"
  /** 400/404/409/413 of the desk and its API. */
  | "too-large"
  | "bad-json"
  | "bad-field"
  | "too-long"
  | "not-found"
  | "gone"
  | "approved-off"
  | "not-handed-off";

/** Every code a {@link PadomsError} can carry. */
export type PadomsErrorCode =
  | IngestErrorCode
  | StoreErrorCode
  | ModelErrorCode
  | BotStartErrorCode
  | WebAppErrorCode
  /** The environment holds a value Padoms cannot use. */
  | "invalid-config"
  /** A command line Padoms cannot read. */
  | "usage"
  /** Text that is not valid CSV. */
  | "invalid-csv"
  /** Bytes that are not text in any encoding Padoms reads. */
  | "undecodable";

/** Codes of failures that may pass if the same call is made again a little later. */
const RETRYABLE: ReadonlySet<PadomsErrorCode> = new Set<PadomsErrorCode>([
  "unreachable",
  "timeout",
  "rate-limited",
  "server",
  "busy",
  "telegram-unreachable",
]);

/** Options of {@link PadomsError}. */
export interface PadomsErrorOptions {
  /** The error this one wraps (a library's or the system's). */
  cause?: unknown;
  /** Whether repeating the call later may succeed. Default: by code (timeouts, busy, 5xx, …). */
  retryable?: boolean;
}

/**
 * Base of every error Padoms throws on purpose. `instanceof PadomsError` tells a front end that
 * the message is meant for people and can be shown without a stack trace.
 */
export abstract class PadomsError<C extends PadomsErrorCode = PadomsErrorCode> extends Error {
  abstract override readonly name: string;
  /** Machine-readable reason. */
  readonly code: C;
  /** Whether repeating the call later may succeed. */
  readonly retryable: boolean;

  constructor(code: C, message: string, options: PadomsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE.has(code);
  }
}

/** True for a {@link PadomsError}, optionally of one of the given codes. */
export function isPadomsError(
  error: unknown,
  ...codes: readonly PadomsErrorCode[]
): error is PadomsError {
  return error instanceof PadomsError && (codes.length === 0 || codes.includes(error.code));
}

/**
 * A failure of an embedding or chat model endpoint, wrapped at the adapter edge. Declared here,
 * not beside its adapters, so that the answer engine can throw and catch it without importing one.
 */
export class ModelError extends PadomsError<ModelErrorCode> {
  override readonly name = "ModelError";
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
