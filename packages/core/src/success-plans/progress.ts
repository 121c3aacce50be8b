import { daysBetween } from "../dates";
/** One milestone of a success plan or onboarding checklist, as the progress functions need it. */
export interface MilestoneState {
  /** ISO date-time when it was done; null while open. */
  doneAt: string | null;
  /** The milestone that marks the customer's first value (time to first value ends there). */
  valueMilestone: boolean;
}

/** Done and total milestones, and the share done (0 when there are none). */
export interface PlanProgress {
  done: number;
  total: number;
  share: number;
}

/** How far a plan is: done milestones over all of them. */
export function planProgress(milestones: readonly MilestoneState[]): PlanProgress {
  const done = milestones.filter((m) => m.doneAt !== null).length;
  const total = milestones.length;
  return { done, total, share: total === 0 ? 0 : done / total };
}

/**
 * Time to first value: days from signing to the earliest done value milestone; null while no value
 * milestone is done. Negative spans (a milestone ticked before the signing date) count as 0.
 */
export function timeToFirstValue(signedOn: string, milestones: readonly MilestoneState[]): number | null {
  let first: string | null = null;
  for (const m of milestones) {
    if (!m.valueMilestone || m.doneAt === null) continue;
    if (first === null || m.doneAt < first) first = m.doneAt;
  }
  return first === null ? null : Math.max(0, daysBetween(signedOn, first));
}

/** Time to first value of one group (a segment or tier): reached ones' median and mean, and how many wait. */
export interface TtfvGroup {
  group: string;
  /** Accounts with an onboarding checklist. */
  accounts: number;
  /** Of them, those that reached first value. */
  reached: number;
  medianDays: number | null;
  meanDays: number | null;
  /** 25th and 75th percentiles of the reached accounts' days (linear interpolation). */
  p25Days: number | null;
  p75Days: number | null;
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Time to first value by group, groups sorted by name; `days` null = not reached yet. */
export function ttfvByGroup(rows: readonly { group: string; days: number | null }[]): TtfvGroup[] {
  const byGroup = new Map<string, { accounts: number; days: number[] }>();
  for (const r of rows) {
    const g = byGroup.get(r.group) ?? { accounts: 0, days: [] };
    g.accounts += 1;
    if (r.days !== null) g.days.push(r.days);
    byGroup.set(r.group, g);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, g]) => {
      const sorted = [...g.days].sort((a, b) => a - b);
      const mean = sorted.length === 0 ? null : sorted.reduce((s, d) => s + d, 0) / sorted.length;
      return {
        group,
        accounts: g.accounts,
        reached: sorted.length,
        medianDays: quantile(sorted, 0.5),
        meanDays: mean === null ? null : Math.round(mean * 10) / 10,
        p25Days: quantile(sorted, 0.25),
        p75Days: quantile(sorted, 0.75),
      };
    });
}

/**
 * A goal's progress from its start value to its target: 0 at start, 1 at target, clamped to [0, 1];
 * null when a value is missing or start equals target. Works for falling targets (fewer tickets) too.
 */
export function goalProgress(
  start: number | null,
  current: number | null,
  target: number | null,
): number | null {
  if (start === null || current === null || target === null || start === target) return null;
  const p = (current - start) / (target - start);
  return Math.min(1, Math.max(0, p));
}
