import { TenureError } from "../errors";
import { isValidIsoDate } from "../month";
import type { BillingInterval, Subscription } from "../types";

/**
 * MRR of one subscription row (one service period), in the row's own currency:
 *   amount × quantity × (1 − discountPct / 100) / months of the billing interval (1, 3 or 12).
 * Trials, free rows (amount 0) and 100%-discount rows are 0 MRR (ChartMogul). Examples:
 * $2,000/year → 166.67 (ChartMogul), $120/year → 10 (Baremetrics), $120/year −10% → 9 (ProfitWell).
 */

/** Months covered by one billing interval. */
export const INTERVAL_MONTHS: Readonly<Record<BillingInterval, number>> = { month: 1, quarter: 3, year: 12 };

/** Monthly recurring revenue of one subscription row, in the row's own currency (0 for trials). */
export function monthlyMrrOfSubscription(sub: Subscription): number {
  if (sub.trial) return 0;
  const months = INTERVAL_MONTHS[sub.interval];
  if (months === undefined) {
    throw new TenureError("validation", `Subscription ${sub.id}: unknown billing interval "${sub.interval}"`);
  }
  const mrr = (sub.amount * sub.quantity * (1 - sub.discountPct / 100)) / months;
  // 100% discount gives -0 or float dust; an MRR is never below zero.
  return Math.max(mrr, 0);
}

function invalidRow(sub: Subscription, what: string): TenureError {
  return new TenureError("validation", `Subscription ${sub.id} (account ${sub.accountId}): ${what}`, {
    subscriptionId: sub.id,
  });
}

/** Throws a validation TenureError naming the row and field when a subscription row is malformed. */
export function validateSubscription(sub: Subscription): void {
  if (!isValidIsoDate(sub.startDate)) throw invalidRow(sub, `invalid startDate "${sub.startDate}"`);
  if (sub.endDate !== null && !isValidIsoDate(sub.endDate)) {
    throw invalidRow(sub, `invalid endDate "${sub.endDate}"`);
  }
  if (!(sub.amount >= 0) || !Number.isFinite(sub.amount)) {
    throw invalidRow(sub, `amount must be a number ≥ 0, got ${sub.amount}`);
  }
  if (!(sub.quantity >= 0) || !Number.isFinite(sub.quantity)) {
    throw invalidRow(sub, `quantity must be a number ≥ 0, got ${sub.quantity}`);
  }
  if (!(sub.discountPct >= 0 && sub.discountPct <= 100)) {
    throw invalidRow(sub, `discountPct must be between 0 and 100, got ${sub.discountPct}`);
  }
  if (INTERVAL_MONTHS[sub.interval] === undefined) {
    throw invalidRow(sub, `unknown billing interval "${sub.interval}"`);
  }
}

/** Each account's signing date: the first day of its earliest subscription (what TTFV and QBRs count from). */
export function signingDates(
  subs: readonly Pick<Subscription, "accountId" | "startDate">[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of subs) {
    const day = s.startDate.slice(0, 10);
    const prev = out.get(s.accountId);
    if (prev === undefined || day < prev) out.set(s.accountId, day);
  }
  return out;
}
