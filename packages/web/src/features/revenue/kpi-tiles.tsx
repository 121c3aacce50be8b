import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { KpiFormat, KpiKey, KpisResponse, KpiTile } from "../../api/types";
import { ErrorBanner, Skeleton } from "../../components/states";
import { signOf } from "../../lib/format";
import { type Formatters, useFormatters } from "../../lib/use-formatters";

const ORDER: readonly KpiKey[] = [
  "mrr",
  "arr",
  "ndr",
  "grr",
  "logoChurnRate",
  "arpa",
  "ltvToCac",
  "paybackMonths",
];
const LOWER_IS_BETTER: ReadonlySet<KpiKey> = new Set(["logoChurnRate", "paybackMonths"]);

/** Formats a KPI value by its declared format. */
export function formatKpiValue(fmt: Formatters, format: KpiFormat, value: number): string {
  switch (format) {
    case "currency":
      return fmt.currency(value);
    case "percent":
      return fmt.percent(value, 1);
    case "ratio":
      return fmt.ratio(value);
    case "months":
      return fmt.months(value);
  }
}

function ChangeLine({ tile, previousMonth }: { tile: KpiTile; previousMonth: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const vs = t("kpi.vsPrevious", { month: fmt.month(previousMonth) });
  if (tile.change === null || !Number.isFinite(tile.change)) {
    return <div className="kpi-change kpi-change-neutral">{t("kpi.noPrevious")}</div>;
  }
  const change = tile.change;
  // Percent tiles report percentage points; the others a relative change.
  const magnitude =
    tile.format === "percent"
      ? t("format.percentPoints", { value: `${signOf(change)}${fmt.number(Math.abs(change) * 100, 1)}` })
      : `${signOf(change)}${fmt.percent(Math.abs(change), 1)}`;
  const rounded = Math.abs(change) < 0.0005;
  const better = LOWER_IS_BETTER.has(tile.key) ? change < 0 : change > 0;
  const tone = rounded ? "neutral" : better ? "good" : "bad";
  const arrow = rounded ? "→" : change > 0 ? "▲" : "▼";
  const direction = rounded ? t("kpi.unchanged") : change > 0 ? t("kpi.increase") : t("kpi.decrease");
  return (
    <div className={`kpi-change kpi-change-${tone}`} data-change={change} data-tone={tone}>
      <span className="kpi-arrow" role="img" aria-label={direction}>
        {arrow}
      </span>
      <span>{magnitude}</span>
      <span className="muted">{vs}</span>
    </div>
  );
}

function Tile({ tile, data }: { tile: KpiTile; data: KpisResponse }) {
  const { t } = useTranslation();
  const fmt = useFormatters(data.currency);
  const value = tile.value === null ? t("kpi.notAvailable") : formatKpiValue(fmt, tile.format, tile.value);
  const previous = tile.previous === null ? undefined : formatKpiValue(fmt, tile.format, tile.previous);
  return (
    <div
      className="kpi-tile"
      data-testid={`kpi-${tile.key}`}
      data-value={tile.value === null ? "" : String(tile.value)}
      title={previous ? `${fmt.month(data.previousMonth)}: ${previous}` : undefined}
    >
      <div className="kpi-label">
        {t(`kpi.${tile.key}`)}
        {data.partial ? (
          <span className="badge badge-muted mtd-badge" data-testid="kpi-mtd">
            {t("revenue.mtdShort")}
          </span>
        ) : null}
      </div>
      <div className={tile.value === null ? "kpi-value kpi-value-missing" : "kpi-value"}>{value}</div>
      <ChangeLine tile={tile} previousMonth={data.previousMonth} />
    </div>
  );
}

/** The eight headline KPI tiles with change vs the previous month. */
export function KpiTiles({ query }: { query: UseQueryResult<KpisResponse> }) {
  const { t } = useTranslation();
  if (query.isError) return <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) {
    return (
      <div className="kpi-grid" role="status" aria-label={t("app.loading")}>
        {ORDER.map((key) => (
          <div key={key} className="kpi-tile">
            <Skeleton height={12} width="50%" />
            <Skeleton height={28} width="70%" />
            <Skeleton height={12} width="60%" />
          </div>
        ))}
      </div>
    );
  }
  const data = query.data;
  const tiles = [...data.tiles].sort((a, b) => rank(a.key) - rank(b.key));
  return (
    <section className="kpi-grid" aria-label={t("kpi.label")} data-testid="kpis">
      {tiles.map((tile) => (
        <Tile key={tile.key} tile={tile} data={data} />
      ))}
    </section>
  );
}

function rank(key: KpiKey): number {
  const index = ORDER.indexOf(key);
  return index === -1 ? ORDER.length : index;
}
