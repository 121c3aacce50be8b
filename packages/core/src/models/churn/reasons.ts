import type { PredictionReason } from "../ml/explain";
import type { DataRow } from "../ml/table";

/** Reason parameters: numbers are formatted by the viewer's locale, strings are data values. */
export type ReasonParams = Record<string, string | number>;

/**
 * A reason a CSM can read: an i18n key under `predictions.reason.*` with its parameters (so every
 * locale renders it in its own words), plus the model's push. Example: key "noActivity", params
 * { days: 41 } → "no activity for 41 days" / "41 天无使用".
 */
export interface ReasonFact extends PredictionReason {
  key: string;
  params: ReasonParams;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const round = (v: number, digits = 0) => Math.round(v * 10 ** digits) / 10 ** digits;
const pct = (v: number) => Math.round(v * 100);

/** Every reason key `describeReason` can give (the web app's i18n must have each in every locale). */
export const REASON_KEYS = [
  "noActivity",
  "neverUsed",
  "activeUsersChange",
  "activeUsers",
  "usageChange",
  "departments",
  "seatUse",
  "eventsPerSeat",
  "healthScore",
  "noHealthScore",
  "healthChange",
  "peopleHealth",
  "productHealth",
  "moneyHealth",
  "openRiskSignals",
  "tickets",
  "nps",
  "noNps",
  "contacts",
  "keyRoles",
  "touches",
  "lastTouch",
  "noTouch",
  "mrr",
  "mrrChange",
  "tenure",
  "plan",
  "billing",
  "discount",
  "seats",
  "products",
  "tier",
  "segment",
  "other",
] as const;

export type ReasonKey = (typeof REASON_KEYS)[number];

/** The fact behind one model reason, read from the row's features (the same row the model scored). */
export function describeReason(reason: PredictionReason, f: DataRow): ReasonFact {
  const fact = (key: ReasonKey, params: ReasonParams = {}): ReasonFact => ({ ...reason, key, params });
  const v = num(f[reason.feature]);
  switch (reason.feature) {
    case "daysSinceLastUsage":
      return v === null ? fact("neverUsed") : fact("noActivity", { days: v });
    case "activeUsers28d":
    case "activeUsersPrev28d":
    case "activeUsersTrend": {
      const now = num(f.activeUsers28d);
      const before = num(f.activeUsersPrev28d);
      if (now === null) return fact("neverUsed");
      return before === null || before === now
        ? fact("activeUsers", { count: round(now, 1) })
        : fact("activeUsersChange", { from: round(before, 1), to: round(now, 1) });
    }
    case "usageTrend":
      return v === null ? fact("neverUsed") : fact("usageChange", { change: pct(v - 1) });
    case "breadth":
      return fact("departments", { count: v ?? 0 });
    case "seatUtilisation":
      return v === null ? fact("other") : fact("seatUse", { pct: pct(v), seats: num(f.seats) ?? 0 });
    case "quotaPace":
      return v === null ? fact("other") : fact("eventsPerSeat", { count: round(v, 1) });
    case "healthScore":
      return v === null ? fact("noHealthScore") : fact("healthScore", { score: round(v) });
    case "healthScoreChange30d":
      return v === null ? fact("noHealthScore") : fact("healthChange", { delta: round(v) });
    case "healthPeople":
    case "healthProduct":
    case "healthMoney":
      return v === null
        ? fact("noHealthScore")
        : fact(`${reason.feature.slice(6).toLowerCase()}Health` as ReasonKey, { score: round(v) });
    case "openRiskSignals":
      return fact("openRiskSignals", { count: v ?? 0 });
    case "tickets90d":
      return fact("tickets", { count: v ?? 0 });
    case "npsScore":
      return v === null ? fact("noNps") : fact("nps", { score: v });
    case "contacts":
      return fact("contacts", { count: v ?? 0 });
    case "keyRoleCoverage":
      return fact("keyRoles", { pct: v === null ? 0 : pct(v) });
    case "touches90d":
      return fact("touches", { count: v ?? 0 });
    case "daysSinceLastTouch":
      return v === null ? fact("noTouch") : fact("lastTouch", { days: v });
    case "mrr":
      return fact("mrr", { amount: round(v ?? 0) });
    case "mrrTrend3m":
      return v === null ? fact("other") : fact("mrrChange", { change: pct(v - 1) });
    case "tenureMonths":
      return fact("tenure", { months: v ?? 0 });
    case "discountPct":
      return fact("discount", { pct: v === null ? 0 : pct(v) });
    case "seats":
      return fact("seats", { count: v ?? 1 });
    case "products":
      return fact("products", { count: v ?? 0 });
    case "plan":
    case "billingInterval":
    case "tier":
    case "segment": {
      const key = reason.feature === "billingInterval" ? "billing" : reason.feature;
      const value = f[reason.feature];
      return value === null || value === undefined || value === ""
        ? fact("other")
        : fact(key as ReasonKey, { value: String(value) });
    }
    default:
      return fact("other");
  }
}
