import { Readable } from "node:stream";
import { format } from "node:util";
import { vi } from "vitest";
import { main } from "../../src/cli/main.js";

/** What a CLI run printed, and its exit code. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI's `main` in this process as `padoms ARGS` would run, capturing what it prints:
 * no `.env` file is read, LOG_LEVEL is `warn`, `env` is layered on top (`undefined` removes a
 * variable), and standard input is `input` (not a terminal). For behaviours of the commands
 * themselves; what belongs to the process (umask, a real pipe, signals) needs a real process.
 * Everything stubbed is restored, and signal listeners it added are removed, before it returns.
 */
export async function padomsInProcess(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const env = { PADOMS_ENV_FILE: "/nonexistent", LOG_LEVEL: "warn", ...options.env };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const capture = (to: "out" | "err") => (chunk: unknown) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString();
    if (to === "out") stdout += text;
    else stderr += text;
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(capture("out")),
    vi.spyOn(process.stderr, "write").mockImplementation(capture("err")),
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
      stdout += `${format(...a)}\n`;
    }),
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => {
      stderr += `${format(...a)}\n`;
    }),
    vi
      .spyOn(process, "stdin", "get")
      .mockReturnValue(Readable.from([options.input ?? ""]) as typeof process.stdin),
  ];
  const exitCode = process.exitCode;
  const signals = ["SIGINT", "SIGTERM"] as const;
  const listeners = signals.map((s) => new Set(process.listeners(s)));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    // A command that failed before its signal handlers ran leaves them behind: removed here.
    signals.forEach((s, i) => {
      for (const l of process.listeners(s)) if (!listeners[i]?.has(l)) process.off(s, l);
    });
    process.exitCode = exitCode;
    for (const spy of spies) spy.mockRestore();
    vi.unstubAllEnvs();
  }
}
