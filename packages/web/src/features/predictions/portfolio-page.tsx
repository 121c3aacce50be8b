import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { ExportButton } from "../../components/export-button";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useLabels } from "../../lib/labels";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { ClvBasis, useRetentionText } from "./clv-basis";
import { ClvSettingsForm } from "./clv-settings-form";
import { usePortfolio, useRenewals } from "./queries";
import { useReasonSentence } from "./reasons";
import { RenewalBacktestCard } from "./renewal-backtest-card";
import type { PortfolioResponse, RenewalsResponse, RetentionFit } from "./types";

const num = (v: number | null, f: (x: number) => string, missing: string) => (v === null ? missing : f(v));

function Tile({
  label,
  value,
  hint,
  testId,
  raw,
}: {
  label: string;
  value: string;
  hint?: string;
  testId: string;
  raw: number | string;
}) {
  return (
    <div className="kpi-tile" data-testid={testId} data-value={raw}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint ? <div className="muted small">{hint}</div> : null}
    </div>
  );
}

function AccountLink({ id, name }: { id: string; name: string | null }) {
  return (
    <Link to="/accounts/$accountId" params={{ accountId: id }}>
      {name ?? id}
    </Link>
  );
}

function RiskTable({ p, fmt }: { p: PortfolioResponse; fmt: Formatters }) {
  const { t } = useTranslation();
  const reason = useReasonSentence(fmt);
  if (p.models.churn === null) return <EmptyState>{t("predictions.portfolio.noChurnModel")}</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="arr-at-risk-table">
        <thead>
          <tr>
            <th scope="col">{t("predictions.portfolio.account")}</th>
            <th scope="col" className="num">
              {t("predictions.portfolio.arr")}
            </th>
            <th scope="col" className="num">
              {t("predictions.portfolio.probability")}
            </th>
            <th scope="col" className="num">
              {t("predictions.portfolio.atRisk")}
            </th>
            <th scope="col">{t("predictions.portfolio.topReason")}</th>
          </tr>
        </thead>
        <tbody>
          {p.arrAtRisk.largest.map((r) => {
            const top = r.reasons.find((x) => x.contribution > 0) ?? r.reasons[0];
            return (
              <tr key={r.accountId} data-account-id={r.accountId}>
                <td>
                  <AccountLink id={r.accountId} name={r.name} />
                </td>
                <td className="num">{fmt.currency(r.arr)}</td>
                <td className="num">{fmt.percent(r.churnProbability, 1)}</td>
                <td className="num" data-value={r.atRisk}>
                  {fmt.currency(r.atRisk)}
                </td>
                <td>{top ? reason(top) : fmt.missing}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** α or β: three decimals when small; a fit at its bound (no heterogeneity) has huge ones, shown compact. */
export function paramText(v: number, fmt: Formatters): string {
  return v >= 10_000 ? fmt.compact(v) : fmt.number(v, 3);
}

function fitText(m: RetentionFit | null, fmt: Formatters): string {
  return m === null || m.alpha === null || m.beta === null
    ? fmt.missing
    : `${paramText(m.alpha, fmt)} / ${paramText(m.beta, fmt)}`;
}

/** The retention model of a row: a pill naming the method, the full explanation on hover. */
function MethodCell({ m, fmt }: { m: RetentionFit | null; fmt: Formatters }) {
  const { t } = useTranslation();
  const text = useRetentionText();
  if (m === null) return <>{fmt.missing}</>;
  return (
    <span
      className={m.method === "sbg" ? "pill" : "pill pill-warn"}
      title={text(m, fmt)}
      data-method={m.method}
    >
      {t(`predictions.portfolio.methods.${m.method}`)}
    </span>
  );
}

function SegmentTable({ p, fmt }: { p: PortfolioResponse; fmt: Formatters }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="clv-by-segment">
        <thead>
          <tr>
            <th scope="col">{t("predictions.portfolio.segment")}</th>
            <th scope="col" className="num">
              {t("predictions.portfolio.accounts")}
            </th>
            <th scope="col" className="num">
              {t("predictions.portfolio.arr")}
            </th>
            <th scope="col" className="num">
              {t("predictions.portfolio.clvTotal")}
            </th>
            <th scope="col" className="num">
              {t("predictions.portfolio.clvAverage")}
            </th>
            <th scope="col">{t("predictions.portfolio.model")}</th>
            <th scope="col" className="num">
              {t("predictions.portfolio.alphaBeta")}
            </th>
            <th scope="col" className="num">
              {t("predictions.portfolio.del")}
            </th>
          </tr>
        </thead>
        <tbody>
          {p.bySegment.map((s) => (
            <tr key={s.segment} data-segment={s.segment}>
              <td>{labels.value("tier", s.segment)}</td>
              <td className="num">{fmt.number(s.accounts)}</td>
              <td className="num">{fmt.currency(s.arr)}</td>
              <td className="num" data-value={s.clvTotal}>
                {fmt.currency(s.clvTotal)}
              </td>
              <td className="num">{fmt.currency(s.clvAverage)}</td>
              <td>
                <MethodCell m={s.model} fmt={fmt} />
              </td>
              <td className="num">{fitText(s.model, fmt)}</td>
              <td className="num">{s.model ? fmt.number(s.model.del, 1) : fmt.missing}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChannelTable({ p, fmt }: { p: PortfolioResponse; fmt: Formatters }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const m = fmt.missing;
  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="clv-by-channel">
          <thead>
            <tr>
              <th scope="col">{t("predictions.portfolio.channel")}</th>
              <th scope="col" className="num">
                {t("predictions.portfolio.accounts")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.clvTotal")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.alphaBeta")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.cac")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.simpleLtv")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.simpleRatio")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.modelLtv")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.modelRatio")}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.byChannel.map((c) => (
              <tr key={c.channel} data-channel={c.channel}>
                <td>{labels.value("channel", c.channel)}</td>
                <td className="num">{fmt.number(c.accounts)}</td>
                <td className="num">{fmt.currency(c.clvTotal)}</td>
                <td className="num">{fitText(c.model, fmt)}</td>
                <td className="num">{num(c.cac, fmt.currency, m)}</td>
                <td className="num">{num(c.simpleLtv, fmt.currency, m)}</td>
                <td className="num" data-metric="simpleLtvToCac" data-value={c.simpleLtvToCac ?? ""}>
                  {num(c.simpleLtvToCac, fmt.ratio, m)}
                </td>
                <td className="num">{num(c.modelLtv, fmt.currency, m)}</td>
                <td className="num" data-metric="modelLtvToCac" data-value={c.modelLtvToCac ?? ""}>
                  {num(c.modelLtvToCac, fmt.ratio, m)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.unitEconomicsWindow ? (
        <p className="muted small table-note">
          {t("predictions.portfolio.ltvNote", {
            from: fmt.month(p.unitEconomicsWindow.from),
            to: fmt.month(p.unitEconomicsWindow.to),
          })}
        </p>
      ) : null}
    </>
  );
}

function HighPotential({ p, fmt }: { p: PortfolioResponse; fmt: Formatters }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const h = p.highPotential;
  return (
    <Card
      title={t("predictions.portfolio.highPotential")}
      subtitle={
        <>
          {t("predictions.portfolio.highPotentialHint", {
            segment: h.smallSegment === null ? "" : labels.value("tier", h.smallSegment),
            min: fmt.number(h.minMultiple),
            average: h.averageClv === null ? fmt.missing : fmt.currency(h.averageClv),
            count: fmt.number(h.smallAccounts),
          })}{" "}
          <ClvBasis settings={p.clvSettings} fmt={fmt} />
        </>
      }
      testId="high-potential"
    >
      {h.accounts.length === 0 ? (
        <EmptyState>{t("predictions.portfolio.noHighPotential")}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="high-potential-table">
            <thead>
              <tr>
                <th scope="col">{t("predictions.portfolio.account")}</th>
                <th scope="col" className="num">
                  MRR
                </th>
                <th scope="col" className="num">
                  {t("predictions.clv")}
                </th>
                <th scope="col" className="num">
                  {t("predictions.portfolio.multiple")}
                </th>
                <th scope="col" className="num">
                  {t("predictions.portfolio.expansionProbability")}
                </th>
              </tr>
            </thead>
            <tbody>
              {h.accounts.map((a) => (
                <tr key={a.accountId} data-account-id={a.accountId}>
                  <td>
                    <AccountLink id={a.accountId} name={a.name} />
                  </td>
                  <td className="num">{fmt.currency(a.mrr)}</td>
                  <td className="num">{fmt.currency(a.clv)}</td>
                  <td className="num strong" data-value={a.multiple}>{`${fmt.number(a.multiple, 1)}×`}</td>
                  <td className="num">
                    {num(a.expansionProbability, (v) => fmt.percent(v, 1), fmt.missing)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

const WINDOWS = [
  { key: "d90", days: 90, label: "days", count: 90 },
  { key: "d180", days: 180, label: "days", count: 180 },
  { key: "q2", quarters: 2, label: "quarters", count: 2 },
  { key: "q4", quarters: 4, label: "quarters", count: 4 },
] as const;

function RenewalTable({ r, fmt }: { r: RenewalsResponse; fmt: Formatters }) {
  const { t } = useTranslation();
  const labels = useLabels();
  if (r.rows.length === 0) return <EmptyState>{t("predictions.portfolio.noRenewals")}</EmptyState>;
  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="table" data-testid="renewal-periods">
          <thead>
            <tr>
              <th scope="col">{t("predictions.portfolio.period")}</th>
              <th scope="col" className="num">
                {t("predictions.portfolio.renewalsCount")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.arr")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.expectedArr")}
              </th>
            </tr>
          </thead>
          <tbody>
            {r.periods.map((p) => (
              <tr key={p.period} data-period={p.period}>
                <td>{p.period}</td>
                <td className="num">{fmt.number(p.renewals)}</td>
                <td className="num">{fmt.currency(p.arr)}</td>
                <td className="num" data-value={p.expectedArr}>
                  {fmt.currency(p.expectedArr)}
                </td>
              </tr>
            ))}
            <tr className="row-total" data-testid="renewal-total" data-value={r.totals.expectedArr}>
              <td>{t("predictions.portfolio.totals")}</td>
              <td className="num">{fmt.number(r.totals.renewals)}</td>
              <td className="num">{fmt.currency(r.totals.arr)}</td>
              <td className="num">{fmt.currency(r.totals.expectedArr)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className="table-wrap renewal-rows">
        <table className="table" data-testid="renewal-rows">
          <thead>
            <tr>
              <th scope="col">{t("predictions.portfolio.renewalDate")}</th>
              <th scope="col">{t("predictions.portfolio.account")}</th>
              <th scope="col">{t("predictions.portfolio.segment")}</th>
              <th scope="col" className="num">
                {t("predictions.portfolio.arr")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.relativeRisk")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.renewalProbability")}
              </th>
              <th scope="col" className="num">
                {t("predictions.portfolio.expectedArr")}
              </th>
              <th scope="col">{t("predictions.portfolio.source")}</th>
            </tr>
          </thead>
          <tbody>
            {r.rows.map((x) => (
              <tr key={x.accountId} data-account-id={x.accountId} data-source={x.source}>
                <td>{fmt.date(x.renewalDate)}</td>
                <td>
                  <AccountLink id={x.accountId} name={x.name} />
                </td>
                <td>{x.segment === null ? fmt.missing : labels.value("tier", x.segment)}</td>
                <td className="num">{fmt.currency(x.arr)}</td>
                <td className="num">{num(x.relativeRisk, (v) => `${fmt.number(v, 2)}×`, fmt.missing)}</td>
                <td className="num" data-value={x.renewalProbability ?? ""}>
                  {num(x.renewalProbability, (v) => fmt.percent(v, 1), fmt.missing)}
                </td>
                <td className="num">{num(x.expectedArr, fmt.currency, fmt.missing)}</td>
                <td>
                  <span className={x.source === "model" ? "pill pill-good" : "pill"}>
                    {t(`predictions.portfolio.sources.${x.source}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small table-note">
        {t("predictions.portfolio.history", {
          rates: r.history
            .map(
              (h) =>
                `${labels.value("tier", h.segment)} ${h.rate === null ? fmt.missing : fmt.percent(h.rate, 0)} (${h.renewed}/${h.due})`,
            )
            .join(" · "),
        })}
      </p>
      {r.historyExpectedArr !== null ? (
        <p
          className="muted small table-note"
          data-testid="renewal-history-total"
          data-value={r.historyExpectedArr}
        >
          {t("predictions.portfolio.historyTotal", {
            history: fmt.currency(r.historyExpectedArr),
            gamma: fmt.number(r.riskExponent.riskExponent, 2),
            count: fmt.number(r.riskExponent.renewals),
            decay: fmt.number(r.decayDays),
          })}
        </p>
      ) : null}
    </div>
  );
}

function RenewalForecastCard() {
  const { t } = useTranslation();
  const [windowKey, setWindowKey] = useState<(typeof WINDOWS)[number]["key"]>("d90");
  const w = WINDOWS.find((x) => x.key === windowKey) ?? WINDOWS[0];
  const params =
    "quarters" in w
      ? { quarters: w.quarters, periodBy: "quarter" as const }
      : { days: w.days, periodBy: "month" as const };
  const query = useRenewals(params);
  const fmt = useFormatters(query.data?.currency);
  return (
    <Card
      title={t("predictions.portfolio.renewals")}
      subtitle={
        query.data
          ? t("predictions.portfolio.renewalsHint", { until: fmt.date(query.data.until) })
          : undefined
      }
      testId="renewal-forecast"
      actions={
        <>
          <ExportButton table="renewals" query={params} />
          <label className="inline-field">
            <span className="filter-label">{t("predictions.portfolio.window")}</span>
            <select
              className="select select-compact"
              value={windowKey}
              onChange={(e) => setWindowKey(e.target.value as typeof windowKey)}
              data-testid="renewal-window"
            >
              {WINDOWS.map((x) => (
                <option key={x.key} value={x.key}>
                  {t(`predictions.portfolio.${x.label}`, { count: x.count })}
                </option>
              ))}
            </select>
          </label>
        </>
      }
    >
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.data ? (
        <RenewalTable r={query.data} fmt={fmt} />
      ) : query.isPending ? (
        <Skeleton height={200} />
      ) : null}
    </Card>
  );
}

function RetentionTile({ p, fmt }: { p: PortfolioResponse; fmt: Formatters }) {
  const { t } = useTranslation();
  const text = useRetentionText();
  const m = p.retention;
  return (
    <div className="kpi-tile" data-testid="portfolio-retention" data-method={m?.method ?? ""}>
      <div className="kpi-label">{t("predictions.portfolio.retention")}</div>
      <div className="kpi-value">{m ? <MethodCell m={m} fmt={fmt} /> : fmt.missing}</div>
      <div className="muted small">
        {m ? `${text(m, fmt)} · DEL ${fmt.number(m.del, 1)}` : (p.retentionError ?? "")}
      </div>
    </div>
  );
}

/** The portfolio's model figures: ARR at risk, CLV by tier and channel, LTV/CAC, high potential, renewals. */
export function PortfolioPage() {
  const { t } = useTranslation();
  const query = usePortfolio();
  const p = query.data;
  const fmt = useFormatters(p?.currency);
  return (
    <div className="page" data-testid="portfolio-page">
      <div className="page-header">
        <h1 className="page-title">{t("predictions.portfolio.title")}</h1>
        {p ? (
          <span className="muted small">
            {t("predictions.portfolio.subtitle", { date: fmt.date(p.asOf) })}
          </span>
        ) : null}
      </div>
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!p ? (
        query.isPending ? (
          <Skeleton height={320} />
        ) : null
      ) : (
        <>
          <section className="kpi-grid" aria-label={t("predictions.portfolio.title")}>
            <Tile
              label={t("predictions.portfolio.arrAtRisk")}
              value={fmt.currency(p.arrAtRisk.total)}
              hint={t("predictions.portfolio.arrAtRiskHint", { count: p.arrAtRisk.accounts })}
              testId="portfolio-arr-at-risk"
              raw={p.arrAtRisk.total}
            />
            <Tile
              label={t("predictions.portfolio.scoredArr")}
              value={fmt.currency(p.arrAtRisk.arr)}
              testId="portfolio-scored-arr"
              raw={p.arrAtRisk.arr}
            />
            <div
              className="kpi-tile"
              data-testid="portfolio-clv"
              data-value={p.clvTotal}
              data-arr={p.arrTotal}
            >
              <div className="kpi-label">{t("predictions.portfolio.clvTotal")}</div>
              <div className="kpi-value">{fmt.currency(p.clvTotal)}</div>
              {p.arrTotal > 0 ? (
                <div className="muted small">
                  {t("predictions.portfolio.clvYears", {
                    years: fmt.number(p.clvTotal / p.arrTotal, 1),
                    arr: fmt.currency(p.arrTotal),
                  })}
                </div>
              ) : null}
              <ClvBasis settings={p.clvSettings} fmt={fmt} />
            </div>
            <RetentionTile p={p} fmt={fmt} />
          </section>
          <Card
            title={t("predictions.portfolio.largestRisks")}
            testId="largest-risks"
            actions={<ExportButton table="predictions" />}
          >
            <RiskTable p={p} fmt={fmt} />
          </Card>
          <RenewalForecastCard />
          <Card
            title={t("predictions.portfolio.bySegment")}
            subtitle={<ClvBasis settings={p.clvSettings} fmt={fmt} />}
            testId="segment-card"
          >
            <SegmentTable p={p} fmt={fmt} />
          </Card>
          <Card
            title={t("predictions.portfolio.byChannel")}
            subtitle={<ClvBasis settings={p.clvSettings} fmt={fmt} />}
            testId="channel-card"
          >
            <ChannelTable p={p} fmt={fmt} />
          </Card>
          <HighPotential p={p} fmt={fmt} />
          <RenewalBacktestCard />
          <ClvSettingsForm />
        </>
      )}
    </div>
  );
}
