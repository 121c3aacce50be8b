import {
  buildMrrMatrix,
  forecastRenewals,
  historicalRenewalRates,
  type IsoDate,
  lastDayOfMonth,
  MRR_EPSILON,
  monthFromIndex,
  monthIndex,
  nextRenewalDate,
  type RenewalForecast,
  type RenewalForecastRow,
  type Subscription,
  TenureError,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { addDays } from "../health/days";
import { modelInfo, UNKNOWN } from "./portfolio-data";
import { latestPredictions } from "./predictions-service";

/**
 * The renewal forecast: renewals due in the coming days or quarters, each valued with the churn
 * model's probability inside its horizon, else the tier's historical renewal rate.
 */

/** Last day of the n-th calendar quarter counted from the one holding `date` (n = 1: that quarter). */
function quarterEnd(date: IsoDate, n: number): IsoDate {
  const m = monthIndex(date);
  return lastDayOfMonth(monthFromIndex(m - (m % 3) + 3 * n - 1));
}

export interface RenewalForecastOptions {
  asOf: IsoDate;
  reportingCurrency: string;
  /** Renewals within this many days after asOf (default 90). */
  days?: number;
  /** Instead of days: renewals through the end of the n-th calendar quarter (1 = the current one). */
  quarters?: number;
  periodBy?: "month" | "quarter";
  /** Months of renewal history behind each segment's rate (default 12). */
  lookbackMonths?: number;
}

export type RenewalForecastResult = Omit<RenewalForecast, "rows"> & {
  asOf: IsoDate;
  until: IsoDate;
  currency: string;
  /** Horizon of the churn model whose probabilities the rows used (null when none is trained). */
  modelHorizonDays: number | null;
  rows: (RenewalForecastRow & { name: string | null })[];
  /** Historical renewal rate per segment (tier) and overall. */
  history: { segment: string; due: number; renewed: number; rate: number | null }[];
  overallRenewalRate: number | null;
};

/**
 * Upcoming renewals (each paying account's next renewal date within `days`) with expected renewal
 * ARR: ARR × (1 − churn probability) when the churn model scored the account and the renewal falls
 * within its horizon, else ARR × the tier's historical renewal rate (else the portfolio's).
 */
export async function renewalForecast(
  storage: Storage,
  ws: string,
  opts: RenewalForecastOptions,
): Promise<RenewalForecastResult> {
  const days = opts.days ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw new TenureError("validation", `days must be a whole number from 1 to 3660, got ${days}`);
  const q = opts.quarters;
  if (q !== undefined && (!Number.isInteger(q) || q < 1 || q > 40))
    throw new TenureError("validation", `quarters must be a whole number from 1 to 40, got ${q}`);
  const [accounts, subscriptions, rates, churn, names, churnModel] = await Promise.all([
    storage.accounts.list(ws),
    storage.subscriptions.listUnordered(ws),
    storage.exchangeRates.list(ws),
    latestPredictions(storage, ws, "churn"),
    storage.accounts.names(ws),
    modelInfo(storage, ws, "churn"),
  ]);
  const matrix = buildMrrMatrix(subscriptions, rates, {
    reportingCurrency: opts.reportingCurrency,
    asOf: opts.asOf,
  });
  const n = matrix.months.length;
  const first = matrix.months[0];
  const col = first === undefined ? -1 : monthIndex(opts.asOf) - monthIndex(first);
  const tierOf = new Map(accounts.map((a) => [a.id, a.tier?.trim() || UNKNOWN]));
  const history = historicalRenewalRates(subscriptions, matrix, (id) => tierOf.get(id) ?? UNKNOWN, {
    asOf: opts.asOf,
    lookbackMonths: opts.lookbackMonths,
  });
  const until = q === undefined ? addDays(opts.asOf, days) : quarterEnd(opts.asOf, q);
  const subsBy = new Map<string, Subscription[]>();
  for (const s of subscriptions) {
    const list = subsBy.get(s.accountId) ?? [];
    list.push(s);
    subsBy.set(s.accountId, list);
  }
  const churnById = new Map(churn.map((p) => [p.accountId, p.probability]));
  const candidates = [];
  for (let a = 0; a < matrix.accountIds.length; a++) {
    const id = matrix.accountIds[a]!;
    const mrr = col >= 0 && col < n ? matrix.values[a * n + col]! : 0;
    if (mrr <= MRR_EPSILON) continue;
    const date = nextRenewalDate(subsBy.get(id) ?? [], opts.asOf);
    if (date === null || date > until) continue;
    candidates.push({
      accountId: id,
      renewalDate: date,
      arr: 12 * mrr,
      segment: tierOf.get(id) ?? UNKNOWN,
      churnProbability: churnById.get(id) ?? null,
    });
  }
  const f = forecastRenewals(candidates, history, {
    asOf: opts.asOf,
    modelHorizonDays: churnModel?.horizonDays,
    periodBy: opts.periodBy,
  });
  return {
    asOf: opts.asOf,
    until,
    currency: opts.reportingCurrency.toUpperCase(),
    modelHorizonDays: churnModel?.horizonDays ?? null,
    rows: f.rows.map((r) => ({ ...r, name: names.get(r.accountId) ?? null })),
    periods: f.periods,
    totals: f.totals,
    history: [...history.bySegment]
      .map(([segment, h]) => ({ segment, ...h }))
      .sort((x, y) => (x.segment < y.segment ? -1 : 1)),
    overallRenewalRate: history.overall.rate,
  };
}
