/**
 * The inputs of health scorecards. Each metric is one number per account, computed elsewhere (services)
 * from usage, CRM and billing data; the scorecard only turns numbers into scores.
 */

export const METRIC_KEYS = [
  "keyRoleCoverage",
  "daysSinceLastTouch",
  "championPresent",
  "activeUsers30d",
  "activeUsersTrend",
  "seatUtilisation",
  "keyFeatureAdoption",
  "activeDepartments",
  "ticketsLast30d",
  "openUrgentTickets",
  "daysSinceLastLogin",
  "quotaUsedPct",
  "discountPct",
  "paymentIssues90d",
  "mrrTrend3m",
  "daysToRenewal",
  "npsScore",
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];

/** Metric values of one account; a missing or null value means "no data" (never "zero"). */
export type MetricValues = Partial<Record<MetricKey, number | null>>;

/** The three dimensions of seed 000: people (relationships), product (usage, stability), money. */
export type HealthDimensionKey = "people" | "product" | "money";

export type MetricUnit = "ratio" | "share" | "flag" | "count" | "days" | "percent" | "score";

export interface MetricInfo {
  key: MetricKey;
  label: string;
  unit: MetricUnit;
  description: string;
  /** The dimension the metric usually belongs to; a scorecard may put it anywhere. */
  dimension: HealthDimensionKey;
  /** Direction of "good"; informative (scoring direction comes from each measure's configuration). */
  higherIsBetter: boolean;
}

/** Documented catalogue of every metric a scorecard measure can use. */
export const METRIC_CATALOG: Readonly<Record<MetricKey, MetricInfo>> = {
  keyRoleCoverage: {
    key: "keyRoleCoverage",
    label: "Key role coverage",
    unit: "share",
    description:
      "Share (0-1) of the key roles champion, decision_maker and admin held by at least one known contact.",
    dimension: "people",
    higherIsBetter: true,
  },
  daysSinceLastTouch: {
    key: "daysSinceLastTouch",
    label: "Days since last touch",
    unit: "days",
    description: "Days since the most recent interaction (call, meeting, email) with any contact.",
    dimension: "people",
    higherIsBetter: false,
  },
  championPresent: {
    key: "championPresent",
    label: "Champion present",
    unit: "flag",
    description: "1 when a contact holds the champion role, 0 otherwise.",
    dimension: "people",
    higherIsBetter: true,
  },
  activeUsers30d: {
    key: "activeUsers30d",
    // The key keeps its first name so saved scorecards stay valid; the window is 28 days like every
    // other "active users" figure (account page, seats, models).
    label: "Active users (28 days)",
    unit: "count",
    description: "Distinct users active in the product in the 28 days ending today.",
    dimension: "product",
    higherIsBetter: true,
  },
  activeUsersTrend: {
    key: "activeUsersTrend",
    label: "Active users trend",
    unit: "ratio",
    description:
      "Active users of the last 4 weeks divided by those of the 4 weeks before (1 = flat, 0.5 = halved).",
    dimension: "product",
    higherIsBetter: true,
  },
  seatUtilisation: {
    key: "seatUtilisation",
    label: "Seat utilisation",
    unit: "share",
    description: "Active users divided by licensed seats (0-1, above 1 when over-using).",
    dimension: "product",
    higherIsBetter: true,
  },
  keyFeatureAdoption: {
    key: "keyFeatureAdoption",
    label: "Key feature adoption",
    unit: "share",
    description: "Share (0-1) of the key features used at least once in the last 30 days.",
    dimension: "product",
    higherIsBetter: true,
  },
  activeDepartments: {
    key: "activeDepartments",
    label: "Active departments",
    unit: "count",
    description: "Departments (or teams) with at least one active user in the last 30 days.",
    dimension: "product",
    higherIsBetter: true,
  },
  ticketsLast30d: {
    key: "ticketsLast30d",
    label: "Tickets (30 days)",
    unit: "count",
    description: "Support tickets opened in the last 30 days (a stability signal).",
    dimension: "product",
    higherIsBetter: false,
  },
  openUrgentTickets: {
    key: "openUrgentTickets",
    label: "Open urgent tickets",
    unit: "count",
    description: "Urgent or high-priority tickets currently open.",
    dimension: "product",
    higherIsBetter: false,
  },
  daysSinceLastLogin: {
    key: "daysSinceLastLogin",
    label: "Days since last login",
    unit: "days",
    description: "Days since any user of the account last logged in.",
    dimension: "product",
    higherIsBetter: false,
  },
  quotaUsedPct: {
    key: "quotaUsedPct",
    label: "Quota used",
    unit: "percent",
    description:
      "Percent (0-100+) of the contracted quota (data volume, events, credits) consumed in the contract term; high use is an expansion signal rather than a risk.",
    dimension: "product",
    higherIsBetter: true,
  },
  discountPct: {
    key: "discountPct",
    label: "Discount",
    unit: "percent",
    description:
      "Discount (0-100) on the current subscriptions, weighted by MRR; deep discounts are a renewal risk (seed 000).",
    dimension: "money",
    higherIsBetter: false,
  },
  paymentIssues90d: {
    key: "paymentIssues90d",
    label: "Payment issues (90 days)",
    unit: "count",
    description: "Failed payments, overdue or disputed invoices in the last 90 days.",
    dimension: "money",
    higherIsBetter: false,
  },
  mrrTrend3m: {
    key: "mrrTrend3m",
    label: "MRR trend (3 months)",
    unit: "ratio",
    description: "MRR now divided by MRR 3 months ago (1 = flat, 1.2 = grew 20%).",
    dimension: "money",
    higherIsBetter: true,
  },
  daysToRenewal: {
    key: "daysToRenewal",
    label: "Days to renewal",
    unit: "days",
    description:
      "Days until the next contract renewal; urgency rather than health, used by signals and forecasts.",
    dimension: "money",
    higherIsBetter: true,
  },
  npsScore: {
    key: "npsScore",
    label: "NPS answer",
    unit: "score",
    description:
      "Mean of the latest 0-10 'how likely to recommend' answer of each responding contact (0-6 detractor, 9-10 promoter); a per-account -100..100 NPS is too noisy with few respondents.",
    dimension: "money",
    higherIsBetter: true,
  },
};

/** True when `key` is a known metric key. */
export function isMetricKey(key: string): key is MetricKey {
  return Object.hasOwn(METRIC_CATALOG, key);
}
