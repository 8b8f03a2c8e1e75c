import { existsSync } from "node:fs";
import dotenv from "dotenv";
import { type Config, loadConfig } from "../config.js";

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
