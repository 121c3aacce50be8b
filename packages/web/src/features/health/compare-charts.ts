import type { Band, SegmentComparison } from "../../api/account-types";
import type { ChartOption } from "../../components/echart";
import type { Formatters } from "../../lib/use-formatters";
import { BAND_COLORS } from "../accounts/health-badges";
import { AXIS_LABEL, SPLIT_LINE } from "../revenue/colors";

const BAND_ORDER: readonly Band[] = ["red", "yellow", "green", "none"];

/** Share of each segment's accounts per band, as 100% stacked horizontal bars. */
export function bandsOption(
  segments: readonly SegmentComparison[],
  label: (segment: SegmentComparison) => string,
  bandName: (band: Band) => string,
  fmt: Formatters,
): ChartOption {
  const rows = [...segments].reverse(); // worst segment on top
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (v) => (typeof v === "number" ? fmt.percent(v, 0) : String(v)),
    },
    xAxis: {
      type: "value",
      max: 1,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.percent(v, 0) },
      splitLine: SPLIT_LINE,
    },
    yAxis: { type: "category", data: rows.map(label), axisLabel: AXIS_LABEL },
    series: BAND_ORDER.map((band) => ({
      type: "bar",
      name: bandName(band),
      stack: "bands",
      itemStyle: { color: BAND_COLORS[band] },
      data: rows.map((s) => (s.accounts === 0 ? 0 : s.bands[band] / s.accounts)),
    })),
  };
}

/** Mean score per measure (rows) and segment (columns), red (0) to green (100). */
export function heatmapOption(
  segments: readonly SegmentComparison[],
  label: (segment: SegmentComparison) => string,
  rows: readonly { key: string; label: string; kind: "dimension" | "measure" }[],
  fmt: Formatters,
): ChartOption {
  const data: [number, number, number | "-"][] = [];
  rows.forEach((row, y) => {
    segments.forEach((segment, x) => {
      const list = row.kind === "dimension" ? segment.dimensions : segment.measures;
      const mean = list.find((m) => m.key === row.key)?.mean ?? null;
      data.push([x, y, mean === null ? "-" : mean]);
    });
  });
  return {
    animationDuration: 300,
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const value = p?.value as [number, number, number | "-"] | undefined;
        if (!value) return "";
        const segment = segments[value[0]];
        const row = rows[value[1]];
        const score = value[2] === "-" ? fmt.missing : fmt.number(value[2], 1);
        return `${row?.label ?? ""}<br/>${segment ? label(segment) : ""}: <b>${score}</b>`;
      },
    },
    xAxis: {
      type: "category",
      data: segments.map(label),
      axisLabel: { ...AXIS_LABEL, rotate: 30 },
      splitArea: { show: true },
    },
    yAxis: {
      type: "category",
      data: rows.map((r) => (r.kind === "dimension" ? `▸ ${r.label}` : r.label)),
      inverse: true,
      axisLabel: AXIS_LABEL,
    },
    visualMap: {
      min: 0,
      max: 100,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#dc2626", "#f59e0b", "#16a34a"] },
      textStyle: { color: "#6b7280", fontSize: 11 },
    },
    series: [
      {
        type: "heatmap",
        data,
        label: {
          show: true,
          fontSize: 10,
          formatter: (p) =>
            Array.isArray(p.value) && typeof p.value[2] === "number" ? fmt.number(p.value[2], 0) : "",
        },
      },
    ],
  };
}
