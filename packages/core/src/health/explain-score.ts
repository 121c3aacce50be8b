import type { MetricKey } from "./metric-catalog";
import type { AccountScore, MeasureScore } from "./scorecard-types";

/** Short numbers for sentences: at most one decimal, no trailing ".0". */
function num(x: number): string {
  return String(Math.round(x * 10) / 10);
}

const pct = (share: number): string => `${num(share * 100)}%`;
const plural = (n: number, one: string, many: string): string => `${num(n)} ${n === 1 ? one : many}`;

function change(ratio: number, what: string, period: string): string {
  const d = (ratio - 1) * 100;
  if (Math.abs(d) < 0.5) return `${what} flat over ${period}`;
  return `${what} ${d < 0 ? "down" : "up"} ${num(Math.abs(d))}% over ${period}`;
}

/** One phrase for a metric value, e.g. "active users down 52% over 4 weeks", "1 of 3 key roles covered". */
export function describeMetricValue(metric: MetricKey, value: number): string {
  switch (metric) {
    case "keyRoleCoverage":
      return `${Math.round(value * 3)} of 3 key roles covered`;
    case "daysSinceLastTouch":
      return `last touch ${plural(value, "day", "days")} ago`;
    case "championPresent":
      return value >= 1 ? "champion present" : "no champion";
    case "activeUsers30d":
      return `${plural(value, "active user", "active users")} in 30 days`;
    case "activeUsersTrend":
      return change(value, "active users", "4 weeks");
    case "seatUtilisation":
      return `${pct(value)} of seats used`;
    case "keyFeatureAdoption":
      return `${pct(value)} of key features adopted`;
    case "activeDepartments":
      return plural(value, "active department", "active departments");
    case "ticketsLast30d":
      return `${plural(value, "ticket", "tickets")} in 30 days`;
    case "openUrgentTickets":
      return plural(value, "open urgent ticket", "open urgent tickets");
    case "daysSinceLastLogin":
      return `last login ${plural(value, "day", "days")} ago`;
    case "quotaUsedPct":
      return `${num(value)}% of quota used`;
    case "discountPct":
      return `${num(value)}% discount`;
    case "paymentIssues90d":
      return value === 0
        ? "no payment issues in 90 days"
        : `${plural(value, "payment issue", "payment issues")} in 90 days`;
    case "mrrTrend3m":
      return change(value, "MRR", "3 months");
    case "daysToRenewal":
      return `renewal in ${plural(value, "day", "days")}`;
    case "npsScore":
      return `NPS answer ${num(value)}/10`;
  }
}

/** How many measures each dimension sentence mentions (the weakest first). */
const MEASURES_PER_SENTENCE = 3;

/**
 * Short English sentences explaining a score, worst dimension first, e.g.
 * "Product 38/100 (weight 40%): active users down 52% over 4 weeks; 1 of 3 key roles covered".
 */
export function explainScore(score: AccountScore): string[] {
  if (score.score === null) return ["No health score: none of the scorecard's metrics has data"];
  const out = [`Health ${num(score.score)}/100 (${score.band})`];
  const withData = score.dimensions.filter((d) => d.score !== null);
  withData.sort((a, b) => (a.score as number) - (b.score as number));
  for (const d of withData) {
    const measures = d.measures
      .filter(
        (m): m is MeasureScore & { value: number; score: number } => m.value !== null && m.score !== null,
      )
      .sort((a, b) => a.score - b.score || b.weight - a.weight)
      .slice(0, MEASURES_PER_SENTENCE)
      .map((m) => describeMetricValue(m.metric, m.value));
    out.push(
      `${d.label} ${num(d.score as number)}/100 (weight ${pct(d.effectiveWeight)}): ${measures.join("; ")}`,
    );
  }
  for (const d of score.dimensions) {
    if (d.score === null) out.push(`${d.label}: no data, left out of the score`);
  }
  const missing = score.dimensions
    .filter((d) => d.score !== null)
    .flatMap((d) => d.measures.filter((m) => m.missing).map((m) => m.label));
  if (missing.length > 0) out.push(`No data for ${missing.join(", ")}; the other measures were reweighted`);
  return out;
}
