import type { ChartOption } from "../../components/echart";
import type { Formatters } from "../../lib/use-formatters";
import { AXIS_LABEL, MRR_COLOR, SPLIT_LINE } from "../revenue/colors";
import type { BacktestResponse } from "./types";

const REFERENCE = { color: "#9ca3af", type: "dashed" as const, width: 1 };
const unitAxis = (name: string, fmt: Formatters, gap = 28) => ({
  type: "value" as const,
  min: 0,
  max: 1,
  name,
  nameLocation: "middle" as const,
  nameGap: gap,
  axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.percent(v, 0) },
  splitLine: SPLIT_LINE,
});

/** ROC curve of the chosen model on the test months, against the chance diagonal. */
export function rocOption(
  b: BacktestResponse,
  fmt: Formatters,
  names: { fpr: string; tpr: string; chance: string; model: string },
): ChartOption {
  return {
    animationDuration: 300,
    grid: { left: 32, right: 16, top: 32, bottom: 32, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: { trigger: "axis" },
    xAxis: unitAxis(names.fpr, fmt),
    yAxis: unitAxis(names.tpr, fmt, 40),
    series: [
      {
        type: "line",
        name: names.model,
        symbol: "none",
        lineStyle: { width: 2, color: MRR_COLOR },
        itemStyle: { color: MRR_COLOR },
        data: b.roc.map((p) => [p.fpr, p.tpr]),
      },
      {
        type: "line",
        name: names.chance,
        symbol: "none",
        lineStyle: REFERENCE,
        itemStyle: { color: "#9ca3af" },
        data: [
          [0, 0],
          [1, 1],
        ],
      },
    ],
  };
}

/** Cumulative lift at the top 10%, 20% … 100% of test rows by predicted probability. */
export function liftOption(b: BacktestResponse, fmt: Formatters, name: string): ChartOption {
  return {
    animationDuration: 300,
    grid: { left: 16, right: 16, top: 16, bottom: 16, containLabel: true },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? `×${fmt.number(v, 2)}` : String(v)),
    },
    xAxis: { type: "category", data: b.lift.map((l) => fmt.percent(l.share, 0)), axisLabel: AXIS_LABEL },
    yAxis: {
      type: "value",
      min: 0,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => `×${v}` },
      splitLine: SPLIT_LINE,
    },
    series: [{ type: "bar", name, itemStyle: { color: "#0d9488" }, data: b.lift.map((l) => l.lift) }],
  };
}

/** Observed positive rate against the mean predicted probability per bin, with the perfect diagonal. */
export function calibrationOption(
  b: BacktestResponse,
  fmt: Formatters,
  names: { predicted: string; observed: string; perfect: string },
): ChartOption {
  const points = b.calibration
    .filter((c) => c.meanPredicted !== null && c.observedRate !== null && c.count > 0)
    .map((c) => [c.meanPredicted as number, c.observedRate as number]);
  // Zoom to the predicted range, rounded up to a tenth so the axis reads 0-10-20… %.
  const top = Math.min(1, Math.ceil(Math.max(0.05, ...points.flat()) * 10) / 10);
  return {
    animationDuration: 300,
    grid: { left: 32, right: 16, top: 32, bottom: 32, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: { trigger: "axis" },
    xAxis: { ...unitAxis(names.predicted, fmt), max: top },
    yAxis: { ...unitAxis(names.observed, fmt, 40), max: top },
    series: [
      {
        type: "line",
        name: names.observed,
        symbolSize: 6,
        lineStyle: { width: 2, color: "#dc2626" },
        itemStyle: { color: "#dc2626" },
        data: points,
      },
      {
        type: "line",
        name: names.perfect,
        symbol: "none",
        lineStyle: REFERENCE,
        itemStyle: { color: "#9ca3af" },
        data: [
          [0, 0],
          [top, top],
        ],
      },
    ],
  };
}
