import { existsSync } from "node:fs";
import dotenv from "dotenv";
import { type Config, loadConfig, secretsOf } from "../config.js";
import { createLogger, type Logger } from "../log.js";

/**
 * Reads `.env` (when present) under the process environment and validates the result once.
 * The process environment wins over `.env`. `overrides` (command-line flags) win over both.
 */
export function configFromEnvironment(overrides: Record<string, string | undefined> = {}): Config {
  const fromFile: Record<string, string> = {};
  const file = process.env.PADOMS_ENV_FILE ?? ".env";
  if (existsSync(file)) dotenv.config({ path: file, processEnv: fromFile, quiet: true });
  const merged: Record<string, string | undefined> = { ...fromFile, ...process.env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  return loadConfig(merged);
}

/** The config with the command's `--data DIR` and `--corpus DIR` (when it has them) applied. */
export function configFromFlags(values: { data?: string; corpus?: string }): Config {
  return configFromEnvironment({ PADOMS_DATA_DIR: values.data, PADOMS_CORPUS_DIR: values.corpus });
}

/**
 * The logger of the terminal front ends: warnings and errors only at the default level (info
 * lines would interleave with the answers), every secret redacted.
 */
export function createCliLogger(config: Config): Logger {
  return createLogger({
    level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL,
    secrets: secretsOf(config),
  });
}
