/**
 * The one error family: every error class Padoms throws on purpose is a PadomsError with a code
 * and a retryable flag, and the CLI shows any of them as its own message.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";
import { BotStartError } from "../src/bot/errors.js";
import { UsageError } from "../src/cli/args.js";
import { main } from "../src/cli/main.js";
import { ConfigError } from "../src/config.js";
import { isPadomsError, ModelError, PadomsError } from "../src/errors.js";
import { DecodeError } from "../src/ingest/encoding.js";
import { IngestError } from "../src/ingest/errors.js";
import { CsvError } from "../src/report/csv.js";
import { AppDbVersionError, StoreError } from "../src/store/errors.js";
import { sqlitePath } from "../src/store/open-state.js";
import { WebAppAuthError } from "../src/webapp/auth.js";
import { HttpError } from "../src/webapp/server.js";
import { DeskError } from "../src/webapp/services.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** One instance of every error class, built as the code that throws it does. */
const samples: Error[] = [
  new IngestError("corrupt", "a.pdf is damaged: export it again.", "a.pdf"),
  new StoreError("busy", "The index is being written: try again.", "/data"),
  new AppDbVersionError("The app database is newer than this Padoms."),
  new ModelError("timeout", "The model did not answer in 30 s."),
  new ConfigError("LOG_LEVEL must be debug, info, warn or error.", "LOG_LEVEL"),
  new BotStartError("bad-token", "Telegram refused TELEGRAM_BOT_TOKEN.", "TELEGRAM_BOT_TOKEN"),
  new UsageError("Give a question."),
  new CsvError("Unclosed quote on line 3.", 3),
  new DecodeError("Not text in any encoding Padoms reads."),
  new WebAppAuthError(401, "expired", "This launch is too old."),
  new DeskError(404, "gone", "This question has been deleted."),
  new HttpError(400, "bad-json", "The request body must be a JSON object."),
];

/** Source files under src/ (the browser bundle in src/webapp/client excepted). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith("client") ? [] : sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("PadomsError", () => {
  it.each(samples.map((e) => [e.constructor.name, e] as const))(
    "%s is a PadomsError with its own name, a code and its message",
    (className, error) => {
      expect(error).toBeInstanceOf(PadomsError);
      expect(isPadomsError(error)).toBe(true);
      expect(error.name).toBe(className);
      expect((error as PadomsError).code).toMatch(/^[a-z][a-z-]*$/);
      expect(typeof (error as PadomsError).retryable).toBe("boolean");
      expect(error.message.length).toBeGreaterThan(0);
    },
  );

  it("covers every error class declared under src/", () => {
    const declared = sourceFiles("src").flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/class (\w+) extends (\w+)/g)]
        .filter((m) => /Error$/.test(m[1] ?? ""))
        .map((m) => ({ name: m[1], base: m[2] })),
    );
    expect(declared.filter((d) => d.base === "Error")).toEqual([]);
    expect(declared.map((d) => d.name).sort()).toEqual(
      samples.map((e) => e.constructor.name).sort(),
    );
  });

  it("marks passing failures retryable and lasting ones not", () => {
    expect(new ModelError("timeout", "slow").retryable).toBe(true);
    expect(new ModelError("rate-limited", "429").retryable).toBe(true);
    expect(new StoreError("busy", "locked").retryable).toBe(true);
    expect(new ModelError("auth", "401").retryable).toBe(false);
    expect(new StoreError("no-index", "none").retryable).toBe(false);
    expect(new ConfigError("bad").retryable).toBe(false);
  });

  it("keeps the cause it wraps", () => {
    const cause = new Error("ECONNREFUSED");
    expect(new ModelError("unreachable", "down", { cause }).cause).toBe(cause);
    expect(isPadomsError(new ModelError("unreachable", "down"), "timeout", "unreachable")).toBe(
      true,
    );
    expect(isPadomsError(new ModelError("auth", "no"), "timeout")).toBe(false);
    expect(isPadomsError(new Error("plain"))).toBe(false);
  });
});

describe("the CLI", () => {
  it("prints an AppDbVersionError's own message, not 'unexpected error'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "padoms-errors-"));
    dirs.push(dir);
    const raw = new Database(sqlitePath({ PADOMS_DATA_DIR: dir }));
    raw.pragma("user_version = 99");
    raw.close();
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    const err: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
    try {
      const code = await main(["db", "migrate", "--data", dir]);
      expect(code).toBe(1);
    } finally {
      spy.mockRestore();
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
    const text = err.join("\n");
    expect(text).toContain("padoms db: The app database is at schema version 99");
    expect(text).toContain("Update Padoms");
    expect(text).not.toContain("unexpected error");
  });
});
