import { SingleBar } from "cli-progress";
import { type IngestSummary, ingestCorpus } from "../ingest/ingest.js";
import { createLogger } from "../log.js";
import { parseCommandArgs } from "./args.js";
import { configFromEnvironment } from "./env.js";

export const ingestUsage = `Usage: padoms ingest [--corpus DIR] [--data DIR] [--force] [--json]

Builds the local index of the corpus (handbook PDFs, Markdown/text, WebVTT/SRT transcripts).
  --corpus DIR  corpus folder (default ./corpus, env PADOMS_CORPUS_DIR)
  --data DIR    data folder for the index (default ./data, env PADOMS_DATA_DIR)
  --force       rebuild even when nothing changed
  --json        print the summary as JSON`;

/** One-line summary of an ingest run, plus a line per failed file. */
export function formatIngestSummary(s: IngestSummary): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const head =
    s.status === "up-to-date"
      ? `Index is up to date: ${s.files.total} files, ${s.chunks} passages (${s.embedder}) in ${s.dataDir} — ${secs} s.`
      : s.status === "built"
        ? `Indexed ${s.files.total - s.files.failed} of ${s.files.total} files (${s.files.processed} processed, ${s.files.reused} unchanged): ${s.chunks} passages with ${s.embedder} in ${s.dataDir} — ${secs} s.`
        : `Nothing was indexed: every file failed. The previous index (if any) is unchanged.`;
  const fails = s.failures.map(
    (f) =>
      `  ✗ ${f.path}: ${f.message}${f.keptPrevious ? " (the previous version stays in the index)" : ""}`,
  );
  return [head, ...fails].join("\n");
}

/** `padoms ingest`: returns the process exit code (1 when any file failed). */
export async function runIngest(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { corpus: { type: "string" }, force: { type: "boolean" } },
    ingestUsage,
  );
  if (values.help) {
    console.log(ingestUsage);
    return 0;
  }
  const config = configFromEnvironment({
    PADOMS_DATA_DIR: values.data,
    PADOMS_CORPUS_DIR: values.corpus,
  });
  const logger = createLogger({
    level: values.json ? "error" : config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL,
  });
  const showBar = !values.json && (config.PROGRESS ?? Boolean(process.stderr.isTTY));
  const bar = showBar
    ? new SingleBar({
        format: " {stage} [{bar}] {value}/{total}",
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
        noTTYOutput: config.PROGRESS === true,
        notTTYSchedule: 100,
      })
    : undefined;
  let stage = "";
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const summary = await ingestCorpus({
      config,
      logger,
      force: values.force,
      signal: controller.signal,
      onProgress: (s, done, total) => {
        if (!bar) return;
        if (s !== stage) {
          if (stage) bar.stop();
          stage = s;
          bar.start(total, done, { stage: s.padEnd(5) });
        } else bar.update(done);
      },
    });
    bar?.stop();
    console.log(values.json ? JSON.stringify(summary, null, 2) : formatIngestSummary(summary));
    return summary.status === "failed" || summary.failures.length > 0 ? 1 : 0;
  } finally {
    bar?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
