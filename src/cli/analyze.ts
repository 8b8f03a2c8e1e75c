import { analyze } from "../text/analyze.js";
import { parseCommand, UsageError } from "./args.js";

export const analyzeUsage = `Usage: padoms analyze "text" [--json]

Prints the tokens of a text exactly as the keyword index and the local embedder see them
(normalised, without diacritics, stop words removed, stemmed).`;

/** `padoms analyze`. */
export async function runAnalyze(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, {}, analyzeUsage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const text = positionals.join(" ");
  if (!text.trim()) throw new UsageError(`Give a text to analyse.\n\n${analyzeUsage}`);
  const tokens = analyze(text);
  console.log(values.json ? JSON.stringify({ text, tokens }) : tokens.join(" "));
  return 0;
}
