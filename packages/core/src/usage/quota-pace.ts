import { addDays, daysBetween } from "../dates";
import { TenureError } from "../errors";
import type { Entitlement, IsoDate } from "../types";

/** Units of an entitlement's metric consumed on one day. */
export interface DailyCount {
  date: IsoDate;
  count: number;
}

/**
 * Where an allowance stands at `asOf`:
 * not_started (term begins later), no_usage (nothing consumed yet), on_track (lasts the term at the
 * current pace), exhausts_early (runs out before the term ends), exhausted (already used up),
 * ended (the term is over and the allowance was not used up).
 */
export type QuotaStatus = "not_started" | "no_usage" | "on_track" | "exhausts_early" | "exhausted" | "ended";

/** Consumption of one entitlement against its allowance, with the pace and where it leads. */
export interface QuotaPace {
  metric: string;
  entitled: number;
  consumed: number;
  /** Allowance still available (0 once used up). */
  remaining: number;
  /** consumed / entitled (above 1 when over the allowance). */
  usedRatio: number;
  periodStart: IsoDate;
  /** First day after the term (exclusive, as the entitlement's periodEnd). */
  periodEnd: IsoDate;
  /** Days in the term. */
  termDays: number;
  /** Days of the term through asOf (asOf's usage counts, so asOf itself is elapsed). */
  elapsedDays: number;
  /** Days of the term after asOf. */
  daysLeft: number;
  /** Units per elapsed day; null before the term starts. */
  dailyRunRate: number | null;
  /**
   * Day the allowance ran out (exhausted) or runs out at the current pace (on or after periodEnd when
   * it lasts the term); null when there is no pace to project from or the term is over.
   */
  exhaustionDate: IsoDate | null;
  /** Days of the term left without allowance when it runs out early (0 otherwise). */
  daysShort: number;
  /** Consumption at the end of the term if the current pace holds. */
  projectedAtEnd: number | null;
  status: QuotaStatus;
}

/** The allowance terms quotaPace reads. */
export type QuotaTerms = Pick<Entitlement, "quantity" | "periodStart" | "periodEnd"> & {
  metric?: string;
};

/** Rejects an allowance that cannot be paced: quantity must be > 0 and the term at least one day. */
export function assertValidQuota(terms: QuotaTerms): void {
  if (!Number.isFinite(terms.quantity) || terms.quantity <= 0)
    throw new TenureError("validation", `entitlement quantity must be greater than 0, got ${terms.quantity}`);
  if (!(terms.periodEnd > terms.periodStart))
    throw new TenureError(
      "validation",
      `entitlement period_end (${terms.periodEnd}) must be after period_start (${terms.periodStart})`,
    );
}

/**
 * Pace of an allowance at `asOf` from the units consumed in the term through `asOf`: share used,
 * daily run rate since the term started, and the day it runs out if the rate holds, against the end.
 * `exhaustedOn` (from quotaConsumption) dates an allowance already used up; without it asOf is used.
 * @example quotaPace({ quantity: 1000, periodStart: "2024-01-01", periodEnd: "2025-01-01" }, 700, "2024-06-30")
 */
export function quotaPace(
  terms: QuotaTerms,
  consumed: number,
  asOf: IsoDate,
  opts: { exhaustedOn?: IsoDate | null } = {},
): QuotaPace {
  assertValidQuota(terms);
  if (!Number.isFinite(consumed) || consumed < 0)
    throw new TenureError("validation", `consumed must be a number ≥ 0, got ${consumed}`);
  const { quantity: entitled, periodStart, periodEnd } = terms;
  const termDays = daysBetween(periodStart, periodEnd);
  const base = {
    metric: terms.metric ?? "",
    entitled,
    consumed,
    remaining: Math.max(0, entitled - consumed),
    usedRatio: consumed / entitled,
    periodStart,
    periodEnd,
    termDays,
  };
  if (asOf < periodStart) {
    return {
      ...base,
      elapsedDays: 0,
      daysLeft: termDays,
      dailyRunRate: null,
      exhaustionDate: null,
      daysShort: 0,
      projectedAtEnd: null,
      status: "not_started",
    };
  }
  const elapsedDays = Math.min(termDays, daysBetween(periodStart, asOf) + 1);
  const daysLeft = termDays - elapsedDays;
  const rate = consumed / elapsedDays;
  const projectedAtEnd = consumed + rate * daysLeft;
  const common = { ...base, elapsedDays, daysLeft, dailyRunRate: rate, projectedAtEnd };
  if (consumed >= entitled) {
    const on = opts.exhaustedOn ?? (asOf < periodEnd ? asOf : addDays(periodEnd, -1));
    return {
      ...common,
      exhaustionDate: on,
      daysShort: Math.max(0, daysBetween(on, periodEnd) - 1),
      status: "exhausted",
    };
  }
  if (asOf >= periodEnd) return { ...common, exhaustionDate: null, daysShort: 0, status: "ended" };
  if (consumed === 0) return { ...common, exhaustionDate: null, daysShort: 0, status: "no_usage" };
  // Runs out during the day on which the cumulative use at this rate reaches the allowance.
  // (entitled - consumed) / rate, in integers where possible so whole-unit inputs give exact days.
  const exhaustionDate = addDays(asOf, Math.ceil(((entitled - consumed) * elapsedDays) / consumed));
  if (exhaustionDate < periodEnd) {
    return {
      ...common,
      exhaustionDate,
      daysShort: daysBetween(exhaustionDate, periodEnd) - 1,
      status: "exhausts_early",
    };
  }
  return { ...common, exhaustionDate, daysShort: 0, status: "on_track" };
}

/** Consumption of one allowance day by day: the total, the cumulative series and when it ran out. */
export interface QuotaConsumption {
  consumed: number;
  /** First day the cumulative use reached the allowance; null while it has not. */
  exhaustedOn: IsoDate | null;
  /** Every day of the term from periodStart through asOf (or the term's last day), zero-filled. */
  cumulative: { date: IsoDate; total: number }[];
}

/**
 * Folds daily counts (any order, days outside the term ignored, repeated days summed) into the
 * consumption of an allowance through `asOf`.
 */
export function quotaConsumption(
  terms: QuotaTerms,
  daily: readonly DailyCount[],
  asOf: IsoDate,
): QuotaConsumption {
  assertValidQuota(terms);
  const last = addDays(terms.periodEnd, -1);
  const through = asOf < last ? asOf : last;
  if (through < terms.periodStart) return { consumed: 0, exhaustedOn: null, cumulative: [] };
  const days = daysBetween(terms.periodStart, through) + 1;
  const perDay = new Array<number>(days).fill(0);
  for (const d of daily) {
    const i = daysBetween(terms.periodStart, d.date);
    if (i < 0 || i >= days) continue;
    perDay[i] = (perDay[i] as number) + d.count;
  }
  let total = 0;
  let exhaustedOn: IsoDate | null = null;
  const cumulative: { date: IsoDate; total: number }[] = [];
  for (let i = 0; i < days; i++) {
    total += perDay[i] as number;
    const date = addDays(terms.periodStart, i);
    if (exhaustedOn === null && total >= terms.quantity) exhaustedOn = date;
    cumulative.push({ date, total });
  }
  return { consumed: total, exhaustedOn, cumulative };
}

const URGENCY: Readonly<Record<QuotaStatus, number>> = {
  exhausted: 5,
  exhausts_early: 4,
  on_track: 3,
  no_usage: 2,
  not_started: 1,
  ended: 0,
};

/** Sort order, most pressing first: used up, then running out early, then by share used. */
export function byQuotaUrgency(a: QuotaPace, b: QuotaPace): number {
  return URGENCY[b.status] - URGENCY[a.status] || b.usedRatio - a.usedRatio;
}

/** The allowance that needs attention first (see byQuotaUrgency); the first of equals wins. */
export function mostPressingQuota<T extends QuotaPace>(paces: readonly T[]): T | null {
  let best: T | null = null;
  for (const p of paces) if (best === null || byQuotaUrgency(p, best) < 0) best = p;
  return best;
}
