/**
 * The report's chart: questions per day, stacked by outcome (answered / handed off / declined).
 * A Vega-Lite spec is compiled and rendered to SVG headless by Vega, and the SVG to PNG by resvg
 * with a bundled font (DejaVu Sans, which has every Latvian letter).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { reportLabels } from "./format.js";
import { perDayChart } from "./per-day-chart.js";
import type { UsageReport } from "./summary.js";

/** Options of {@link renderReportChart}. */
export interface ReportChartOptions {
  lang?: "lv" | "en";
  /** Width of the plot area in CSS pixels. Default: 36 per day, at least 360, at most 900. */
  width?: number;
  /** Height of the plot area in CSS pixels. Default 220. */
  height?: number;
  /** Pixel density of the PNG. Default 2. */
  scale?: number;
  /** Font file for the labels. Default: DejaVu Sans from `dejavu-fonts-ttf`, else system fonts. */
  fontFile?: string;
}

function shortDate(date: string, lang: "lv" | "en"): string {
  const [, m, d] = date.split("-");
  return lang === "lv" ? `${d}.${m}.` : `${m}-${d}`;
}

/** The Vega-Lite spec of the chart. */
export function reportChartSpec(
  report: UsageReport,
  options: ReportChartOptions = {},
): TopLevelSpec {
  const lang = options.lang ?? "lv";
  const labels = reportLabels(lang);
  const width = options.width ?? Math.min(900, Math.max(360, report.days.length * 36));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width,
    height: options.height ?? 220,
    background: "white",
    padding: 12,
    title: {
      text: labels.chartTitle,
      subtitle: labels.period(report),
      anchor: "start",
      fontSize: 15,
      subtitleFontSize: 11,
    },
    ...perDayChart(report.days, {
      day: (date) => shortDate(date, lang),
      labels,
      questions: labels.questions,
      slantAfter: 14,
      tooltip: false,
      legend: { labelLimit: 320 },
    }),
    config: {
      font: "DejaVu Sans",
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFontSize: 12 },
    },
  };
}

function defaultFont(): string | undefined {
  try {
    const path = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Renders the chart as SVG (no browser, no canvas). */
export async function renderReportSvg(
  report: UsageReport,
  options: ReportChartOptions = {},
): Promise<string> {
  const view = new View(parse(compile(reportChartSpec(report, options)).spec), {
    renderer: "none",
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders the chart as a PNG image. */
export async function renderReportPng(
  report: UsageReport,
  options: ReportChartOptions = {},
): Promise<Buffer> {
  const svg = await renderReportSvg(report, options);
  const fontFile = options.fontFile ?? defaultFont();
  const png = new Resvg(svg, {
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    background: "white",
    font: fontFile
      ? { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" }
      : { loadSystemFonts: true },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
