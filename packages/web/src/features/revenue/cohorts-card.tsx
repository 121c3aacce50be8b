import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CohortsResponse } from "../../api/types";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { addMonths } from "../../lib/months";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL } from "./colors";
import { useCohorts } from "./queries";
import type { RevenueSearch } from "./search";

type CohortMode = "logo" | "revenue";
const MODES: readonly CohortMode[] = ["logo", "revenue"];

interface Labels {
  age: (age: number) => string;
  tooltip: (cohort: string, age: number) => string;
  size: (count: number) => string;
  /** Short and long month-to-date tags. */
  mtdShort: string;
  mtdLong: string;
}

function buildOption(data: CohortsResponse, mode: CohortMode, fmt: Formatters, labels: Labels): ChartOption {
  const ages = Array.from({ length: data.maxAge + 1 }, (_, age) => age);
  const cells: [number, number, number][] = [];
  let max = 1;
  data.cohorts.forEach((row, y) => {
    row[mode].forEach((value, x) => {
      if (value === null || value === undefined) return;
      cells.push([x, y, value]);
      max = Math.max(max, value);
    });
  });
  const dense = ages.length > 18 || data.cohorts.length > 24;
  const running = data.monthToDate ?? null;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const value = p?.value;
        if (!Array.isArray(value)) return "";
        const [x, y, v] = value as number[];
        const row = data.cohorts[y ?? 0];
        if (!row) return "";
        // A cell in the running month is month to date: churn and expansion so far only.
        const partial =
          running !== null && addMonths(row.cohort, x ?? 0) === running ? ` (${labels.mtdLong})` : "";
        return `${labels.tooltip(fmt.month(row.cohort), x ?? 0)}${partial}<br/><b>${fmt.percent(v ?? 0, 1)}</b> · ${labels.size(row.size)}`;
      },
    },
    xAxis: {
      type: "category",
      data: ages.map(labels.age),
      axisLabel: AXIS_LABEL,
      axisTick: { show: false },
      splitArea: { show: false },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: data.cohorts.map(
        (row) =>
          `${fmt.monthShort(row.cohort)}  (${fmt.number(row.size)})${row.cohort === running ? ` ${labels.mtdShort}` : ""}`,
      ),
      axisLabel: AXIS_LABEL,
      axisTick: { show: false },
    },
    visualMap: {
      type: "continuous",
      min: 0,
      // Revenue retention can exceed 100% (expansion); cap the scale so one outlier does not wash out the rest.
      max: mode === "logo" ? 1 : Math.min(max, 2),
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 160,
      itemWidth: 10,
      text: [fmt.percent(mode === "logo" ? 1 : Math.min(max, 2), 0), fmt.percent(0, 0)],
      textStyle: AXIS_LABEL,
      inRange: { color: ["#fef2f2", "#fde68a", "#86efac", "#15803d"] },
    },
    series: [
      {
        type: "heatmap",
        data: cells,
        label: {
          show: !dense,
          fontSize: 10,
          color: "#111827",
          formatter: (p) => (Array.isArray(p.value) ? fmt.percent(Number(p.value[2]), 0) : ""),
        },
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: "#111827", borderWidth: 1 } },
      },
    ],
  };
}

/** Logo and revenue retention heatmaps (cohort × months since start). */
export function CohortsCard({ search }: { search: RevenueSearch }) {
  const { t } = useTranslation();
  const query = useCohorts(search);
  const fmt = useFormatters(query.data?.currency);
  const [mode, setMode] = useState<CohortMode>("logo");
  const data = query.data;
  const option = useMemo(
    () =>
      data && data.cohorts.length > 0
        ? buildOption(data, mode, fmt, {
            age: (age) => t("cohorts.ageShort", { age }),
            tooltip: (cohort, age) => t("cohorts.tooltip", { cohort, age }),
            size: (count) => t("cohorts.size", { count, formatted: fmt.number(count) }),
            mtdShort: t("revenue.mtdShort"),
            mtdLong: t("revenue.mtdLong"),
          })
        : null,
    [data, mode, fmt, t],
  );
  const height = data ? Math.max(240, data.cohorts.length * 24 + 90) : 300;

  const tabs = (
    <div className="tabs" role="tablist" aria-label={t("cohorts.title")}>
      {MODES.map((m) => (
        <button
          key={m}
          type="button"
          role="tab"
          aria-selected={mode === m}
          className={mode === m ? "tab tab-active" : "tab"}
          onClick={() => setMode(m)}
          data-testid={`cohorts-tab-${m}`}
        >
          {t(`cohorts.${m}`)}
        </button>
      ))}
    </div>
  );

  return (
    <Card title={t("cohorts.title")} subtitle={t("cohorts.subtitle")} actions={tabs} testId="cohorts">
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? <ChartSkeleton height={300} /> : null}
      {data && data.cohorts.length === 0 ? <EmptyState>{t("cohorts.empty")}</EmptyState> : null}
      {option ? (
        <div role="tabpanel" data-mode={mode}>
          <EChart option={option} height={height} testId="cohorts-chart" ariaLabel={t(`cohorts.${mode}`)} />
        </div>
      ) : null}
    </Card>
  );
}
