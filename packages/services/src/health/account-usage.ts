import type { UserUsageColumns } from "@tenure/storage";
import { dayNumber } from "./days";

/** One tracked user who first appeared in the last 30 days. */
export interface NewStakeholder {
  id: string;
  name: string;
  role: string | null;
  department: string | null;
  firstSeenAt: string;
}

/** An account's product usage at asOf, folded from its users' aggregates (see docs/health.md). */
export interface AccountUsage {
  /** Distinct active users per weekly bucket, oldest first. */
  weeklyActiveUsers: number[];
  weeklyEvents: number[];
  weeklyActiveDepartments: number[];
  /** Users active in the last 30 days. */
  active30: number;
  /** Departments with a user active in the last 30 days. */
  activeDepartments30: number;
  /** Departments known for the account's users (active or not). */
  departments: number;
  /** Distinct key events used by a user active in the last 30 days. */
  keyEventsUsed: number;
  /** Users active in the last 4 weekly buckets, and in the 4 before. */
  recent28: number;
  previous28: number;
  /** First and last usage day number of any user (all history up to asOf). */
  firstDay: number | null;
  lastDay: number | null;
  newStakeholders: NewStakeholder[];
  newDepartments: { name: string; firstSeenAt: string }[];
}

/** Usage of an account without any tracked user. */
export function emptyUsage(weeks: number): AccountUsage {
  return {
    weeklyActiveUsers: new Array<number>(weeks).fill(0),
    weeklyEvents: new Array<number>(weeks).fill(0),
    weeklyActiveDepartments: new Array<number>(weeks).fill(0),
    active30: 0,
    activeDepartments30: 0,
    departments: 0,
    keyEventsUsed: 0,
    recent28: 0,
    previous28: 0,
    firstDay: null,
    lastDay: null,
    newStakeholders: [],
    newDepartments: [],
  };
}

const dateOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

interface Fold {
  usage: AccountUsage;
  deptWeeks: Map<string, number>;
  activeDepts: Set<string>;
  deptFirst: Map<string, number>;
  keyMask: number[];
}

/**
 * Folds per-user usage columns (user_key order) into one AccountUsage per account, in one pass with
 * no per-user objects. `weeks` weekly buckets end at asOf; the last 4 are the "recent 28 days".
 */
export function foldAccountUsage(
  cols: UserUsageColumns,
  asOf: string,
  weeks: number,
): Map<string, AccountUsage> {
  const asOfDay = dayNumber(asOf);
  const dayCache = new Map<string, number>();
  const dn = (d: string) => {
    let n = dayCache.get(d);
    if (n === undefined) {
      n = dayNumber(d);
      dayCache.set(d, n);
    }
    return n;
  };
  const folds = new Map<string, Fold>();
  const { weekEvents, keyWords } = cols;
  for (let i = 0; i < cols.userKey.length; i++) {
    const accountId = cols.accountId[i] as string;
    let f = folds.get(accountId);
    if (f === undefined) {
      f = {
        usage: emptyUsage(weeks),
        deptWeeks: new Map(),
        activeDepts: new Set(),
        deptFirst: new Map(),
        keyMask: new Array<number>(keyWords).fill(0),
      };
      folds.set(accountId, f);
    }
    const u = f.usage;
    let mask = 0;
    let inRecent = false;
    let inPrevious = false;
    const base = i * weeks;
    for (let w = 0; w < weeks; w++) {
      const e = weekEvents[base + w] as number;
      if (Number.isNaN(e)) continue;
      mask |= 1 << w;
      u.weeklyEvents[w] = (u.weeklyEvents[w] as number) + e;
      u.weeklyActiveUsers[w] = (u.weeklyActiveUsers[w] as number) + 1;
      if (w >= weeks - 4) inRecent = true;
      else if (w >= weeks - 8) inPrevious = true;
    }
    if (inRecent) u.recent28++;
    if (inPrevious) u.previous28++;
    const in30 = cols.recent[i] === 1;
    if (in30) {
      u.active30++;
      for (let k = 0; k < keyWords; k++)
        f.keyMask[k] = (f.keyMask[k] as number) | (cols.keyMask[i * keyWords + k] as number);
    }
    const first = cols.firstDay[i];
    const last = cols.lastDay[i];
    const firstDay = first === null || first === undefined ? null : dn(first);
    const lastDay = last === null || last === undefined ? null : dn(last);
    const department = cols.department[i] ?? null;
    const dept = department?.trim().toLowerCase();
    if (dept) {
      f.deptWeeks.set(dept, (f.deptWeeks.get(dept) ?? 0) | mask);
      if (in30) f.activeDepts.add(dept);
      if (firstDay !== null && firstDay < (f.deptFirst.get(dept) ?? Number.POSITIVE_INFINITY))
        f.deptFirst.set(dept, firstDay);
    }
    if (lastDay !== null && (u.lastDay === null || lastDay > u.lastDay)) u.lastDay = lastDay;
    if (firstDay !== null && (u.firstDay === null || firstDay < u.firstDay)) u.firstDay = firstDay;
    if (firstDay !== null && asOfDay - firstDay < 30) {
      const key = cols.userKey[i] as string;
      u.newStakeholders.push({
        id: key,
        name: cols.name[i] ?? cols.email[i] ?? key,
        role: cols.role[i] ?? null,
        department,
        firstSeenAt: dateOf(firstDay),
      });
    }
  }
  const out = new Map<string, AccountUsage>();
  for (const [accountId, f] of folds) {
    const u = f.usage;
    for (const mask of f.deptWeeks.values())
      for (let w = 0; w < weeks; w++)
        if (mask & (1 << w)) u.weeklyActiveDepartments[w] = (u.weeklyActiveDepartments[w] as number) + 1;
    u.departments = f.deptWeeks.size;
    u.activeDepartments30 = f.activeDepts.size;
    u.keyEventsUsed = f.keyMask.reduce((s, m) => s + popcount(m), 0);
    // Departments are "new" only when the account already used the product before they appeared.
    for (const [name, day] of f.deptFirst)
      if (asOfDay - day < 30 && u.firstDay !== null && day > u.firstDay)
        u.newDepartments.push({ name, firstSeenAt: dateOf(day) });
    out.set(accountId, u);
  }
  return out;
}
