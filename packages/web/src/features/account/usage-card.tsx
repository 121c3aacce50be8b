import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { UsageSummary } from "../../api/account-types";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { useUsageSummary } from "../accounts/queries";
import { AXIS_LABEL, CUSTOMERS_COLOR, MRR_COLOR, SPLIT_LINE } from "../revenue/colors";
import { QuotaPaceChart } from "./quota-pace-chart";

function weeklyOption(
  summary: UsageSummary,
  fmt: Formatters,
  names: { users: string; events: string },
): ChartOption {
  return {
    animationDuration: 300,
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: { trigger: "axis" },
    xAxis: {
      type: "category",
      data: summary.weekly.map((w) => fmt.date(w.weekStart)),
      axisLabel: AXIS_LABEL,
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: [
      { type: "value", minInterval: 1, axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE },
      {
        type: "value",
        axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.compact(v) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: "bar",
        name: names.events,
        yAxisIndex: 1,
        itemStyle: { color: "rgba(13, 148, 136, 0.35)" },
        data: summary.weekly.map((w) => w.events),
      },
      {
        type: "line",
        name: names.users,
        yAxisIndex: 0,
        symbol: "none",
        lineStyle: { width: 2, color: MRR_COLOR },
        itemStyle: { color: MRR_COLOR },
        data: summary.weekly.map((w) => w.activeUsers),
      },
    ],
  };
}

function featuresOption(summary: UsageSummary, fmt: Formatters): ChartOption {
  const features = [...summary.keyFeatures].sort((a, b) => a.adoption - b.adoption);
  return {
    animationDuration: 300,
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? fmt.percent(v, 0) : String(v)),
    },
    xAxis: {
      type: "value",
      max: 1,
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.percent(v, 0) },
      splitLine: SPLIT_LINE,
    },
    yAxis: { type: "category", data: features.map((f) => f.event), axisLabel: AXIS_LABEL },
    series: [{ type: "bar", itemStyle: { color: CUSTOMERS_COLOR }, data: features.map((f) => f.adoption) }],
  };
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="mini-stat" data-testid={testId} data-value={value}>
      <div className="kpi-label">{label}</div>
      <div className="mini-stat-value">{value}</div>
    </div>
  );
}

/** Quota consumed against the entitlement, with the projected exhaustion date. */
function QuotaPace({ quota }: { quota: NonNullable<UsageSummary["quota"]> }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const share = quota.entitled > 0 ? quota.used / quota.entitled : 0;
  const early =
    quota.projectedExhaustion && quota.contractEnd && quota.projectedExhaustion < quota.contractEnd;
  return (
    <div className="quota" data-testid="quota-pace" data-value={share}>
      <div className="quota-line">
        <span className="kpi-label">{t("account.usage.quota")}</span>
        <span>
          {fmt.compact(quota.used)} / {fmt.compact(quota.entitled)} ({fmt.percent(share, 0)})
        </span>
      </div>
      <div className="progress" aria-hidden="true">
        <div
          className={early ? "progress-bar progress-warn" : "progress-bar"}
          style={{ width: `${Math.min(100, share * 100)}%` }}
        />
      </div>
      <div className="muted small">
        {quota.projectedExhaustion
          ? t("account.usage.exhaustion", { date: fmt.date(quota.projectedExhaustion) })
          : t("account.usage.noExhaustion")}
        {quota.contractEnd
          ? ` · ${t("account.usage.contractEnd", { date: fmt.date(quota.contractEnd) })}`
          : ""}
      </div>
    </div>
  );
}

/** Active users and key events by week, key feature adoption, seats and quota pace (one chart per allowance). */
export function UsageCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const query = useUsageSummary(accountId);
  const summary = query.data;
  const weekly = useMemo(
    () =>
      summary
        ? weeklyOption(summary, fmt, {
            users: t("account.usage.activeUsers"),
            events: t("account.usage.events"),
          })
        : null,
    [summary, fmt, t],
  );
  const features = useMemo(() => (summary ? featuresOption(summary, fmt) : null), [summary, fmt]);
  return (
    <Card title={t("account.usage.title")} testId="account-usage">
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!summary ? (
        query.isPending ? (
          <ChartSkeleton height={220} />
        ) : null
      ) : summary.weekly.length === 0 && summary.mau === 0 ? (
        <EmptyState>{t("account.usage.empty")}</EmptyState>
      ) : (
        <div className="stack">
          <div className="mini-stats">
            <Stat label={t("account.usage.dau")} value={fmt.number(summary.dau)} testId="usage-dau" />
            <Stat label={t("account.usage.wau")} value={fmt.number(summary.wau)} testId="usage-wau" />
            <Stat label={t("account.usage.mau")} value={fmt.number(summary.mau)} testId="usage-mau" />
            <Stat
              label={t("account.usage.seats")}
              value={
                summary.seats
                  ? `${fmt.number(summary.seats.used)} / ${fmt.number(summary.seats.licensed)}`
                  : fmt.missing
              }
              testId="usage-seats"
            />
            <Stat
              label={t("account.usage.departments")}
              value={fmt.number(summary.activeDepartments)}
              testId="usage-departments"
            />
          </div>
          <div className="two-columns">
            {weekly ? (
              <EChart
                option={weekly}
                height={220}
                testId="usage-weekly-chart"
                ariaLabel={t("account.usage.title")}
              />
            ) : null}
            <div className="stack">
              {features && summary.keyFeatures.length > 0 ? (
                <EChart
                  option={features}
                  height={Math.max(120, summary.keyFeatures.length * 28 + 24)}
                  testId="usage-features-chart"
                  ariaLabel={t("account.usage.features")}
                />
              ) : null}
              {summary.quota ? <QuotaPace quota={summary.quota} /> : null}
            </div>
          </div>
          {summary.quotas.map((q) => (
            <QuotaPaceChart key={q.entitlementId} quota={q} />
          ))}
        </div>
      )}
    </Card>
  );
}
