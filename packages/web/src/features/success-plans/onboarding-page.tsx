import { Link } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { type TtfvResponse, useOnboardingProgress, useTimeToFirstValue } from "./api";
import { ProgressBar } from "./success-plan-card";

type Group = TtfvResponse["groups"][number];

/** Median days to first value per group as bars, the middle half (25th to 75th percentile) as a band. */
function ttfvOption(
  groups: readonly Group[],
  label: (g: string) => string,
  t: (k: string) => string,
): ChartOption {
  const reached = groups.filter((g) => g.medianDays !== null);
  return {
    grid: { left: 48, right: 16, top: 32, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: reached.map((g) => label(g.group)) },
    yAxis: { type: "value", name: t("onboarding.days") },
    series: [
      {
        name: t("onboarding.p25"),
        type: "bar",
        stack: "iqr",
        itemStyle: { color: "transparent" },
        emphasis: { disabled: true },
        tooltip: { show: false },
        data: reached.map((g) => g.p25Days ?? 0),
      },
      {
        name: t("onboarding.middleHalf"),
        type: "bar",
        stack: "iqr",
        itemStyle: { color: "#c7d2fe" },
        data: reached.map((g) => Math.max(0, (g.p75Days ?? 0) - (g.p25Days ?? 0))),
      },
      {
        name: t("onboarding.median"),
        type: "line",
        symbol: "diamond",
        symbolSize: 12,
        lineStyle: { opacity: 0 },
        itemStyle: { color: "#4338ca" },
        data: reached.map((g) => g.medianDays),
      },
    ],
  };
}

/** Onboarding: time to first value by segment or tier, and every account's checklist progress. */
export function OnboardingPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const [by, setBy] = useState<"segment" | "tier">("segment");
  const ttfv = useTimeToFirstValue(by);
  const progress = useOnboardingProgress();
  const [showDone, setShowDone] = useState(false);
  const label = useCallback((g: string) => (g === "" ? t("onboarding.noGroup") : g), [t]);
  const option = useMemo(
    () => (ttfv.data ? ttfvOption(ttfv.data.groups, label, t) : null),
    [ttfv.data, t, label],
  );
  const rows = (progress.data?.accounts ?? []).filter((r) => showDone || r.done < r.total);
  return (
    <div className="page" data-testid="onboarding-page">
      <h1 className="page-title">{t("onboarding.title")}</h1>
      <p className="muted">{t("onboarding.subtitle")}</p>
      <Card
        title={t("onboarding.ttfvTitle")}
        subtitle={t("onboarding.ttfvSubtitle")}
        testId="ttfv-card"
        actions={
          <select
            className="input"
            value={by}
            onChange={(e) => setBy(e.target.value === "tier" ? "tier" : "segment")}
            aria-label={t("onboarding.groupBy")}
          >
            <option value="segment">{t("onboarding.bySegment")}</option>
            <option value="tier">{t("onboarding.byTier")}</option>
          </select>
        }
      >
        {ttfv.isError ? <ErrorBanner error={ttfv.error} onRetry={() => void ttfv.refetch()} /> : null}
        {ttfv.isPending ? <Skeleton height={260} /> : null}
        {ttfv.data && ttfv.data.groups.length === 0 ? <EmptyState>{t("onboarding.empty")}</EmptyState> : null}
        {option && ttfv.data && ttfv.data.groups.length > 0 ? (
          <>
            <EChart option={option} height={260} ariaLabel={t("onboarding.ttfvTitle")} testId="ttfv-chart" />
            <table className="table" data-testid="ttfv-table">
              <thead>
                <tr>
                  <th scope="col">{by === "tier" ? t("onboarding.byTier") : t("onboarding.bySegment")}</th>
                  <th scope="col" className="num">
                    {t("onboarding.accounts")}
                  </th>
                  <th scope="col" className="num">
                    {t("onboarding.reached")}
                  </th>
                  <th scope="col" className="num">
                    {t("onboarding.median")}
                  </th>
                  <th scope="col" className="num">
                    {t("onboarding.middleHalf")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {ttfv.data.groups.map((g) => (
                  <tr key={g.group} data-group={g.group} data-median={g.medianDays ?? ""}>
                    <td>{label(g.group)}</td>
                    <td className="num">{fmt.number(g.accounts)}</td>
                    <td className="num">{fmt.number(g.reached)}</td>
                    <td className="num">
                      {g.medianDays === null
                        ? fmt.missing
                        : t("onboarding.daysValue", { count: g.medianDays })}
                    </td>
                    <td className="num">
                      {g.p25Days === null || g.p75Days === null
                        ? fmt.missing
                        : t("onboarding.range", {
                            from: fmt.number(g.p25Days, 1),
                            to: fmt.number(g.p75Days, 1),
                          })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Card>
      <Card
        title={t("onboarding.progressTitle")}
        testId="onboarding-progress"
        actions={
          <label className="small">
            <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />{" "}
            {t("onboarding.showDone")}
          </label>
        }
      >
        {progress.isError ? (
          <ErrorBanner error={progress.error} onRetry={() => void progress.refetch()} />
        ) : null}
        {progress.isPending ? <Skeleton height={200} /> : null}
        {progress.data && rows.length === 0 ? (
          <EmptyState>{t("onboarding.noneInProgress")}</EmptyState>
        ) : null}
        {rows.length > 0 ? (
          <div className="scroll-box">
            <table className="table" data-testid="onboarding-table">
              <thead>
                <tr>
                  <th scope="col">{t("onboarding.account")}</th>
                  <th scope="col">{t("onboarding.owner")}</th>
                  <th scope="col">{t("onboarding.started")}</th>
                  <th scope="col">{t("onboarding.progress")}</th>
                  <th scope="col" className="num">
                    {t("onboarding.ttfv")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.accountId} data-account-id={r.accountId} data-share={r.share}>
                    <td>
                      <Link to="/accounts/$accountId" params={{ accountId: r.accountId }} translate="no">
                        {r.accountName}
                      </Link>
                    </td>
                    <td translate="no">{r.owner ?? fmt.missing}</td>
                    <td className="nowrap">{fmt.date(r.startedOn)}</td>
                    <td className="onboarding-progress-cell">
                      <div className="small">
                        {t("successPlans.progress", { done: r.done, total: r.total })}
                      </div>
                      <ProgressBar share={r.share} />
                    </td>
                    <td className="num">
                      {r.timeToFirstValueDays === null
                        ? t("onboarding.notYet")
                        : t("onboarding.daysValue", { count: r.timeToFirstValueDays })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
