import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { AccountOverview } from "../../api/account-types";
import type { MovementKind } from "../../api/types";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { EmptyState } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL, MOVEMENT_COLORS, MRR_COLOR, SPLIT_LINE } from "../revenue/colors";
import { type MonthToDate, monthAxisLabels, monthTitle, splitMonthToDate } from "../revenue/month-to-date";

function mrrOption(
  months: AccountOverview["revenue"]["months"],
  fmt: Formatters,
  name: string,
  mtd: MonthToDate,
): ChartOption {
  const keys = months.map((m) => m.month);
  // The running month's step is dotted: MRR at today, not at month end.
  const mrr = splitMonthToDate(
    months.map((m) => m.mrr),
    keys,
    mtd,
  );
  return {
    animationDuration: 300,
    grid: { left: 8, right: 8, top: 12, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const row = months[list[0]?.dataIndex ?? 0];
        return row ? `${monthTitle(row.month, fmt, mtd)}<br/>${name}: <b>${fmt.currency(row.mrr)}</b>` : "";
      },
    },
    xAxis: {
      type: "category",
      data: monthAxisLabels(keys, fmt, mtd),
      // The last (running) month keeps its label and MTD tag however many months are skipped.
      axisLabel: { ...AXIS_LABEL, showMaxLabel: true, alignMaxLabel: "right" },
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: {
      type: "value",
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.currencyCompact(v) },
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        type: "line",
        name,
        step: "end",
        symbol: "none",
        lineStyle: { width: 2, color: MRR_COLOR },
        itemStyle: { color: MRR_COLOR },
        areaStyle: { color: "rgba(30, 64, 175, 0.08)" },
        data: mrr.complete,
      },
      ...(mrr.partial.length > 0
        ? [
            {
              type: "line" as const,
              name,
              step: "end" as const,
              symbol: "none",
              lineStyle: { width: 2, color: MRR_COLOR, type: "dotted" as const },
              itemStyle: { color: MRR_COLOR },
              data: mrr.partial,
            },
          ]
        : []),
    ],
  };
}

const isKind = (kind: string): kind is MovementKind => kind in MOVEMENT_COLORS;

/** The account's MRR by month and its movements (new, expansion, contraction, churn, reactivation). */
export function RevenueCard({ data }: { data: AccountOverview }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const { months, movements } = data.revenue;
  const running = data.revenue.monthToDate ?? null;
  const option = useMemo(
    () =>
      mrrOption(months, fmt, t("kpi.mrr"), {
        month: running,
        short: t("revenue.mtdShort"),
        long: t("revenue.mtdLong"),
      }),
    [months, fmt, t, running],
  );
  const newestFirst = [...movements].sort((a, b) => b.month.localeCompare(a.month));
  return (
    <Card title={t("account.revenueTitle")} testId="account-revenue">
      {months.length === 0 ? (
        <EmptyState>{t("account.noRevenue")}</EmptyState>
      ) : (
        <div className="two-columns">
          <EChart
            option={option}
            height={220}
            testId="account-mrr-chart"
            ariaLabel={t("account.revenueTitle")}
          />
          <div className="scroll-box">
            <table className="table" data-testid="account-movements">
              <thead>
                <tr>
                  <th scope="col">{t("movements.month")}</th>
                  <th scope="col">{t("account.movement")}</th>
                  <th scope="col" className="num">
                    {t("drilldown.amount")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((m) => (
                  <tr
                    key={`${m.month}-${m.kind}`}
                    data-month={m.month}
                    data-kind={m.kind}
                    data-value={m.amount}
                  >
                    <td>
                      {fmt.month(m.month)}
                      {m.month === running ? (
                        <span className="badge badge-muted mtd-badge">{t("revenue.mtdShort")}</span>
                      ) : null}
                    </td>
                    <td>
                      {isKind(m.kind) ? (
                        <span
                          className="swatch"
                          style={{ background: MOVEMENT_COLORS[m.kind] }}
                          aria-hidden="true"
                        />
                      ) : null}
                      {t(`movements.kinds.${m.kind}`, { defaultValue: m.kind })}
                    </td>
                    <td className={m.amount < 0 ? "num negative" : "num positive"}>
                      {fmt.signedCurrency(m.amount)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Card>
  );
}
