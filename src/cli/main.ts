#!/usr/bin/env node
import { PadomsError } from "../errors.js";
import { runAnalyze } from "./analyze.js";
import { runIngest } from "./ingest.js";
import { runSearch } from "./search.js";

const usage = `Padoms — answers about social entrepreneurship in Latvia, with cited sources.

Usage: padoms <command> [options]

Commands:
  start      ingest if needed, then run the Telegram bot (TELEGRAM_BOT_TOKEN) or the terminal chat
  serve      run the bot on the index as it is, never writing it (replicas; = start --no-ingest)
  ingest     build the local index of the corpus
  search     show the best matching passages for a question
  ask        answer one question with citations
  chat       interactive chat in the terminal (one question per line when piped)
  analyze    show the tokens the index sees for a text
  faq        export or import coordinators' approved answers
  report     usage summary of the bot
  db         migrate the app state's database, or show its schema status

Every command takes --data DIR (default ./data, env PADOMS_DATA_DIR) and --help.`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  ingest: async () => runIngest,
  search: async () => runSearch,
  analyze: async () => runAnalyze,
  ask: async () => (await import("./ask.js")).runAsk,
  chat: async () => (await import("./chat.js")).runChat,
  start: async () => (await import("./start.js")).runStart,
  serve: async () => (await import("./start.js")).runServe,
  db: async () => (await import("./db.js")).runDb,
  faq: async () => (await import("./faq.js")).runFaq,
  report: async () => (await import("./report.js")).runReport,
};

/** Runs the CLI; returns the exit code. Known errors become one clear line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (error) {
    if (error instanceof PadomsError) {
      if (error.code === "usage") {
        console.error(error.message);
        return 2;
      }
      console.error(`padoms ${name}: ${error.message}`);
      return 1;
    }
    console.error(
      `padoms ${name}: unexpected error: ${(error as Error)?.message ?? String(error)}. Run again with LOG_LEVEL=debug, and report it if it persists.`,
    );
    if (process.env.LOG_LEVEL === "debug") console.error(error);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /main\.[tj]s$/.test(process.argv[1]);
if (invokedDirectly) {
  // Index, databases and keys are for this user only (folders 0700, files 0600).
  process.umask(0o077);
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(String(error));
      process.exitCode = 1;
    },
  );
}
