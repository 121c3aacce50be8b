import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { QuotaPace } from "../../api/account-types";
import { type ChartOption, EChart } from "../../components/echart";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL, MRR_COLOR, SPLIT_LINE } from "../revenue/colors";

const WARN = "#dc2626";
const LIMIT = "#6b7280";

interface Names {
  consumed: string;
  projected: string;
  entitlement: string;
  contractEnd: string;
  runsOut: string;
}

const DAY_MS = 86_400_000;
const shift = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Cumulative consumption against the entitlement over the term: actual use, the straight-line
 * projection at the current run rate, the entitlement as a flat line, the contract end as a vertical
 * line and the day it runs out as a marked point (drawn as series: no extra ECharts components).
 */
function quotaOption(q: QuotaPace, fmt: Formatters, names: Names): ChartOption {
  const last = q.cumulative.at(-1);
  const top = Math.max(q.entitled, q.consumed, q.projectedAtEnd ?? 0) * 1.08;
  const endDay = shift(q.periodEnd, -1);
  // A little room after the end, so the contract-end line and its label are not on the frame.
  const axisEnd = shift(q.periodEnd, Math.ceil(q.termDays * 0.04));
  const early = q.status === "exhausts_early" || q.status === "exhausted";
  const projection =
    last && q.projectedAtEnd !== null && q.daysLeft > 0
      ? [
          [last.date, last.total],
          [endDay, Math.round(q.projectedAtEnd)],
        ]
      : [];
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? fmt.number(v) : String(v)),
    },
    xAxis: {
      type: "time",
      min: q.periodStart,
      max: axisEnd,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.date(new Date(v).toISOString()) },
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: {
      type: "value",
      max: Math.ceil(top),
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.compact(v) },
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        type: "line",
        name: names.consumed,
        symbol: "none",
        lineStyle: { width: 2, color: MRR_COLOR },
        itemStyle: { color: MRR_COLOR },
        areaStyle: { color: "rgba(30, 64, 175, 0.08)" },
        data: q.cumulative.map((c) => [c.date, c.total]),
      },
      {
        type: "line",
        name: names.projected,
        symbol: "none",
        lineStyle: { width: 2, type: "dashed", color: early ? WARN : MRR_COLOR },
        itemStyle: { color: early ? WARN : MRR_COLOR },
        data: projection,
      },
      {
        type: "line",
        name: names.entitlement,
        symbol: "none",
        lineStyle: { width: 1.5, color: LIMIT },
        itemStyle: { color: LIMIT },
        data: [
          [q.periodStart, q.entitled],
          [endDay, q.entitled],
        ],
      },
      {
        type: "line",
        name: names.contractEnd,
        symbol: "none",
        lineStyle: { width: 1, type: "dotted", color: LIMIT },
        itemStyle: { color: LIMIT },
        tooltip: { show: false },
        data: [
          [endDay, 0],
          {
            value: [endDay, Math.ceil(top * 0.97)],
            label: { show: true, position: "left", formatter: names.contractEnd, color: LIMIT },
          },
        ],
      },
      ...(early && q.exhaustionDate
        ? [
            {
              type: "line" as const,
              name: names.runsOut,
              symbol: "diamond",
              symbolSize: 12,
              itemStyle: { color: WARN },
              lineStyle: { width: 0 },
              label: { show: true, position: "top" as const, formatter: names.runsOut, color: WARN },
              data: [[q.exhaustionDate, q.entitled]],
            },
          ]
        : []),
    ],
  };
}

/** The quota pace chart of one allowance, with its figures as data attributes for tests and tooling. */
export function QuotaPaceChart({ quota }: { quota: QuotaPace }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const option = useMemo(
    () =>
      quotaOption(quota, fmt, {
        consumed: t("account.usage.quotaConsumed"),
        projected: t("account.usage.quotaProjected"),
        entitlement: t("account.usage.quotaEntitlement"),
        contractEnd: t("account.usage.quotaContractEnd"),
        runsOut: quota.exhaustionDate
          ? t("account.usage.quotaRunsOut", { date: fmt.date(quota.exhaustionDate) })
          : "",
      }),
    [quota, fmt, t],
  );
  const metric = quota.metric === "*" ? t("account.usage.quotaAllEvents") : quota.metric;
  return (
    <div
      className="stack"
      data-testid="quota-pace-chart"
      data-status={quota.status}
      data-used-ratio={quota.usedRatio}
      data-exhaustion={quota.exhaustionDate ?? ""}
      data-contract-end={quota.periodEnd}
    >
      <div className="quota-line">
        <span className="kpi-label">{t("account.usage.quotaChart", { metric })}</span>
        <span className="muted small" data-testid="quota-status">
          {t(`account.usage.quotaStatus.${quota.status}`)}
          {quota.dailyRunRate !== null && quota.status !== "not_started"
            ? ` · ${t("account.usage.quotaRunRate", { rate: fmt.number(quota.dailyRunRate, 1) })}`
            : ""}
        </span>
      </div>
      <EChart option={option} height={200} ariaLabel={t("account.usage.quotaChart", { metric })} />
    </div>
  );
}
