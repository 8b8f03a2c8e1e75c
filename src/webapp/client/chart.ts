/**
 * The report's charts with Vega-Lite (as the PNG report), drawn as SVG in the page. Vega's
 * expressions run in `vega-interpreter`, so no code is generated at run time and the page's CSP
 * needs no 'unsafe-eval'. Loaded only when the report is opened.
 */
import { parse, View } from "vega";
import { expressionInterpreter } from "vega-interpreter";
import { compile, type TopLevelSpec } from "vega-lite";
import { perDayChart } from "../../report/per-day-chart.js";
import type { WebReport } from "../api-types.js";
import { h } from "./dom.js";
import type { Texts } from "./i18n.js";

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function perDaySpec(report: WebReport, t: Texts, width: number): TopLevelSpec {
  return {
    width,
    height: 180,
    ...perDayChart(report.days, {
      day: (date) => date.slice(5).split("-").reverse().join("."),
      labels: { answered: t.answered, handedOff: t.handedOff, declined: t.declined },
      questions: t.questions,
      slantAfter: 10,
      tooltip: true,
      legend: { columns: 2 },
    }),
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
