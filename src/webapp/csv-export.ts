/**
 * The desk's report as CSV for spreadsheets. Question texts come from users; `toCsv` writes a
 * formula-like cell as text (see `inertCell` in report/csv.ts).
 */
import { toCsv } from "../report/csv.js";
import type { WebReport } from "./api-types.js";

export { inertCell } from "../report/csv.js";

/** The report as CSV: questions per day, then topics, then open questions. */
export function deskCsv(report: WebReport): string {
  const rows: string[][] = [
    ["section", "date", "questions", "answered", "declined", "handed_off"],
    ...report.days.map((d) => [
      "day",
      d.date,
      String(d.answered + d.declined + d.handedOff),
      String(d.answered),
      String(d.declined),
      String(d.handedOff),
    ]),
    [],
    ["section", "topic", "questions"],
    ...report.topics.map((t) => ["topic", t.label, String(t.count)]),
    [],
    ["section", "asked_at", "question", "handed_off"],
    ...report.open.map((o) => ["open", o.createdAt, o.question, o.handedOff ? "yes" : "no"]),
  ];
  return toCsv(rows);
}
