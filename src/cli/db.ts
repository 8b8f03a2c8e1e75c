import type { SchemaStatus } from "../store/app-state.js";
import { sqlitePath } from "../store/open-state.js";
import { parseCommand, UsageError } from "./args.js";
import { configFromFlags } from "./env.js";

export const dbUsage = `Usage: padoms db migrate|status [--data DIR] [--json]

The app state's database: PostgreSQL when DATABASE_URL is set (replicas), else the SQLite file
in the data folder.
  migrate   apply the migrations not applied yet (each once, also when replicas start together)
  status    show the schema version applied, the newest known, and what is pending

Replicas apply pending migrations when they start; run \`padoms db migrate\` before a rolling
deploy so that no replica waits on it.`;

function describe(status: SchemaStatus, where: string): string {
  const pending = status.pending.length
    ? `${status.pending.length} pending: ${status.pending.join(", ")}`
    : "up to date";
  return `${where}: ${status.backend}, schema version ${status.current} of ${status.latest} (${pending})`;
}

/** `padoms db migrate|status`. */
export async function runDb(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, {}, dbUsage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const [action, extra] = positionals;
  if ((action !== "migrate" && action !== "status") || extra !== undefined)
    throw new UsageError(
      `${action ? `Unknown action "${positionals.join(" ")}".` : "Say migrate or status."}\n\n${dbUsage}`,
    );
  const config = configFromFlags(values);
  let status: SchemaStatus;
  let where: string;
  if (config.DATABASE_URL) {
    const pg = await import("../store/postgres-state.js");
    where = pg.describeDatabase(config.DATABASE_URL);
    const pool = await pg.connectPostgres(config.DATABASE_URL, 2);
    try {
      const sql = pg.postgresClient(pool);
      status =
        action === "migrate" ? await pg.migratePostgres(sql) : await pg.postgresSchemaStatus(sql);
    } finally {
      await pool.end();
    }
  } else {
    where = sqlitePath(config);
    const { openAppDb, sqliteSchemaStatus } = await import("../store/sqlite-state.js");
    if (action === "migrate") {
      // Opening migrates (and settles the pseudonym key, as the bot would).
      await openAppDb(where, { pseudonymSecret: config.PSEUDONYM_SECRET }).close();
    }
    try {
      status = sqliteSchemaStatus(where);
    } catch {
      console.error(
        `No app database at ${where} yet: the bot creates it when it starts (or run \`padoms db migrate\`).`,
      );
      return 1;
    }
  }
  if (values.json) console.log(JSON.stringify({ where, ...status }, null, 2));
  else console.log(describe(status, where));
  return status.pending.length && action === "status" ? 3 : 0;
}
