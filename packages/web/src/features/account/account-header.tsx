import { type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type AccountOverview, LIFECYCLE_STAGES } from "../../api/account-types";
import { useAccountEdit, useCan } from "../../auth/permissions";
import { useLabels } from "../../lib/labels";
import { useFormatters } from "../../lib/use-formatters";
import { HealthBadge, StageLabel, TrendArrow } from "../accounts/health-badges";
import { useSetStage } from "../accounts/queries";
import { useAccountPredictions } from "../predictions/queries";
import { churnReasonName } from "../predictions/reasons";
import { useTeam } from "../tasks/api";
import { useSetOwners } from "../team/api";
import { OwnerSelect, ownerTarget } from "../team/owner-select";

function Field({
  label,
  value,
  testId,
  children,
}: {
  label: string;
  value: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="header-field" data-testid={testId} data-value={value}>
      <div className="kpi-label">{label}</div>
      <div className="header-field-value">{children}</div>
    </div>
  );
}

/** Lifecycle stage with a hand override (PUT /api/accounts/{id}/stage). */
function StageField({ data }: { data: AccountOverview }) {
  const { t } = useTranslation();
  const edit = useAccountEdit(data.ownership);
  const can = useCan();
  const setStage = useSetStage(data.account.id);
  const [editing, setEditing] = useState(false);
  const selectRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (editing) selectRef.current?.focus();
  }, [editing]);
  const stage = data.account.lifecycleStage;
  const latest = data.stageHistory[data.stageHistory.length - 1];
  return (
    <Field label={t("account.stage")} value={stage ?? ""} testId="header-stage">
      {editing ? (
        <select
          className="select select-compact"
          defaultValue={stage ?? ""}
          ref={selectRef}
          onChange={(e) => {
            if (!e.target.value) return;
            setStage.mutate({ stage: e.target.value }, { onSuccess: () => setEditing(false) });
          }}
          onBlur={() => setEditing(false)}
          aria-label={t("account.changeStage")}
          data-testid="stage-select"
        >
          <option value="" disabled>
            {t("filters.chooseValue")}
          </option>
          {LIFECYCLE_STAGES.map((s) => (
            <option key={s} value={s}>
              {t(`stages.${s}`)}
            </option>
          ))}
        </select>
      ) : (
        <span className="stage-field">
          <StageLabel stage={stage} />
          {latest?.source === "manual" ? <span className="muted small">{t("account.manual")}</span> : null}
          {/* A role that changes nothing sees no edit button; outside the book it is disabled, saying why. */}
          {can("book.edit") ? (
            <button
              type="button"
              className="link-button small"
              onClick={() => setEditing(true)}
              disabled={!edit.canEdit}
              title={edit.why ?? undefined}
              data-testid="stage-edit"
            >
              {t("account.changeStage")}
            </button>
          ) : null}
        </span>
      )}
      {setStage.isError ? <div className="form-error">{setStage.error.message}</div> : null}
    </Field>
  );
}

/** The owner (a member, with their team, or a team's pool) and a change of owner (POST /api/team/owners). */
function OwnerField({ data }: { data: AccountOverview }) {
  const { t } = useTranslation();
  const edit = useAccountEdit(data.ownership);
  const can = useCan();
  // Moving accounts between books is the team managers' (POST /api/team/owners needs team.manage).
  const why = edit.why ?? (can("team.manage") ? null : t("access.ownersByManagers"));
  const team = useTeam();
  const setOwners = useSetOwners();
  const [editing, setEditing] = useState(false);
  const { ownerId, teamId } = data.ownership;
  const teamName = team.data?.teams.find((x) => x.id === teamId)?.name ?? null;
  const current = ownerId !== null ? `m:${ownerId}` : teamId !== null ? `pool:${teamId}` : "";
  return (
    <Field label={t("accounts.columns.owner")} value={data.account.owner ?? ""} testId="header-owner">
      {editing && team.data ? (
        <span className="owner-field">
          <OwnerSelect
            teams={team.data.teams}
            members={team.data.members}
            value={current}
            onChange={(choice) => {
              const to = ownerTarget(choice);
              if (to === null) return;
              setOwners.mutate({ accountIds: [data.account.id], to }, { onSuccess: () => setEditing(false) });
            }}
            label={t("team.changeOwner")}
            testId="owner-select"
          />
          <button type="button" className="link-button small" onClick={() => setEditing(false)}>
            {t("team.cancel")}
          </button>
        </span>
      ) : (
        <span className="owner-field" data-owner-id={ownerId ?? ""} data-team-id={teamId ?? ""}>
          {data.account.owner !== null ? (
            <span translate="no" data-testid="header-owner-name">
              {data.account.owner}
            </span>
          ) : teamName !== null ? (
            <span data-testid="header-owner-name">{t("team.poolOf", { team: teamName })}</span>
          ) : (
            <span className="muted">—</span>
          )}
          {data.account.owner !== null && teamName !== null ? (
            <span className="muted small" translate="no" data-testid="header-owner-team">
              {teamName}
            </span>
          ) : null}
          {can("team.manage") ? (
            <button
              type="button"
              className="link-button small"
              onClick={() => setEditing(true)}
              disabled={!team.data || why !== null}
              title={why ?? undefined}
              data-testid="owner-edit"
            >
              {t("team.changeOwner")}
            </button>
          ) : null}
        </span>
      )}
      {setOwners.isError ? <div className="form-error">{setOwners.error.message}</div> : null}
    </Field>
  );
}

/**
 * The churn model's probability within 90 days (the same figure as the list, worklist and predictions);
 * a churned account shows its churn date, reason and last MRR instead, as it is not scored.
 */
function ChurnField({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const data = useAccountPredictions(accountId).data;
  const churned = data?.churned ?? null;
  if (churned)
    return (
      <Field label={t("predictions.churned.title")} value={churned.churnedAt} testId="header-churned">
        <span className="kpi-value">{fmt.date(churned.churnedAt)}</span>
        <span className="muted small" data-testid="header-churn-reason">
          {churned.reason
            ? t("predictions.churned.reason", { reason: churnReasonName(t, churned.reason) })
            : t("predictions.churned.noReason")}
          {" · "}
          {t("predictions.churned.lastMrr", { mrr: fmt.currency(churned.lastMrr) })}
        </span>
      </Field>
    );
  const p = data?.churn?.probability ?? null;
  return (
    <Field label={t("predictions.churn")} value={p === null ? "" : String(p)} testId="header-churn">
      {p === null ? (
        <span className="muted">—</span>
      ) : (
        <>
          <span className="kpi-value">{fmt.percent(p, 1)}</span>
          <span className="muted small">{t("predictions.horizon")}</span>
        </>
      )}
    </Field>
  );
}

/** Name, segment line and the headline fields: ARR, health (band, trend), churn, stage, owner, renewal. */
export function AccountHeader({ data }: { data: AccountOverview }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const { account, health } = data;
  const labels = useLabels();
  const facts = [
    labels.value("tier", account.tier),
    account.segment,
    labels.value("industry", account.industry),
    account.region,
  ].filter(Boolean);
  return (
    <section className="account-header card" data-testid="account-header" data-account-id={account.id}>
      <div className="account-title-row">
        <h1 className="page-title" data-testid="account-name" translate="no">
          {account.name}
        </h1>
        <span className="muted small">{account.id}</span>
        {facts.length > 0 ? <span className="muted">{facts.join(" · ")}</span> : null}
      </div>
      <div className="header-fields">
        <Field label={t("kpi.arr")} value={String(data.arr)} testId="header-arr">
          <span className="kpi-value">{fmt.currency(data.arr)}</span>
          <span className="muted small">
            {t("kpi.mrr")} {fmt.currency(data.mrr)}
          </span>
        </Field>
        <Field
          label={t("account.health")}
          value={health?.score == null ? "" : String(health.score)}
          testId="header-score"
        >
          <span className="header-health">
            <HealthBadge score={health?.score ?? null} band={health?.band ?? "none"} testId="header-band" />
            {health ? <TrendArrow trend={health.trend} testId="header-trend" /> : null}
            <span className="muted small">{t(`health.bands.${health?.band ?? "none"}`)}</span>
          </span>
        </Field>
        <ChurnField accountId={account.id} />
        <StageField data={data} />
        <OwnerField data={data} />
        <Field label={t("accounts.columns.renewal")} value={data.renewalDate ?? ""} testId="header-renewal">
          {data.renewalDate ? fmt.date(data.renewalDate) : <span className="muted">—</span>}
        </Field>
      </div>
    </section>
  );
}
