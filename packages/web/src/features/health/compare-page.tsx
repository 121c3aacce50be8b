import { useNavigate, useSearch } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Band, SegmentComparison } from "../../api/account-types";
import { Card } from "../../components/card";
import { EChart } from "../../components/echart";
import { ChartSkeleton, EmptyState, ErrorBanner } from "../../components/states";
import { useLabels } from "../../lib/labels";
import { useFormatters } from "../../lib/use-formatters";
import { BAND_COLORS } from "../accounts/health-badges";
import { useCompare, useScorecard } from "../accounts/queries";
import { bandsOption, heatmapOption } from "./compare-charts";

/** Attributes the comparison can split by (GET /api/scores/compare?attribute=). */
export const COMPARE_ATTRIBUTES = [
  "tier",
  "owner",
  "industry",
  "region",
  "lifecycleStage",
  "segment",
  "channel",
] as const;
export type CompareAttribute = (typeof COMPARE_ATTRIBUTES)[number];

/** /health/compare URL state. */
export interface CompareSearch {
  attribute?: CompareAttribute;
}

/** Keeps only a known attribute. */
export function parseCompareSearch(raw: Record<string, unknown>): CompareSearch {
  const attribute = COMPARE_ATTRIBUTES.find((a) => a === raw.attribute);
  return attribute ? { attribute } : {};
}

const BANDS: readonly Band[] = ["red", "yellow", "green", "none"];

/** Ten 10-point bins as a tiny bar strip. */
function MiniHistogram({ bins }: { bins: number[] }) {
  const max = Math.max(1, ...bins);
  return (
    <span className="mini-histogram" data-testid="segment-histogram" data-value={bins.join(",")}>
      {bins.map((n, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: the bins are positional (0-10, 10-20, ...)
          key={i}
          className="mini-histogram-bar"
          style={{
            height: `${(n / max) * 100}%`,
            background: i < 4 ? BAND_COLORS.red : i < 7 ? BAND_COLORS.yellow : BAND_COLORS.green,
          }}
          title={`${i * 10}-${i * 10 + 10}: ${n}`}
        />
      ))}
    </span>
  );
}

/** A band distribution as one stacked strip. */
function BandStrip({ segment }: { segment: SegmentComparison }) {
  const { t } = useTranslation();
  return (
    <span
      className="band-strip"
      data-testid="segment-bands"
      data-value={BANDS.map((b) => segment.bands[b]).join(",")}
    >
      {BANDS.map((band) =>
        segment.bands[band] > 0 ? (
          <span
            key={band}
            style={{ flexGrow: segment.bands[band], background: BAND_COLORS[band] }}
            title={`${t(`health.bands.${band}`)}: ${segment.bands[band]}`}
          />
        ) : null,
      )}
    </span>
  );
}

/** The same scorecard applied to segments side by side: bands, score distribution, measure means. */
export function ComparePage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const search = useSearch({ from: "/health/compare" });
  const navigate = useNavigate({ from: "/health/compare" });
  const attribute = search.attribute ?? "tier";
  const query = useCompare(attribute);
  const scorecard = useScorecard();
  const segments = query.data?.segments ?? [];
  const labels = useLabels();
  const label = useMemo(
    () => (s: SegmentComparison) =>
      s.value === null ? t("compare.notSet") : labels.value(attribute, s.value),
    [t, labels, attribute],
  );

  const heatRows = useMemo(() => {
    const names = new Map<string, string>();
    const dims = new Map<string, string>();
    for (const profile of scorecard.data?.profiles ?? []) {
      for (const d of profile.dimensions) {
        dims.set(d.key, labels.dimension(d.key, d.label));
        for (const m of d.measures) names.set(m.key, labels.measure(m.metric, m.label));
      }
    }
    const rows: { key: string; label: string; kind: "dimension" | "measure" }[] = [];
    const seen = new Set<string>();
    for (const s of segments) {
      for (const d of s.dimensions) {
        if (seen.has(`d:${d.key}`)) continue;
        seen.add(`d:${d.key}`);
        rows.push({
          key: d.key,
          label: dims.get(d.key) ?? t(`health.dimensions.${d.key}`, { defaultValue: d.key }),
          kind: "dimension",
        });
      }
    }
    for (const s of segments) {
      for (const m of s.measures) {
        if (seen.has(`m:${m.key}`)) continue;
        seen.add(`m:${m.key}`);
        rows.push({ key: m.key, label: names.get(m.key) ?? m.key, kind: "measure" });
      }
    }
    return rows;
  }, [segments, scorecard.data, t, labels]);

  const bands = useMemo(
    () => bandsOption(segments, label, (b) => t(`health.bands.${b}`), fmt),
    [segments, label, t, fmt],
  );
  const heat = useMemo(() => heatmapOption(segments, label, heatRows, fmt), [segments, label, heatRows, fmt]);

  return (
    <div className="page" data-testid="compare-page">
      <div className="page-header">
        <h1 className="page-title">{t("compare.title")}</h1>
        <span className="muted">{t("compare.subtitle")}</span>
      </div>
      <div className="filter-bar">
        <label className="inline-field">
          <span className="filter-label">{t("compare.attribute")}</span>
          <select
            className="select"
            value={attribute}
            onChange={(e) => void navigate({ search: { attribute: e.target.value as CompareAttribute } })}
            data-testid="compare-attribute"
          >
            {COMPARE_ATTRIBUTES.map((a) => (
              <option key={a} value={a}>
                {t(`filters.attributes.${a}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!query.data ? (
        query.isPending ? (
          <ChartSkeleton />
        ) : null
      ) : segments.length === 0 ? (
        <EmptyState>{t("compare.empty")}</EmptyState>
      ) : (
        <>
          <Card
            title={t("compare.segmentsTitle")}
            subtitle={t("compare.segmentsSubtitle")}
            testId="compare-segments"
          >
            <div className="table-wrap">
              <table className="table" data-testid="compare-table">
                <thead>
                  <tr>
                    <th scope="col">{t(`filters.attributes.${attribute}`)}</th>
                    <th scope="col" className="num">
                      {t("compare.accounts")}
                    </th>
                    <th scope="col" className="num">
                      {t("compare.mean")}
                    </th>
                    <th scope="col" className="num">
                      {t("compare.median")}
                    </th>
                    <th scope="col">{t("compare.bands")}</th>
                    <th scope="col">{t("compare.histogram")}</th>
                  </tr>
                </thead>
                <tbody>
                  {segments.map((s) => (
                    <tr
                      key={s.value ?? "\u0000"}
                      data-testid="compare-row"
                      data-segment={s.value ?? ""}
                      data-mean={s.mean ?? ""}
                    >
                      <th scope="row">{label(s)}</th>
                      <td className="num">{fmt.number(s.accounts)}</td>
                      <td className="num strong">{s.mean === null ? fmt.missing : fmt.number(s.mean, 1)}</td>
                      <td className="num">{s.median === null ? fmt.missing : fmt.number(s.median, 1)}</td>
                      <td className="cell-strip">
                        <BandStrip segment={s} />
                      </td>
                      <td>
                        <MiniHistogram bins={s.histogram} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
          <Card title={t("compare.bandsTitle")} testId="compare-bands">
            <EChart
              option={bands}
              height={Math.max(160, segments.length * 30 + 60)}
              testId="compare-bands-chart"
              ariaLabel={t("compare.bandsTitle")}
            />
          </Card>
          <Card
            title={t("compare.heatmapTitle")}
            subtitle={t("compare.heatmapSubtitle")}
            testId="compare-heatmap"
          >
            <EChart
              option={heat}
              height={Math.max(240, heatRows.length * 24 + 110)}
              testId="compare-heatmap-chart"
              ariaLabel={t("compare.heatmapTitle")}
            />
          </Card>
        </>
      )}
    </div>
  );
}
