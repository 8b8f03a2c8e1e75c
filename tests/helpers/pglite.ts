/**
 * The PostgreSQL app state on an embedded PostgreSQL (`@electric-sql/pglite`, WebAssembly, in
 * memory): the same SQL and migrations as against a server, for machines without one.
 */
import { PGlite, types } from "@electric-sql/pglite";
import type { AppState } from "../../src/store/app-state.js";
import {
  createPostgresState,
  type PostgresDriver,
  type PostgresStateOptions,
} from "../../src/store/postgres-state.js";
import { type SqlClient, type SqlParams, toPositional } from "../../src/store/sql.js";

type Queryable = Pick<PGlite, "query" | "exec">;

function clientOver(db: Queryable, transaction: SqlClient["transaction"]): SqlClient {
  const run = async (sql: string, params: SqlParams = {}) => {
    const { text, names } = toPositional(sql);
    if (names.length === 0) {
      // Migrations hold several statements: the simple protocol runs them all.
      const results = await db.exec(text);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as unknown[], changes: last?.affectedRows ?? 0 };
    }
    const r = await db.query(
      text,
      names.map((n) => params[n] ?? null),
    );
    return { rows: r.rows as unknown[], changes: r.affectedRows ?? 0 };
  };
  return {
    dialect: "postgres",
    all: async <T>(sql: string, params?: SqlParams) => (await run(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: SqlParams) =>
      (await run(sql, params)).rows[0] as T | undefined,
    run: async (sql, params) => (await run(sql, params)).changes,
    transaction,
  };
}

/** A driver over an in-memory PGlite; `end` closes it unless `shared`. */
export function pgliteDriver(db: PGlite, shared = false): PostgresDriver {
  const sql: SqlClient = clientOver(db, (fn) =>
    db.transaction(async (tx) => {
      const inner: SqlClient = clientOver(tx, (f) => f(inner));
      return fn(inner);
    }),
  );
  return {
    sql,
    // One connection: a session lock is held by the database itself.
    session: async () => ({
      query: async (text, values) => ({
        rows: (await db.query(text, values)).rows as Record<string, unknown>[],
      }),
      release: () => {},
    }),
    where: "PGlite (in memory)",
    end: async () => {
      if (!shared) await db.close();
    },
  };
}

/** Starts an in-memory PGlite (a few seconds: WebAssembly and initdb). */
export function startPglite(): Promise<PGlite> {
  return PGlite.create({ parsers: { [types.INT8]: (value: string) => Number(value) } });
}

/**
 * The PostgreSQL app state on `db`, emptied first (its schema dropped), so that one PGlite
 * serves a test file's many fresh states.
 */
export async function openPgliteState(
  db: PGlite,
  options: Omit<PostgresStateOptions, "poolSize"> = {},
): Promise<AppState> {
  await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  return createPostgresState(pgliteDriver(db, true), options);
}
