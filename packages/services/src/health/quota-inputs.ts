import { mostPressingQuota, type QuotaPace, quotaPace, type SignalQuota } from "@tenure/core";
import type { EntitlementConsumption } from "@tenure/storage";

/** A current allowance paced at asOf, with the entitlement it comes from. */
export type EntitlementPace = QuotaPace & { entitlementId: string; subscriptionId: string | null };

/** Paces each allowance at `asOf`; rows that cannot be paced (zero quantity, empty term) are skipped. */
export function paceEntitlements(
  rows: readonly EntitlementConsumption[],
  asOf: string,
  exhaustedOn: ReadonlyMap<string, string | null> = new Map(),
): EntitlementPace[] {
  const out: EntitlementPace[] = [];
  for (const e of rows) {
    // The import rejects these; a row written another way must not stop a whole recompute.
    if (!(e.quantity > 0) || !(e.periodEnd > e.periodStart)) continue;
    const pace = quotaPace(e, e.consumed, asOf, { exhaustedOn: exhaustedOn.get(e.id) ?? null });
    out.push({ ...pace, entitlementId: e.id, subscriptionId: e.subscriptionId });
  }
  return out;
}

/** The account's most pressing current allowance as quota_expansion reads it (null: none). */
export function signalQuota(
  rows: readonly EntitlementConsumption[] | undefined,
  asOf: string,
): SignalQuota | null {
  if (rows === undefined || rows.length === 0) return null;
  const p = mostPressingQuota(paceEntitlements(rows, asOf));
  if (p === null) return null;
  return {
    used: p.consumed,
    entitled: p.entitled,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    pace: { dailyRunRate: p.dailyRunRate, exhaustionDate: p.exhaustionDate, metric: p.metric },
  };
}
