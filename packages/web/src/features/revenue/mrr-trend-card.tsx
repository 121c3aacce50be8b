import type { UseQueryResult } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { MetricsResponse } from "../../api/types";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { ChartSkeleton } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL, CUSTOMERS_COLOR, MRR_COLOR, SPLIT_LINE } from "./colors";

function buildOption(
  data: MetricsResponse,
  fmt: Formatters,
  names: { mrr: string; customers: string },
): ChartOption {
  const months = data.months.map((m) => m.month);
  return {
    animationDuration: 300,
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { color: "#374151" } },
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const index = list[0]?.dataIndex ?? 0;
        const row = data.months[index];
        if (!row) return "";
        return [
          fmt.month(row.month),
          `${list[0]?.marker ?? ""}${names.mrr}: <b>${fmt.currency(row.mrr)}</b>`,
          `${list[1]?.marker ?? ""}${names.customers}: <b>${fmt.number(row.customers)}</b>`,
        ].join("<br/>");
      },
    },
    xAxis: {
      type: "category",
      data: months.map(fmt.monthShort),
      boundaryGap: false,
      axisLabel: AXIS_LABEL,
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
        data: data.months.map((m) => m.mrr),
      },
      {
        id: "customers",
        name: names.customers,
        type: "line",
        yAxisIndex: 1,
        symbol: "none",
        itemStyle: { color: CUSTOMERS_COLOR },
        lineStyle: { width: 2, type: "dashed" },
        data: data.months.map((m) => m.customers),
      },
    ],
  };
}

/** MRR line with paying customers on a second axis. */
export function MrrTrendCard({ query }: { query: UseQueryResult<MetricsResponse> }) {
  const { t } = useTranslation();
  const fmt = useFormatters(query.data?.currency);
  const data = query.data;
  const option = useMemo(
    () => (data ? buildOption(data, fmt, { mrr: t("trend.mrr"), customers: t("trend.customers") }) : null),
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
