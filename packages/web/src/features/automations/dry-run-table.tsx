import { useTranslation } from "react-i18next";
import { EmptyState } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import type { AutomationDryRun } from "./automations-api";

/** A dry run's answer: how many accounts match and, for each, the outcome and what it would get. */
export function DryRunTable({ result }: { result: AutomationDryRun }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  return (
    <div className="stack" data-testid="dry-run">
      <h3 className="card-title">{t("automations.dry.title")}</h3>
      <p className="muted" data-testid="dry-run-summary" data-matched={result.matched}>
        {t("automations.dry.summary", {
          matched: fmt.number(result.matched),
          since: fmt.dateTime(result.since),
        })}
        {Object.entries(result.byOutcome).map(([o, n]) => (
          <span key={o} className="pill" style={{ marginLeft: 8 }}>
            {t(`automations.outcomes.${o}`)}: {fmt.number(n)}
          </span>
        ))}
      </p>
      {result.rows.length === 0 ? (
        <EmptyState testId="dry-run-empty">{t("automations.dry.none")}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("automations.dry.account")}</th>
                <th scope="col">{t("automations.dry.outcome")}</th>
                <th scope="col">{t("automations.dry.instance")}</th>
                <th scope="col">{t("automations.dry.wouldDo")}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={`${r.accountId}:${r.instance}`} data-outcome={r.outcome}>
                  <td>{r.accountName}</td>
                  <td>{t(`automations.outcomes.${r.outcome}`)}</td>
                  <td className="muted small" translate="no">
                    {r.instance}
                  </td>
                  <td>
                    {r.actions.map((a) => t(`automations.actions.${a.type}`)).join(" → ") || fmt.missing}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
