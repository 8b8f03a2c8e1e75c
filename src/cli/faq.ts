import { readFile, writeFile } from "node:fs/promises";
import { createApp } from "../app.js";
import { createLogger } from "../log.js";
import {
  type ApprovedFileFormat,
  formatOfFile,
  parseApprovedFile,
  writeApprovedFile,
} from "../store/approved-file.js";
import { StoreError } from "../store/errors.js";
import { appStateExists, openAppState } from "../store/open-state.js";
import { parseCommand, UsageError } from "./args.js";
import { configFromFlags } from "./env.js";

export const faqUsage = `Usage: padoms faq export FILE [--format csv|json] [--data DIR]
       padoms faq import FILE [--format csv|json] [--data DIR]

Moves the coordinators' approved answers (FAQ) to and from a file, e.g. to keep them in a
spreadsheet. CSV has a header (id,question,answer,approved_at,approved_by), RFC 4180 quoting and
UTF-8 with BOM; JSON is an array of {id, question, answer, approvedAt, approvedBy}. The format
follows the file name (.json is JSON) unless --format is given; FILE "-" is standard output or
input.

Import checks every row first and imports nothing when a row is bad, listing the bad rows by
line number. A row with an existing id replaces that entry; a row without an id is added. New
questions are indexed at once when the index exists (otherwise when the bot starts).`;

async function readInput(file: string): Promise<string> {
  if (file !== "-") return readFile(file, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `padoms faq export|import FILE`. */
export async function runFaq(argv: string[]): Promise<number> {
  const args = parseCommand(argv, { format: { type: "string" } }, faqUsage);
  if (!args) return 0;
  const { values, positionals } = args;
  const [action, file, ...extra] = positionals;
  if ((action !== "export" && action !== "import") || !file || extra.length) {
    throw new UsageError(`Give export or import and one FILE.\n\n${faqUsage}`);
  }
  if (values.format !== undefined && values.format !== "csv" && values.format !== "json") {
    throw new UsageError(`--format must be csv or json.\n\n${faqUsage}`);
  }
  const format: ApprovedFileFormat =
    (values.format as ApprovedFileFormat | undefined) ??
    (file === "-" ? "csv" : formatOfFile(file));
  const config = configFromFlags(values);

  if (action === "export") {
    if (!appStateExists(config)) {
      console.error(
        `No app database in ${config.PADOMS_DATA_DIR} yet, so there are no approved answers to export.`,
      );
      return 1;
    }
    const db = await openAppState(config);
    try {
      const rows = await db.listApproved();
      const text = writeApprovedFile(rows, format);
      if (file === "-") process.stdout.write(text);
      else await writeFile(file, text, "utf8");
      if (file !== "-")
        console.error(`Exported ${rows.length} approved answer(s) to ${file} (${format}).`);
      return 0;
    } finally {
      await db.close();
    }
  }

  let text: string;
  try {
    text = await readInput(file);
  } catch (error) {
    console.error(`padoms faq: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const parsed = parseApprovedFile(text, format);
  if (parsed.problems.length) {
    for (const p of parsed.problems) console.error(`${file}:${p.line}: ${p.message}`);
    console.error(
      `Nothing imported: ${parsed.problems.length} problem(s) in ${file}. Fix the rows above and run the import again.`,
    );
    return 1;
  }
  const db = await openAppState(config);
  try {
    const { added, replaced } = await db.saveApprovedMany(parsed.records);
    console.error(
      `Imported ${parsed.records.length} approved answer(s): ${added} added, ${replaced} replaced.`,
    );
    const logger = createLogger({ level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL });
    try {
      const app = await createApp({ config, logger, appDb: db });
      try {
        const indexed = (await app.approved?.reindex()) ?? 0;
        console.error(`Indexed ${indexed} question(s) with the index's embedder.`);
      } finally {
        await app.close();
      }
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      console.error(`Not indexed yet (${error.message}); the bot indexes them when it starts.`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
