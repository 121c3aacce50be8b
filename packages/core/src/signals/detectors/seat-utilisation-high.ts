import { round, signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface SeatUtilisationSettings {
  enabled: boolean;
  /** Fires strictly above this share of licensed seats in use (0.9 = 90%). */
  minUtilisation: number;
}

export const DEFAULT_SEAT_UTILISATION: SeatUtilisationSettings = { enabled: true, minUtilisation: 0.9 };

/** More than 90% of licensed seats are in use: room to sell seats; high when over the licence. */
export function detectSeatUtilisationHigh(
  ctx: SignalContext,
  s: SeatUtilisationSettings,
): DetectedSignalFacts[] {
  const seats = ctx.seats;
  if (seats === null || !(seats.licensed > 0)) return [];
  const utilisation = seats.used / seats.licensed;
  if (!(utilisation > s.minUtilisation)) return [];
  return [
    {
      type: "seat_utilisation_high",
      kind: "opportunity",
      severity: utilisation >= 1 ? "high" : "medium",
      evidence: {
        seatsUsed: seats.used,
        seatsLicensed: seats.licensed,
        utilisationPct: round(utilisation * 100, 1),
        thresholdPct: round(s.minUtilisation * 100, 1),
      },
      dedupKey: signalDedupKey("seat_utilisation_high", ctx.accountId),
    },
  ];
}
