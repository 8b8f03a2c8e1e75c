import { describe, expect, it } from "vitest";
import { renderReportPng, renderReportSvg } from "../../src/report/chart.js";
import { formatReport, reportCsv } from "../../src/report/format.js";
import {
  buildUsageReport,
  parsePeriod,
  reportPeriod,
  startOfDayIn,
} from "../../src/report/summary.js";
import type { ReportRow } from "../../src/store/app-db.js";
import type { Citation } from "../../src/types.js";

const HANDBOOK: Citation = {
  n: 1,
  kind: "handbook",
  title: "Rokasgrāmata",
  path: "r.pdf",
  page: 12,
  section: "4. Statuss › 4.2. Esošas SIA ceļš uz statusu",
  chunkId: "h",
  text: "",
};
const LECTURE: Citation = {
  n: 2,
  kind: "lecture",
  title: "Finansējuma avoti",
  path: "l.vtt",
  startSec: 60,
  chunkId: "l",
  text: "",
};

let nextId = 1;
function row(createdAt: string, over: Partial<ReportRow> = {}): ReportRow {
  return {
    id: nextId++,
    createdAt,
    question: "Kā iegūt sociālā uzņēmuma statusu?",
    language: "lv",
    answered: true,
    status: "answered",
    mode: "extractive",
    citations: [HANDBOOK, { ...HANDBOOK, n: 3 }],
    up: 0,
    down: 0,
    ...over,
  };
}

const from = new Date("2024-04-30T21:00:00Z"); // 1 May 00:00 in Riga (UTC+3)
const to = new Date("2024-05-07T12:00:00Z");
const rows: ReportRow[] = [
  row("2024-04-30T21:30:00Z", { up: 1 }), // 1 May in Riga, 30 April in UTC
  row("2024-05-01T09:00:00Z", { citations: [LECTURE], question: "Kur meklēt ALTUM finansējumu?" }),
  row("2024-05-03T09:00:00Z", {
    answered: false,
    status: "declined",
    citations: [],
    question: "Kā pieteikt suni izstādei?",
    down: 1,
  }),
  row("2024-05-03T10:00:00Z", {
    answered: false,
    status: "declined",
    citations: [],
    question: "Vai var pieteikties Erasmus apmaiņā Norvēģijā?",
    handoff: { reason: "declined", status: "answered", replies: 2, delivered: 2 },
  }),
  row("2024-05-05T10:00:00Z", {
    question: "Kur meklēt finansējumu laukos?",
    citations: [LECTURE],
    handoff: { reason: "requested", status: "open", replies: 0, delivered: 0 },
  }),
  row("2024-05-06T10:00:00Z", { mode: "faq", citations: [], question: "Erasmus apmaiņa?" }),
  row("2024-05-07T11:00:00Z", { status: "pending", answered: false, citations: [] }),
];

describe("usage report", () => {
  const report = buildUsageReport(rows, { from, to });

  it("counts questions per day in Riga time, by outcome; pending ones are left out", () => {
    expect(report.days.map((d) => d.date)).toEqual([
      "2024-05-01",
      "2024-05-02",
      "2024-05-03",
      "2024-05-04",
      "2024-05-05",
      "2024-05-06",
      "2024-05-07",
    ]);
    expect(report.days.map((d) => [d.answered, d.declined, d.handedOff])).toEqual([
      [2, 0, 0],
      [0, 0, 0],
      [0, 1, 1],
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    expect(report.totals).toEqual({
      questions: 6,
      answered: 3,
      declined: 1,
      handedOff: 2,
      fromFaq: 1,
      up: 1,
      down: 1,
    });
  });

  it("ranks topics (as people wrote them), cited sections and lectures, once per answer", () => {
    expect(report.topics).toContainEqual({ label: "finansējumu", count: 2 });
    expect(report.topics).toContainEqual({ label: "erasmus", count: 2 });
    expect(report.topics.map((t) => t.label)).not.toContain("uzņēmuma");
    expect(report.handbookSections).toEqual([
      { label: "4.2. Esošas SIA ceļš uz statusu", count: 1 },
    ]);
    expect(report.lectures).toEqual([{ label: "Finansējuma avoti", count: 2 }]);
  });

  it("lists open questions: declined or handed off without a delivered answer, newest first", () => {
    expect(report.open.map((q) => [q.question, q.handedOff])).toEqual([
      ["Kur meklēt finansējumu laukos?", true],
      ["Kā pieteikt suni izstādei?", false],
    ]);
  });

  it("formats a short Latvian message and an English plain-text one", () => {
    const lv = formatReport(report, { lang: "lv" });
    expect(lv).toContain("📊 <b>Padoms: pārskats</b> 01.05.2024.–07.05.2024.");
    expect(lv).toContain("✅ Atbildēti: 3 (50 %), no tiem ar apstiprinātu atbildi: 1");
    expect(lv).toContain("🙋 Nodoti koordinatoriem: 2 (33 %)");
    expect(lv).toContain("👍 1 · 👎 1");
    expect(lv).toContain("• 03.05. «Kā pieteikt suni izstādei?»");
    expect(lv.length).toBeLessThan(3500);
    const en = formatReport(report, { lang: "en", markup: "text" });
    expect(en).toContain("Padoms: usage report 2024-05-01 – 2024-05-07");
    expect(en).toContain("Handed off: 2 (33 %)");
    expect(en).not.toContain("<b>");
  });

  it("writes questions per day as CSV", () => {
    const csv = reportCsv(report);
    expect(csv.split("\r\n").slice(0, 4)).toEqual([
      "\uFEFFdate,questions,answered,declined,handed_off",
      "2024-05-01,2,2,0,0",
      "2024-05-02,0,0,0,0",
      "2024-05-03,2,0,1,1",
    ]);
  });

  it("an empty period says so", () => {
    const empty = buildUsageReport([], { from, to });
    expect(formatReport(empty, { lang: "en" })).toContain("No questions in this period.");
  });

  it("renders the chart: SVG with Latvian labels, PNG with a valid signature and size", async () => {
    const svg = await renderReportSvg(report, { lang: "lv" });
    expect(svg).toContain("<svg");
    expect(svg).toContain("Nodoti koordinatoriem");
    const png = await renderReportPng(report, { lang: "lv", scale: 1 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBeGreaterThan(360);
    expect(png.readUInt32BE(20)).toBeGreaterThan(220);
  });
});

describe("report periods", () => {
  it("parses 12h, 7d and 2w", () => {
    expect(parsePeriod("12h")).toBe(12 * 3_600_000);
    expect(parsePeriod("7d")).toBe(7 * 86_400_000);
    expect(parsePeriod("2W")).toBe(14 * 86_400_000);
    expect(parsePeriod("0d")).toBeUndefined();
    expect(parsePeriod("week")).toBeUndefined();
  });

  it("whole days end today and start at midnight in Riga (summer and winter time)", () => {
    expect(startOfDayIn(new Date("2024-07-10T12:00:00Z"), "Europe/Riga").toISOString()).toBe(
      "2024-07-09T21:00:00.000Z",
    );
    expect(startOfDayIn(new Date("2024-01-10T12:00:00Z"), "Europe/Riga").toISOString()).toBe(
      "2024-01-09T22:00:00.000Z",
    );
    const now = new Date("2024-05-07T12:00:00Z");
    expect(reportPeriod(now, 7 * 86_400_000).from.toISOString()).toBe("2024-04-30T21:00:00.000Z");
    expect(reportPeriod(now, 3_600_000).from.toISOString()).toBe("2024-05-07T11:00:00.000Z");
  });
});
