/**
 * A throw-away PostgreSQL server for tests, from the Debian `postgresql` package's binaries
 * (PATH, or /usr/lib/postgresql/<version>/bin): `initdb` into a temporary folder, started on a
 * free port on 127.0.0.1 with its unix socket in that folder, stopped and removed afterwards.
 * initdb refuses to run as root, so a root caller runs the server as the `postgres` user (or
 * `nobody`). When no server can be started, {@link startPostgresServer} says why instead (set
 * `PADOMS_TEST_NO_POSTGRES_SERVER=1` to see that path).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";

/** A running server. */
export interface PostgresServer {
  /** `postgres://…@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  port: number;
  /** A new empty database on the server; its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** What {@link startPostgresServer} returns: a server, or why there is none. */
export type PostgresStart = { server: PostgresServer } | { skipped: string };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folder with `initdb`, `pg_ctl` and `postgres`: PATH first, then the Debian layout. */
export function findPostgresBin(): string | undefined {
  const candidates = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  try {
    const versions = readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // No Debian packages.
  }
  return candidates.find((dir) =>
    ["initdb", "pg_ctl", "postgres"].every((b) => executable(join(dir, b))),
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** As root: the unprivileged user to run the server as (and its uid/gid). */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  for (const name of ["postgres", "nobody"]) {
    const r = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const g = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (r.status === 0 && g.status === 0)
      return { name, uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
  }
  return undefined;
}

/**
 * Starts a server, or returns why it could not (no binaries, no unprivileged user as root,
 * initdb or start failed). Never throws.
 */
export async function startPostgresServer(): Promise<PostgresStart> {
  if (process.env.PADOMS_TEST_NO_POSTGRES_SERVER) {
    return { skipped: "PADOMS_TEST_NO_POSTGRES_SERVER is set" };
  }
  const bin = findPostgresBin();
  if (!bin) {
    return {
      skipped:
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or in /usr/lib/postgresql/*/bin: install the `postgresql` package (.ci/run does as root)",
    };
  }
  const root = process.getuid?.() === 0;
  const user = root ? serverUser() : undefined;
  if (root && !user) {
    return { skipped: "running as root and no `postgres` or `nobody` user to run initdb as" };
  }
  const dir = mkdtempSync(join(tmpdir(), "padoms-pg-"));
  const data = join(dir, "data");
  const run = (file: string, args: string[]) => {
    const [cmd, argv] =
      root && user ? ["runuser", ["-u", user.name, "--", file, ...args]] : [file, args];
    return execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  };
  try {
    if (root && user) {
      // The temporary folder is root's: hand it to the server's user.
      execFileSync("chown", [`${user.uid}:${user.gid}`, dir]);
      chmodSync(dir, 0o700);
    }
    const port = await freePort();
    run(join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    run(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      "start",
    ]);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let stopped = false;
    const server: PostgresServer = {
      url,
      port,
      async createDatabase(name) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
        } catch {
          // Already gone.
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return { server };
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    rmSync(dir, { recursive: true, force: true });
    return {
      skipped: `could not start PostgreSQL from ${bin}: ${(e.stderr?.toString().trim() || e.message).split("\n").slice(-3).join(" ")}`,
    };
  }
}
