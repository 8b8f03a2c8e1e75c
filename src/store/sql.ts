/**
 * A small asynchronous SQL client that the app-state areas are written against, so that each
 * statement is written once for SQLite and PostgreSQL. Parameters are named (`@name`); values are
 * numbers, strings, `null` or `Buffer` (booleans are stored as 0/1). The statements use the
 * common dialect of both engines: `ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING`, `CASE`,
 * `coalesce`, and explicit `CAST`s where PostgreSQL cannot infer a parameter's type.
 */
import type Database from "better-sqlite3";

/** A statement's named parameters. */
export type SqlParams = Record<string, string | number | Buffer | null>;

/** Which engine runs the statements. */
export type SqlDialect = "sqlite" | "postgres";

/** The client the app-state areas use. */
export interface SqlClient {
  readonly dialect: SqlDialect;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Inside,
   * use the client passed to `fn`. A transaction inside a transaction joins the outer one.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/**
 * The {@link SqlClient} over one better-sqlite3 connection. The statements run synchronously;
 * while a transaction is open (it may await between statements), other statements wait for it,
 * so that nothing of another caller slips into it.
 */
export function sqliteClient(db: Database.Database): SqlClient {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const direct: Omit<SqlClient, "transaction"> = {
    dialect: "sqlite",
    all: async <T>(sql: string, params: SqlParams = {}) => prepare(sql).all(params) as T[],
    get: async <T>(sql: string, params: SqlParams = {}) =>
      prepare(sql).get(params) as T | undefined,
    run: async (sql: string, params: SqlParams = {}) => {
      const stmt = prepare(sql);
      if (stmt.reader) return stmt.all(params).length;
      return stmt.run(params).changes;
    },
  };
  // While a transaction is open, `gate` is set. Every caller re-checks it right before running
  // (no await in between), so nothing starts between the check and the statement or BEGIN.
  let gate: Promise<void> | undefined;
  const inner: SqlClient = { ...direct, transaction: (fn) => fn(inner) };
  return {
    dialect: "sqlite",
    async all(sql, params) {
      while (gate) await gate;
      return direct.all(sql, params);
    },
    async get(sql, params) {
      while (gate) await gate;
      return direct.get(sql, params);
    },
    async run(sql, params) {
      while (gate) await gate;
      return direct.run(sql, params);
    },
    async transaction(fn) {
      while (gate) await gate;
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      try {
        db.exec("BEGIN");
        try {
          const result = await fn(inner);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw error;
        }
      } finally {
        gate = undefined;
        release();
      }
    },
  };
}

/**
 * Rewrites `@name` parameters as PostgreSQL's `$1, $2 …` (one number per name) and returns the
 * names in order. Quoted strings are left alone.
 */
export function toPositional(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/'(?:[^']|'')*'|@([A-Za-z_]\w*)/g, (match, name: string | undefined) => {
    if (name === undefined) return match;
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, names };
}
