import { useTranslation } from "react-i18next";
import type { MonthMetrics } from "../../api/types";
import { EmptyState, ErrorBanner } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { BundlesCard } from "./bundles-card";
import { CohortsCard } from "./cohorts-card";
import { FilterBar } from "./filter-bar";
import { KpiTiles } from "./kpi-tiles";
import { MovementsCard } from "./movements-card";
import { MrrTrendCard } from "./mrr-trend-card";
import { useKpis, useMetrics } from "./queries";
import type { RevenueSearch } from "./search";
import { UnitEconomicsCard } from "./unit-economics-card";
import { WhatIfCard } from "./what-if-card";

interface RevenuePageProps {
  search: RevenueSearch;
  onSearchChange: (patch: Partial<RevenueSearch>) => void;
}

function hasRevenue(months: readonly MonthMetrics[]): boolean {
  return months.some((m) => m.mrr !== 0 || m.customers !== 0 || m.netMovement !== 0);
}

/** The revenue dashboard: KPIs, movements, trend, cohorts, unit economics, bundles and what-if. */
export function RevenuePage({ search, onSearchChange }: RevenuePageProps) {
  const { t } = useTranslation();
  const metrics = useMetrics(search);
  const kpis = useKpis(search);
  const fmt = useFormatters();
  const months = metrics.data?.months ?? [];
  const first = months[0];
  const last = months[months.length - 1];
  const shownRange = first && last ? { from: first.month, to: last.month } : undefined;
  const empty = metrics.isSuccess && !hasRevenue(months);

  let emptyMessage = (
    <p>
      {t("states.empty")} <code>{t("states.emptyCommand")}</code>
    </p>
  );
  if (search.segment) emptyMessage = <p>{t("states.emptySegment")}</p>;
  else if (search.from || search.to) emptyMessage = <p>{t("states.noData")}</p>;

  return (
    <div className="page" data-testid="revenue-page">
      <div className="page-header">
        <h1 className="page-title">{t("revenue.title")}</h1>
        {kpis.data ? (
          <span className="muted" data-testid="revenue-period">
            {kpis.data.partial
              ? t("revenue.partialMonth", { month: fmt.month(kpis.data.month) })
              : t("revenue.lastComplete", { month: fmt.month(kpis.data.month) })}
            {!kpis.data.partial && kpis.data.monthToDate && kpis.data.monthToDate > kpis.data.month
              ? ` · ${t("revenue.runningMonth", { month: fmt.month(kpis.data.monthToDate) })}`
              : null}
          </span>
        ) : null}
      </div>
      <FilterBar search={search} shownRange={shownRange} onChange={onSearchChange} />
      {metrics.isError ? <ErrorBanner error={metrics.error} onRetry={() => void metrics.refetch()} /> : null}
      {empty ? (
        <EmptyState testId="revenue-empty">{emptyMessage}</EmptyState>
      ) : (
        <>
          <KpiTiles query={kpis} />
          <MovementsCard query={metrics} segment={search.segment} period={search} />
          <MrrTrendCard query={metrics} />
          <CohortsCard search={search} />
          <UnitEconomicsCard search={search} />
          <BundlesCard segment={search.segment} />
          <WhatIfCard segment={search.segment} monthToDate={kpis.data?.monthToDate ?? null} />
        </>
      )}
    </div>
  );
}
