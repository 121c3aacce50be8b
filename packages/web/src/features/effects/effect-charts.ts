import type { ChartOption } from "../../components/echart";
import type { Formatters } from "../../lib/use-formatters";
import { AXIS_LABEL, SPLIT_LINE } from "../revenue/colors";
import { type PlaybookEffect, type Verdict, verdictOf } from "./effects-api";

export const VERDICT_COLORS: Record<Verdict, string> = {
  works: "#16a34a",
  harms: "#dc2626",
  unclear: "#6b7280",
  none: "#9ca3af",
};

/** An estimate in percent of the control group's mean, so playbooks of different metrics share an axis. */
export interface RelativeInterval {
  label: string;
  effect: number;
  low: number;
  high: number;
  verdict: Verdict;
}

/** The relative effect and interval of each estimated version (those with a control mean ≠ 0). */
export function relativeIntervals(rows: readonly PlaybookEffect[], label: (r: PlaybookEffect) => string) {
  const out: RelativeInterval[] = [];
  for (const r of rows) {
    if (r.effect === null || r.ciLow === null || r.ciHigh === null || !r.controlMean) continue;
    // The interval scales by the same constant as the effect: exact, not an approximation.
    const base = Math.abs(r.controlMean);
    out.push({
      label: label(r),
      effect: r.effect / base,
      low: r.ciLow / base,
      high: r.ciHigh / base,
      verdict: verdictOf(r),
    });
  }
  return out;
}

/**
 * Effect with its 95% interval per playbook and version: a horizontal segment from the low to the high
 * end, a dot at the estimate, and a dashed line at 0 (no effect). Green: the interval is on the side
 * the playbook wants; red: on the other side; grey: it includes 0.
 */
export function effectIntervalsOption(
  items: readonly RelativeInterval[],
  fmt: Formatters,
  names: { effect: string; interval: string; axis: string },
): ChartOption {
  const labels = items.map((i) => i.label);
  const intervals = items.map((i, k) => ({
    type: "line" as const,
    name: names.interval,
    symbol: "none",
    silent: true,
    lineStyle: { width: 3, color: VERDICT_COLORS[i.verdict] },
    data: [
      [i.low, k],
      [i.high, k],
    ],
  }));
  return {
    animationDuration: 300,
    grid: { left: 8, right: 24, top: 16, bottom: 32, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const k = ((p as { data?: unknown }).data as number[] | undefined)?.[1];
        const i = k === undefined ? undefined : items[k];
        if (!i) return "";
        return `${i.label}<br/>${names.effect}: ${fmt.percent(i.effect, 1)}<br/>${names.interval}: ${fmt.percent(i.low, 1)} – ${fmt.percent(i.high, 1)}`;
      },
    },
    xAxis: {
      type: "value",
      name: names.axis,
      nameLocation: "middle",
      nameGap: 24,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.percent(v, 0) },
      splitLine: SPLIT_LINE,
    },
    // A value axis over row indexes (−1 and n pad the ends), so the zero line can span every row.
    yAxis: {
      type: "value",
      min: -1,
      max: items.length,
      interval: 1,
      inverse: true,
      splitLine: { show: false },
      axisLabel: {
        ...AXIS_LABEL,
        width: 220,
        overflow: "truncate",
        formatter: (v: number) => labels[v] ?? "",
      },
    },
    series: [
      ...intervals,
      {
        type: "line",
        name: names.effect,
        symbol: "circle",
        symbolSize: 10,
        lineStyle: { width: 0 },
        data: items.map((i, k) => ({
          value: [i.effect, k],
          itemStyle: { color: VERDICT_COLORS[i.verdict] },
        })),
      },
      {
        type: "line",
        name: "0",
        symbol: "none",
        silent: true,
        lineStyle: { color: "#111827", type: "dashed", width: 1 },
        data: [
          [0, -1],
          [0, items.length],
        ],
      },
    ],
  };
}
