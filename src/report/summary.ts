/**
 * The usage report: what people asked in a period, aggregated from the app database's rows.
 * Pure: rows in, numbers out (the bot's `/report` and `padoms report` format and chart them).
 */
import type { ReportRow } from "../store/app-db.js";
import { analyze, analyzeWord, tokenize } from "../text/analyze.js";

import type { Outcome, OutcomeCounts, Ranked, ReportTotals } from "./report-types.js";

export type { Outcome, OutcomeCounts, Ranked, ReportTotals } from "./report-types.js";

/** Questions of one day (in the report's time zone). */
export interface DayCount extends OutcomeCounts {
  /** `YYYY-MM-DD`. */
  date: string;
  total: number;
}

/** A question still waiting for a coordinator's answer. */
export interface OpenQuestion {
  id: number;
  createdAt: string;
  question: string;
  /** True when it was passed to the coordinators (and no reply reached the user yet). */
  handedOff: boolean;
}

/** The usage report of one period. */
export interface UsageReport {
  /** Start (inclusive) and end (exclusive) of the period, ISO timestamps. */
  from: string;
  to: string;
  timeZone: string;
  days: DayCount[];
  totals: ReportTotals;
  /** Most frequent words of the questions (beyond the generic ones), as people wrote them. */
  topics: Ranked[];
  handbookSections: Ranked[];
  lectures: Ranked[];
  /** Declined or handed-off questions without a delivered coordinator's answer, newest first. */
  open: OpenQuestion[];
}

/** Options of {@link buildUsageReport}. */
export interface UsageReportOptions {
  from: Date;
  to: Date;
  /** IANA time zone of the day buckets. Default `Europe/Riga`. */
  timeZone?: string;
  /** Entries per ranked list. Default 5. */
  top?: number;
  /** Open questions listed. Default 10. */
  maxOpen?: number;
}

/** Words every question about the subject has; they say nothing about its topic. */
const GENERIC = new Set(
  analyze(
    "sociālais sociālā sociālajam uzņēmums uzņēmumam uzņēmuma uzņēmējs uzņēmējdarbība var vajag " +
      "drīkst jābūt kā kāds kāda kur kad cik kas vai iegūt saņemt dabūt meklēt atrast " +
      "social enterprise business company can how what get find",
  ),
);

/** The outcome of a stored question; `undefined` while it is still pending. */
export function outcomeOf(
  row: Pick<ReportRow, "status" | "answered" | "handoff">,
): Outcome | undefined {
  if (row.status === "pending") return undefined;
  if (row.handoff) return "handedOff";
  return row.answered ? "answered" : "declined";
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

/** Every `YYYY-MM-DD` from the day of `from` to the day of `to` (exclusive end instant). */
function daysBetween(from: Date, to: Date, timeZone: string): string[] {
  const first = dayIn(from, timeZone);
  const last = dayIn(new Date(Math.max(from.getTime(), to.getTime() - 1)), timeZone);
  const out: string[] = [];
  const d = new Date(`${first}T00:00:00Z`);
  for (let guard = 0; guard < 4000; guard++) {
    const key = d.toISOString().slice(0, 10);
    out.push(key);
    if (key >= last) break;
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

function rank(counts: Map<string, number>, top: number): Ranked[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "lv"))
    .slice(0, top)
    .map(([label, count]) => ({ label, count }));
}

function lastSection(section: string | undefined): string | undefined {
  return section
    ?.split(" › ")
    .map((s) => s.trim())
    .filter(Boolean)
    .pop();
}

/** Aggregates the rows of a period into the report. */
export function buildUsageReport(
  rows: readonly ReportRow[],
  options: UsageReportOptions,
): UsageReport {
  const timeZone = options.timeZone ?? "Europe/Riga";
  const top = options.top ?? 5;
  const days = new Map<string, DayCount>(
    daysBetween(options.from, options.to, timeZone).map((date) => [
      date,
      { date, answered: 0, declined: 0, handedOff: 0, total: 0 },
    ]),
  );
  const totals = {
    questions: 0,
    answered: 0,
    declined: 0,
    handedOff: 0,
    fromFaq: 0,
    up: 0,
    down: 0,
  };
  const tokenCounts = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  const sections = new Map<string, number>();
  const lectures = new Map<string, number>();
  const open: OpenQuestion[] = [];

  for (const row of rows) {
    totals.up += row.up;
    totals.down += row.down;
    const outcome = outcomeOf(row);
    if (!outcome) continue;
    totals.questions++;
    totals[outcome]++;
    if (row.mode === "faq" && row.answered) totals.fromFaq++;
    const day = days.get(dayIn(new Date(row.createdAt), timeZone));
    if (day) {
      day[outcome]++;
      day.total++;
    }

    const seen = new Set<string>();
    for (const word of tokenize(row.question)) {
      const token = analyzeWord(word);
      if (!token || GENERIC.has(token) || /^\d/.test(token)) continue;
      const forms = surfaces.get(token) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      surfaces.set(token, forms);
      if (seen.has(token)) continue;
      seen.add(token);
      tokenCounts.set(token, (tokenCounts.get(token) ?? 0) + 1);
    }

    const cited = new Set<string>();
    for (const c of row.citations) {
      if (c.kind === "lecture") {
        const key = `l:${c.title}`;
        if (!cited.has(key)) lectures.set(c.title, (lectures.get(c.title) ?? 0) + 1);
        cited.add(key);
      } else if (c.kind === "handbook" || c.kind === "document") {
        const label = lastSection(c.section) ?? c.title;
        const key = `h:${label}`;
        if (!cited.has(key)) sections.set(label, (sections.get(label) ?? 0) + 1);
        cited.add(key);
      }
    }

    const waiting = !row.handoff || row.handoff.delivered === 0;
    if ((outcome === "declined" || outcome === "handedOff") && waiting) {
      open.push({
        id: row.id,
        createdAt: row.createdAt,
        question: row.question,
        handedOff: Boolean(row.handoff),
      });
    }
  }

  const topics = rank(tokenCounts, top).map(({ label, count }) => {
    const forms = surfaces.get(label);
    const surface = forms ? (rank(forms, 1)[0]?.label ?? label) : label;
    return { label: surface, count };
  });
  open.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  return {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    timeZone,
    days: [...days.values()],
    totals,
    topics,
    handbookSections: rank(sections, top),
    lectures: rank(lectures, top),
    open: open.slice(0, options.maxOpen ?? 10),
  };
}

function zoneOffsetMs(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return local - Math.floor(date.getTime() / 1000) * 1000;
}

/** The instant the day of `date` starts in a time zone. */
export function startOfDayIn(date: Date, timeZone: string): Date {
  const midnightUtc = new Date(`${dayIn(date, timeZone)}T00:00:00Z`);
  return new Date(midnightUtc.getTime() - zoneOffsetMs(midnightUtc, timeZone));
}

/**
 * The period of a report that ends at `now` and lasts `ms`: whole days (today and the days
 * before it) when `ms` is a whole number of days, else exactly `ms`.
 */
export function reportPeriod(
  now: Date,
  ms: number,
  timeZone = "Europe/Riga",
): { from: Date; to: Date } {
  const days = ms / 86_400_000;
  if (Number.isInteger(days) && days >= 1) {
    return {
      from: startOfDayIn(new Date(now.getTime() - (days - 1) * 86_400_000), timeZone),
      to: now,
    };
  }
  return { from: new Date(now.getTime() - ms), to: now };
}

/** Parses a period such as `7d`, `30d`, `12h` or `2w` into milliseconds; `undefined` if invalid. */
export function parsePeriod(text: string): number | undefined {
  const m = /^(\d{1,4})\s*([hdw])$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n <= 0) return undefined;
  const unit = (m[2] as string).toLowerCase();
  return n * (unit === "h" ? 3_600_000 : unit === "d" ? 86_400_000 : 7 * 86_400_000);
}
