import { Link } from "@tanstack/react-router";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import {
  type CoverageModel,
  type QbrRow,
  useCoverage,
  useQbrs,
  useSaveCoverage,
  useSetQbr,
  useTeamNames,
} from "./api";

const MOTIONS = ["high_touch", "mid_touch", "tech_touch"] as const;

/** Quarters around today, newest first: the running one and the four before it. */
function recentQuarters(today: Date): string[] {
  const index = today.getUTCFullYear() * 4 + Math.floor(today.getUTCMonth() / 3);
  return Array.from({ length: 5 }, (_, i) => `${Math.floor((index - i) / 4)}-Q${((index - i) % 4) + 1}`);
}

function CoverageEditor() {
  const { t } = useTranslation();
  const query = useCoverage();
  const teams = useTeamNames();
  const save = useSaveCoverage();
  const [draft, setDraft] = useState<CoverageModel | null>(null);
  useEffect(() => {
    if (query.data) setDraft(structuredClone(query.data));
  }, [query.data]);
  const set = (i: number, patch: Partial<CoverageModel["tiers"][number]>) =>
    setDraft((d) => (d === null ? d : { tiers: d.tiers.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  return (
    <Card title={t("coverage.modelTitle")} subtitle={t("coverage.modelSubtitle")} testId="coverage-model">
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {draft === null ? (
        <Skeleton height={140} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(draft);
          }}
        >
          <table className="table" data-testid="coverage-table">
            <thead>
              <tr>
                <th scope="col">{t("coverage.tier")}</th>
                <th scope="col">{t("coverage.motion")}</th>
                <th scope="col">{t("coverage.team")}</th>
                <th scope="col">{t("coverage.cadence")}</th>
                <th scope="col">{t("coverage.playbooks")}</th>
              </tr>
            </thead>
            <tbody>
              {draft.tiers.map((tier, i) => (
                <tr key={tier.tier} data-tier={tier.tier}>
                  <td>{t(`codes.tier.${tier.tier}`, { defaultValue: tier.tier })}</td>
                  <td>
                    <select
                      className="input"
                      value={tier.motion}
                      aria-label={t("coverage.motion")}
                      onChange={(e) => {
                        const motion = MOTIONS.find((m) => m === e.target.value) ?? "tech_touch";
                        set(i, {
                          motion,
                          qbrCadenceMonths: motion === "tech_touch" ? null : (tier.qbrCadenceMonths ?? 3),
                        });
                      }}
                    >
                      {MOTIONS.map((m) => (
                        <option key={m} value={m}>
                          {t(`coverage.motions.${m}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      className="input"
                      value={tier.teamId ?? ""}
                      aria-label={t("coverage.team")}
                      onChange={(e) => set(i, { teamId: e.target.value === "" ? null : e.target.value })}
                    >
                      <option value="">{t("coverage.noTeam")}</option>
                      {(teams.data?.teams ?? []).map((team) => (
                        <option key={team.id} value={team.id}>
                          {team.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {tier.motion === "tech_touch" ? (
                      <span className="muted small">{t("coverage.noQbr")}</span>
                    ) : (
                      <select
                        className="input"
                        value={tier.qbrCadenceMonths ?? 3}
                        aria-label={t("coverage.cadence")}
                        onChange={(e) => set(i, { qbrCadenceMonths: Number(e.target.value) })}
                      >
                        {[1, 2, 3, 4, 6, 12].map((m) => (
                          <option key={m} value={m}>
                            {t("coverage.everyMonths", { count: m })}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td>
                    <div className="chips">
                      {tier.automaticPlaybooks.map((k) => (
                        <span key={k} className="chip" translate="no">
                          {k}
                        </span>
                      ))}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {save.isError ? <ErrorBanner error={save.error} /> : null}
          <button type="submit" className="button" disabled={save.isPending} data-testid="coverage-save">
            {save.isSuccess ? t("coverage.saved") : t("coverage.save")}
          </button>
        </form>
      )}
    </Card>
  );
}

function targetOption(rows: readonly QbrRow[], fmt: Formatters, t: (k: string) => string): ChartOption {
  const top = rows.filter((r) => r.targetMrr !== null).slice(0, 15);
  return {
    grid: { left: 64, right: 16, top: 32, bottom: 80 },
    legend: { top: 0 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? fmt.currency(v) : String(v)),
    },
    xAxis: { type: "category", data: top.map((r) => r.accountName), axisLabel: { rotate: 35, interval: 0 } },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => fmt.currencyCompact(v) } },
    series: [
      {
        name: t("coverage.target"),
        type: "bar",
        data: top.map((r) => r.targetMrr ?? 0),
        itemStyle: { color: "#c7d2fe" },
      },
      {
        name: t("coverage.actual"),
        type: "bar",
        data: top.map((r) => r.actualMrr),
        itemStyle: { color: "#4338ca" },
      },
    ],
  };
}

function QbrTable({ rows, quarter }: { rows: readonly QbrRow[]; quarter: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const setQbr = useSetQbr();
  const [editing, setEditing] = useState<string | null>(null);
  const [target, setTarget] = useState("");
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div className="scroll-box">
      <table className="table" data-testid="qbr-table">
        <thead>
          <tr>
            <th scope="col">{t("coverage.account")}</th>
            <th scope="col">{t("coverage.owner")}</th>
            <th scope="col">{t("coverage.nextDue")}</th>
            <th scope="col">{t("coverage.held")}</th>
            <th scope="col" className="num">
              {t("coverage.startMrr")}
            </th>
            <th scope="col" className="num">
              {t("coverage.target")}
            </th>
            <th scope="col" className="num">
              {t("coverage.actual")}
            </th>
            <th scope="col" className="num">
              {t("coverage.attainment")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.accountId}
              data-account-id={r.accountId}
              data-overdue={r.overdue}
              data-attainment={r.attainment ?? ""}
            >
              <td>
                <Link to="/accounts/$accountId" params={{ accountId: r.accountId }} translate="no">
                  {r.accountName}
                </Link>
              </td>
              <td translate="no">{r.owner ?? fmt.missing}</td>
              <td className="nowrap">
                {r.nextDueOn ? (
                  <span className={r.overdue ? "chip chip-warn" : undefined}>{fmt.date(r.nextDueOn)}</span>
                ) : (
                  fmt.missing
                )}
              </td>
              <td className="nowrap">
                {r.heldOn ? (
                  fmt.date(r.heldOn)
                ) : (
                  <button
                    type="button"
                    className="button button-small button-ghost"
                    disabled={setQbr.isPending}
                    onClick={() => setQbr.mutate({ accountId: r.accountId, quarter, heldOn: today })}
                  >
                    {t("coverage.markHeld")}
                  </button>
                )}
              </td>
              <td className="num">{fmt.currency(r.startMrr)}</td>
              <td className="num">
                {editing === r.accountId ? (
                  <form
                    className="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const n = Number(target);
                      if (target.trim() === "" || !Number.isFinite(n) || n < 0) return;
                      setQbr.mutate(
                        { accountId: r.accountId, quarter, targetMrr: n },
                        { onSuccess: () => setEditing(null) },
                      );
                    }}
                  >
                    <input
                      className="input input-number"
                      type="number"
                      min={0}
                      step="any"
                      value={target}
                      aria-label={t("coverage.target")}
                      onChange={(e) => setTarget(e.target.value)}
                    />
                    <button type="submit" className="button button-small">
                      {t("coverage.save")}
                    </button>
                  </form>
                ) : (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setEditing(r.accountId);
                      setTarget(
                        r.targetMrr === null ? String(Math.round(r.startMrr * 1.05)) : String(r.targetMrr),
                      );
                    }}
                  >
                    {r.targetMrr === null ? t("coverage.setTarget") : fmt.currency(r.targetMrr)}
                  </button>
                )}
              </td>
              <td className="num">{fmt.currency(r.actualMrr)}</td>
              <td className="num">{r.attainment === null ? fmt.missing : fmt.percent(r.attainment, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** High-touch and tech-touch coverage per tier, and the quarter's QBRs with revenue targets against actuals. */
export function CoveragePage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const quarters = useMemo(() => recentQuarters(new Date()), []);
  const [quarter, setQuarter] = useState<string>(quarters[0] as string);
  const qbrs = useQbrs(quarter);
  const option = useMemo(
    () => (qbrs.data ? targetOption(qbrs.data.rows, fmt, t) : null),
    [qbrs.data, fmt, t],
  );
  const totals = qbrs.data?.totals;
  return (
    <div className="page" data-testid="coverage-page">
      <h1 className="page-title">{t("coverage.title")}</h1>
      <p className="muted">{t("coverage.subtitle")}</p>
      <CoverageEditor />
      <Card
        title={t("coverage.qbrTitle", { quarter })}
        subtitle={qbrs.data?.toDate ? t("coverage.toDate") : undefined}
        testId="qbr-card"
        actions={
          <select
            className="input"
            value={quarter}
            aria-label={t("coverage.quarter")}
            onChange={(e) => setQuarter(e.target.value)}
          >
            {quarters.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        }
      >
        {qbrs.isError ? <ErrorBanner error={qbrs.error} onRetry={() => void qbrs.refetch()} /> : null}
        {qbrs.isPending ? <Skeleton height={240} /> : null}
        {totals ? (
          <p className="small" data-testid="qbr-totals">
            {t("coverage.totals", {
              accounts: totals.accounts,
              held: totals.held,
              overdue: totals.overdue,
              target: fmt.currency(totals.targetMrr),
              actual: fmt.currency(totals.actualMrrOfTargeted),
            })}
          </p>
        ) : null}
        {qbrs.data && qbrs.data.rows.length === 0 ? <EmptyState>{t("coverage.noQbrs")}</EmptyState> : null}
        {option && qbrs.data?.rows.some((r) => r.targetMrr !== null) ? (
          <EChart option={option} height={300} ariaLabel={t("coverage.chart")} testId="qbr-chart" />
        ) : null}
        {qbrs.data && qbrs.data.rows.length > 0 ? <QbrTable rows={qbrs.data.rows} quarter={quarter} /> : null}
      </Card>
    </div>
  );
}
