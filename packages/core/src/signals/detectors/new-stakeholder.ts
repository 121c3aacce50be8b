import { daysBetween } from "../dates";
import { hadUsageBefore, signalDedupKey } from "../format";
import type { DetectedSignal, SignalContext } from "../types";

export interface NewStakeholderSettings {
  enabled: boolean;
  /** A stakeholder is new for this many days after first seen. */
  windowDays: number;
  /** Roles (case-insensitive substrings) that make the signal medium instead of low. */
  seniorRoles: string[];
}

export const DEFAULT_NEW_STAKEHOLDER: NewStakeholderSettings = {
  enabled: true,
  windowDays: 14,
  seniorRoles: ["decision_maker", "head", "director", "vp", "chief", "lead", "manager", "owner"],
};

/** Seed 004: a new business-line owner joins the conversation, one signal per person. */
export function detectNewStakeholder(ctx: SignalContext, s: NewStakeholderSettings): DetectedSignal[] {
  const out: DetectedSignal[] = [];
  if (!hadUsageBefore(ctx.weeklyActiveUsers, s.windowDays)) return out;
  for (const p of ctx.newStakeholders) {
    const age = daysBetween(p.firstSeenAt, ctx.asOf);
    if (age < 0 || age > s.windowDays) continue;
    const role = p.role?.toLowerCase() ?? "";
    const senior = role !== "" && s.seniorRoles.some((r) => role.includes(r.toLowerCase()));
    const where = [p.role, p.department].filter((x) => x !== null && x !== "").join(", ");
    out.push({
      type: "new_stakeholder",
      kind: "opportunity",
      severity: senior ? "medium" : "low",
      title: "New stakeholder",
      summary: `${p.name}${where ? ` (${where})` : ""} appeared on ${p.firstSeenAt}, ${age} days ago.`,
      evidence: {
        stakeholderId: p.id,
        name: p.name,
        role: p.role,
        department: p.department,
        firstSeenAt: p.firstSeenAt,
        daysAgo: age,
      },
      dedupKey: signalDedupKey("new_stakeholder", ctx.accountId, p.id),
    });
  }
  return out;
}
