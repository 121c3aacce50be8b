import {
  createRateLookup,
  type ExchangeRate,
  type IsoDate,
  monthlyMrrOfSubscription,
  type Subscription,
} from "@tenure/core";

/** One row of the baseline's `subscription_periods` table (dbt mrr-playbook shape). */
export interface SubscriptionPeriod {
  subscriptionId: string;
  customerId: string;
  startDate: IsoDate;
  endDate: IsoDate | null;
  /** MRR of the row already in the reporting currency. */
  monthlyAmount: number;
}

/**
 * Converts subscription rows to the baseline's periods with the engine's own MRR and exchange-rate rules
 * (rate in force on the row's start date), so both sides compute from identical numbers.
 * Rows with 0 MRR (trials, free plans) are left out: they never change an account's MRR.
 */
export function toSubscriptionPeriods(
  subs: readonly Subscription[],
  rates: readonly ExchangeRate[],
  reportingCurrency: string,
): SubscriptionPeriod[] {
  const rateOf = createRateLookup(rates, reportingCurrency);
  const out: SubscriptionPeriod[] = [];
  for (const s of subs) {
    const own = monthlyMrrOfSubscription(s);
    if (own === 0) continue;
    out.push({
      subscriptionId: s.id,
      customerId: s.accountId,
      startDate: s.startDate,
      endDate: s.endDate,
      monthlyAmount: own * rateOf(s.currency, s.startDate),
    });
  }
  return out;
}
