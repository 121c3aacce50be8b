import { TenureError } from "../../errors";

/** Time unit of recency, T and predictions. A month is 365.25/12 days. */
export type TimeUnit = "day" | "week" | "month";

export const TIME_UNIT_DAYS: Record<TimeUnit, number> = { day: 1, week: 7, month: 365.25 / 12 };

/** One purchase. `date` is YYYY-MM-DD. */
export interface Transaction {
  customerId: string;
  date: string;
  amount: number;
}

/** One customer's calibration-period summary, in the chosen time unit. */
export interface RfmCustomer {
  customerId: string;
  /** x: number of distinct purchase days − 1 (repeat purchases). */
  frequency: number;
  /** t_x: time of the last purchase since the first. */
  recency: number;
  /** T: calibration end − first purchase. */
  T: number;
  /** Mean value of repeat purchase days (a day's purchases are summed); 0 when frequency = 0. */
  monetaryValue: number;
}

export interface RfmSummary {
  calibrationEnd: string;
  timeUnit: TimeUnit;
  /** Customers in id order (numeric ids compare as numbers). */
  customers: RfmCustomer[];
  /** Transactions after the calibration end, ignored here (a holdout period). */
  ignoredTransactions: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD date; throws a validation error for anything else. */
export function dayNumber(date: string): number {
  const m = DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new TenureError("validation", `"${date}" is not a date (YYYY-MM-DD)`);
  }
  return ms / 86_400_000;
}

const idOrder = (a: string, b: string) => {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Builds the RFM summary (x, t_x, T, average repeat order value) of every customer whose first purchase
 * is on or before `calibrationEnd`; purchases after it are ignored.
 */
export function rfmSummary(
  transactions: readonly Transaction[],
  options: { calibrationEnd: string; timeUnit: TimeUnit },
): RfmSummary {
  const end = dayNumber(options.calibrationEnd);
  const unit = TIME_UNIT_DAYS[options.timeUnit];
  if (unit === undefined) throw new TenureError("validation", `time unit must be day, week or month`);
  // customer → day → amount (a day's purchases count as one purchase).
  const byCustomer = new Map<string, Map<number, number>>();
  // Logs repeat few dates many times: parse each once.
  const days = new Map<string, number>();
  let ignored = 0;
  transactions.forEach((t, i) => {
    let day = days.get(t.date);
    if (day === undefined) {
      day = dayNumber(t.date);
      days.set(t.date, day);
    }
    if (!Number.isFinite(t.amount)) {
      throw new TenureError("validation", `transaction ${i + 1}: amount is not a number`);
    }
    if (day > end) {
      ignored++;
      return;
    }
    let own = byCustomer.get(t.customerId);
    if (!own) {
      own = new Map();
      byCustomer.set(t.customerId, own);
    }
    own.set(day, (own.get(day) ?? 0) + t.amount);
  });
  const customers: RfmCustomer[] = [];
  for (const [customerId, days] of byCustomer) {
    const sorted = [...days.keys()].sort((a, b) => a - b);
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    let repeatTotal = 0;
    for (const d of sorted.slice(1)) repeatTotal += days.get(d)!;
    const frequency = sorted.length - 1;
    customers.push({
      customerId,
      frequency,
      recency: (last - first) / unit,
      T: (end - first) / unit,
      monetaryValue: frequency > 0 ? repeatTotal / frequency : 0,
    });
  }
  customers.sort((a, b) => idOrder(a.customerId, b.customerId));
  return {
    calibrationEnd: options.calibrationEnd,
    timeUnit: options.timeUnit,
    customers,
    ignoredTransactions: ignored,
  };
}
