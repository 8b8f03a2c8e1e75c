import { readFileSync } from "node:fs";
import { open, readFile, rm, stat, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { StoreError } from "./errors.js";

/** Name of the lock file in the data folder while an ingest writes there. */
export const LOCK_FILE = "ingest.lock";

/** Who holds the lock: enough to tell a live holder from a reused process id. */
export interface LockToken {
  pid: number;
  host: string;
  /** The process's start time as the OS counts it (Linux: clock ticks after boot); absent elsewhere. */
  start?: string;
  since: string;
}

/** Options of {@link acquireIngestLock}. */
export interface IngestLockOptions {
  /** A lock that cannot be checked otherwise is stale when not refreshed for this long, in ms. Default 10 min. */
  staleMs?: number;
  /** How often the holder refreshes the lock's time, in ms. Default 30 s. */
  refreshMs?: number;
}

/** The OS start time of a process, or undefined when it cannot be read (not Linux, or no such process). */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseToken(text: string): LockToken | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), host: "", since: "" };
  try {
    const t = JSON.parse(trimmed) as Partial<LockToken>;
    if (typeof t.pid === "number" && typeof t.host === "string")
      return { pid: t.pid, host: t.host, start: t.start, since: String(t.since ?? "") };
  } catch {}
  return undefined;
}

/**
 * Whether the holder of a lock may still be writing: the same process (pid and start time) on
 * this host is alive. A process id now used by another process (a different start time) is not
 * the holder. When that cannot be checked (another host, a lock from an older Padoms, no /proc),
 * the lock counts as held while it was refreshed within `staleMs`.
 */
function isHeld(token: LockToken | undefined, ageMs: number, staleMs: number): boolean {
  if (!token || token.pid <= 0) return false;
  const sameHost = token.host === hostname();
  if (sameHost && !isAlive(token.pid)) return false;
  if (sameHost && token.start !== undefined) {
    const now = processStart(token.pid);
    if (now !== undefined) return now === token.start;
  }
  if (token.host === "" && !isAlive(token.pid)) return false;
  return ageMs < staleMs;
}

/**
 * Takes `dataDir/ingest.lock` for one ingest, or fails with `StoreError("busy")` naming the
 * holder. A lock left by a process that is gone, or whose process id now belongs to another
 * process, is taken over. Returns the release function; the holder refreshes the lock's time
 * while it runs.
 */
export async function acquireIngestLock(
  dataDir: string,
  options: IngestLockOptions = {},
): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  const staleMs = options.staleMs ?? 10 * 60_000;
  const token: LockToken = {
    pid: process.pid,
    host: hostname(),
    start: processStart(process.pid),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(JSON.stringify(token));
      await fh.close();
      const timer = setInterval(() => {
        const now = new Date();
        utimes(path, now, now).catch(() => undefined);
      }, options.refreshMs ?? 30_000);
      timer.unref();
      return async () => {
        clearInterval(timer);
        const current = parseToken(await readFile(path, "utf8").catch(() => ""));
        if (current?.pid === token.pid && current.since === token.since)
          await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = parseToken(await readFile(path, "utf8").catch(() => ""));
      const info = await stat(path).catch(() => undefined);
      if (!info) continue;
      if (isHeld(holder, Date.now() - info.mtimeMs, staleMs)) {
        const who = holder?.host && holder.host !== token.host ? ` on ${holder.host}` : "";
        throw new StoreError(
          "busy",
          `Another ingest (process ${holder?.pid}${who}, since ${holder?.since || info.mtime.toISOString()}) is writing to ${dataDir}. Wait for it to finish, or delete ${path} if that process is gone.`,
          path,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new StoreError("busy", `Cannot lock ${path}. Delete it if no ingest is running.`, path);
}
