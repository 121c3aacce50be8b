import { TenureError } from "../../errors";
import { TIME_UNIT_DAYS, type TimeUnit } from "./rfm";

/**
 * Discounted CLV of one customer, the way lifetimes' `customer_lifetime_value` does it: month by month,
 * value × (expected purchases by the end of month i − by the end of month i−1) / (1 + d)^i, summed over
 * `months`. `expectedPurchases(t)` is a model's conditional expectation for the next t time units
 * (e.g. `(t) => bgNbdConditionalExpectedPurchases(params, customer, t)`); a month is 365.25/12 days
 * (lifetimes uses 30 days or 4.345 weeks). Example: 12 months at 1% a month.
 */
export function discountedClv(args: {
  expectedPurchases: (t: number) => number;
  /** Expected value per purchase, e.g. Gamma-Gamma's expected average value (× margin for profit). */
  value: number;
  months: number;
  monthlyDiscountRate: number;
  timeUnit: TimeUnit;
}): number {
  const { expectedPurchases, value, months, monthlyDiscountRate: d, timeUnit } = args;
  if (!Number.isInteger(months) || months < 0) {
    throw new TenureError("validation", `months must be a whole number ≥ 0, got ${months}`);
  }
  if (!(d > -1) || !Number.isFinite(d))
    throw new TenureError("validation", `discount rate must be > −1, got ${d}`);
  if (!Number.isFinite(value))
    throw new TenureError("validation", `value per purchase must be finite, got ${value}`);
  const perMonth = TIME_UNIT_DAYS.month / TIME_UNIT_DAYS[timeUnit];
  let clv = 0;
  let before = 0;
  for (let i = 1; i <= months; i++) {
    const upTo = expectedPurchases(i * perMonth);
    clv += (value * (upTo - before)) / (1 + d) ** i;
    before = upTo;
  }
  return clv;
}
