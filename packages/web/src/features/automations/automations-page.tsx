import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { AutomationBuilder } from "./automation-builder";
import {
  type Automation,
  useAutomationLog,
  useAutomations,
  useDryRun,
  useSetEnabled,
} from "./automations-api";
import { DryRunTable } from "./dry-run-table";
import "./automations.css";

const skippedOf = (a: Automation) =>
  (a.counts.snoozed ?? 0) + (a.counts.reentry ?? 0) + (a.counts.deduped ?? 0);

/** Stacked bars per automation: fired, held out and skipped log rows. */
function OutcomesChart({ automations }: { automations: Automation[] }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const names = automations.map((a) => a.name);
    const series = [
      { key: "fired", color: "#2563eb", value: (a: Automation) => a.counts.fired ?? 0 },
      { key: "held_out", color: "#9ca3af", value: (a: Automation) => a.counts.held_out ?? 0 },
      { key: "skipped", color: "#f59e0b", value: skippedOf },
    ];
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: names, inverse: true },
      series: series.map((s) => ({
        type: "bar",
        stack: "log",
        name: s.key === "skipped" ? t("automations.table.skipped") : t(`automations.outcomes.${s.key}`),
        itemStyle: { color: s.color },
        data: automations.map(s.value),
      })),
    };
  }, [automations, t]);
  return (
    <EChart
      option={option}
      height={Math.max(140, 60 + 32 * automations.length)}
      testId="automations-chart"
      ariaLabel={t("automations.chartTitle")}
    />
  );
}

function LogTable({ id }: { id: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const log = useAutomationLog(id);
  if (log.isError) return <ErrorBanner error={log.error} onRetry={() => void log.refetch()} />;
  if (log.data === undefined) return <ChartSkeleton height={120} />;
  if (log.data.entries.length === 0)
    return <EmptyState testId="automation-log-empty">{t("automations.logTable.empty")}</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="automation-log">
        <thead>
          <tr>
            <th scope="col">{t("automations.logTable.when")}</th>
            <th scope="col">{t("automations.logTable.account")}</th>
            <th scope="col">{t("automations.logTable.outcome")}</th>
            <th scope="col">{t("automations.logTable.status")}</th>
            <th scope="col">{t("automations.logTable.steps")}</th>
            <th scope="col" className="num">
              {t("automations.logTable.retriggers")}
            </th>
          </tr>
        </thead>
        <tbody>
          {log.data.entries.map((e) => (
            <tr key={e.id} data-outcome={e.outcome}>
              <td>{fmt.dateTime(e.createdAt)}</td>
              <td>{e.accountName}</td>
              <td>{t(`automations.outcomes.${e.outcome}`)}</td>
              <td>
                {t(`automations.status.${e.status}`)}
                {e.resumeAt ? (
                  <div className="muted small">
                    {t("automations.logTable.resumes", { at: fmt.date(e.resumeAt) })}
                  </div>
                ) : null}
              </td>
              <td>
                {e.steps.map((s) => (
                  <div key={s.step} className={s.status === "failed" ? "error-message small" : "small"}>
                    {s.step + 1}. {t(`automations.actions.${s.type}`, s.type)} ·{" "}
                    {t(`automations.stepStatus.${s.status}`)}
                    {s.error ? `: ${s.error}` : ""}
                  </div>
                ))}
              </td>
              <td className="num">{fmt.number(e.retriggers)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Automations: the list with on/off switches and log counts, the builder, dry runs and each run log. */
export function AutomationsPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const query = useAutomations();
  const toggle = useSetEnabled();
  const dry = useDryRun();
  const [selected, setSelected] = useState<string | null>(null);
  const [builder, setBuilder] = useState<{ editing: Automation | null } | null>(null);
  const automations = query.data?.automations;
  const current = automations?.find((a) => a.id === selected) ?? null;
  // While a switch's change is on its way the switch shows it (it falls back if the server refuses).
  const enabledOf = (a: Automation) =>
    toggle.isPending && toggle.variables?.id === a.id ? toggle.variables.enabled : a.enabled;
  return (
    <div className="page stack auto-page" data-testid="automations-page">
      <div className="page-header">
        <h1 className="page-title">{t("automations.title")}</h1>
        <div className="page-header-actions">
          <button
            type="button"
            className="button button-primary button-small"
            onClick={() => setBuilder({ editing: null })}
            data-testid="automation-new"
          >
            {t("automations.new")}
          </button>
        </div>
      </div>
      <p className="muted">{t("automations.subtitle")}</p>
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {toggle.isError ? <ErrorBanner error={toggle.error} /> : null}
      {builder !== null ? (
        <Card
          title={
            builder.editing === null
              ? t("automations.builder.title")
              : t("automations.builder.editTitle", {
                  name: builder.editing.name,
                  version: builder.editing.version + 1,
                })
          }
          testId="automation-builder-card"
        >
          <AutomationBuilder
            key={builder.editing?.id ?? "new"}
            editing={builder.editing}
            onDone={() => setBuilder(null)}
          />
        </Card>
      ) : null}
      <Card title={t("automations.title")} testId="automations-list">
        {automations === undefined ? (
          <ChartSkeleton height={160} />
        ) : automations.length === 0 ? (
          <EmptyState testId="automations-empty">{t("automations.empty")}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("automations.table.enabled")}</th>
                  <th scope="col">{t("automations.table.name")}</th>
                  <th scope="col">{t("automations.table.trigger")}</th>
                  <th scope="col">{t("automations.table.actions")}</th>
                  <th scope="col" className="num">
                    {t("automations.table.fired")}
                  </th>
                  <th scope="col" className="num">
                    {t("automations.table.heldOut")}
                  </th>
                  <th scope="col" className="num">
                    {t("automations.table.skipped")}
                  </th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {automations.map((a) => (
                  <tr
                    key={a.id}
                    data-automation={a.id}
                    className={a.id === selected ? "selected" : undefined}
                  >
                    <td>
                      <label className="inline-field">
                        <input
                          type="checkbox"
                          role="switch"
                          aria-checked={enabledOf(a)}
                          checked={enabledOf(a)}
                          aria-label={t("automations.switchLabel", { name: a.name })}
                          disabled={toggle.isPending}
                          onChange={(e) => toggle.mutate({ id: a.id, enabled: e.target.checked })}
                          data-testid="automation-switch"
                        />
                        <span className="small">
                          {enabledOf(a) ? t("automations.on") : t("automations.off")}
                        </span>
                      </label>
                    </td>
                    <td>
                      {a.name}
                      <div className="muted small">
                        {t("automations.version", { version: a.version })}
                        {a.options.holdoutPct > 0
                          ? ` · ${t("automations.holdout", { pct: fmt.number(a.options.holdoutPct) })}`
                          : ""}
                      </div>
                    </td>
                    <td>{t(`automations.triggers.${a.trigger.type}`)}</td>
                    <td>{a.actions.map((x) => t(`automations.actions.${x.type}`)).join(" → ")}</td>
                    <td className="num">{fmt.number(a.counts.fired ?? 0)}</td>
                    <td className="num">{fmt.number(a.counts.held_out ?? 0)}</td>
                    <td className="num">{fmt.number(skippedOf(a))}</td>
                    <td>
                      <div className="filters">
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setSelected(a.id)}
                        >
                          {t("automations.log")}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => {
                            setSelected(a.id);
                            dry.mutate({ id: a.id, days: 7 });
                          }}
                          data-testid="automation-dry-run"
                        >
                          {t("automations.dryRun")}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setBuilder({ editing: a })}
                        >
                          {t("automations.edit")}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {automations !== undefined && automations.length > 0 ? (
        <Card
          title={t("automations.chartTitle")}
          subtitle={t("automations.chartSubtitle")}
          testId="automations-chart-card"
        >
          <OutcomesChart automations={automations} />
        </Card>
      ) : null}
      {dry.isError ? <ErrorBanner error={dry.error} /> : null}
      {current !== null && dry.data !== undefined && dry.variables?.id === current.id ? (
        <Card title={`${t("automations.dryRun")}: ${current.name}`} testId="automation-dry-run-card">
          <DryRunTable result={dry.data} />
        </Card>
      ) : null}
      {current !== null ? (
        <Card title={`${t("automations.log")}: ${current.name}`} testId="automation-log-card">
          <LogTable id={current.id} />
        </Card>
      ) : null}
    </div>
  );
}
