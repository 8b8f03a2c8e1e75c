import { createApp } from "../app.js";
import { type Config, secretsOf } from "../config.js";
import { ModelError } from "../errors.js";
import { IngestError } from "../ingest/errors.js";
import { defaultCorpusDir, type IngestSummary, ingestCorpus } from "../ingest/ingest.js";
import { createLogger, type Logger } from "../log.js";
import { StoreError } from "../store/errors.js";
import { readManifest } from "../store/manifest.js";
import { parseCommand } from "./args.js";
import { chatLoop } from "./chat.js";
import { configFromFlags } from "./env.js";
import { formatIngestSummary } from "./ingest.js";

export const startUsage = `Usage: padoms start [--data DIR] [--corpus DIR] [--no-ingest]

Brings the index up to date (ingesting the corpus when there is no index or files changed),
then runs the Telegram bot when TELEGRAM_BOT_TOKEN is set, and the terminal chat otherwise.
Without --corpus it re-reads the folder the index was built from (else ./corpus). When the
corpus cannot be read, or a re-ingest would drop sources, the existing index is served.

--no-ingest (or \`padoms serve\`): serve the index in DIR as it is, never writing it — for
replicas serving a build made by \`padoms ingest\` elsewhere. A new build is picked up when
DIR/manifest.json changes.`;

export const serveUsage = `Usage: padoms serve [--data DIR]

Runs the bot (or the terminal chat) on the index in DIR without ingesting: the replicas' start
command. The same as \`padoms start --no-ingest\`.`;

/** \`padoms serve\`: {@link runStart} without the ingest step. */
export function runServe(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(serveUsage);
    return Promise.resolve(0);
  }
  return runStart([...argv, "--no-ingest"]);
}

/** `padoms start` (what `npm start` runs). */
export async function runStart(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    argv,
    { corpus: { type: "string" }, "no-ingest": { type: "boolean" } },
    startUsage,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const config = configFromFlags(values);
  const secrets = secretsOf(config);
  // In the terminal chat, routine info lines would interleave with the answers.
  const quiet = !config.TELEGRAM_BOT_TOKEN && config.LOG_LEVEL === "info";
  const logger = createLogger({ level: quiet ? "warn" : config.LOG_LEVEL, secrets });

  const live = await readManifest(config.PADOMS_DATA_DIR).catch(() => undefined);
  if (values["no-ingest"]) {
    if (!live) {
      throw new StoreError(
        "no-index",
        `No index in ${config.PADOMS_DATA_DIR}: build one with \`padoms ingest --data DIR\` (on a build machine), copy the build folder and then manifest.json into ${config.PADOMS_DATA_DIR}, or run \`padoms start\` without --no-ingest.`,
        config.PADOMS_DATA_DIR,
      );
    }
    return serve(config, logger);
  }
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
  return serve(config, logger);
}

/** Runs the bot, or the terminal chat without a token, on the index as it is. */
async function serve(config: Config, logger: Logger): Promise<number> {
  if (!config.TELEGRAM_BOT_TOKEN) {
    const app = await createApp({ config, logger, state: "if-exists" });
    try {
      console.error(
        "TELEGRAM_BOT_TOKEN is not set, so Padoms runs as a terminal chat. To run the Telegram bot, create a bot with @BotFather, put TELEGRAM_BOT_TOKEN=… in .env and run `npm start` again.",
      );
      await chatLoop(app);
      return 0;
    } finally {
      await app.close();
    }
  }

  const { runBot } = await import("./run-bot.js");
  await runBot({ config, logger });
  return 0;
}
