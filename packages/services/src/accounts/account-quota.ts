import { ALL_USAGE_EVENTS, byQuotaUrgency, type DailyCount, quotaConsumption } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { type EntitlementPace, paceEntitlements } from "../health/quota-inputs";

/** One current allowance of an account: its pace and the cumulative consumption for the chart. */
export interface QuotaView extends EntitlementPace {
  /** Cumulative units per day from the term start through asOf. */
  cumulative: { date: string; total: number }[];
}

/** The usage summary's quota fields: the most pressing allowance first, then the others. */
export interface AccountQuotas {
  /** Most pressing current allowance, in the summary's original shape plus its pace (null: none). */
  quota:
    | (QuotaView & {
        used: number;
        projectedExhaustion: string | null;
        contractEnd: string;
      })
    | null;
  /** Every allowance whose term contains asOf, most pressing first. */
  quotas: QuotaView[];
}

/**
 * Paces every current allowance of one account at `asOf` from its daily usage (one rollup query
 * from the earliest term start), most pressing first: used up, running out early, most used.
 */
export async function accountQuotas(
  storage: Storage,
  ws: string,
  accountId: string,
  asOf: string,
): Promise<AccountQuotas> {
  const current = (await storage.entitlements.listByAccount(ws, accountId)).filter(
    (e) => e.periodStart <= asOf && asOf < e.periodEnd && e.quantity > 0,
  );
  if (current.length === 0) return { quota: null, quotas: [] };
  let from = asOf;
  for (const e of current) if (e.periodStart < from) from = e.periodStart;
  const counts = await storage.entitlements.accountDailyUsage(ws, accountId, from, asOf);
  const views: QuotaView[] = [];
  for (const e of current) {
    const daily: DailyCount[] = [];
    for (const c of counts)
      if (e.metric === ALL_USAGE_EVENTS || c.event === e.metric) daily.push({ date: c.day, count: c.count });
    const consumption = quotaConsumption(e, daily, asOf);
    const [pace] = paceEntitlements(
      [{ ...e, consumed: consumption.consumed }],
      asOf,
      new Map([[e.id, consumption.exhaustedOn]]),
    );
    if (pace) views.push({ ...pace, cumulative: consumption.cumulative });
  }
  // Stable for equals: the entitlement id breaks ties so the order never depends on the query plan.
  views.sort((a, b) => byQuotaUrgency(a, b) || (a.entitlementId < b.entitlementId ? -1 : 1));
  const first = views[0];
  return {
    quota:
      first === undefined
        ? null
        : {
            ...first,
            used: first.consumed,
            projectedExhaustion: first.exhaustionDate,
            contractEnd: first.periodEnd,
          },
    quotas: views,
  };
}
