import { daysBetween } from "../../dates";
import { hadUsageBefore, signalDedupKey } from "../format";
import type { DetectedSignalFacts, SignalContext } from "../types";

export interface NewDepartmentSettings {
  enabled: boolean;
  /** A department is new for this many days after first seen. */
  windowDays: number;
}

export const DEFAULT_NEW_DEPARTMENT: NewDepartmentSettings = { enabled: true, windowDays: 14 };

/** A department started using the product: cross-sell into a new business line, one signal per department. */
export function detectNewDepartment(ctx: SignalContext, s: NewDepartmentSettings): DetectedSignalFacts[] {
  const out: DetectedSignalFacts[] = [];
  if (!hadUsageBefore(ctx.weeklyActiveUsers, s.windowDays)) return out;
  for (const d of ctx.newDepartments) {
    const age = daysBetween(d.firstSeenAt, ctx.asOf);
    if (age < 0 || age > s.windowDays) continue;
    out.push({
      type: "new_department",
      kind: "opportunity",
      severity: "medium",
      evidence: { department: d.name, firstSeenAt: d.firstSeenAt, daysAgo: age },
      dedupKey: signalDedupKey("new_department", ctx.accountId, d.name.trim().toLowerCase()),
    });
  }
  return out;
}
