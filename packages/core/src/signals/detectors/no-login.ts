import { signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface NoLoginSettings {
  enabled: boolean;
  /** Fires when nobody at the account logged in for at least this many days. */
  days: number;
  /** From this many days, severity is high. */
  highDays: number;
}

export const DEFAULT_NO_LOGIN: NoLoginSettings = { enabled: true, days: 14, highDays: 30 };

/** Nobody at the account logged in for N days (unknown login history does not fire). */
export function detectNoLogin(ctx: SignalContext, s: NoLoginSettings): DetectedSignalFacts[] {
  const d = ctx.daysSinceLastLogin;
  if (d === null || d < s.days) return [];
  return [
    {
      type: "no_login",
      kind: "risk",
      severity: d >= s.highDays ? "high" : "medium",
      evidence: { daysSinceLastLogin: d, thresholdDays: s.days },
      dedupKey: signalDedupKey("no_login", ctx.accountId),
    },
  ];
}
