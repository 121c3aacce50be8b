import type { ChartOption } from "../../components/echart";
import type { Formatters } from "../../lib/use-formatters";
import { AXIS_LABEL, MRR_COLOR, SPLIT_LINE } from "../revenue/colors";
import type { RenewalBacktestResponse } from "./types";

const REFERENCE = { color: "#9ca3af", type: "dashed" as const, width: 1 };

/**
 * Renewal calibration: the share of ARR that renewed against the forecast probability, per decile of
 * the forecast (the backtest's four quarters together), with the perfect diagonal. The point size
 * follows the ARR in the bin, so a bin of three small accounts does not read like one of 300.
 */
export function renewalCalibrationOption(
  b: RenewalBacktestResponse,
  fmt: Formatters,
  names: { forecast: string; observed: string; perfect: string; arr: string },
): ChartOption {
  const maxArr = Math.max(1, ...b.calibration.map((c) => c.arr));
  const axis = (name: string, gap: number) => ({
    type: "value" as const,
    min: 0,
    max: 1,
    name,
    nameLocation: "middle" as const,
    nameGap: gap,
    axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.percent(v, 0) },
    splitLine: SPLIT_LINE,
  });
  return {
    animationDuration: 300,
    grid: { left: 32, right: 16, top: 32, bottom: 32, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const d = (p as { data?: unknown }).data;
        if (!Array.isArray(d) || d.length < 3) return "";
        const [f, o, arr] = d as [number, number, number];
        return `${names.forecast}: ${fmt.percent(f, 1)}<br/>${names.observed}: ${fmt.percent(o, 1)}<br/>${names.arr}: ${fmt.currency(arr)}`;
      },
    },
    xAxis: axis(names.forecast, 28),
    yAxis: axis(names.observed, 40),
    series: [
      {
        type: "line",
        lineStyle: { width: 1, color: MRR_COLOR },
        name: names.observed,
        itemStyle: { color: MRR_COLOR },
        symbolSize: (d: number[]) => 6 + 18 * Math.sqrt((d[2] ?? 0) / maxArr),
        data: b.calibration.map((c) => [c.forecast, c.observed, c.arr]),
      },
      {
        type: "line",
        name: names.perfect,
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
