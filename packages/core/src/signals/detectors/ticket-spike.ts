import { round, signalDedupKey, sum } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface TicketSpikeSettings {
  enabled: boolean;
  /** Baseline: average of up to this many weeks before the last one. */
  baselineWeeks: number;
  /** Baseline weeks needed at least, else no verdict. */
  minBaselineWeeks: number;
  /** Last week ≥ multiplier × baseline average... */
  multiplier: number;
  /** ...and at least this many tickets. */
  minTickets: number;
}

export const DEFAULT_TICKET_SPIKE: TicketSpikeSettings = {
  enabled: true,
  baselineWeeks: 8,
  minBaselineWeeks: 4,
  multiplier: 3,
  minTickets: 3,
};

/** Support tickets last week reached 3× the weekly average of the weeks before, and at least 3. */
export function detectTicketSpike(ctx: SignalContext, s: TicketSpikeSettings): DetectedSignalFacts[] {
  const t = ctx.ticketsPerWeek;
  const n = t.length;
  const baselineN = Math.min(s.baselineWeeks, n - 1);
  if (baselineN < s.minBaselineWeeks || baselineN <= 0) return [];
  const last = t[n - 1] ?? 0;
  // The baseline excludes the last week so the spike does not inflate its own yardstick.
  const avg = sum(t, n - 1 - baselineN, n - 1) / baselineN;
  if (last < s.minTickets || last < s.multiplier * avg) return [];
  const ratio = avg > 0 ? last / avg : null;
  return [
    {
      type: "ticket_spike",
      kind: "risk",
      severity: ratio === null || ratio >= 2 * s.multiplier ? "high" : "medium",
      evidence: {
        lastWeekTickets: last,
        baselineAvgTickets: round(avg, 2),
        baselineWeeks: baselineN,
        ratio: ratio === null ? null : round(ratio, 2),
        multiplier: s.multiplier,
      },
      dedupKey: signalDedupKey("ticket_spike", ctx.accountId),
    },
  ];
}
