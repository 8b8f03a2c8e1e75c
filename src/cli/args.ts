import { parseArgs } from "node:util";
import { PadomsError } from "../errors.js";

/** A command-line usage error: the message says what was wrong and shows the usage. */
export class UsageError extends PadomsError<"usage"> {
  override readonly name = "UsageError";
  constructor(message: string) {
    super("usage", message);
  }
}

/** Option definitions shared by every command. */
export const commonOptions = {
  data: { type: "string" },
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const;

type OptionDefs = Parameters<typeof parseArgs>[0] extends infer P
  ? P extends { options?: infer O }
    ? NonNullable<O>
    : never
  : never;

/** Parses a command's arguments; an unknown option is a {@link UsageError} naming it. */
export function parseCommandArgs<O extends OptionDefs>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({
      args: argv,
      options: { ...commonOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
}

/**
 * Parses a command's arguments like {@link parseCommandArgs}; with `--help` it prints the
 * usage and returns undefined, and the command ends with exit code 0.
 */
export function parseCommand<O extends OptionDefs>(argv: string[], options: O, usage: string) {
  const parsed = parseCommandArgs(argv, options, usage);
  if (!(parsed.values as { help?: boolean }).help) return parsed;
  console.log(usage);
  return undefined;
}
