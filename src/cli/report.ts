import { writeFile } from "node:fs/promises";
import { formatReport, reportCsv } from "../report/format.js";
import { buildUsageReport, parsePeriod, reportPeriod } from "../report/summary.js";
import { appStateExists, openAppState } from "../store/open-state.js";
import { parseCommand, UsageError } from "./args.js";
import { configFromFlags } from "./env.js";

export const reportUsage = `Usage: padoms report [--since 7d] [--csv FILE] [--png FILE] [--lang lv|en] [--data DIR] [--json]

The bot's usage summary, as /report sends it to the coordinators: questions per day, the share
answered, declined and handed off, 👍/👎, most asked topics, most cited handbook sections and
lectures, and the open declined questions. --since takes hours, days or weeks (12h, 7d, 4w);
whole days end today. --csv writes the questions per day as CSV, --png the chart.`;

/** `padoms report`. */
export async function runReport(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      since: { type: "string" },
      csv: { type: "string" },
      png: { type: "string" },
      lang: { type: "string" },
    },
    reportUsage,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length) throw new UsageError(`Unexpected "${positionals[0]}".\n\n${reportUsage}`);
  const ms = parsePeriod(values.since ?? "7d");
  if (ms === undefined) {
    throw new UsageError(
      `--since must be a number of hours, days or weeks, e.g. 7d.\n\n${reportUsage}`,
    );
  }
  const lang = values.lang ?? "en";
  if (lang !== "lv" && lang !== "en")
    throw new UsageError(`--lang must be lv or en.\n\n${reportUsage}`);
  const config = configFromFlags(values);
  if (!appStateExists(config)) {
    console.error(
      `No app database in ${config.PADOMS_DATA_DIR} yet: the bot creates it when it runs (or pass --data DIR).`,
    );
    return 1;
  }
  const db = await openAppState(config);
  let report: ReturnType<typeof buildUsageReport>;
  try {
    const { from, to } = reportPeriod(new Date(), ms);
    report = buildUsageReport(await db.reportRows(from, to), { from, to });
  } finally {
    await db.close();
  }
  console.log(
    values.json ? JSON.stringify(report, null, 2) : formatReport(report, { lang, markup: "text" }),
  );
  if (values.csv) {
    await writeFile(values.csv, reportCsv(report), "utf8");
    console.error(`Questions per day written to ${values.csv}.`);
  }
  if (values.png) {
    const { renderReportPng } = await import("../report/chart.js");
    await writeFile(values.png, await renderReportPng(report, { lang }));
    console.error(`Chart written to ${values.png}.`);
  }
  return 0;
}
