/** What every app-state area gets from its adapter. */
import type { SqlClient } from "./sql.js";

/** The adapter's engine-specific parts, shared by the areas. */
export interface AreaContext {
  sql: SqlClient;
  /** The keyed HMAC pseudonym of a user id. */
  pseudonymise(userId: number): string;
  /**
   * Inside a transaction: takes the lock `name` until the transaction ends, or returns false when
   * another process holds it (PostgreSQL's advisory lock; SQLite, one process: always true).
   */
  tryTransactionLock(tx: SqlClient, name: string): Promise<boolean>;
  /** After deleting personal data: make sure no deleted text stays on disk (SQLite). */
  scrub(): Promise<void>;
}

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** A row's columns as camelCase fields, SQL NULL as absent. */
export type CamelRow<R> = {
  [K in keyof R & string as CamelCase<K>]: null extends R[K]
    ? Exclude<R[K], null> | undefined
    : R[K];
};

/**
 * A row with its columns renamed to camelCase and SQL NULL as undefined. Only for rows whose
 * columns are the record's fields one to one; a row that needs conversions maps them by hand.
 */
export function camelRow<R extends object>(row: R): CamelRow<R> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row))
    out[column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value ?? undefined;
  return out as CamelRow<R>;
}

export const nowIso = (): string => new Date().toISOString();

export function parseJsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** A pseudonym, or `null` without a user. */
export function userHashOf(ctx: AreaContext, userId: number | undefined): string | null {
  return userId === undefined ? null : ctx.pseudonymise(userId);
}
