/**
 * The "questions per day" chart as Vega-Lite, stacked by outcome: one spec for the PNG report
 * (`report/chart.ts`) and the Mini App page (`webapp/client/chart.ts`), which differ only in the
 * options below. Pure; type-only imports, so the page's bundle can use it.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Outcome, OutcomeCounts } from "./report-types.js";

/** A top-level single-view spec (vega-lite exports only the union). */
type UnitSpec = Extract<TopLevelSpec, { mark: unknown }>;

/** Stack order, bottom up. */
export const OUTCOME_ORDER = ["answered", "handedOff", "declined"] as const;

/** Bar colours by outcome. */
export const OUTCOME_COLORS: Record<Outcome, string> = {
  answered: "#2e7d32",
  handedOff: "#f9a825",
  declined: "#c62828",
};

/** Options of {@link perDayChart}. */
export interface PerDayChartOptions {
  /** A day's label on the x axis, from its `YYYY-MM-DD`. */
  day: (date: string) => string;
  /** The legend's name of each outcome. */
  labels: Record<Outcome, string>;
  /** Title of the y axis. */
  questions: string;
  /** Labels are slanted when there are more days than this. */
  slantAfter: number;
  tooltip: boolean;
  /** Legend settings beyond the position (bottom, horizontal). */
  legend?: Record<string, unknown>;
}

/** Data, mark and encoding of the chart; callers add size, title and config. */
export function perDayChart(
  days: readonly ({ date: string } & OutcomeCounts)[],
  options: PerDayChartOptions,
): Pick<UnitSpec, "data" | "mark" | "encoding"> {
  const values = days.flatMap((d, i) =>
    OUTCOME_ORDER.map((outcome, k) => ({
      day: options.day(d.date),
      i,
      label: options.labels[outcome],
      k,
      n: d[outcome],
    })),
  );
  return {
    data: { values },
    mark: { type: "bar", tooltip: options.tooltip },
    encoding: {
      x: {
        field: "day",
        type: "ordinal",
        sort: { field: "i" },
        title: null,
        axis: { labelAngle: days.length > options.slantAfter ? -45 : 0 },
      },
      y: {
        field: "n",
        type: "quantitative",
        aggregate: "sum",
        stack: "zero",
        title: options.questions,
        axis: { tickMinStep: 1, format: "d" },
      },
      color: {
        field: "label",
        type: "nominal",
        title: null,
        scale: {
          domain: OUTCOME_ORDER.map((o) => options.labels[o]),
          range: OUTCOME_ORDER.map((o) => OUTCOME_COLORS[o]),
        },
        legend: { orient: "bottom", direction: "horizontal", ...options.legend },
      },
      order: { field: "k", type: "quantitative" },
    },
  };
}
