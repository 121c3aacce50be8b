import type { ChartOption } from "../../components/echart";
import type { Formatters } from "../../lib/use-formatters";
import { AXIS_LABEL, MRR_COLOR, SPLIT_LINE } from "../revenue/colors";
import type { ChurnReasonAnalysis, RenewalCalendar } from "./types";

const RED = "#dc2626";
const EXPECTED = "#16a34a";
const MANAGEABLE = "#2563eb";
const UNMANAGEABLE = "#9ca3af";

/** ARR up for renewal per month, the part in the red band, and the forecast's expected ARR. */
export function calendarOption(
  cal: RenewalCalendar,
  fmt: Formatters,
  names: { arr: string; red: string; expected: string },
): ChartOption {
  const months = cal.byMonth.map((m) => m.key);
  return {
    animationDuration: 300,
    grid: { left: 16, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: { trigger: "axis", valueFormatter: (v: unknown) => fmt.currency(Number(v)) },
    xAxis: { type: "category", data: months.map((m) => fmt.monthShort(m)), axisLabel: AXIS_LABEL },
    yAxis: {
      type: "value",
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.currencyCompact(v) },
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        name: names.arr,
        type: "bar",
        data: cal.byMonth.map((m) => m.arr - m.redArr),
        stack: "arr",
        itemStyle: { color: MRR_COLOR },
      },
      {
        name: names.red,
        type: "bar",
        data: cal.byMonth.map((m) => m.redArr),
        stack: "arr",
        itemStyle: { color: RED },
      },
      {
        name: names.expected,
        type: "line",
        data: cal.byMonth.map((m) => m.expectedArr),
        itemStyle: { color: EXPECTED },
      },
    ],
  };
}

/** Lost ARR by churn reason, manageable reasons in blue, the rest grey. */
export function churnReasonsOption(
  a: ChurnReasonAnalysis,
  fmt: Formatters,
  label: (r: ChurnReasonAnalysis["reasons"][number]) => string,
  names: { lostArr: string; churns: string },
): ChartOption {
  const rows = [...a.reasons].sort((x, y) => x.lostArr - y.lostArr);
  return {
    animationDuration: 300,
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const r = rows[(p as { dataIndex: number }).dataIndex];
        return r === undefined
          ? ""
          : `${label(r)}<br/>${names.lostArr}: ${fmt.currency(r.lostArr)}<br/>${names.churns}: ${fmt.number(r.count)}`;
      },
    },
    xAxis: {
      type: "value",
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.currencyCompact(v) },
      splitLine: SPLIT_LINE,
    },
    yAxis: {
      type: "category",
      data: rows.map(label),
      axisLabel: { ...AXIS_LABEL, width: 160, overflow: "break" },
    },
    series: [
      {
        name: names.lostArr,
        type: "bar",
        data: rows.map((r) => ({
          value: r.lostArr,
          itemStyle: { color: r.manageable ? MANAGEABLE : UNMANAGEABLE },
        })),
      },
    ],
  };
}
