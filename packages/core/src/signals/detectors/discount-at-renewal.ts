import { signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";
import { signalRenewalAhead } from "./renewal-risk";

export interface DiscountAtRenewalSettings {
  enabled: boolean;
  /** Fires strictly above this discount, in percent. */
  maxDiscountPct: number;
  /** Renewal at most this many days away. */
  withinDays: number;
}

export const DEFAULT_DISCOUNT_AT_RENEWAL: DiscountAtRenewalSettings = {
  enabled: true,
  maxDiscountPct: 20,
  withinDays: 90,
};

/** A deep discount is up for renewal: price-uplift risk to plan for. One per renewal date. */
export function detectDiscountAtRenewal(
  ctx: SignalContext,
  s: DiscountAtRenewalSettings,
): DetectedSignalFacts[] {
  const renewal = signalRenewalAhead(ctx);
  const discount = ctx.discountPct;
  if (renewal === null || renewal.daysLeft > s.withinDays) return [];
  if (discount === null || !(discount > s.maxDiscountPct)) return [];
  return [
    {
      type: "discount_at_renewal",
      kind: "risk",
      severity: discount >= 2 * s.maxDiscountPct ? "high" : "medium",
      evidence: {
        discountPct: discount,
        thresholdPct: s.maxDiscountPct,
        renewalDate: renewal.date,
        daysToRenewal: renewal.daysLeft,
        mrr: ctx.mrr,
      },
      dedupKey: signalDedupKey("discount_at_renewal", ctx.accountId, renewal.date),
    },
  ];
}
