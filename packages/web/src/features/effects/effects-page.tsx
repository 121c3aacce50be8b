import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { effectIntervalsOption, relativeIntervals, VERDICT_COLORS } from "./effect-charts";
import { type EffectReport, type PlaybookEffect, useEffectReport, verdictOf } from "./effects-api";
import { RoiCard } from "./roi-card";

type Named = { name: PlaybookEffect["name"]; key: string };

/** The playbook's name in the UI language (a team's own playbook may have only one language). */
function useName() {
  const { i18n } = useTranslation();
  return (p: Named) => (i18n.language === "zh-CN" ? p.name["zh-CN"] : p.name.en) ?? p.name.en ?? p.key;
}

/** A value in the metric's own unit: MRR as money, the others as plain numbers. */
function metricValue(fmt: Formatters, r: PlaybookEffect, v: number) {
  return r.metric.kind === "mrr" ? fmt.signedCurrency(v) : `${v > 0 ? "+" : ""}${fmt.number(v, 2)}`;
}

function EffectsChart({ report }: { report: EffectReport }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const name = useName();
  const items = useMemo(
    () =>
      relativeIntervals(
        report.playbooks,
        (r) => `${name(r)} · ${t("effects.version", { version: r.version })}`,
      ),
    [report, name, t],
  );
  const option = useMemo(
    () =>
      effectIntervalsOption(items, fmt, {
        effect: t("effects.effect"),
        interval: t("effects.interval"),
        axis: t("effects.axis"),
      }),
    [items, fmt, t],
  );
  if (items.length === 0)
    return <EmptyState testId="effects-no-estimates">{t("effects.noEstimates")}</EmptyState>;
  return (
    <EChart
      option={option}
      height={Math.max(160, 48 + 36 * items.length)}
      testId="effects-chart"
      ariaLabel={t("effects.chartTitle")}
    />
  );
}

function EffectsTable({ report }: { report: EffectReport }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const name = useName();
  return (
    <div className="table-wrap">
      <table className="table wrap-table" data-testid="effects-table">
        <thead>
          <tr>
            <th scope="col">{t("effects.table.playbook")}</th>
            <th scope="col">{t("effects.table.metric")}</th>
            <th scope="col" className="num">
              {t("effects.table.runs")}
            </th>
            <th scope="col" className="num">
              {t("effects.table.effect")}
            </th>
            <th scope="col" className="num">
              {t("effects.table.interval")}
            </th>
            <th scope="col" className="num">
              {t("effects.table.pValue")}
            </th>
            <th scope="col" className="num">
              {t("effects.table.n")}
            </th>
            <th scope="col">{t("effects.table.control")}</th>
            <th scope="col">{t("effects.table.verdict")}</th>
          </tr>
        </thead>
        <tbody>
          {report.playbooks.map((r) => {
            const verdict = verdictOf(r);
            return (
              <tr
                key={`${r.key}-${r.version}`}
                data-playbook={r.key}
                data-version={r.version}
                data-verdict={verdict}
                data-effect={r.effect ?? ""}
              >
                <td>
                  {name(r)}{" "}
                  <span className="muted small">{t("effects.version", { version: r.version })}</span>
                </td>
                <td>
                  {t(`effects.metric.${r.metric.kind}`, { feature: r.metric.feature ?? "" })}
                  <div className="muted small">{t("effects.window", { days: r.windowDays })}</div>
                </td>
                <td className="num nowrap">{fmt.number(r.runs)}</td>
                <td className="num nowrap">
                  {r.effect === null ? fmt.missing : metricValue(fmt, r, r.effect)}
                  {r.relativeEffect === null ? null : (
                    <div className="muted small">{fmt.percent(r.relativeEffect, 1)}</div>
                  )}
                </td>
                <td className="num nowrap">
                  {r.ciLow === null || r.ciHigh === null
                    ? fmt.missing
                    : `${metricValue(fmt, r, r.ciLow)} … ${metricValue(fmt, r, r.ciHigh)}`}
                </td>
                <td className="num nowrap">
                  {r.pValue === null
                    ? fmt.missing
                    : r.pValue < 0.001
                      ? `< ${fmt.number(0.001, 3)}`
                      : fmt.number(r.pValue, 3)}
                </td>
                <td className="num nowrap">
                  {fmt.number(r.nTreated)} / {fmt.number(r.nControl)}
                </td>
                <td>
                  {r.control === "holdout"
                    ? t("effects.control.holdout")
                    : t("effects.control.matched", { count: r.matched ?? 0, runs: r.matchedRuns ?? 0 })}
                </td>
                <td>
                  <span
                    className="pill"
                    style={{ color: VERDICT_COLORS[verdict], background: `${VERDICT_COLORS[verdict]}1a` }}
                  >
                    {t(`effects.verdict.${verdict}`)}
                  </span>
                  {r.reasonCode ? (
                    <div className="muted small" data-testid="effect-reason">
                      {t(`effects.reason.${r.reasonCode}`)}
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SuccessTable({ report }: { report: EffectReport }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const name = useName();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="effects-success">
        <thead>
          <tr>
            <th scope="col">{t("effects.table.playbook")}</th>
            <th scope="col" className="num">
              {t("effects.success.runs")}
            </th>
            <th scope="col" className="num">
              {t("effects.success.measured")}
            </th>
            <th scope="col" className="num">
              {t("effects.success.succeeded")}
            </th>
            <th scope="col" className="num">
              {t("effects.success.rate")}
            </th>
            <th scope="col" className="num">
              {t("effects.success.completed")}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.success.map((s) => (
            <tr key={s.key} data-playbook={s.key} data-rate={s.successRate ?? ""}>
              <td>{name(s)}</td>
              <td className="num">{fmt.number(s.runs)}</td>
              <td className="num">{fmt.number(s.measured)}</td>
              <td className="num">{fmt.number(s.succeeded)}</td>
              <td className="num">{s.successRate === null ? fmt.missing : fmt.percent(s.successRate, 0)}</td>
              <td className="num">{fmt.number(s.completed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Did it work? Each playbook version's effect against a control, with its interval, and success rates. */
export function EffectsPage() {
  const { t } = useTranslation();
  const query = useEffectReport();
  const report = query.data;
  const hasRuns = report?.playbooks.some((p) => p.runs > 0) ?? false;
  return (
    <div className="page stack" data-testid="effects-page">
      <h1 className="page-title">{t("effects.title")}</h1>
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      <Card title={t("effects.chartTitle")} subtitle={t("effects.chartSubtitle")} testId="effects-chart-card">
        {report === undefined ? <ChartSkeleton height={240} /> : <EffectsChart report={report} />}
      </Card>
      <Card title={t("effects.title")} subtitle={t("effects.subtitle")} testId="effects-report">
        {report === undefined ? (
          <ChartSkeleton height={160} />
        ) : hasRuns ? (
          <EffectsTable report={report} />
        ) : (
          <EmptyState testId="effects-empty">{t("effects.empty")}</EmptyState>
        )}
        <p className="muted small">{t("effects.method")}</p>
      </Card>
      <Card
        title={t("effects.success.title")}
        subtitle={t("effects.success.subtitle")}
        testId="effects-success-card"
      >
        {report === undefined ? <ChartSkeleton height={120} /> : <SuccessTable report={report} />}
      </Card>
      <RoiCard />
    </div>
  );
}
