import { TenureError } from "../../errors";
import { addMonths, assertIsoDate, daysInMonth, lastDayOfMonth, monthIndex, monthOf } from "../../month";
import { MRR_EPSILON, type MrrMatrix } from "../../revenue/mrr-matrix";
import { INTERVAL_MONTHS, monthlyMrrOfSubscription } from "../../revenue/subscription-mrr";
import type { IsoDate, Month, Subscription } from "../../types";
import { type RenewalCalibration, type RenewalSource, renewalProbability } from "./renewal-model";

/**
 * Renewals (issue 4 point 4): when a subscription comes up for renewal, how often a segment renewed in
 * the past, and the expected renewal ARR of the renewals ahead.
 *
 * A renewal date of a paying subscription row is its endDate (exclusive end of the term) or, for
 * quarterly and yearly rows, each anniversary of its start before that end. Open-ended monthly rows
 * roll over every month and have no renewal decision to forecast.
 */

const DAY_MS = 86_400_000;
const dayNumber = (d: string) => Math.floor(Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / DAY_MS);

/** `date` plus `n` months, the day clamped to the month's length (2024-01-31 + 1 → 2024-02-29). */
export function addMonthsToIsoDate(date: IsoDate, n: number): IsoDate {
  const m = addMonths(monthOf(date), n);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(Number(m.slice(0, 4)), Number(m.slice(5, 7))));
  return `${m}-${String(day).padStart(2, "0")}`;
}

const isPaying = (s: Subscription) => monthlyMrrOfSubscription(s) > MRR_EPSILON;

/** Renewal dates of one subscription row in [from, to] (both ISO dates, inclusive), oldest first. */
export function renewalDatesOf(s: Subscription, from: IsoDate, to: IsoDate): IsoDate[] {
  if (!isPaying(s)) return [];
  const out: IsoDate[] = [];
  const term = INTERVAL_MONTHS[s.interval];
  if (term !== undefined && term > 1) {
    for (let k = 1; k < 1000; k++) {
      const d = addMonthsToIsoDate(s.startDate, k * term);
      if (d > to || (s.endDate !== null && d >= s.endDate)) break;
      if (d >= from) out.push(d);
    }
  }
  if (s.endDate !== null && s.endDate >= from && s.endDate <= to) out.push(s.endDate);
  return out;
}

/** The next renewal date after `asOf` of an account's current paying rows, or null (monthly, open-ended). */
export function nextRenewalDate(subs: readonly Subscription[], asOf: IsoDate): IsoDate | null {
  let best: IsoDate | null = null;
  for (const s of subs) {
    if (s.startDate > asOf || (s.endDate !== null && s.endDate <= asOf)) continue;
    const d = renewalDatesOf(s, nextDay(asOf), "9999-12-31")[0];
    if (d !== undefined && (best === null || d < best)) best = d;
  }
  return best;
}

function nextDay(d: IsoDate): IsoDate {
  return new Date((dayNumber(d) + 1) * DAY_MS).toISOString().slice(0, 10);
}

/** A segment's past renewals: renewal dates that came due and how many the account renewed. */
export interface RenewalHistory {
  due: number;
  renewed: number;
  /** renewed / due, or null when nothing came due. */
  rate: number | null;
  /** ARR that came due (12 × MRR of the month before each renewal) and the part of it that renewed. */
  arrDue?: number;
  arrRenewed?: number;
}

/**
 * Historical renewal rate per segment over the `lookbackMonths` complete months before `asOf`
 * (default 12). A renewal date counts once per account and month; the account renewed when it still
 * pays in that month's MRR snapshot (the month's last day, after the date), so a plan change on the
 * renewal date counts as renewed and a lapse as not. Months after the last complete month are left out.
 */
export function historicalRenewalRates(
  subs: readonly Subscription[],
  m: MrrMatrix,
  segmentOf: (accountId: string) => string | null,
  opts: { asOf: IsoDate; lookbackMonths?: number },
): { overall: RenewalHistory; bySegment: Map<string, RenewalHistory> } {
  const asOf = assertIsoDate(opts.asOf, "asOf");
  const lookback = opts.lookbackMonths ?? 12;
  if (!Number.isInteger(lookback) || lookback < 1)
    throw new TenureError("validation", `lookbackMonths must be a whole number ≥ 1, got ${lookback}`);
  const lastComplete =
    nextDay(asOf).slice(0, 7) === monthOf(asOf) ? addMonths(monthOf(asOf), -1) : monthOf(asOf);
  const fromMonth = addMonths(lastComplete, 1 - lookback);
  const from = `${fromMonth}-01`;
  const to = lastDayOfMonth(lastComplete);
  const row = new Map(m.accountIds.map((id, i) => [id, i]));
  const first = m.months[0];
  const base = first === undefined ? 0 : monthIndex(first);
  const n = m.months.length;
  const seen = new Set<string>();
  const overall = { due: 0, renewed: 0, arrDue: 0, arrRenewed: 0 };
  const bySegment = new Map<string, typeof overall>();
  for (const s of subs) {
    for (const d of renewalDatesOf(s, from, to)) {
      const month: Month = monthOf(d);
      const key = `${s.accountId}|${month}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const r = row.get(s.accountId);
      const col = monthIndex(month) - base;
      const renewed = r !== undefined && col >= 0 && col < n && m.values[r * n + col]! > MRR_EPSILON;
      // The ARR up for renewal: what the account paid the month before (its renewal month when first).
      const prev = Math.max(0, Math.min(n - 1, col - 1));
      const arr = r === undefined || n === 0 ? 0 : 12 * m.values[r * n + prev]!;
      overall.due++;
      overall.arrDue += arr;
      if (renewed) {
        overall.renewed++;
        overall.arrRenewed += arr;
      }
      const seg = segmentOf(s.accountId);
      if (seg === null) continue;
      let h = bySegment.get(seg);
      if (h === undefined) {
        h = { due: 0, renewed: 0, arrDue: 0, arrRenewed: 0 };
        bySegment.set(seg, h);
      }
      h.due++;
      h.arrDue += arr;
      if (renewed) {
        h.renewed++;
        h.arrRenewed += arr;
      }
    }
  }
  const done = (h: typeof overall): RenewalHistory => ({
    ...h,
    rate: h.due > 0 ? h.renewed / h.due : null,
  });
  return { overall: done(overall), bySegment: new Map([...bySegment].map(([k, v]) => [k, done(v)])) };
}

/** One account coming up for renewal. */
export interface RenewalCandidate {
  accountId: string;
  renewalDate: IsoDate;
  /** ARR up for renewal (12 × current MRR). */
  arr: number;
  segment: string | null;
  /** The churn model's probability, or null when no model scored the account. */
  churnProbability: number | null;
}

export interface RenewalForecastRow extends RenewalCandidate {
  /** Probability the account renews, or null when there is neither a model nor any history. */
  renewalProbability: number | null;
  /** arr × renewalProbability (null with the probability). */
  expectedArr: number | null;
  source: RenewalSource;
  /** The segment's past renewal rate the probability starts from (null without history). */
  historicalRate: number | null;
  /** The account's churn hazard relative to its segment's book (null without a score). */
  relativeRisk: number | null;
  /** Weight of the account's own evidence against its segment's history (fades with the days ahead). */
  modelWeight: number;
}

export interface RenewalPeriod {
  /** "YYYY-MM" or "YYYY-Qn". */
  period: string;
  renewals: number;
  arr: number;
  expectedArr: number;
}

export interface RenewalForecast {
  rows: RenewalForecastRow[];
  periods: RenewalPeriod[];
  totals: { renewals: number; arr: number; expectedArr: number; unforecast: number };
}

/** "YYYY-Qn" of a date. */
export function quarterOf(date: IsoDate): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * Expected renewal ARR per renewal = ARR × the calibrated renewal probability (renewal-model.ts): one
 * method over every horizon, the account's churn score weighed against its segment's past renewals.
 * Rows without a score or history fall back to the segment's rate, else the portfolio's; with neither,
 * the row has no expectation (counted in `unforecast`). Rows sorted by date; periods by month or quarter.
 */
export function forecastRenewals(
  candidates: readonly RenewalCandidate[],
  calibration: RenewalCalibration,
  opts: { asOf: IsoDate; periodBy?: "month" | "quarter" },
): RenewalForecast {
  const asOfDay = dayNumber(assertIsoDate(opts.asOf, "asOf"));
  const rows: RenewalForecastRow[] = [];
  for (const [i, c] of candidates.entries()) {
    assertIsoDate(c.renewalDate, `renewalDate of row ${i + 1} (account ${c.accountId})`);
    if (!(c.arr >= 0) || !Number.isFinite(c.arr))
      throw new TenureError("validation", `row ${i + 1} (account ${c.accountId}): arr must be a number ≥ 0`);
    const p = c.churnProbability;
    if (p !== null && !(p >= 0 && p <= 1))
      throw new TenureError(
        "validation",
        `row ${i + 1} (account ${c.accountId}): churnProbability must be in [0, 1], got ${p}`,
      );
    const e = renewalProbability(calibration, {
      segment: c.segment,
      churnProbability: p,
      daysToRenewal: dayNumber(c.renewalDate) - asOfDay,
    });
    rows.push({
      ...c,
      renewalProbability: e.probability,
      expectedArr: e.probability === null ? null : c.arr * e.probability,
      source: e.source,
      historicalRate: e.historicalRate,
      relativeRisk: e.relativeRisk,
      modelWeight: e.modelWeight,
    });
  }
  rows.sort((a, b) =>
    a.renewalDate < b.renewalDate ? -1 : a.renewalDate > b.renewalDate ? 1 : b.arr - a.arr,
  );
  const periods = new Map<string, RenewalPeriod>();
  const totals = { renewals: 0, arr: 0, expectedArr: 0, unforecast: 0 };
  for (const r of rows) {
    const key = opts.periodBy === "quarter" ? quarterOf(r.renewalDate) : monthOf(r.renewalDate);
    let p = periods.get(key);
    if (p === undefined) {
      p = { period: key, renewals: 0, arr: 0, expectedArr: 0 };
      periods.set(key, p);
    }
    p.renewals++;
    p.arr += r.arr;
    p.expectedArr += r.expectedArr ?? 0;
    totals.renewals++;
    totals.arr += r.arr;
    totals.expectedArr += r.expectedArr ?? 0;
    if (r.expectedArr === null) totals.unforecast++;
  }
  return { rows, periods: [...periods.values()], totals };
}
