import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { ClvBasis, useRetentionText } from "./clv-basis";
import { useAccountPredictions } from "./queries";
import { churnReasonName, ReasonList } from "./reasons";
import type { ChurnedFacts, Prediction, PredictionTarget } from "./types";

/** A churned account is not scored: when it left, why (when recorded) and what it paid last. */
function ChurnedBlock({ churned }: { churned: ChurnedFacts }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  return (
    <div className="prediction-block" data-testid="prediction-churned" data-churned-at={churned.churnedAt}>
      <div className="kpi-label">{t("predictions.churned.title")}</div>
      <div className="mini-stat-value">
        {t("predictions.churned.date", { date: fmt.date(churned.churnedAt) })}
      </div>
      <div className="muted small" data-testid="prediction-churned-reason">
        {churned.reason
          ? t("predictions.churned.reason", { reason: churnReasonName(t, churned.reason) })
          : t("predictions.churned.noReason")}
      </div>
      <div className="muted small">
        {t("predictions.churned.lastMrr", { mrr: fmt.currency(churned.lastMrr) })}
      </div>
      <p className="muted small">{t("predictions.churned.notScored")}</p>
    </div>
  );
}

function ProbabilityBlock({ target, p }: { target: PredictionTarget; p: Prediction | null }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  return (
    <div
      className="prediction-block"
      data-testid={`prediction-${target}`}
      data-probability={p?.probability ?? ""}
    >
      <div className="kpi-label">
        {t(`predictions.${target}`)} <span className="muted small">{t("predictions.horizon")}</span>
      </div>
      {p === null ? (
        <p className="muted small">
          {t("predictions.noModel", { target: t(`predictions.targets.${target}`) })}
        </p>
      ) : (
        <>
          <div className="mini-stat-value" data-testid={`prediction-${target}-value`}>
            {fmt.percent(p.probability, 1)}
          </div>
          <div className="progress" aria-hidden="true">
            <div
              className={target === "churn" ? "progress-bar progress-warn" : "progress-bar"}
              style={{ width: `${Math.min(100, p.probability * 100)}%` }}
            />
          </div>
          <div className="kpi-label">{t("predictions.reasons")}</div>
          <ReasonList reasons={p.reasons} fmt={fmt} testId={`prediction-${target}-reasons`} limit={4} />
          <Link to="/predictions/backtest" className="muted small">
            {t("predictions.scoredAt", { date: fmt.date(p.createdAt) })}
          </Link>
        </>
      )}
    </div>
  );
}

/** The account's churn probability and expansion propensity with their reasons, and its sBG CLV. */
export function PredictionsCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const query = useAccountPredictions(accountId);
  const retentionText = useRetentionText();
  const data = query.data;
  const value = data?.clv.clv ?? null;
  return (
    <Card title={t("predictions.cardTitle")} testId="account-predictions">
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!data ? (
        query.isPending ? (
          <Skeleton height={160} />
        ) : null
      ) : (
        <div className="stack">
          {data.churned ? (
            <ChurnedBlock churned={data.churned} />
          ) : (
            <>
              <ProbabilityBlock target="churn" p={data.churn} />
              <ProbabilityBlock target="expansion" p={data.expansion} />
            </>
          )}
          <div className="prediction-block" data-testid="prediction-clv" data-value={value?.clv ?? ""}>
            <div className="kpi-label">{t("predictions.clv")}</div>
            {value === null ? (
              <p className="muted small">{t("predictions.noClv", { reason: data.clv.reason ?? "" })}</p>
            ) : (
              <>
                <div className="mini-stat-value">{fmt.currency(value.clv)}</div>
                <div className="muted small">
                  {t("predictions.clvFormula", {
                    margin: fmt.percent(data.clv.margin, 0),
                    mrr: fmt.currency(value.mrr),
                    derl: fmt.number(value.derl, 1),
                  })}
                </div>
                <ClvBasis settings={data.clv.settings} fmt={fmt} />
                <div
                  className="muted small"
                  data-testid="prediction-clv-model"
                  data-method={value.model.method}
                >
                  {retentionText(value.model, fmt)}
                </div>
                {value.churnProbability !== null && value.monthlyChurn !== null ? (
                  <div
                    className="muted small"
                    data-testid="prediction-clv-risk"
                    data-value={value.monthlyChurn}
                  >
                    {t("predictions.clvRisk", {
                      probability: fmt.percent(value.churnProbability, 1),
                      monthly: fmt.percent(value.monthlyChurn, 1),
                    })}
                  </div>
                ) : null}
              </>
            )}
          </div>
        </div>
      )}
    </Card>
  );
}
