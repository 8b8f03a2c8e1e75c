import { createInterface } from "node:readline/promises";
import type { App } from "../app.js";
import { createApp } from "../app.js";
import { parseCommand } from "./args.js";
import { configFromFlags, createCliLogger } from "./env.js";
import { answerToJson, answerToText } from "./render.js";

/** What `/lectures` asks the engine. */
const LECTURE_LIST_QUESTION = "Kādas lekcijas ir?";

export const chatUsage = `Usage: padoms chat [--data DIR] [--json]

Chat with Padoms in the terminal. Follow-up questions use the conversation so far;
type /lectures for the list of lectures, /new to start over and /exit (or Ctrl-D) to leave. When standard input is not a terminal,
every input line is one question and every answer is printed (as a JSON line with --json).`;

/** Runs the chat loop over an app until input ends. */
export async function chatLoop(
  app: App,
  options: { json?: boolean; banner?: string } = {},
): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: interactive,
  });
  const conversation = "cli";
  if (interactive) {
    console.log(
      options.banner ??
        "Padoms — jautājiet par sociālo uzņēmējdarbību Latvijā (latviski vai angliski). /lectures — lekciju saraksts, /new — jauna saruna, /exit — iziet.",
    );
    rl.setPrompt("> ");
    rl.prompt();
  }
  for await (const line of rl) {
    const q = line.trim();
    if (q === "/exit" || q === "/quit") break;
    if (q === "/new") {
      app.engine.forget(conversation);
      if (interactive) {
        console.log("Sākam no jauna.");
        rl.prompt();
      }
      continue;
    }
    if (!q) {
      if (interactive) rl.prompt();
      continue;
    }
    // `/lectures`, as in the bot: the list of lectures (the engine answers it as a question).
    const asked = q === "/lectures" ? LECTURE_LIST_QUESTION : q;
    const answer = await app.engine.ask(asked, { conversationId: conversation });
    if (options.json) console.log(JSON.stringify(answerToJson(answer)));
    // Piped, each answer follows its question, so a transcript reads as the chat did.
    else console.log(`${interactive ? "" : `> ${q}\n`}${answerToText(answer)}\n`);
    if (interactive) rl.prompt();
  }
  rl.close();
}

/** `padoms chat`. */
export async function runChat(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, {}, chatUsage);
  if (!parsed) return 0;
  const { values } = parsed;
  const config = configFromFlags(values);
  const logger = createCliLogger(config);
  // With the app state the bot wrote, coordinators' approved answers are found here too.
  const app = await createApp({ config, logger, state: "if-exists" });
  try {
    await chatLoop(app, { json: values.json });
    return 0;
  } finally {
    await app.close();
  }
}
