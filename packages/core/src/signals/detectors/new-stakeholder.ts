import { daysBetween } from "../../dates";
import { hadUsageBefore, signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface NewStakeholderSettings {
  enabled: boolean;
  /** A stakeholder is new for this many days after first seen. */
  windowDays: number;
  /** Roles (case-insensitive substrings) that make the signal medium instead of low. */
  seniorRoles: string[];
  /** More new people than this in the window (a team rolling out) make one signal, not one each. */
  groupAbove: number;
}

export const DEFAULT_NEW_STAKEHOLDER: NewStakeholderSettings = {
  enabled: true,
  windowDays: 14,
  seniorRoles: ["decision_maker", "head", "director", "vp", "chief", "lead", "manager", "owner"],
  groupAbove: 3,
};

/**
 * Seed 004: a new business-line owner joins the conversation, one signal per person; a team rolling out
 * (more than `groupAbove` people in the window) is one signal naming them, so the timeline is not flooded.
 */
export function detectNewStakeholder(ctx: SignalContext, s: NewStakeholderSettings): DetectedSignalFacts[] {
  if (!hadUsageBefore(ctx.weeklyActiveUsers, s.windowDays)) return [];
  const isSenior = (role: string | null) => {
    const r = role?.toLowerCase() ?? "";
    return r !== "" && s.seniorRoles.some((x) => r.includes(x.toLowerCase()));
  };
  const fresh = ctx.newStakeholders
    .map((p) => ({ p, age: daysBetween(p.firstSeenAt, ctx.asOf) }))
    .filter(({ age }) => age >= 0 && age <= s.windowDays);
  if (fresh.length > s.groupAbove) {
    const ordered = [...fresh].sort(
      (a, b) => a.p.firstSeenAt.localeCompare(b.p.firstSeenAt) || a.p.id.localeCompare(b.p.id),
    );
    const first = ordered[0]?.p.firstSeenAt as string;
    const departments = new Set(ordered.map(({ p }) => p.department).filter((d) => d !== null && d !== ""));
    const shown = ordered.slice(0, 5).map(({ p }) => p.name);
    return [
      {
        type: "new_stakeholder",
        kind: "opportunity",
        severity: ordered.some(({ p }) => isSenior(p.role)) ? "medium" : "low",
        evidence: {
          people: ordered.length,
          departments: departments.size,
          names: shown.join(", "),
          firstSeenAt: first,
        },
        // Keyed by the earliest arrival: later arrivals of the same rollout join this signal.
        dedupKey: signalDedupKey("new_stakeholder", ctx.accountId, `group:${first}`),
      },
    ];
  }
  return fresh.map(({ p, age }) => {
    return {
      type: "new_stakeholder",
      kind: "opportunity",
      severity: isSenior(p.role) ? "medium" : "low",
      evidence: {
        stakeholderId: p.id,
        name: p.name,
        role: p.role,
        department: p.department,
        firstSeenAt: p.firstSeenAt,
        daysAgo: age,
      },
      dedupKey: signalDedupKey("new_stakeholder", ctx.accountId, p.id),
    };
  });
}
