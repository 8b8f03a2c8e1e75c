/**
 * The report's charts with Vega-Lite (as the PNG report), drawn as SVG in the page. Vega's
 * expressions run in `vega-interpreter`, so no code is generated at run time and the page's CSP
 * needs no 'unsafe-eval'. Loaded only when the report is opened.
 */
import { parse, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { compile, type TopLevelSpec } from "vega-lite";
import type { WebReport } from "../api-types.js";
import { h } from "./dom.js";
import type { Texts } from "./i18n.js";

const COLORS = ["#2e7d32", "#f9a825", "#c62828"];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function perDaySpec(report: WebReport, t: Texts, width: number): TopLevelSpec {
  const order = [
    ["answered", t.answered],
    ["handedOff", t.handedOff],
    ["declined", t.declined],
  ] as const;
  const values = report.days.flatMap((d, i) =>
    order.map(([key, label], k) => ({
      day: d.date.slice(5).split("-").reverse().join("."),
      i,
      label,
      k,
      n: d[key],
    })),
  );
  return {
    width,
    height: 180,
    data: { values },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: {
        field: "day",
        type: "ordinal",
        sort: { field: "i" },
        title: null,
        axis: { labelAngle: report.days.length > 10 ? -45 : 0 },
      },
      y: {
        field: "n",
        type: "quantitative",
        aggregate: "sum",
        stack: "zero",
        title: t.questions,
        axis: { tickMinStep: 1, format: "d" },
      },
      color: {
        field: "label",
        type: "nominal",
        title: null,
        scale: { domain: order.map(([, l]) => l), range: COLORS },
        legend: { orient: "bottom", direction: "horizontal", columns: 2 },
      },
      order: { field: "k", type: "quantitative" },
    },
  };
}

function topicsSpec(report: WebReport, t: Texts, width: number): TopLevelSpec {
  return {
    width,
    height: { step: 20 },
    title: { text: t.topics, anchor: "start" },
    data: { values: report.topics },
    mark: { type: "bar", tooltip: true, color: cssVar("--tg-theme-button-color", "#2481cc") },
    encoding: {
      y: { field: "label", type: "nominal", sort: "-x", title: null },
      x: {
        field: "count",
        type: "quantitative",
        title: t.questions,
        axis: { tickMinStep: 1, format: "d" },
      },
    },
  };
}

async function draw(el: HTMLElement, spec: TopLevelSpec): Promise<void> {
  const text = cssVar("--tg-theme-text-color", "#222");
  const themed: TopLevelSpec = {
    ...spec,
    background: "transparent",
    config: {
      view: { stroke: null },
      axis: {
        labelColor: text,
        titleColor: text,
        gridColor: cssVar("--tg-theme-section-separator-color", "#ddd"),
      },
      legend: { labelColor: text },
      title: { color: text },
    },
  } as TopLevelSpec;
  const runtime = parse(compile(themed).spec, undefined, { ast: true });
  const view = new View(runtime, {
    expr: expressionInterpreter,
    renderer: "svg",
    container: el,
    hover: true,
  });
  await view.runAsync();
}

/** Draws questions per day and the topics into `root`. */
export async function renderCharts(root: HTMLElement, report: WebReport, t: Texts): Promise<void> {
  const width = Math.max(240, Math.min(640, root.clientWidth || 320) - 70);
  const perDay = h("figure", { class: "chart", "data-chart": "per-day" });
  const topics = h("figure", { class: "chart", "data-chart": "topics" });
  root.replaceChildren(perDay, ...(report.topics.length ? [topics] : []));
  await draw(perDay, perDaySpec(report, t, width));
  if (report.topics.length) await draw(topics, topicsSpec(report, t, width - 60));
}
