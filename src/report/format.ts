/**
 * The report as a short message: Telegram HTML for `/report`, plain text for `padoms report`,
 * and per-day CSV. Pure functions; every text in Latvian and English.
 */
import { escapeHtml } from "../html.js";
import { toCsv } from "./csv.js";
import { dayIn, type Ranked, type UsageReport } from "./summary.js";

/** Labels of the report in one language. */
export interface ReportLabels {
  title: string;
  period: (report: Pick<UsageReport, "from" | "to" | "timeZone">) => string;
  questions: string;
  answered: string;
  declined: string;
  handedOff: string;
  fromFaq: (n: number) => string;
  feedback: string;
  perDay: string;
  topics: string;
  handbookSections: string;
  lectures: string;
  open: (n: number) => string;
  openHandedOff: string;
  none: string;
  noQuestions: string;
  chartTitle: string;
}

function lvDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}.${m}.${y}.`;
}

/** The last day of a period (its end is exclusive), as `YYYY-MM-DD` in its time zone. */
function periodDays(report: Pick<UsageReport, "from" | "to" | "timeZone">): [string, string] {
  const fmt = new Intl.DateTimeFormat("en-CA", {
    timeZone: report.timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const from = new Date(report.from);
  const to = new Date(Math.max(from.getTime(), new Date(report.to).getTime() - 1));
  return [fmt.format(from), fmt.format(to)];
}

const LV: ReportLabels = {
  title: "📊 <b>Padoms: pārskats</b>",
  period: (r) => {
    const [a, b] = periodDays(r);
    return `${lvDate(a)}–${lvDate(b)}`;
  },
  questions: "Jautājumi",
  answered: "Atbildēti",
  declined: "Noraidīti",
  handedOff: "Nodoti koordinatoriem",
  fromFaq: (n) => `no tiem ar apstiprinātu atbildi: ${n}`,
  feedback: "Vērtējumi",
  perDay: "Pa dienām",
  topics: "Biežākās tēmas",
  handbookSections: "Visvairāk citētās rokasgrāmatas sadaļas",
  lectures: "Visvairāk citētās lekcijas",
  open: (n) => `Atvērtie jautājumi bez koordinatora atbildes (${n})`,
  openHandedOff: "nodots koordinatoriem",
  none: "—",
  noQuestions: "Šajā periodā jautājumu nebija.",
  chartTitle: "Jautājumi pa dienām",
};

const EN: ReportLabels = {
  title: "📊 <b>Padoms: usage report</b>",
  period: (r) => {
    const [a, b] = periodDays(r);
    return `${a} – ${b}`;
  },
  questions: "Questions",
  answered: "Answered",
  declined: "Declined",
  handedOff: "Handed off",
  fromFaq: (n) => `of which from approved answers: ${n}`,
  feedback: "Ratings",
  perDay: "Per day",
  topics: "Most asked topics",
  handbookSections: "Most cited handbook sections",
  lectures: "Most cited lectures",
  open: (n) => `Open questions without a coordinator's answer (${n})`,
  openHandedOff: "handed off",
  none: "—",
  noQuestions: "No questions in this period.",
  chartTitle: "Questions per day",
};

/** The report's labels in a language. */
export function reportLabels(lang: "lv" | "en"): ReportLabels {
  return lang === "en" ? EN : LV;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

function percent(n: number, total: number): string {
  return total ? `${Math.round((100 * n) / total)} %` : "0 %";
}

/** Options of {@link formatReport}. */
export interface FormatReportOptions {
  lang?: "lv" | "en";
  /** `html` for Telegram (default), `text` for a terminal. */
  markup?: "html" | "text";
}

/** The report as a short message (at most about 3,500 characters). */
export function formatReport(report: UsageReport, options: FormatReportOptions = {}): string {
  const lang = options.lang ?? "lv";
  const l = reportLabels(lang);
  const html = (options.markup ?? "html") === "html";
  const esc = html ? escapeHtml : (s: string) => s;
  const bold = (s: string) => (html ? `<b>${s}</b>` : s);
  const plain = (s: string) => (html ? s : s.replace(/<\/?b>/g, ""));
  const t = report.totals;
  const lines: string[] = [`${plain(l.title)} ${l.period(report)}`];
  if (t.questions === 0) {
    lines.push("", l.noQuestions);
  } else {
    lines.push(
      "",
      `${bold(l.questions)}: ${t.questions}`,
      `✅ ${l.answered}: ${t.answered} (${percent(t.answered, t.questions)})${t.fromFaq ? `, ${l.fromFaq(t.fromFaq)}` : ""}`,
      `🙋 ${l.handedOff}: ${t.handedOff} (${percent(t.handedOff, t.questions)})`,
      `🤷 ${l.declined}: ${t.declined} (${percent(t.declined, t.questions)})`,
    );
  }
  lines.push(`${bold(l.feedback)}: 👍 ${t.up} · 👎 ${t.down}`);
  if (t.questions > 0) {
    const perDay = report.days
      .map(
        (d) =>
          `${lang === "lv" ? `${d.date.slice(8)}.${d.date.slice(5, 7)}.` : d.date.slice(5)} ${d.total}`,
      )
      .join(" · ");
    lines.push(`${bold(l.perDay)}: ${perDay}`);
  }
  const list = (title: string, items: Ranked[]) => {
    lines.push("", bold(title));
    if (items.length === 0) lines.push(l.none);
    for (const item of items) lines.push(`• ${esc(clip(item.label, 80))} — ${item.count}`);
  };
  if (t.questions > 0) {
    lines.push(
      "",
      `${bold(l.topics)}: ${report.topics.map((x) => `${esc(x.label)} (${x.count})`).join(", ") || l.none}`,
    );
    list(l.handbookSections, report.handbookSections);
    list(l.lectures, report.lectures);
    lines.push("", bold(l.open(report.open.length)));
    if (report.open.length === 0) lines.push(l.none);
    for (const q of report.open) {
      const day = dayIn(new Date(q.createdAt), report.timeZone);
      const date = lang === "lv" ? `${day.slice(8)}.${day.slice(5, 7)}.` : day.slice(5);
      const mark = q.handedOff ? ` (${l.openHandedOff})` : "";
      lines.push(`• ${date} «${esc(clip(q.question, 120))}»${mark}`);
    }
  }
  return lines.join("\n");
}

/** Questions per day as CSV (header, RFC 4180, UTF-8 BOM). */
export function reportCsv(report: UsageReport): string {
  return toCsv([
    ["date", "questions", "answered", "declined", "handed_off"],
    ...report.days.map((d) => [
      d.date,
      String(d.total),
      String(d.answered),
      String(d.declined),
      String(d.handedOff),
    ]),
  ]);
}
