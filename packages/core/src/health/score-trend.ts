import { addDays } from "../dates";
import { assertIsoDate } from "../month";
import type { IsoDate } from "../types";

export type ScoreTrend = "up" | "down" | "same";

export interface ScoreTrendOptions {
  /** Days back to the comparison point; default 7. */
  lookbackDays?: number;
  /** Minimum change in points to count as up or down; default 3. */
  threshold?: number;
  /**
   * Oldest comparison point, in days before `asOf`; default 14. Every view (list, worklist, account
   * page, stored score) reads at least this much history, so they all give the same arrow.
   */
  maxAgeDays?: number;
}

function latestOnOrBefore(
  history: readonly { date: IsoDate; score: number }[],
  date: IsoDate,
  notBefore = "",
): number | null {
  let bestDate: IsoDate | null = null;
  let best: number | null = null;
  for (const h of history) {
    if (h.date <= date && h.date >= notBefore && (bestDate === null || h.date >= bestDate)) {
      bestDate = h.date;
      best = h.score;
    }
  }
  return best;
}

/**
 * Direction of a score: the latest score on or before `asOf` against the latest on or before
 * `asOf − lookbackDays` (but not before `asOf − maxAgeDays`); "same" when the change is below the
 * threshold or either point is missing. Pass the date of the latest score as `asOf`, so a view read
 * before today's recompute gives the arrow stored with that score.
 */
export function scoreTrend(
  history: readonly { date: IsoDate; score: number }[],
  asOf: IsoDate,
  opts: ScoreTrendOptions = {},
): ScoreTrend {
  assertIsoDate(asOf, "asOf");
  const lookback = opts.lookbackDays ?? 7;
  const threshold = opts.threshold ?? 3;
  const now = latestOnOrBefore(history, asOf);
  const maxAge = Math.max(opts.maxAgeDays ?? 14, lookback);
  const then = latestOnOrBefore(history, addDays(asOf, -lookback), addDays(asOf, -maxAge));
  if (now === null || then === null) return "same";
  const delta = now - then;
  if (delta >= threshold) return "up";
  if (delta <= -threshold) return "down";
  return "same";
}
