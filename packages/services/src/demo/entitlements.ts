import type { Entitlement, Subscription } from "@tenure/core";
import type { Edition } from "./catalog";

/** The usage event Data Platform plans meter (one unit per sync), as the demo's tracking sends it. */
export const DEMO_METERED_EVENT = "Data Sync";

/** Metered product: its annual contracts carry a yearly allowance of syncs per seat. */
const METERED_PRODUCT = "data-platform";

/** Syncs per seat per contract year, by edition. */
export const DEMO_SYNCS_PER_SEAT: Readonly<Record<Edition, number>> = {
  starter: 20,
  growth: 40,
  enterprise: 80,
};

/** Edition of a demo plan id (`<product>-<edition>-<interval>-<currency>`), null for other products. */
function meteredEdition(plan: string): Edition | null {
  if (!plan.startsWith(`${METERED_PRODUCT}-`)) return null;
  const edition = plan.slice(METERED_PRODUCT.length + 1).split("-")[0];
  return edition === "starter" || edition === "growth" || edition === "enterprise" ? edition : null;
}

/**
 * One allowance per paid annual Data Platform term (subscription row): seats × syncs per seat, over
 * the row's [startDate, endDate). Monthly Data Platform plans are billed without a quota in the demo.
 */
export function demoEntitlements(subscriptions: readonly Subscription[]): Entitlement[] {
  const out: Entitlement[] = [];
  for (const s of subscriptions) {
    if (s.trial || s.interval !== "year" || s.endDate === null) continue;
    const edition = meteredEdition(s.plan);
    if (edition === null) continue;
    out.push({
      id: `ent_${s.id}`,
      accountId: s.accountId,
      subscriptionId: s.id,
      metric: DEMO_METERED_EVENT,
      quantity: s.quantity * DEMO_SYNCS_PER_SEAT[edition],
      periodStart: s.startDate,
      periodEnd: s.endDate,
    });
  }
  return out;
}
