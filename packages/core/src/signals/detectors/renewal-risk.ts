import { daysBetween } from "../../dates";
import { signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface RenewalRiskSettings {
  enabled: boolean;
  /** Renewal at most this many days away. */
  withinDays: number;
}

export const DEFAULT_RENEWAL_RISK: RenewalRiskSettings = { enabled: true, withinDays: 90 };

/** The renewal date (else contract end) of a context, and days until it; null when none or past. */
export function signalRenewalAhead(ctx: SignalContext): { date: string; daysLeft: number } | null {
  const date = ctx.renewalDate ?? ctx.contractEnd;
  if (date === null) return null;
  const daysLeft = daysBetween(ctx.asOf, date);
  return daysLeft < 0 ? null : { date, daysLeft };
}

/** Renewal within 90 days while the health band is red. One per renewal date. */
export function detectRenewalRisk(ctx: SignalContext, s: RenewalRiskSettings): DetectedSignalFacts[] {
  const renewal = signalRenewalAhead(ctx);
  const health = ctx.healthScore;
  if (renewal === null || renewal.daysLeft > s.withinDays || health === null || health.band !== "red")
    return [];
  return [
    {
      type: "renewal_risk",
      kind: "risk",
      severity: "high",
      evidence: {
        renewalDate: renewal.date,
        daysToRenewal: renewal.daysLeft,
        healthScore: health.score,
        healthBand: health.band,
        mrr: ctx.mrr,
      },
      dedupKey: signalDedupKey("renewal_risk", ctx.accountId, renewal.date),
    },
  ];
}
