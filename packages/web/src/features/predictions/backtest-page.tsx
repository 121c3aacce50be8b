import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { calibrationOption, liftOption, rocOption } from "./backtest-charts";
import { useBacktest, useTrain } from "./queries";
import { useFeatureLabel } from "./reasons";
import type { BacktestResponse, PredictionTarget } from "./types";

function Charts({ b, target }: { b: BacktestResponse; target: PredictionTarget }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const label = useFeatureLabel();
  const options = useMemo(
    () => ({
      roc: rocOption(b, fmt, {
        fpr: t("predictions.backtest.fpr"),
        tpr: t("predictions.backtest.tpr"),
        chance: t("predictions.backtest.chance"),
        model: b.model,
      }),
      lift: liftOption(b, fmt, t("predictions.backtest.lift")),
      calibration: calibrationOption(b, fmt, {
        predicted: t("predictions.backtest.predicted"),
        observed: t("predictions.backtest.observed"),
        perfect: t("predictions.backtest.perfect"),
      }),
    }),
    [b, fmt, t],
  );
  const stat = (key: string, value: string, raw: number | string) => (
    <div className="mini-stat" data-testid={`backtest-${target}-${key}`} data-value={raw}>
      <div className="kpi-label">{t(`predictions.backtest.${key}`)}</div>
      <div className="mini-stat-value">{value}</div>
    </div>
  );
  return (
    <div className="stack">
      <p className="muted small">
        {t("predictions.backtest.subtitle", {
          trainUntil: fmt.month(b.trainUntil),
          testFrom: fmt.month(b.testFrom),
          testRows: fmt.number(b.testRows),
        })}
      </p>
      <div className="mini-stats">
        {stat("auc", fmt.number(b.metrics.auc, 3), b.metrics.auc)}
        {stat("prAuc", fmt.number(b.metrics.prAuc, 3), b.metrics.prAuc)}
        {stat("lift", `×${fmt.number(b.metrics.liftTopDecile, 2)}`, b.metrics.liftTopDecile)}
        {stat("model", t(`values.model.${b.model}`, { defaultValue: b.model }), b.model)}
        {stat("positiveRate", fmt.percent(b.testPositiveRate, 1), b.testPositiveRate)}
      </div>
      <div className="backtest-charts">
        <div>
          <h3 className="kpi-label">{t("predictions.backtest.roc")}</h3>
          <EChart
            option={options.roc}
            height={260}
            testId={`backtest-${target}-roc`}
            ariaLabel={t("predictions.backtest.roc")}
          />
        </div>
        <div>
          <h3 className="kpi-label">{t("predictions.backtest.liftChart")}</h3>
          <EChart
            option={options.lift}
            height={260}
            testId={`backtest-${target}-lift`}
            ariaLabel={t("predictions.backtest.liftChart")}
          />
        </div>
        <div>
          <h3 className="kpi-label">{t("predictions.backtest.calibration")}</h3>
          <EChart
            option={options.calibration}
            height={260}
            testId={`backtest-${target}-calibration`}
            ariaLabel={t("predictions.backtest.calibration")}
          />
        </div>
      </div>
      <p className="muted small">
        {t("predictions.backtest.topFeatures")}:{" "}
        {b.topFeatures
          .slice(0, 6)
          .map((f) => label(f.feature))
          .join(", ")}
      </p>
    </div>
  );
}

function TargetBacktest({ target }: { target: PredictionTarget }) {
  const { t } = useTranslation();
  const query = useBacktest(target);
  const train = useTrain();
  const training = train.isPending && train.variables === target;
  return (
    <Card
      title={`${t(`predictions.${target}`)} · ${t("predictions.backtest.title")}`}
      testId={`backtest-${target}`}
      actions={
        <button
          type="button"
          className="button button-primary button-small"
          disabled={train.isPending}
          onClick={() => train.mutate(target)}
          data-testid={`train-${target}`}
        >
          {training ? t("predictions.backtest.training") : t("predictions.backtest.trainNow")}
        </button>
      }
    >
      {train.isError && train.variables === target ? <ErrorBanner error={train.error} /> : null}
      {train.isSuccess && train.variables === target ? (
        <p className="muted small" data-testid={`trained-${target}`}>
          {t("predictions.backtest.trained", { count: train.data.scored })}
        </p>
      ) : null}
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? (
        <ChartSkeleton height={260} />
      ) : query.data === null ? (
        <EmptyState testId={`backtest-${target}-empty`}>
          {t("predictions.backtest.noModel", { target: t(`predictions.targets.${target}`) })}
        </EmptyState>
      ) : query.data ? (
        <Charts b={query.data} target={target} />
      ) : null}
    </Card>
  );
}

/** Backtests of the churn and expansion models (ROC, lift, calibration) with a "train now" action. */
export function BacktestPage() {
  const { t } = useTranslation();
  return (
    <div className="page" data-testid="backtest-page">
      <div className="page-header">
        <h1 className="page-title">{t("predictions.backtest.title")}</h1>
      </div>
      <TargetBacktest target="churn" />
      <TargetBacktest target="expansion" />
    </div>
  );
}
