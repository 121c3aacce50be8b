import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { WhatIfResponse } from "../../api/types";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { ChartSkeleton, ErrorBanner } from "../../components/states";
import { signOf } from "../../lib/format";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL, PALETTE, SPLIT_LINE } from "./colors";
import { useWhatIf } from "./queries";

/** The scenarios of seed 004: flat, +3%, −3% and −5% net MRR growth per month. */
const DEFAULT_RATES: readonly number[] = [0, 0.03, -0.03, -0.05];
const HORIZONS: readonly number[] = [12, 24, 36, 60];

function buildOption(data: WhatIfResponse, fmt: Formatters, label: (rate: number) => string): ChartOption {
  const months = [data.startMonth, ...(data.scenarios[0]?.points.map((p) => p.month) ?? [])];
  const startsWithStart = data.scenarios[0]?.points[0]?.month === data.startMonth;
  const axis = startsWithStart ? months.slice(1) : months;
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { color: "#374151" } },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => (typeof v === "number" ? fmt.currency(v) : fmt.missing),
    },
    xAxis: {
      type: "category",
      boundaryGap: false,
      data: axis.map(fmt.monthShort),
      axisLabel: AXIS_LABEL,
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: {
      type: "value",
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.currencyCompact(v) },
      splitLine: SPLIT_LINE,
    },
    series: data.scenarios.map((scenario, index) => ({
      id: String(scenario.rate),
      name: label(scenario.rate),
      type: "line",
      symbol: "none",
      lineStyle: { width: scenario.rate === 0 ? 2.5 : 2, type: scenario.rate === 0 ? "dashed" : "solid" },
      itemStyle: { color: PALETTE[index % PALETTE.length] },
      // The start month anchors every line at today's MRR.
      data: startsWithStart
        ? scenario.points.map((p) => p.mrr)
        : [data.startMrr, ...scenario.points.map((p) => p.mrr)],
    })),
  };
}

/** MRR trajectories under constant monthly growth rates, with a custom rate and a horizon. */
export function WhatIfCard({
  segment,
  monthToDate = null,
}: {
  segment: string | undefined;
  /** The running month: a trajectory starting there starts from today's MRR, month to date. */
  monthToDate?: string | null;
}) {
  const { t } = useTranslation();
  const [horizon, setHorizon] = useState(24);
  const [customRates, setCustomRates] = useState<number[]>([]);
  const [draft, setDraft] = useState("");
  const [draftError, setDraftError] = useState<string | null>(null);
  const rates = useMemo(() => [...DEFAULT_RATES, ...customRates], [customRates]);
  const query = useWhatIf(horizon, rates, segment);
  const data = query.data;
  const fmt = useFormatters(data?.currency);

  const rateLabel = useMemo(
    () => (rate: number) =>
      rate === 0
        ? fmt.percent(0, 0)
        : t("whatIf.perMonth", { rate: `${signOf(rate)}${fmt.percent(Math.abs(rate), 2)}` }),
    [fmt, t],
  );
  const option = useMemo(() => (data ? buildOption(data, fmt, rateLabel) : null), [data, fmt, rateLabel]);

  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    const percent = Number(draft.replace(",", ".").replace("\u2212", "-"));
    if (!draft.trim() || !Number.isFinite(percent) || percent <= -100 || percent > 100) {
      setDraftError(t("whatIf.invalidRate"));
      return;
    }
    const rate = Math.round(percent * 100) / 10000;
    setDraftError(null);
    setDraft("");
    if (!rates.includes(rate)) setCustomRates((current) => [...current, rate]);
  };

  const controls = (
    <div className="what-if-controls">
      <label className="inline-field">
        <span className="filter-label">{t("whatIf.horizon")}</span>
        <select
          className="select"
          value={horizon}
          onChange={(e) => setHorizon(Number(e.target.value))}
          data-testid="whatif-horizon"
        >
          {HORIZONS.map((h) => (
            <option key={h} value={h}>
              {t("whatIf.horizonMonths", { count: h })}
            </option>
          ))}
        </select>
      </label>
      <form className="inline-form" onSubmit={onAdd}>
        <label className="inline-field">
          <span className="visually-hidden">{t("whatIf.customRate")}</span>
          <input
            className="input input-rate"
            inputMode="decimal"
            placeholder={t("whatIf.customRate")}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={draftError ? true : undefined}
            data-testid="whatif-rate-input"
          />
        </label>
        <button type="submit" className="button button-small" data-testid="whatif-rate-add">
          {t("whatIf.add")}
        </button>
      </form>
    </div>
  );

  return (
    <Card
      title={t("whatIf.title")}
      subtitle={
        data
          ? t("whatIf.subtitle", {
              mrr: fmt.currency(data.startMrr),
              month:
                data.startMonth === monthToDate
                  ? `${fmt.month(data.startMonth)} (${t("revenue.mtdLong")})`
                  : fmt.month(data.startMonth),
            })
          : undefined
      }
      actions={controls}
      testId="what-if"
    >
      {draftError ? (
        <p className="form-error" role="alert">
          {draftError}
        </p>
      ) : null}
      {customRates.length > 0 ? (
        <div className="chips what-if-chips">
          {customRates.map((rate) => (
            <span key={rate} className="chip chip-removable">
              {rateLabel(rate)}
              <button
                type="button"
                className="chip-remove"
                aria-label={t("whatIf.remove", { label: rateLabel(rate) })}
                onClick={() => setCustomRates((current) => current.filter((r) => r !== rate))}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      ) : null}
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {option ? (
        <EChart option={option} height={320} testId="whatif-chart" ariaLabel={t("whatIf.title")} />
      ) : query.isPending ? (
        <ChartSkeleton height={320} />
      ) : null}
    </Card>
  );
}
