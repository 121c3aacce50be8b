import { max, round, signalDedupKey, sum } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface BreadthCollapseSettings {
  enabled: boolean;
  /** Weeks that make up "now"; the peak is taken over all weeks before them. */
  recentWeeks: number;
  /** The account once had at least this many active departments in a week... */
  minPeakDepartments: number;
  /** ...and now has at most this many in every recent week. */
  maxCurrentDepartments: number;
  /** "No new data": no usage data for this many days, or event volume not growing (see detector). */
  noNewDataDays: number;
  /** Window (weeks) to compare event volume: last N weeks vs the N before. */
  eventWindowWeeks: number;
}

export const DEFAULT_BREADTH_COLLAPSE: BreadthCollapseSettings = {
  enabled: true,
  recentWeeks: 2,
  minPeakDepartments: 3,
  maxCurrentDepartments: 1,
  noNewDataDays: 14,
  eventWindowWeeks: 4,
};

/**
 * Seed 004: many departments used the product, now one or two people in one department remain and no
 * new data flows in, a sign the customer moved to another tool or built their own.
 * "No new data" holds when no usage data arrived for `noNewDataDays`, or when event volume over the
 * last `eventWindowWeeks` did not grow over the window before (the remaining users only read old data).
 */
export function detectBreadthCollapse(ctx: SignalContext, s: BreadthCollapseSettings): DetectedSignalFacts[] {
  const depts = ctx.weeklyActiveDepartments;
  const n = depts.length;
  if (n <= s.recentWeeks || s.recentWeeks <= 0) return [];
  const peak = max(depts, 0, n - s.recentWeeks);
  const current = max(depts, n - s.recentWeeks, n);
  if (peak < s.minPeakDepartments || current > s.maxCurrentDepartments) return [];

  const staleData = ctx.newDataDays !== null && ctx.newDataDays >= s.noNewDataDays;
  const ev = ctx.weeklyEvents;
  const w = s.eventWindowWeeks;
  let eventChangePct: number | null = null;
  let eventsFlat = false;
  if (w > 0 && ev.length >= 2 * w) {
    const before = sum(ev, ev.length - 2 * w, ev.length - w);
    const recent = sum(ev, ev.length - w, ev.length);
    eventsFlat = recent <= before;
    eventChangePct = before > 0 ? round(((recent - before) / before) * 100, 1) : null;
  }
  if (!staleData && !eventsFlat) return [];

  const recentUsers = max(ctx.weeklyActiveUsers, ctx.weeklyActiveUsers.length - s.recentWeeks);
  return [
    {
      type: "breadth_collapse",
      kind: "risk",
      severity: "high",
      evidence: {
        peakDepartments: peak,
        currentDepartments: current,
        recentActiveUsers: recentUsers,
        newDataDays: ctx.newDataDays,
        eventChangePct,
        eventWindowWeeks: w,
        noNewDataReason: staleData ? "no_new_data" : "no_data_growth",
      },
      dedupKey: signalDedupKey("breadth_collapse", ctx.accountId),
    },
  ];
}
