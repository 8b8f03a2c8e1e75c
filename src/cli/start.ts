import { join } from "node:path";
import { ModelError } from "../embed/errors.js";
import { IngestError } from "../ingest/errors.js";
import { defaultCorpusDir, type IngestSummary, ingestCorpus } from "../ingest/ingest.js";
import { createLogger } from "../log.js";
import { APP_DB_FILE } from "../store/app-db.js";
import { StoreError } from "../store/errors.js";
import { readManifest } from "../store/manifest.js";
import { parseCommandArgs } from "./args.js";
import { chatLoop } from "./chat.js";
import { configFromEnvironment } from "./env.js";
import { formatIngestSummary } from "./ingest.js";
import { openCliApp } from "./open-app.js";

export const startUsage = `Usage: padoms start [--data DIR] [--corpus DIR]

Brings the index up to date (ingesting the corpus when there is no index or files changed),
then runs the Telegram bot when TELEGRAM_BOT_TOKEN is set, and the terminal chat otherwise.
Without --corpus it re-reads the folder the index was built from (else ./corpus). When the
corpus cannot be read, or a re-ingest would drop sources, the existing index is served.`;

/** `padoms start` (what `npm start` runs). */
export async function runStart(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { corpus: { type: "string" } }, startUsage);
  if (values.help) {
    console.log(startUsage);
    return 0;
  }
  const config = configFromEnvironment({
    PADOMS_DATA_DIR: values.data,
    PADOMS_CORPUS_DIR: values.corpus,
  });
  const secrets = [
    config.TELEGRAM_BOT_TOKEN,
    config.OPENAI_API_KEY,
    config.WEBHOOK_SECRET,
    config.PSEUDONYM_SECRET,
  ];
  // In the terminal chat, routine info lines would interleave with the answers.
  const quiet = !config.TELEGRAM_BOT_TOKEN && config.LOG_LEVEL === "info";
  const logger = createLogger({ level: quiet ? "warn" : config.LOG_LEVEL, secrets });

  const live = await readManifest(config.PADOMS_DATA_DIR).catch(() => undefined);
  const corpusDir = await defaultCorpusDir(config);
  if (!live)
    console.error(`No index in ${config.PADOMS_DATA_DIR} yet — indexing ${corpusDir} first…`);
  let summary: IngestSummary | undefined;
  try {
    summary = await ingestCorpus({ config, logger, corpusDir });
  } catch (error) {
    // Cannot re-ingest (corpus folder gone, another ingest running, embeddings unreachable):
    // the index that is there still answers.
    const known =
      error instanceof IngestError || error instanceof StoreError || error instanceof ModelError;
    if (!live || !known) throw error;
    console.error(
      `padoms start: ${error.message}\nServing the existing index (${live.chunkCount} passages, built ${live.createdAt}${live.corpusDir ? ` from ${live.corpusDir}` : ""}).`,
    );
  }
  if (summary && (summary.status !== "up-to-date" || summary.failures.length))
    console.error(formatIngestSummary(summary));
  if (summary?.status === "failed" && !live) return 1;

  if (!config.TELEGRAM_BOT_TOKEN) {
    const { app, close } = await openCliApp(config, logger);
    try {
      console.error(
        "TELEGRAM_BOT_TOKEN is not set, so Padoms runs as a terminal chat. To run the Telegram bot, create a bot with @BotFather, put TELEGRAM_BOT_TOKEN=… in .env and run `npm start` again.",
      );
      await chatLoop(app);
      return 0;
    } finally {
      close();
    }
  }

  const { runBot } = await import("./run-bot.js");
  await runBot({ config, logger, appDbPath: join(config.PADOMS_DATA_DIR, APP_DB_FILE) });
  return 0;
}
