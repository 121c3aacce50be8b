import { daysBetween } from "../../dates";
import { signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface ChampionSilentSettings {
  enabled: boolean;
  /** Fires when the last touch is at least this many days old. */
  silentDays: number;
  /** From this many days, severity is high. */
  highSilentDays: number;
}

export const DEFAULT_CHAMPION_SILENT: ChampionSilentSettings = {
  enabled: true,
  silentDays: 45,
  highSilentDays: 90,
};

/**
 * A champion still at the company has not been touched for `silentDays`. Champions without any
 * recorded touch are skipped: missing CRM history is not evidence of silence.
 */
export function detectChampionSilent(ctx: SignalContext, s: ChampionSilentSettings): DetectedSignalFacts[] {
  const out: DetectedSignalFacts[] = [];
  for (const c of ctx.contacts) {
    if (!(c.isChampion || c.role === "champion")) continue;
    if (c.leftAt !== null && c.leftAt <= ctx.asOf) continue;
    if (c.lastTouchAt === null) continue;
    const days = daysBetween(c.lastTouchAt, ctx.asOf);
    if (days < s.silentDays) continue;
    out.push({
      type: "champion_silent",
      kind: "risk",
      severity: days >= s.highSilentDays ? "high" : "medium",
      evidence: {
        contactId: c.id,
        contactName: c.name,
        lastTouchAt: c.lastTouchAt,
        daysSinceTouch: days,
        thresholdDays: s.silentDays,
      },
      dedupKey: signalDedupKey("champion_silent", ctx.accountId, c.id),
    });
  }
  return out;
}
