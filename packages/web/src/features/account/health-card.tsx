import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { AccountOverview, HealthBreakdown } from "../../api/account-types";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { EmptyState } from "../../components/states";
import { useLabels } from "../../lib/labels";
import { useMessageRenderer } from "../../lib/messages";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { BAND_COLORS } from "../accounts/health-badges";
import { AXIS_LABEL, SPLIT_LINE } from "../revenue/colors";

function historyOption(history: AccountOverview["scoreHistory"], fmt: Formatters, name: string): ChartOption {
  return {
    animationDuration: 300,
    grid: { left: 8, right: 8, top: 12, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: {
      type: "category",
      data: history.map((h) => fmt.date(h.date)),
      axisLabel: AXIS_LABEL,
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: AXIS_LABEL, splitLine: SPLIT_LINE },
    series: [
      {
        type: "line",
        name,
        symbol: "circle",
        symbolSize: 5,
        lineStyle: { width: 2, color: "#1e40af" },
        itemStyle: { color: "#1e40af" },
        data: history.map((h) => ({
          value: h.score ?? undefined,
          itemStyle: { color: BAND_COLORS[h.band] },
        })),
      },
    ],
  };
}

function formatMeasureValue(fmt: Formatters, value: number | null): string {
  if (value === null) return fmt.missing;
  return Math.abs(value) < 10 && !Number.isInteger(value) ? fmt.number(value, 2) : fmt.number(value, 1);
}

function Breakdown({ health }: { health: HealthBreakdown }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const labels = useLabels();
  return (
    <table className="table breakdown-table" data-testid="health-breakdown">
      <thead>
        <tr>
          <th scope="col">{t("account.measure")}</th>
          <th scope="col" className="num">
            {t("account.value")}
          </th>
          <th scope="col" className="num">
            {t("account.score")}
          </th>
          <th scope="col" className="num">
            {t("account.weight")}
          </th>
          <th scope="col" className="num">
            {t("account.contribution")}
          </th>
        </tr>
      </thead>
      {health.dimensions.map((dimension) => (
        <tbody key={dimension.key} data-dimension={dimension.key}>
          <tr className="breakdown-dimension">
            <th scope="row">{labels.dimension(dimension.key, dimension.label)}</th>
            <td />
            <td className="num strong" data-value={dimension.score ?? ""}>
              {dimension.score === null ? fmt.missing : fmt.number(dimension.score, 1)}
            </td>
            <td className="num">{fmt.percent(dimension.effectiveWeight, 0)}</td>
            <td />
          </tr>
          {dimension.measures.map((measure) => (
            <tr
              key={measure.key}
              data-measure={measure.key}
              className={measure.missing ? "muted" : undefined}
            >
              <td className="breakdown-measure">{labels.measure(measure.metric, measure.label)}</td>
              <td className="num">{formatMeasureValue(fmt, measure.value)}</td>
              <td className="num" data-value={measure.score ?? ""}>
                {measure.score === null ? fmt.missing : fmt.number(measure.score, 0)}
              </td>
              <td className="num">{fmt.number(measure.weight, 0)}</td>
              <td className="num">{fmt.number(measure.contribution, 1)}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

/** Score history, the per-dimension/measure breakdown and the plain-language explanation. */
export function HealthCard({ data }: { data: AccountOverview }) {
  const { t } = useTranslation();
  const render = useMessageRenderer();
  const fmt = useFormatters();
  const history = data.scoreHistory;
  const option = useMemo(() => historyOption(history, fmt, t("account.health")), [history, fmt, t]);
  const health = data.health;
  return (
    <Card
      title={t("account.healthTitle")}
      subtitle={
        health
          ? t("account.profile", {
              // The default scorecard's profiles by name; a profile a user added by its id.
              profile: t(`explain.profileName.${health.profileId}`, { defaultValue: health.profileId }),
            })
          : undefined
      }
      testId="health-card"
    >
      {!health ? (
        <EmptyState>{t("account.noHealth")}</EmptyState>
      ) : (
        <div className="stack">
          <div className="two-columns">
            {history.length > 1 ? (
              <EChart
                option={option}
                height={200}
                testId="score-history-chart"
                ariaLabel={t("account.scoreHistory")}
              />
            ) : null}
            {health.explanation.length > 0 ? (
              <ul className="explanation" data-testid="health-explanation">
                {health.explanation.map((line) => (
                  <li key={line.text}>{render(line)}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="table-wrap">
            <Breakdown health={health} />
          </div>
        </div>
      )}
    </Card>
  );
}
