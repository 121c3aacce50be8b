import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBanner } from "../../components/states";
import { useReasonTaxonomy, useRecordOutcome } from "./queries";
import type { OutcomeKind, RenewalCalendarRow } from "./types";

const OUTCOMES: readonly OutcomeKind[] = ["renewed", "expanded", "downgraded", "churned"];

/** The inline form that records one renewal's outcome (a churn with its reason). */
export function RecordOutcome({ row, onDone }: { row: RenewalCalendarRow; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language === "zh-CN";
  const taxonomy = useReasonTaxonomy();
  const record = useRecordOutcome();
  const [outcome, setOutcome] = useState<OutcomeKind>("renewed");
  const [arrAfter, setArrAfter] = useState("");
  const [reason, setReason] = useState("");
  const needsArr = outcome === "expanded" || outcome === "downgraded";
  const takesReason = outcome === "churned" || outcome === "downgraded";
  const submit = () =>
    record.mutate(
      {
        accountId: row.accountId,
        renewalDate: row.renewalDate,
        outcome,
        arrAfter: needsArr && arrAfter !== "" ? Number(arrAfter) : undefined,
        reasonKey: takesReason && reason !== "" ? reason : undefined,
      },
      { onSuccess: onDone },
    );
  return (
    <div className="stack" data-testid="record-outcome">
      <div className="filter-bar">
        <label className="inline-field">
          <span className="filter-label">{t("renewals.outcome.label")}</span>
          <select
            className="select select-compact"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as OutcomeKind)}
            data-testid="outcome-kind"
          >
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`renewals.outcome.kinds.${o}`)}
              </option>
            ))}
          </select>
        </label>
        {needsArr ? (
          <label className="inline-field">
            <span className="filter-label">{t("renewals.outcome.arrAfter")}</span>
            <input
              className="input input-rate"
              type="number"
              min={0}
              value={arrAfter}
              onChange={(e) => setArrAfter(e.target.value)}
              data-testid="outcome-arr-after"
            />
          </label>
        ) : null}
        {takesReason ? (
          <label className="inline-field">
            <span className="filter-label">{t("renewals.outcome.reason")}</span>
            <select
              className="select select-compact"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="outcome-reason"
            >
              <option value="">{t("renewals.outcome.pickReason")}</option>
              {(taxonomy.data?.reasons ?? [])
                .filter((r) => r.active)
                .map((r) => (
                  <option key={r.key} value={r.key}>
                    {zh ? r.labelZh : r.labelEn}
                    {r.manageable ? ` · ${t("renewals.reasons.manageable")}` : ""}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        <button
          type="button"
          className="button button-primary button-small"
          onClick={submit}
          disabled={record.isPending}
          data-testid="outcome-save"
        >
          {t("renewals.outcome.save")}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          {t("renewals.outcome.cancel")}
        </button>
      </div>
      {record.isError ? <ErrorBanner error={record.error} /> : null}
    </div>
  );
}
