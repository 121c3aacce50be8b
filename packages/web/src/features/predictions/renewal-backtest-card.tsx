import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EChart } from "../../components/echart";
import { ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { useRenewalBacktest } from "./queries";
import { renewalCalibrationOption } from "./renewal-charts";

/**
 * The renewal forecast's backtest: each of the last four completed quarters forecast as of the day
 * before it began (churn model retrained on what was known then) against the ARR that renewed, with
 * history alone beside it, and the calibration chart. Stored when the churn model is trained; while
 * the server computes it (after a training from this app) the card says so and asks again every few
 * seconds; before any training it names the command that computes it.
 */
export function RenewalBacktestCard() {
  const { t } = useTranslation();
  const query = useRenewalBacktest();
  const state = query.data;
  const b = state?.status === "ready" ? state : undefined;
  const fmt = useFormatters(b?.currency);
  const option = useMemo(
    () =>
      !b
        ? null
        : renewalCalibrationOption(b, fmt, {
            forecast: t("predictions.renewalBacktest.forecast"),
            observed: t("predictions.renewalBacktest.observed"),
            perfect: t("predictions.renewalBacktest.perfect"),
            arr: t("predictions.portfolio.arr"),
          }),
    [b, fmt, t],
  );
  const pct = (v: number | null) => (v === null ? fmt.missing : fmt.percent(v, 1));
  return (
    <Card
      title={t("predictions.renewalBacktest.title")}
      subtitle={t("predictions.renewalBacktest.hint")}
      testId="renewal-backtest"
    >
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!b ? (
        query.isPending ? (
          <div className="stack">
            <p className="muted small">{t("predictions.renewalBacktest.running")}</p>
            <Skeleton height={200} />
          </div>
        ) : state?.status === "pending" ? (
          <div className="stack" data-testid="renewal-backtest-computing" aria-busy="true">
            <p className="muted small" role="status">
              {t("predictions.renewalBacktest.computing")}
            </p>
            <Skeleton height={200} />
          </div>
        ) : state?.status === "none" ? (
          <p className="muted small" data-testid="renewal-backtest-pending">
            {t("predictions.renewalBacktest.pending")} {/* A command is typed as is, in every language. */}
            <code translate="no">{state.command}</code>
          </p>
        ) : null
      ) : (
        <div className="stack">
          <div className="table-wrap">
            <table className="table" data-testid="renewal-backtest-quarters">
              <thead>
                <tr>
                  <th scope="col">{t("predictions.renewalBacktest.quarter")}</th>
                  <th scope="col" className="num">
                    {t("predictions.portfolio.renewalsCount")}
                  </th>
                  <th scope="col" className="num">
                    {t("predictions.portfolio.arr")}
                  </th>
                  <th scope="col" className="num">
                    {t("predictions.portfolio.expectedArr")}
                  </th>
                  <th scope="col" className="num">
                    {t("predictions.renewalBacktest.renewedArr")}
                  </th>
                  <th scope="col" className="num">
                    {t("predictions.renewalBacktest.error")}
                  </th>
                  <th scope="col" className="num">
                    {t("predictions.renewalBacktest.historyError")}
                  </th>
                  <th scope="col" className="num">
                    {t("predictions.renewalBacktest.gamma")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...b.quarters, { ...b.total, quarter: null, riskExponent: null }].map((q) => (
                  <tr
                    key={q.quarter ?? "total"}
                    className={q.quarter === null ? "row-total" : undefined}
                    data-quarter={q.quarter ?? "total"}
                    data-error={q.error}
                  >
                    <td>{q.quarter ?? t("predictions.portfolio.totals")}</td>
                    <td className="num">{fmt.number(q.renewals)}</td>
                    <td className="num">{fmt.currency(q.arr)}</td>
                    <td className="num">{fmt.currency(q.expectedArr)}</td>
                    <td className="num">{fmt.currency(q.renewedArr)}</td>
                    <td className="num">{`${fmt.currency(q.error)} (${pct(q.relativeError)})`}</td>
                    <td className="num">
                      {q.historyError === null ? fmt.missing : fmt.currency(q.historyError)}
                    </td>
                    <td className="num">{q.riskExponent === null ? "" : fmt.number(q.riskExponent, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small table-note">{t("predictions.renewalBacktest.note")}</p>
          {option ? (
            <div>
              <h3 className="kpi-label">{t("predictions.renewalBacktest.calibration")}</h3>
              <EChart
                option={option}
                height={280}
                testId="renewal-calibration-chart"
                ariaLabel={t("predictions.renewalBacktest.calibration")}
              />
            </div>
          ) : null}
        </div>
      )}
    </Card>
  );
}
