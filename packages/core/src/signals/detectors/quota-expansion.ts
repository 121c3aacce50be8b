import { addDays, daysBetween } from "../../dates";
import { round, signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface QuotaExpansionSettings {
  enabled: boolean;
  /** Share of the entitled quota already used (0.7 = 70%). */
  minUsedRatio: number;
  /** Contract time still to run, in months (a month = 30.4375 days). */
  minMonthsLeft: number;
}

export const DEFAULT_QUOTA_EXPANSION: QuotaExpansionSettings = {
  enabled: true,
  minUsedRatio: 0.7,
  minMonthsLeft: 6,
};

const DAYS_PER_MONTH = 365.25 / 12;

/**
 * Seed 004: 70% of the data quota used with about 6 months of a 1-year contract left, it cannot last
 * the year, an upsell conversation. The end is the contract end, else the renewal date, else the quota
 * period end. The evidence projects the exhaustion date at the pace since the period started; severity
 * is high when that date falls before the end.
 */
export function detectQuotaExpansion(ctx: SignalContext, s: QuotaExpansionSettings): DetectedSignalFacts[] {
  const q = ctx.quota;
  if (q === null || !(q.entitled > 0)) return [];
  const usedRatio = q.used / q.entitled;
  if (usedRatio + 1e-9 < s.minUsedRatio) return [];
  const end = ctx.contractEnd ?? ctx.renewalDate ?? q.periodEnd;
  const daysLeft = daysBetween(ctx.asOf, end);
  if (daysLeft < Math.floor(s.minMonthsLeft * DAYS_PER_MONTH)) return [];
  const monthsLeft = round(daysLeft / DAYS_PER_MONTH, 1);

  const elapsed = daysBetween(q.periodStart, ctx.asOf);
  const dailyPace = q.pace ? q.pace.dailyRunRate : elapsed > 0 ? q.used / elapsed : null;
  let exhaustionDate: string | null = null;
  let daysToExhaustion: number | null = null;
  if (q.pace) {
    // The caller's pace (the one the account page charts), so the signal and the chart agree.
    exhaustionDate = q.pace.exhaustionDate;
    daysToExhaustion = exhaustionDate === null ? null : Math.max(0, daysBetween(ctx.asOf, exhaustionDate));
  } else if (q.used >= q.entitled) {
    exhaustionDate = ctx.asOf;
    daysToExhaustion = 0;
  } else if (dailyPace !== null && dailyPace > 0) {
    daysToExhaustion = Math.ceil((q.entitled - q.used) / dailyPace);
    exhaustionDate = addDays(ctx.asOf, daysToExhaustion);
  }
  const exhaustsEarly = daysToExhaustion !== null && daysToExhaustion < daysLeft;
  return [
    {
      type: "quota_expansion",
      kind: "opportunity",
      severity: exhaustsEarly ? "high" : "medium",
      evidence: {
        used: round(q.used),
        entitled: round(q.entitled),
        usedPct: round(usedRatio * 100, 1),
        contractEnd: end,
        daysLeft,
        monthsLeft,
        dailyPace: dailyPace === null ? null : round(dailyPace, 4),
        projectedExhaustionDate: exhaustionDate,
        daysExhaustedBeforeEnd: daysToExhaustion === null ? null : daysLeft - daysToExhaustion,
        newStakeholders: ctx.newStakeholders.length,
        ...(q.pace ? { metric: q.pace.metric } : {}),
      },
      dedupKey: signalDedupKey("quota_expansion", ctx.accountId),
    },
  ];
}
