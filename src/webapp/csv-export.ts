/**
 * The desk's report as CSV for spreadsheets. Question texts come from users, so a cell that a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) is written with a leading apostrophe, which spreadsheets show as text (OWASP's advice
 * on CSV injection).
 */
import { toCsv } from "../report/csv.js";
import type { WebReport } from "./api-types.js";

/** A cell a spreadsheet will not evaluate. */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

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
  return toCsv(rows.map((r) => r.map(inertCell)));
}
