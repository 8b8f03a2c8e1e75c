/**
 * The PostgreSQL adapter of the app state (node-postgres), selected by `DATABASE_URL`: any number
 * of replicas share one database. A connection pool; migrations are the SQL files in
 * `migrations/`, applied in order under an advisory lock and recorded in `schema_migrations`;
 * transactions where two writes must agree; advisory locks for what one replica at a time does
 * (the retention purge, registering the webhook). The statements themselves are the data areas'
 * (`state-*.ts`), shared with SQLite.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { AppState, Leadership, SchemaStatus } from "./app-state.js";
import { AppDbVersionError, StoreError } from "./errors.js";
import { pseudonymiser, pseudonymKeyOfDatabase } from "./pseudonym-key.js";
import { type SqlClient, type SqlParams, toPositional } from "./sql.js";
import type { AreaContext } from "./state-area.js";
import { stateAreas } from "./state-areas.js";

/** Options of {@link openPostgresState}. */
export interface PostgresStateOptions {
  /** Env `PSEUDONYM_SECRET`; unset: the key kept in the database (created once). */
  pseudonymSecret?: string;
  /** Connections at most (env `DATABASE_POOL_SIZE`). Default 10. */
  poolSize?: number;
  /**
   * Apply pending migrations on open (default true). False: fail when some are pending (`padoms
   * db migrate` applies them).
   */
  migrate?: boolean;
}

/** One migration file: `NNN-name.sql`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

/** The migration files, in order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+-[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.split("-")[0]),
      name: file,
      sql: readFileSync(`${dir}/${file}`, "utf8"),
    }));
}

/** The server's address without the password, for messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || "localhost"}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

/** int8 (counts, bigint ids) as numbers: every value Padoms stores is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

function clientOver(query: (text: string, values: unknown[]) => Promise<pg.QueryResult>) {
  const prepared = new Map<string, ReturnType<typeof toPositional>>();
  const run = (sql: string, params: SqlParams = {}) => {
    let p = prepared.get(sql);
    if (!p) {
      p = toPositional(sql);
      prepared.set(sql, p);
    }
    return query(
      p.text,
      p.names.map((n) => params[n] ?? null),
    );
  };
  return {
    dialect: "postgres" as const,
    all: async <T>(sql: string, params?: SqlParams) => (await run(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: SqlParams) =>
      (await run(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params?: SqlParams) => (await run(sql, params)).rowCount ?? 0,
  };
}

/** The {@link SqlClient} over a pool: each transaction on one connection of its own. */
export function postgresClient(pool: pg.Pool): SqlClient {
  const direct = clientOver((text, values) => pool.query(text, values));
  return {
    ...direct,
    async transaction(fn) {
      const connection = await pool.connect();
      const inner: SqlClient = {
        ...clientOver((text, values) => connection.query(text, values)),
        transaction: (f) => f(inner),
      };
      try {
        await connection.query("BEGIN");
        const result = await fn(inner);
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        await connection.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
  };
}

/** Key of an advisory lock: one namespace for Padoms. */
const LOCK_KEY = "hashtext('padoms:' || @name)";

async function appliedVersions(sql: SqlClient): Promise<number[]> {
  const exists = await sql.get<{ t: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS t",
  );
  if (!exists?.t) return [];
  return (
    await sql.all<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version")
  ).map((r) => Number(r.version));
}

function statusOf(applied: number[], migrations: Migration[]): SchemaStatus {
  const current = applied.length ? Math.max(...applied) : 0;
  const latest = migrations.length ? Math.max(...migrations.map((m) => m.version)) : 0;
  return {
    backend: "postgres",
    current,
    latest,
    pending: migrations.filter((m) => !applied.includes(m.version)).map((m) => m.name),
  };
}

/**
 * Applies the pending migrations, each in its own transaction, under an advisory lock (replicas
 * starting together apply each one once). Returns the schema status after.
 */
export async function migratePostgres(
  sql: SqlClient,
  migrations = loadMigrations(),
): Promise<SchemaStatus> {
  await sql.transaction(async (tx) => {
    await tx.run(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`, { name: "migrate" });
    await tx.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = await appliedVersions(tx);
    const status = statusOf(applied, migrations);
    if (status.current > status.latest) throw tooNew(status);
    for (const m of migrations) {
      if (applied.includes(m.version)) continue;
      await tx.run(m.sql);
      await tx.run("INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", {
        version: m.version,
        name: m.name,
      });
    }
  });
  return statusOf(await appliedVersions(sql), migrations);
}

/** The schema's status without changing anything (`padoms db status`). */
export async function postgresSchemaStatus(
  sql: SqlClient,
  migrations = loadMigrations(),
): Promise<SchemaStatus> {
  return statusOf(await appliedVersions(sql), migrations);
}

function tooNew(status: SchemaStatus): AppDbVersionError {
  return new AppDbVersionError(
    `The PostgreSQL app state is at schema version ${status.current}, newer than this Padoms knows (${status.latest}). Update Padoms on every replica, or point DATABASE_URL at another database.`,
  );
}

/** Creates the pool and checks that the server answers; a failure names the fix. */
export async function connectPostgres(url: string, poolSize = 10): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that the server drops must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    const reason = (error as Error).message || (error as { code?: string }).code || "no answer";
    throw new StoreError(
      "database",
      `Cannot connect to PostgreSQL at ${describeDatabase(url)} (DATABASE_URL): ${reason}. Start the server, or fix DATABASE_URL (user, password, host, port, database); unset it to use the SQLite file instead.`,
      describeDatabase(url),
      { cause: error },
    );
  }
  return pool;
}

/** One connection kept for a session-level advisory lock. */
export interface PostgresSession {
  query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  release(): void;
}

/** What the PostgreSQL app state runs on: a pool (production) or an embedded engine (tests). */
export interface PostgresDriver {
  sql: SqlClient;
  /** A connection of its own, for a lock held beyond one transaction. */
  session(): Promise<PostgresSession>;
  /** Names the database in messages (never the password). */
  where: string;
  end(): Promise<void>;
}

/**
 * Opens the PostgreSQL app state at `url`: connects, applies pending migrations (unless
 * `migrate: false`), and settles the pseudonym key (see `pseudonymKeyOfDatabase`).
 */
export async function openPostgresState(
  url: string,
  options: PostgresStateOptions = {},
): Promise<AppState> {
  const pool = await connectPostgres(url, options.poolSize);
  return createPostgresState(
    {
      sql: postgresClient(pool),
      session: () => pool.connect(),
      where: describeDatabase(url),
      end: () => pool.end(),
    },
    options,
  );
}

/** The app state over a {@link PostgresDriver}; ends the driver when opening fails. */
export async function createPostgresState(
  driver: PostgresDriver,
  options: Omit<PostgresStateOptions, "poolSize"> = {},
): Promise<AppState> {
  const { sql, where } = driver;
  const held = new Set<PostgresSession>();
  try {
    const status =
      options.migrate === false ? await postgresSchemaStatus(sql) : await migratePostgres(sql);
    if (status.current > status.latest) throw tooNew(status);
    if (status.pending.length) {
      throw new StoreError(
        "old-version",
        `The PostgreSQL app state at ${where} needs ${status.pending.length} migration(s) (${status.pending.join(", ")}): run \`padoms db migrate\` first.`,
        where,
      );
    }
    const secret = await pseudonymKeyOfDatabase(sql, where, options.pseudonymSecret);
    const ctx: AreaContext = {
      sql,
      pseudonymise: pseudonymiser(secret),
      async tryTransactionLock(tx, name) {
        const row = await tx.get<{ got: boolean }>(
          `SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS got`,
          { name },
        );
        return row?.got === true;
      },
      // Deleted rows are reclaimed by autovacuum.
      scrub: async () => {},
    };
    const lockQuery = toPositional(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS got`).text;
    const unlockQuery = toPositional(`SELECT pg_advisory_unlock(${LOCK_KEY})`).text;
    return {
      backend: "postgres",
      schemaVersion: status.current,
      pseudonymise: ctx.pseudonymise,
      async ping() {
        await sql.get("SELECT 1 AS one");
      },
      ...stateAreas(ctx),
      async acquireLeadership(name): Promise<Leadership | undefined> {
        const session = await driver.session();
        let got = false;
        try {
          got = (await session.query(lockQuery, [name])).rows[0]?.got === true;
        } finally {
          if (!got) session.release();
        }
        if (!got) return undefined;
        held.add(session);
        return {
          async release() {
            if (!held.delete(session)) return;
            await session.query(unlockQuery, [name]).catch(() => {});
            session.release();
          },
        };
      },
      async close() {
        for (const session of held) {
          await session.query("SELECT pg_advisory_unlock_all()", []).catch(() => {});
          session.release();
        }
        held.clear();
        await driver.end();
      },
    };
  } catch (error) {
    await driver.end().catch(() => {});
    throw error;
  }
}
