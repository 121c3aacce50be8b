import type { TFunction } from "i18next";
import type { AccountListRow } from "../../api/account-types";
import type { VirtualColumn } from "../../components/virtual-table";
import type { Formatters } from "../../lib/use-formatters";
import "../success-plans/success-plans.css";
import { AccountLink, HealthBadge, StageLabel, TrendArrow } from "./health-badges";

/** Open signals as "risk / opportunity" counts. */
export function SignalCounts({ row }: { row: AccountListRow }) {
  if (row.openSignals === 0) return <span className="muted">0</span>;
  return (
    <span className="signal-counts" data-value={row.openSignals}>
      {row.riskSignals > 0 ? <span className="signal-count count-risk">▼{row.riskSignals}</span> : null}
      {row.opportunitySignals > 0 ? (
        <span className="signal-count count-opportunity">▲{row.opportunitySignals}</span>
      ) : null}
    </span>
  );
}

/** "Onboarding 2/5" with a thin bar, only while the account's checklist is open. */
function OnboardingLine({ progress, t }: { progress: OnboardingShare | undefined; t: TFunction }) {
  if (progress === undefined || progress.done >= progress.total) return null;
  return (
    <span className="onboarding-line small" data-testid="row-onboarding" data-share={progress.share}>
      <span className="muted">{t("onboarding.inList", { done: progress.done, total: progress.total })}</span>
      <span className="progress progress-thin" aria-hidden="true">
        <span className="progress-bar" style={{ width: `${Math.round(progress.share * 100)}%` }} />
      </span>
    </span>
  );
}

/** The model's churn probability; a churned account shows when it left instead (it is not scored). */
export function ChurnCell({ row, t, fmt }: { row: AccountListRow; t: TFunction; fmt: Formatters }) {
  if (row.churned)
    return (
      <span className="muted small" data-value="" data-churned={row.churned.churnedAt}>
        {t("predictions.churned.short", { date: fmt.date(row.churned.churnedAt) })}
      </span>
    );
  if (row.churnProbability === null)
    return (
      <span className="muted" data-value="">
        —
      </span>
    );
  return <span data-value={row.churnProbability}>{fmt.percent(row.churnProbability, 1)}</span>;
}

/** An account's onboarding checklist progress, shown under its name while onboarding runs. */
export interface OnboardingShare {
  done: number;
  total: number;
  share: number;
}

/** The account table columns shared by the list and the worklist. */
export function accountColumns(
  t: TFunction,
  fmt: Formatters,
  onboarding?: ReadonlyMap<string, OnboardingShare>,
): VirtualColumn<AccountListRow>[] {
  return [
    {
      key: "name",
      header: t("accounts.columns.name"),
      width: "22%",
      sortKey: "name",
      render: (row) => (
        <div className="cell-account">
          <AccountLink id={row.id} name={row.name} />
          <span className="muted small">
            {[row.tier && t(`codes.tier.${row.tier}`, { defaultValue: row.tier }), row.segment]
              .filter(Boolean)
              .join(" · ")}
          </span>
          <OnboardingLine progress={onboarding?.get(row.id)} t={t} />
        </div>
      ),
    },
    {
      key: "score",
      header: t("accounts.columns.health"),
      width: "11%",
      sortKey: "score",
      render: (row) => (
        <span className="cell-health" data-value={row.score ?? ""}>
          <HealthBadge score={row.score} band={row.band} />
          <TrendArrow trend={row.trend} />
        </span>
      ),
    },
    {
      key: "arr",
      header: t("accounts.columns.arr"),
      width: "11%",
      numeric: true,
      sortKey: "arr",
      render: (row) => <span data-value={row.arr}>{fmt.currency(row.arr)}</span>,
    },
    {
      key: "renewalDate",
      header: t("accounts.columns.renewal"),
      width: "11%",
      sortKey: "renewalDate",
      render: (row) => (row.renewalDate ? fmt.date(row.renewalDate) : <span className="muted">—</span>),
    },
    {
      key: "openSignals",
      header: t("accounts.columns.signals"),
      width: "8%",
      sortKey: "openSignals",
      render: (row) => <SignalCounts row={row} />,
    },
    {
      key: "churnProbability",
      header: t("accounts.columns.risk"),
      width: "11%",
      numeric: true,
      sortKey: "churnProbability",
      render: (row) => <ChurnCell row={row} t={t} fmt={fmt} />,
    },
    {
      key: "owner",
      header: t("accounts.columns.owner"),
      width: "13%",
      render: (row) => row.owner ?? <span className="muted">—</span>,
    },
    {
      key: "stage",
      header: t("accounts.columns.stage"),
      width: "12%",
      render: (row) => <StageLabel stage={row.lifecycleStage} />,
    },
  ];
}
