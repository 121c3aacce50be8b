import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ChannelEconomics } from "../../api/types";
import { Card } from "../../components/card";
import { useCodeLabel } from "../../components/display-names";
import { type ChartOption, EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL, PALETTE, SPLIT_LINE } from "./colors";
import { useUnitEconomics } from "./queries";
import type { RevenueSearch } from "./search";

const HEALTHY_LTV_TO_CAC = 3;
const HEALTHY_PAYBACK_MONTHS = 12;

function buildOption(
  channels: ChannelEconomics[],
  fmt: Formatters,
  names: { cac: string; ltv: string },
  channelName: (code: string) => string,
): ChartOption {
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { color: "#374151" } },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (v) => (typeof v === "number" ? fmt.currency(v) : fmt.missing),
    },
    xAxis: {
      type: "category",
      data: channels.map((c) => channelName(c.channel)),
      axisLabel: { ...AXIS_LABEL, interval: 0 },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: {
      type: "value",
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.currencyCompact(v) },
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        id: "cac",
        name: names.cac,
        type: "bar",
        barMaxWidth: 28,
        itemStyle: { color: PALETTE[3] },
        data: channels.map((c) => c.cac ?? "-"),
      },
      {
        id: "ltv",
        name: names.ltv,
        type: "bar",
        barMaxWidth: 28,
        itemStyle: { color: PALETTE[0] },
        data: channels.map((c) => c.ltv ?? "-"),
      },
    ],
  };
}

function Health({ value, healthy, children }: { value: number | null; healthy: boolean; children: string }) {
  const { t } = useTranslation();
  if (value === null) return <span className="muted">—</span>;
  return (
    <span
      className={healthy ? "pill pill-good" : "pill pill-bad"}
      title={healthy ? t("unit.healthy") : t("unit.unhealthy")}
    >
      {children}
    </span>
  );
}

function ChannelRow({ row, fmt, overall }: { row: ChannelEconomics; fmt: Formatters; overall?: boolean }) {
  const { t } = useTranslation();
  const codeLabel = useCodeLabel();
  const money = (v: number | null) => (v === null ? fmt.missing : fmt.currency(v));
  return (
    <tr data-channel={overall ? "" : row.channel} className={overall ? "row-total" : undefined}>
      <th scope="row">{overall ? t("unit.overall") : codeLabel("channel", row.channel)}</th>
      <td className="num" data-value={row.spend}>
        {fmt.currency(row.spend)}
      </td>
      <td className="num" data-value={row.newCustomers}>
        {fmt.number(row.newCustomers)}
      </td>
      <td className="num" data-value={row.cac ?? ""}>
        {money(row.cac)}
      </td>
      <td className="num" data-value={row.arpaNew ?? ""}>
        {money(row.arpaNew)}
      </td>
      <td className="num" data-value={row.ltv ?? ""}>
        {money(row.ltv)}
      </td>
      <td className="num" data-value={row.ltvToCac ?? ""} data-metric="ltvToCac">
        <Health value={row.ltvToCac} healthy={(row.ltvToCac ?? 0) > HEALTHY_LTV_TO_CAC}>
          {row.ltvToCac === null ? "" : fmt.ratio(row.ltvToCac)}
        </Health>
      </td>
      <td className="num" data-value={row.paybackMonths ?? ""} data-metric="paybackMonths">
        <Health
          value={row.paybackMonths}
          healthy={row.paybackMonths !== null && row.paybackMonths < HEALTHY_PAYBACK_MONTHS}
        >
          {row.paybackMonths === null ? "" : fmt.months(row.paybackMonths)}
        </Health>
      </td>
    </tr>
  );
}

/** CAC vs LTV per acquisition channel, with the table behind it. */
export function UnitEconomicsCard({ search }: { search: RevenueSearch }) {
  const { t } = useTranslation();
  const query = useUnitEconomics(search);
  const data = query.data;
  const fmt = useFormatters(data?.currency);
  const codeLabel = useCodeLabel();
  const option = useMemo(
    () =>
      data && data.channels.length > 0
        ? buildOption(data.channels, fmt, { cac: t("unit.cac"), ltv: t("unit.ltv") }, (c) =>
            codeLabel("channel", c),
          )
        : null,
    [data, fmt, t, codeLabel],
  );
  const subtitle = data
    ? t("unit.subtitle", {
        margin: fmt.percent(data.grossMargin, 0),
        arpa: data.arpa === null ? fmt.missing : fmt.currency(data.arpa),
        churn: data.logoChurnRate === null ? fmt.missing : fmt.percent(data.logoChurnRate, 2),
        ltv: data.ltv === null ? fmt.missing : fmt.currency(data.ltv),
      })
    : undefined;

  return (
    <Card title={t("unit.title")} subtitle={subtitle} testId="unit-economics">
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? <ChartSkeleton height={260} /> : null}
      {data && data.channels.length === 0 ? <EmptyState>{t("unit.empty")}</EmptyState> : null}
      {option ? (
        <EChart option={option} height={260} testId="unit-economics-chart" ariaLabel={t("unit.title")} />
      ) : null}
      {data && data.channels.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="unit-economics-table">
            <thead>
              <tr>
                <th scope="col">{t("unit.channel")}</th>
                <th scope="col" className="num">
                  {t("unit.spend")}
                </th>
                <th scope="col" className="num">
                  {t("unit.newCustomers")}
                </th>
                <th scope="col" className="num">
                  {t("unit.cac")}
                </th>
                <th scope="col" className="num">
                  {t("unit.arpaNew")}
                </th>
                <th scope="col" className="num">
                  {t("unit.ltv")}
                </th>
                <th scope="col" className="num" title={t("unit.healthyLtv")}>
                  {t("unit.ltvToCac")}
                </th>
                <th scope="col" className="num" title={t("unit.healthyPayback")}>
                  {t("unit.payback")}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.channels.map((row) => (
                <ChannelRow key={row.channel} row={row} fmt={fmt} />
              ))}
            </tbody>
            <tfoot>
              <ChannelRow row={data.overall} fmt={fmt} overall />
            </tfoot>
          </table>
          <p className="muted small table-note">
            {t("unit.healthyLtv")} · {t("unit.healthyPayback")}
          </p>
        </div>
      ) : null}
    </Card>
  );
}
