import type { UseQueryResult } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { MetricsResponse } from "../../api/types";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { ChartSkeleton } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL, CUSTOMERS_COLOR, MRR_COLOR, SPLIT_LINE } from "./colors";
import { type MonthToDate, monthAxisLabels, monthTitle, splitMonthToDate } from "./month-to-date";

function buildOption(
  data: MetricsResponse,
  fmt: Formatters,
  names: { mrr: string; customers: string },
  mtd: MonthToDate,
): ChartOption {
  const months = data.months.map((m) => m.month);
  const mrr = splitMonthToDate(
    data.months.map((m) => m.mrr),
    months,
    mtd,
  );
  const customers = splitMonthToDate(
    data.months.map((m) => m.customers),
    months,
    mtd,
  );
  // The running month's segment is dashed: a snapshot at today, not at month end.
  const partial = (id: string, yAxisIndex: number, color: string, values: (number | null)[]) =>
    ({
      id: `${id}-mtd`,
      name: id === "mrr" ? names.mrr : names.customers,
      type: "line",
      yAxisIndex,
      symbol: "circle",
      symbolSize: 5,
      itemStyle: { color },
      lineStyle: { width: 2, type: "dotted" },
      tooltip: { show: false },
      data: values,
    }) as const;
  return {
    animationDuration: 300,
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { color: "#374151" } },
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const list = (Array.isArray(params) ? params : [params]).filter(
          (p) => !String(p.seriesId ?? "").endsWith("-mtd"),
        );
        const index = list[0]?.dataIndex ?? 0;
        const row = data.months[index];
        if (!row) return "";
        return [
          monthTitle(row.month, fmt, mtd),
          `${list[0]?.marker ?? ""}${names.mrr}: <b>${fmt.currency(row.mrr)}</b>`,
          `${list[1]?.marker ?? ""}${names.customers}: <b>${fmt.number(row.customers)}</b>`,
        ].join("<br/>");
      },
    },
    xAxis: {
      type: "category",
      data: monthAxisLabels(months, fmt, mtd),
      boundaryGap: false,
      axisLabel: { ...AXIS_LABEL, showMaxLabel: true, alignMaxLabel: "right" },
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: [
      {
        type: "value",
        name: names.mrr,
        nameTextStyle: AXIS_LABEL,
        axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.currencyCompact(v) },
        splitLine: SPLIT_LINE,
      },
      {
        type: "value",
        name: names.customers,
        nameTextStyle: AXIS_LABEL,
        minInterval: 1,
        axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.compact(v) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        id: "mrr",
        name: names.mrr,
        type: "line",
        yAxisIndex: 0,
        symbol: "none",
        smooth: false,
        itemStyle: { color: MRR_COLOR },
        lineStyle: { width: 2.5 },
        areaStyle: { color: "rgba(30, 64, 175, 0.08)" },
        data: mrr.complete,
      },
      {
        id: "customers",
        name: names.customers,
        type: "line",
        yAxisIndex: 1,
        symbol: "none",
        itemStyle: { color: CUSTOMERS_COLOR },
        lineStyle: { width: 2, type: "dashed" },
        data: customers.complete,
      },
      ...(mrr.partial.length > 0
        ? [
            partial("mrr", 0, MRR_COLOR, mrr.partial),
            partial("customers", 1, CUSTOMERS_COLOR, customers.partial),
          ]
        : []),
    ],
  };
}

/** MRR line with paying customers on a second axis. */
export function MrrTrendCard({ query }: { query: UseQueryResult<MetricsResponse> }) {
  const { t } = useTranslation();
  const fmt = useFormatters(query.data?.currency);
  const data = query.data;
  const option = useMemo(
    () =>
      data
        ? buildOption(
            data,
            fmt,
            { mrr: t("trend.mrr"), customers: t("trend.customers") },
            { month: data.monthToDate, short: t("revenue.mtdShort"), long: t("revenue.mtdLong") },
          )
        : null,
    [data, fmt, t],
  );
  return (
    <Card title={t("trend.title")} subtitle={t("trend.subtitle")} testId="mrr-trend">
      {option ? (
        <EChart option={option} height={280} testId="mrr-trend-chart" ariaLabel={t("trend.title")} />
      ) : (
        <ChartSkeleton height={280} />
      )}
    </Card>
  );
}
