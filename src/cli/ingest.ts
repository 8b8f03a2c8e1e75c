import { SingleBar } from "cli-progress";
import { type IngestFailure, type IngestSummary, ingestCorpus } from "../ingest/ingest.js";
import { createLogger } from "../log.js";
import { parseCommand } from "./args.js";
import { configFromFlags } from "./env.js";

export const ingestUsage = `Usage: padoms ingest [--corpus DIR] [--data DIR] [--force] [--allow-shrink] [--json]

Builds the local index of the corpus (handbook PDFs, Markdown/text, WebVTT/SRT transcripts).
  --corpus DIR    corpus folder (default: the one the index was built from, else ./corpus;
                  env PADOMS_CORPUS_DIR)
  --data DIR      data folder for the index (default ./data, env PADOMS_DATA_DIR)
  --force         rebuild even when nothing changed
  --allow-shrink  let the new index drop sources the current one has (deleted files, broken
                  links, unreadable lectures.json); without it such a run keeps the current index
  --json          print the summary as JSON`;

/** One-line summary of an ingest run, plus a line per failed file. */
export function formatIngestSummary(s: IngestSummary): string {
  const secs = (s.durationMs / 1000).toFixed(1);
  const lostPaths = new Set(s.lost.map((l) => l.path));
  const failureLine = (f: IngestFailure) =>
    `  ✗ ${f.message.startsWith(`${f.path}`) ? "" : `${f.path}: `}${f.message}${f.keptPrevious ? " (the previous version stays in the index)" : ""}`;
  if (s.status === "kept-previous") {
    const from = s.previousCorpusDir ? ` (built from ${s.previousCorpusDir})` : "";
    const lines = [
      `Kept the current index${from}: ${s.chunks} passages in ${s.dataDir}. This run would drop ${s.lost.length} source${s.lost.length === 1 ? "" : "s"} it holds:`,
      ...s.lost.map(failureLine),
    ];
    for (const e of s.encodings ?? [])
      lines.push(`  ℹ ${e.path}: not UTF-8; read as ${e.encoding.replace(/^windows/, "Windows")}`);
    const other = s.failures.filter((f) => !lostPaths.has(f.path));
    if (other.length) lines.push("Other problems:", ...other.map(failureLine));
    lines.push(
      s.previousCorpusDir
        ? `To index ${s.corpusDir} instead, run \`padoms ingest --corpus ${s.corpusDir} --allow-shrink\`; to keep the current corpus, pass --corpus ${s.previousCorpusDir}.`
        : "Restore or fix these sources and run the ingest again, or run it with --allow-shrink to drop them from the index.",
    );
    return lines.join("\n");
  }
  const head =
    s.status === "up-to-date"
      ? `Index is up to date: ${s.files.total} files, ${s.chunks} passages (${s.embedder}) in ${s.dataDir} — ${secs} s.`
      : s.status === "built"
        ? `Indexed ${s.files.total - s.files.failed} of ${s.files.total} files (${s.files.processed} processed, ${s.files.reused} unchanged): ${s.chunks} passages with ${s.embedder} in ${s.dataDir} — ${secs} s.`
        : `Nothing was indexed: every file failed. The previous index (if any) is unchanged.`;
  const dropped = s.lost
    .filter((l) => !s.failures.some((f) => f.path === l.path))
    .map((l) => `  − ${l.path}: dropped from the index (${l.message})`);
  const switched =
    s.status === "built" && s.previousCorpusDir
      ? [`The index now holds ${s.corpusDir}; before, it held ${s.previousCorpusDir}.`]
      : [];
  const decoded = (s.encodings ?? []).map(
    (e) => `  ℹ ${e.path}: not UTF-8; read as ${e.encoding.replace(/^windows/, "Windows")}`,
  );
  return [head, ...switched, ...decoded, ...s.failures.map(failureLine), ...dropped].join("\n");
}

/** `padoms ingest`: returns the process exit code (1 when any file failed). */
export async function runIngest(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      corpus: { type: "string" },
      force: { type: "boolean" },
      "allow-shrink": { type: "boolean" },
    },
    ingestUsage,
  );
  if (!parsed) return 0;
  const { values } = parsed;
  const config = configFromFlags(values);
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
      allowShrink: values["allow-shrink"],
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
    return summary.status === "failed" ||
      summary.status === "kept-previous" ||
      summary.failures.length > 0
      ? 1
      : 0;
  } finally {
    bar?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
