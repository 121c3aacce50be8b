import { daysBetween } from "../../dates";
import { signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface ChampionLeftSettings {
  enabled: boolean;
  /** Departures older than this stop raising (the account has had time to be re-mapped). */
  lookbackDays: number;
}

export const DEFAULT_CHAMPION_LEFT: ChampionLeftSettings = { enabled: true, lookbackDays: 90 };

/** A champion left the customer company; high when no other champion remains. */
export function detectChampionLeft(ctx: SignalContext, s: ChampionLeftSettings): DetectedSignalFacts[] {
  const champions = ctx.contacts.filter((c) => c.isChampion || c.role === "champion");
  if (champions.length === 0) return [];
  const remaining = champions.filter((c) => c.leftAt === null || c.leftAt > ctx.asOf).length;
  const out: DetectedSignalFacts[] = [];
  for (const c of champions) {
    if (c.leftAt === null || c.leftAt > ctx.asOf) continue;
    const daysAgo = daysBetween(c.leftAt, ctx.asOf);
    if (daysAgo > s.lookbackDays) continue;
    out.push({
      type: "champion_left",
      kind: "risk",
      severity: remaining === 0 ? "high" : "medium",
      evidence: {
        contactId: c.id,
        contactName: c.name,
        leftAt: c.leftAt,
        daysAgo,
        remainingChampions: remaining,
      },
      dedupKey: signalDedupKey("champion_left", ctx.accountId, c.id),
    });
  }
  return out;
}
