import { accountAttributeValues } from "../account-match";
import { addDays } from "../dates";
import { TenureError } from "../errors";
import type { Account } from "../types";
import type { MetricGoal, PlaybookAudience, PlaybookDefinition, RunStep } from "./types";

/** The steps of a run started on `startDate`, each due its offset later, none closed. */
export function planRunSteps(def: PlaybookDefinition, startDate: string): RunStep[] {
  return def.steps.map((s, index) => ({
    index,
    taskId: null,
    status: "open",
    dueDate: addDays(startDate, s.dueOffsetDays),
    closedAt: null,
  }));
}

/**
 * Closes step `index` (done or skipped) at `at`; the run is complete when no step is left open.
 * Closing a closed step again changes nothing, so a repeated task-closed event is harmless.
 */
export function closeRunStep(
  steps: readonly RunStep[],
  index: number,
  status: "done" | "skipped",
  at: string,
): { steps: RunStep[]; complete: boolean } {
  if (!steps.some((s) => s.index === index))
    throw new TenureError("validation", `step: the run has no step ${index}`);
  const next = steps.map((s) =>
    s.index === index && s.status === "open" ? { ...s, status, closedAt: at } : s,
  );
  return { steps: next, complete: next.every((s) => s.status !== "open") };
}

/** Open steps moved by `days` (closed ones keep the date they had). */
export function shiftOpenSteps(steps: readonly RunStep[], days: number): RunStep[] {
  return steps.map((s) => (s.status === "open" ? { ...s, dueDate: addDays(s.dueDate, days) } : s));
}

const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.trim().toLowerCase();

/**
 * Whether an account is in a playbook's audience (the account-list filters: owner, stage, band, tier,
 * segment as attr=value), compared case-insensitively as the list does. `band` is its health band.
 */
export function inAudience(audience: PlaybookAudience, account: Account, band: string): boolean {
  if (audience.owner !== undefined && !same(account.owner, audience.owner)) return false;
  if (audience.stage !== undefined && !same(account.lifecycleStage, audience.stage)) return false;
  if (audience.tier !== undefined && !same(account.tier, audience.tier)) return false;
  if (audience.band !== undefined && band !== audience.band) return false;
  if (audience.segment !== undefined) {
    const i = audience.segment.indexOf("=");
    const attr = audience.segment.slice(0, i).trim();
    const value = audience.segment.slice(i + 1);
    if (!accountAttributeValues(account, attr).some((v) => same(v, value))) return false;
  }
  return true;
}

/** Whether a run moved its metric the way the playbook wanted (null while either value is missing). */
export function runSucceeded(goal: MetricGoal, start: number | null, end: number | null): boolean | null {
  if (start === null || end === null) return null;
  return goal === "increase" ? end > start : end < start;
}
