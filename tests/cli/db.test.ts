/**
 * `padoms db migrate|status`, in process, on SQLite and on a PostgreSQL server started for this
 * file (skipped, saying why, without one).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadMigrations } from "../../src/store/postgres-state.js";
import { type PostgresServer, startPostgresServer } from "../helpers/postgres-server.js";

let server: PostgresServer | undefined;
let skipReason: string | undefined;
const dirs: string[] = [];
const saved = process.env.DATABASE_URL;

beforeAll(async () => {
  const started = await startPostgresServer();
  if ("server" in started) server = started.server;
  else skipReason = started.skipped;
}, 120_000);

afterAll(async () => {
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  try {
    const code = await main(argv);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe("padoms db", () => {
  it("on SQLite: status before the database exists, migrate, status", async () => {
    delete process.env.DATABASE_URL;
    const dir = mkdtempSync(join(tmpdir(), "padoms-db-cli-"));
    dirs.push(dir);
    const before = await run(["db", "status", "--data", dir]);
    expect(before.code).toBe(1);
    expect(before.err).toContain("padoms db migrate");
    const migrated = await run(["db", "migrate", "--data", dir]);
    expect(migrated.code).toBe(0);
    expect(migrated.out).toContain("sqlite, schema version 4 of 4 (up to date)");
    const status = await run(["db", "status", "--data", dir, "--json"]);
    expect(JSON.parse(status.out)).toMatchObject({ backend: "sqlite", current: 4, pending: [] });
  });

  it("on PostgreSQL: status shows what is pending (exit 3), migrate applies it once", async (t) => {
    if (!server) return t.skip(skipReason);
    process.env.DATABASE_URL = await server.createDatabase("padoms_cli");
    const names = loadMigrations().map((m) => m.name);
    const pending = await run(["db", "status"]);
    expect(pending.code).toBe(3);
    expect(pending.out).toContain(`postgres, schema version 0 of ${names.length}`);
    expect(pending.out).toContain(names[0]);
    expect((await run(["db", "migrate"])).code).toBe(0);
    const again = await run(["db", "migrate", "--json"]);
    expect(JSON.parse(again.out)).toMatchObject({
      backend: "postgres",
      current: names.length,
      pending: [],
    });
    expect((await run(["db", "status"])).out).toContain("(up to date)");
  });

  it("refuses an unknown action with the usage", async () => {
    const r = await run(["db", "drop"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Usage: padoms db migrate|status");
  });
});
