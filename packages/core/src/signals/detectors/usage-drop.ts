import { round, signalDedupKey, sum } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface UsageDropSettings {
  enabled: boolean;
  /** Length of each compared window, in weeks. */
  windowWeeks: number;
  /** Fires when the recent window is at least this much lower (0.5 = −50%). */
  minDropRatio: number;
  /** Ignore accounts whose previous window averaged fewer active users (noise on tiny accounts). */
  minPreviousAverage: number;
  /** Drop ratio from which severity is high. */
  highDropRatio: number;
}

export const DEFAULT_USAGE_DROP: UsageDropSettings = {
  enabled: true,
  windowWeeks: 4,
  minDropRatio: 0.5,
  minPreviousAverage: 1,
  highDropRatio: 0.75,
};

/** Active users over the last N weeks fell by ≥ minDropRatio against the N weeks before. */
export function detectUsageDrop(ctx: SignalContext, s: UsageDropSettings): DetectedSignalFacts[] {
  const series = ctx.weeklyActiveUsers;
  const n = series.length;
  const w = s.windowWeeks;
  if (w <= 0 || n < 2 * w) return [];
  const previousAvg = sum(series, n - 2 * w, n - w) / w;
  const recentAvg = sum(series, n - w, n) / w;
  if (previousAvg <= 0 || previousAvg < s.minPreviousAverage) return [];
  const drop = (previousAvg - recentAvg) / previousAvg;
  // Small epsilon so an exact −50% is not lost to floating point.
  if (drop + 1e-9 < s.minDropRatio) return [];
  return [
    {
      type: "usage_drop",
      kind: "risk",
      severity: drop + 1e-9 >= s.highDropRatio ? "high" : "medium",
      evidence: {
        windowWeeks: w,
        previousAvgActiveUsers: round(previousAvg),
        recentAvgActiveUsers: round(recentAvg),
        changePct: round(-drop * 100, 1),
        thresholdPct: round(-s.minDropRatio * 100, 1),
      },
      dedupKey: signalDedupKey("usage_drop", ctx.accountId),
    },
  ];
}
