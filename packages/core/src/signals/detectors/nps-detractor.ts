import { daysBetween } from "../../dates";
import { signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext, SignalNpsResponse } from "../types";

export interface NpsDetractorSettings {
  enabled: boolean;
  /** Scores at or below this are detractors (NPS: 0-6). */
  maxScore: number;
  /** Only responses from the last N days count. */
  windowDays: number;
  /** Scores at or below this are high severity. */
  highMaxScore: number;
}

export const DEFAULT_NPS_DETRACTOR: NpsDetractorSettings = {
  enabled: true,
  maxScore: 6,
  windowDays: 30,
  highMaxScore: 3,
};

/**
 * A respondent's latest NPS answer in the window is a detractor score; one signal per respondent
 * (a later promoter answer from the same person clears it).
 */
export function detectNpsDetractor(ctx: SignalContext, s: NpsDetractorSettings): DetectedSignalFacts[] {
  const latest = new Map<string, SignalNpsResponse>();
  const anonymousPerDay = new Map<string, number>();
  for (const r of ctx.npsResponses) {
    const age = daysBetween(r.date, ctx.asOf);
    if (age < 0 || age > s.windowDays) continue;
    let who = r.contactId;
    if (who === null) {
      // Anonymous answers are each their own respondent, keyed by date and order within the day.
      const k = (anonymousPerDay.get(r.date) ?? 0) + 1;
      anonymousPerDay.set(r.date, k);
      who = `anonymous@${r.date}#${k}`;
    }
    const prev = latest.get(who);
    if (prev === undefined || r.date >= prev.date) latest.set(who, r);
  }
  const out: DetectedSignalFacts[] = [];
  for (const [who, r] of latest) {
    if (r.score > s.maxScore) continue;
    const contact = r.contactId === null ? undefined : ctx.contacts.find((c) => c.id === r.contactId);
    out.push({
      type: "nps_detractor",
      kind: "risk",
      severity: r.score <= s.highMaxScore ? "high" : "medium",
      evidence: { contactId: r.contactId, contactName: contact?.name ?? null, score: r.score, date: r.date },
      dedupKey: signalDedupKey("nps_detractor", ctx.accountId, who),
    });
  }
  return out;
}
