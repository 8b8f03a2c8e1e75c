import { createApp } from "../app.js";
import { parseCommand, UsageError } from "./args.js";
import { configFromFlags, createCliLogger } from "./env.js";
import { answerToJson, answerToText } from "./render.js";

export const askUsage = `Usage: padoms ask "question" [--data DIR] [--json]

Answers one question from the indexed handbook and lectures, with numbered citations.
Offline (extractive) by default; with OPENAI_API_KEY or OPENAI_BASE_URL set, an LLM writes the
answer from the same passages.`;

/** `padoms ask`. */
export async function runAsk(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, {}, askUsage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const question = positionals.join(" ");
  if (!question.trim()) throw new UsageError(`Give a question.\n\n${askUsage}`);
  const config = configFromFlags(values);
  const logger = createCliLogger(config);
  // With the app state the bot wrote, coordinators' approved answers are found here too.
  const app = await createApp({ config, logger, state: "if-exists" });
  try {
    const answer = await app.engine.ask(question);
    console.log(values.json ? JSON.stringify(answerToJson(answer), null, 2) : answerToText(answer));
    return 0;
  } finally {
    await app.close();
  }
}
