import { renderMessage, type TextLocale, type TextMessage } from "../text/message";
import { DEFAULT_SCORECARD } from "./default-scorecard";
import { EXPLAIN_MESSAGES_EN, EXPLAIN_MESSAGES_ZH } from "./explain-messages";
import { METRIC_CATALOG, type MetricKey } from "./metric-catalog";
import type { AccountScore, MeasureScore } from "./scorecard-types";

const CATALOGS = { en: EXPLAIN_MESSAGES_EN, "zh-CN": EXPLAIN_MESSAGES_ZH } as const;

/** One decimal at most: figures in sentences. */
const r1 = (x: number): number => Math.round(x * 10) / 10;
const msg = (key: string, params: TextMessage["params"] = {}): TextMessage => ({ key, params });

function change(metric: "activeUsersTrend" | "mrrTrend3m", ratio: number): TextMessage {
  const d = (ratio - 1) * 100;
  if (Math.abs(d) < 0.5) return msg(`explain.metric.${metric}.flat`);
  return msg(`explain.metric.${metric}.${d < 0 ? "down" : "up"}`, { pct: r1(Math.abs(d)) });
}

/** One phrase for a metric value as a message, e.g. "active users down 52% over 4 weeks". */
export function metricValueMessage(metric: MetricKey, value: number): TextMessage {
  const count = (): TextMessage => msg(`explain.metric.${metric}`, { count: r1(value) });
  switch (metric) {
    case "keyRoleCoverage":
      return msg("explain.metric.keyRoleCoverage", { covered: Math.round(value * 3) });
    case "championPresent":
      return msg(`explain.metric.championPresent.${value >= 1 ? "yes" : "no"}`);
    case "activeUsersTrend":
    case "mrrTrend3m":
      return change(metric, value);
    case "seatUtilisation":
    case "keyFeatureAdoption":
      return msg(`explain.metric.${metric}`, { pct: r1(value * 100) });
    case "quotaUsedPct":
    case "discountPct":
      return msg(`explain.metric.${metric}`, { pct: r1(value) });
    case "paymentIssues90d":
      return value === 0
        ? msg("explain.metric.paymentIssues90d.none")
        : msg("explain.metric.paymentIssues90d.some", { count: r1(value) });
    case "npsScore":
      return msg("explain.metric.npsScore", { score: r1(value) });
    case "daysSinceLastTouch":
    case "activeUsers30d":
    case "activeDepartments":
    case "ticketsLast30d":
    case "openUrgentTickets":
    case "daysSinceLastLogin":
    case "daysToRenewal":
      return count();
  }
}

/** One phrase for a metric value in English, e.g. "active users down 52% over 4 weeks", "1 of 3 key roles covered". */
export function describeMetricValue(metric: MetricKey, value: number): string {
  return renderMessage(CATALOGS, "en", metricValueMessage(metric, value));
}

// Labels the product ships (catalogue and default scorecard): translated; a label a user wrote is shown as written.
const STOCK_LABELS = new Map<MetricKey, Set<string>>();
for (const info of Object.values(METRIC_CATALOG)) STOCK_LABELS.set(info.key, new Set([info.label]));
for (const profile of DEFAULT_SCORECARD.profiles)
  for (const d of profile.dimensions) for (const m of d.measures) STOCK_LABELS.get(m.metric)?.add(m.label);
const STOCK_DIMENSIONS: Record<string, string> = { people: "People", product: "Product", money: "Money" };

/** A measure's name: the metric's translated name when the label is the product's own, else the label as written. */
export function measureName(metric: MetricKey, label: string): TextMessage | string {
  return STOCK_LABELS.get(metric)?.has(label) ? msg(`metric.${metric}`) : label;
}

/** A dimension's name: translated for the default dimensions under their own label, else the label as written. */
export function dimensionName(key: string, label: string): TextMessage | string {
  return STOCK_DIMENSIONS[key] === label ? msg(`explain.dimensionName.${key}`) : label;
}

const STOCK_PROFILES = new Map(DEFAULT_SCORECARD.profiles.map((p) => [p.id, p.name]));

/** A scorecard profile's name: translated for the default scorecard's profiles under their own name. */
export function profileName(id: string, name: string): TextMessage | string {
  return STOCK_PROFILES.get(id) === name ? msg(`explain.profileName.${id}`) : name;
}

/** A name as a message parameter (a user's label is data and passes through as it is). */
const nameParam = (name: TextMessage | string): TextMessage =>
  typeof name === "string" ? msg("explain.raw", { text: name }) : name;

/** How many measures each dimension sentence mentions (the weakest first). */
const MEASURES_PER_SENTENCE = 3;

/**
 * The sentences explaining a score, worst dimension first, as messages the reader's language renders, e.g.
 * "Product 38/100 (weight 40%): active users down 52% over 4 weeks; 1 of 3 key roles covered".
 */
export function explainScore(score: AccountScore): TextMessage[] {
  if (score.score === null) return [msg("explain.noScore")];
  const out = [msg("explain.total", { score: r1(score.score), band: msg(`explain.band.${score.band}`) })];
  const withData = score.dimensions.filter((d) => d.score !== null);
  withData.sort((a, b) => (a.score as number) - (b.score as number));
  for (const d of withData) {
    const measures = d.measures
      .filter(
        (m): m is MeasureScore & { value: number; score: number } => m.value !== null && m.score !== null,
      )
      .sort((a, b) => a.score - b.score || b.weight - a.weight)
      .slice(0, MEASURES_PER_SENTENCE)
      .map((m) => metricValueMessage(m.metric, m.value));
    out.push(
      msg("explain.dimension", {
        dimension: nameParam(dimensionName(d.key, d.label)),
        score: r1(d.score as number),
        weight: r1(d.effectiveWeight * 100),
        measures,
      }),
    );
  }
  for (const d of score.dimensions) {
    if (d.score === null)
      out.push(msg("explain.dimensionNoData", { dimension: nameParam(dimensionName(d.key, d.label)) }));
  }
  const missing = score.dimensions
    .filter((d) => d.score !== null)
    .flatMap((d) =>
      d.measures.filter((m) => m.missing).map((m) => nameParam(measureName(m.metric, m.label))),
    );
  if (missing.length > 0) out.push(msg("explain.missing", { measureNames: missing }));
  return out;
}

/** The explanation rendered in one language (English by default), for the CLI and API readers. */
export function explainScoreText(score: AccountScore, locale: TextLocale = "en"): string[] {
  return explainScore(score).map((m) => renderMessage(CATALOGS, locale, m));
}
