import type { UseQueryResult } from "@tanstack/react-query";
import { useCallback, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { MetricsResponse, MovementKind } from "../../api/types";
import { Card } from "../../components/card";
import { type ChartClickEvent, type ChartOption, EChart } from "../../components/echart";
import { ExportButton } from "../../components/export-button";
import { ChartSkeleton } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { AXIS_LABEL, MOVEMENT_COLORS, MOVEMENT_ORDER, NET_COLOR, SPLIT_LINE } from "./colors";
import { type MonthToDate, monthAxisLabels, monthTitle, monthToDateBars } from "./month-to-date";
import { MovementDrilldown } from "./movement-drilldown";
import { MovementsTable } from "./movements-table";

interface Selection {
  month: string;
  kind: MovementKind;
}

function isMovementKind(value: unknown): value is MovementKind {
  return typeof value === "string" && (MOVEMENT_ORDER as readonly string[]).includes(value);
}

function buildOption(
  data: MetricsResponse,
  fmt: Formatters,
  label: (kind: MovementKind | "net") => string,
  mtd: MonthToDate,
): ChartOption {
  const months = data.months.map((m) => m.month);
  return {
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, textStyle: { color: "#374151" } },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const index = list[0]?.dataIndex ?? 0;
        const rows = list
          .map(
            (p) =>
              `${p.marker ?? ""}${p.seriesName ?? ""}: <b>${fmt.signedCurrency(Number(p.value ?? 0))}</b>`,
          )
          .join("<br/>");
        return `${monthTitle(months[index] ?? "", fmt, mtd)}<br/>${rows}`;
      },
    },
    xAxis: {
      type: "category",
      data: monthAxisLabels(months, fmt, mtd),
      axisLabel: { ...AXIS_LABEL, showMaxLabel: true },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: "#d1d5db" } },
    },
    yAxis: {
      type: "value",
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => fmt.currencyCompact(v) },
      splitLine: SPLIT_LINE,
    },
    series: [
      ...MOVEMENT_ORDER.map(
        (kind) =>
          ({
            id: kind,
            name: label(kind),
            type: "bar",
            stack: "movements",
            barMaxWidth: 36,
            itemStyle: { color: MOVEMENT_COLORS[kind] },
            emphasis: { focus: "series" },
            data: monthToDateBars(
              data.months.map((m) => m[kind]),
              months,
              mtd,
            ),
          }) as const,
      ),
      {
        id: "net",
        name: label("net"),
        type: "line",
        symbol: "circle",
        symbolSize: 6,
        itemStyle: { color: NET_COLOR },
        lineStyle: { width: 2 },
        z: 10,
        data: data.months.map((m) => m.netMovement),
      },
    ],
  };
}

/** Stacked monthly MRR movements with a net line, a data table toggle and a per-bar account drill-down. */
export function MovementsCard({
  query,
  segment,
  period,
}: {
  query: UseQueryResult<MetricsResponse>;
  segment: string | undefined;
  /** The months the page asks for (YYYY-MM; absent: the server's default), passed to the export. */
  period?: { from?: string; to?: string };
}) {
  const { t } = useTranslation();
  const fmt = useFormatters(query.data?.currency);
  const [showTable, setShowTable] = useState(false);
  const [selection, setSelection] = useState<Selection | null>(null);
  const tableId = useId();
  const data = query.data;

  const label = useCallback(
    (kind: MovementKind | "net") => (kind === "net" ? t("movements.net") : t(`movements.kinds.${kind}`)),
    [t],
  );
  const option = useMemo(
    () =>
      data
        ? buildOption(data, fmt, label, {
            month: data.monthToDate,
            short: t("revenue.mtdShort"),
            long: t("revenue.mtdLong"),
          })
        : null,
    [data, fmt, label, t],
  );
  const onClick = useCallback(
    (event: ChartClickEvent) => {
      const month = data?.months[event.dataIndex]?.month;
      if (event.seriesType === "bar" && isMovementKind(event.seriesId) && month) {
        setSelection({ month, kind: event.seriesId });
      }
    },
    [data],
  );
  const closeDrilldown = useCallback(() => setSelection(null), []);

  return (
    <Card
      title={t("movements.title")}
      subtitle={t("movements.subtitle")}
      testId="movements-card"
      actions={<ExportButton table="movements" query={{ segment, from: period?.from, to: period?.to }} />}
    >
      {option && data ? (
        <>
          <EChart
            option={option}
            onClick={onClick}
            height={340}
            testId="movements-chart"
            ariaLabel={t("movements.title")}
          />
          <div className="table-toggle">
            <button
              type="button"
              className="button button-ghost button-small"
              aria-expanded={showTable}
              aria-controls={tableId}
              onClick={() => setShowTable((v) => !v)}
              data-testid="movements-table-toggle"
            >
              {showTable ? t("movements.hideData") : t("movements.showData")}
            </button>
          </div>
          {showTable ? (
            <div id={tableId}>
              <MovementsTable data={data} onSelect={(month, kind) => setSelection({ month, kind })} />
            </div>
          ) : null}
        </>
      ) : (
        <div data-testid="movements-chart" data-loading="true">
          <ChartSkeleton height={340} />
        </div>
      )}
      {selection ? (
        <MovementDrilldown
          month={selection.month}
          kind={selection.kind}
          segment={segment}
          onClose={closeDrilldown}
        />
      ) : null}
    </Card>
  );
}
