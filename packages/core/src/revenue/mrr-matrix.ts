import { TenureError } from "../errors";
import { assertIsoDate, assertMonth, monthFromIndex, monthIndex } from "../month";
import type { ExchangeRate, IsoDate, Month, Subscription } from "../types";
import { createRateLookup } from "./exchange-rates";
import { monthlyMrrOfSubscription, validateSubscription } from "./subscription-mrr";

/**
 * Account MRR by month, the base of every revenue report.
 *
 * - A row (one service period) is active on day d when startDate <= d and (endDate null or d < endDate);
 *   endDate is exclusive.
 * - The snapshot date of month M is its last day, or `asOf` when asOf falls inside M. Account MRR in M
 *   is the sum of its rows active at that date, in the reporting currency. This matches dbt's
 *   mrr-playbook (rows starting and ending on the 1st) and puts a mid-month churn in the month the
 *   subscription stops covering.
 * - Each row is converted at the rate in force on its startDate (see exchange-rates.ts).
 * - Months run from the first row's start month through `to`; by default through the month of
 *   `asOf` while any row is open-ended or ends after it, else (and without asOf) through the month of
 *   the last start or end date, so a history that ended years ago is not padded with empty months.
 *
 * Storage is one Float64Array, account-major: values[a * months.length + m]. Values are never negative.
 */

/** Account × month MRR in the reporting currency. */
export interface MrrMatrix {
  currency: string;
  months: Month[];
  accountIds: string[];
  /** values[a * months.length + m] = MRR of accountIds[a] in months[m]. */
  values: Float64Array;
}

export interface BuildMrrOptions {
  reportingCurrency: string;
  asOf?: IsoDate;
  to?: Month;
  accountIds?: ReadonlySet<string>;
}

/** Values below this are float dust, treated as zero everywhere in the engine. */
export const MRR_EPSILON = 1e-9;

/** Builds the account × month MRR matrix from subscription rows (see the file comment for the rules). */
export function buildMrrMatrix(
  subs: readonly Subscription[],
  rates: readonly ExchangeRate[],
  opts: BuildMrrOptions,
): MrrMatrix {
  const currency = opts.reportingCurrency.toUpperCase();
  const asOf = opts.asOf === undefined ? null : assertIsoDate(opts.asOf, "asOf");
  const asOfIdx = asOf === null ? -1 : monthIndex(asOf);
  const rateOf = createRateLookup(rates, currency);
  const filter = opts.accountIds;

  // One pass over the rows into typed arrays: account index, first/last active month, MRR.
  const count = subs.length;
  const rowAccount = new Int32Array(count);
  const rowFrom = new Int32Array(count);
  const rowTo = new Int32Array(count);
  const rowMrr = new Float64Array(count);
  const accountIndex = new Map<string, number>();
  const accountIds: string[] = [];
  let firstIdx = Number.POSITIVE_INFINITY;
  let lastIdx = Number.NEGATIVE_INFINITY;
  let anyOpen = false;
  let n = 0;
  for (const sub of subs) {
    if (filter && !filter.has(sub.accountId)) continue;
    validateSubscription(sub);
    let a = accountIndex.get(sub.accountId);
    if (a === undefined) {
      a = accountIds.length;
      accountIndex.set(sub.accountId, a);
      accountIds.push(sub.accountId);
    }
    const s = monthIndex(sub.startDate);
    const e = sub.endDate === null ? -1 : monthIndex(sub.endDate);
    if (s < firstIdx) firstIdx = s;
    if (s > lastIdx) lastIdx = s;
    if (e > lastIdx) lastIdx = e;
    if (e === -1) anyOpen = true;
    const own = monthlyMrrOfSubscription(sub);
    if (own === 0) continue;
    // First month whose snapshot date is on or after the start.
    rowFrom[n] = s === asOfIdx && asOf! < sub.startDate ? s + 1 : s;
    // Last month whose snapshot date is before the (exclusive) end.
    rowTo[n] = sub.endDate === null ? 2147483647 : e === asOfIdx && asOf! < sub.endDate ? e : e - 1;
    rowMrr[n] = own * rateOf(sub.currency, sub.startDate);
    rowAccount[n] = a;
    n++;
  }
  if (opts.to !== undefined) lastIdx = monthIndex(assertMonth(opts.to, "to"));
  // With asOf: run to asOf while anything is still (or yet to be) running, else stop at the last change.
  else if (asOf !== null) lastIdx = anyOpen || n === 0 || lastIdx > asOfIdx ? asOfIdx : lastIdx;
  if (accountIds.length === 0) firstIdx = lastIdx;

  const nMonths = Number.isFinite(firstIdx) && lastIdx >= firstIdx ? lastIdx - firstIdx + 1 : 0;
  const months: Month[] = new Array(nMonths);
  for (let i = 0; i < nMonths; i++) months[i] = monthFromIndex(firstIdx + i);

  // Sorted account ids make every report independent of the input row order.
  const sortedIds = accountIds.slice().sort();
  const position = new Int32Array(accountIds.length);
  for (let i = 0; i < sortedIds.length; i++) position[accountIndex.get(sortedIds[i]!)!] = i;

  const values = new Float64Array(accountIds.length * nMonths);
  if (nMonths > 0) {
    for (let r = 0; r < n; r++) {
      const from = Math.max(rowFrom[r]!, firstIdx);
      const to = Math.min(rowTo[r]!, lastIdx);
      const mrr = rowMrr[r]!;
      const base = position[rowAccount[r]!]! * nMonths - firstIdx;
      for (let m = from; m <= to; m++) values[base + m]! += mrr;
    }
  }
  for (let i = 0; i < values.length; i++) if (values[i]! < MRR_EPSILON) values[i] = 0;

  return { currency, months, accountIds: sortedIds, values };
}

/** Inclusive range of matrix month positions; empty when start > end. */
export interface MonthSpan {
  start: number;
  end: number;
}

/** Resolves an optional { from, to } window to matrix positions, clipped to the matrix months. */
export function resolveWindow(m: MrrMatrix, window?: { from?: Month; to?: Month }): MonthSpan {
  const n = m.months.length;
  if (n === 0) return { start: 0, end: -1 };
  const first = monthIndex(m.months[0]!);
  let start = 0;
  let end = n - 1;
  if (window?.from !== undefined)
    start = Math.max(start, monthIndex(assertMonth(window.from, "from")) - first);
  if (window?.to !== undefined) end = Math.min(end, monthIndex(assertMonth(window.to, "to")) - first);
  if (window?.from !== undefined && window.to !== undefined && window.from > window.to) {
    throw new TenureError("validation", `Window "from" (${window.from}) is after "to" (${window.to})`);
  }
  return { start, end };
}

/** Position of each account's first paying month (MRR > 0), or −1 when it never paid. */
export function firstPaidMonths(m: MrrMatrix): Int32Array {
  const n = m.months.length;
  const out = new Int32Array(m.accountIds.length).fill(-1);
  for (let a = 0; a < m.accountIds.length; a++) {
    const base = a * n;
    for (let i = 0; i < n; i++) {
      if (m.values[base + i]! > 0) {
        out[a] = i;
        break;
      }
    }
  }
  return out;
}

/** One account's MRR by month (all matrix months); empty when the account is not in the matrix. */
export function accountMrrHistory(m: MrrMatrix, accountId: string): { month: Month; mrr: number }[] {
  const a = m.accountIds.indexOf(accountId);
  if (a < 0) return [];
  const n = m.months.length;
  return m.months.map((month, i) => ({ month, mrr: m.values[a * n + i]! }));
}

/** Total MRR of each matrix month. */
export function totalMrrByMonth(m: MrrMatrix): Float64Array {
  const n = m.months.length;
  const out = new Float64Array(n);
  for (let a = 0; a < m.accountIds.length; a++) {
    const base = a * n;
    for (let i = 0; i < n; i++) out[i]! += m.values[base + i]!;
  }
  return out;
}
