import { createSeededRng } from "@tenure/core";
import {
  bareUsageUser,
  openTestStorage,
  type Storage,
  testDialects,
  type UsageRollup,
  type UsageUser,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountUsage, emptyUsage, foldAccountUsage } from "./account-usage";
import { addDays, dayNumber } from "./days";
import { USAGE_WEEKS } from "./health-inputs";

const WS = "ws";
const ASOF = "2026-06-30";
const KEY_EVENTS = ["Export", "Report Run", "Share"];
const EVENTS = ["Export", "Report Run", "Share", "page", "Invite"];
const DEPTS = ["Sales", " sales ", "Ops", "", null, "Finance", "R&D"];

/** 12 accounts of varied users: recent, dormant, brand-new, future-dated, unattributed, without usage. */
function dataset(): { users: UsageUser[]; rollups: UsageRollup[] } {
  const rnd = createSeededRng(7);
  const users: UsageUser[] = [];
  const rollups: UsageRollup[] = [];
  for (let a = 0; a < 12; a++) {
    const people = 1 + Math.floor(rnd() * 6);
    for (let p = 0; p < people; p++) {
      const key = `a${a}-u${p}`;
      users.push({
        ...bareUsageUser(key, key, null),
        accountId: a === 11 && p === 0 ? null : `acc${a}`,
        name: rnd() < 0.5 ? `User ${p}` : null,
        email: rnd() < 0.5 ? `${key}@x.test` : null,
        role: rnd() < 0.3 ? "admin" : null,
        department: DEPTS[Math.floor(rnd() * DEPTS.length)] ?? null,
      });
      const kind = a === 10 ? 0.95 : rnd();
      // first day back from asOf (negative = after asOf) and how active the user is
      const start = kind < 0.2 ? 20 : kind < 0.35 ? 200 : kind < 0.45 ? 0 : 120;
      const end = kind > 0.9 ? 95 : kind > 0.85 ? -5 : 0;
      const p30 = kind > 0.45 && kind < 0.55 ? 0 : 0.35;
      for (let d = start; d >= end; d--) {
        if (rnd() >= p30 && d !== start) continue;
        const day = addDays(ASOF, -d);
        const n = 1 + Math.floor(rnd() * 3);
        for (let e = 0; e < n; e++)
          rollups.push({
            userKey: key,
            day,
            event: EVENTS[Math.floor(rnd() * EVENTS.length)] as string,
            count: 1 + Math.floor(rnd() * 4),
          });
      }
    }
  }
  return { users, rollups };
}

/** The previous implementation: per-user day lists from the row-level reads, folded in JS. */
async function reference(storage: Storage): Promise<Map<string, AccountUsage>> {
  const asOfDay = dayNumber(ASOF);
  const weeks = USAGE_WEEKS;
  const since30 = addDays(ASOF, -29);
  const [users, days, spans, used] = await Promise.all([
    storage.usageUsers.list(WS),
    storage.healthScores.userDays(WS, addDays(ASOF, 1 - weeks * 7), ASOF),
    storage.healthScores.userSpans(WS, ASOF),
    storage.healthScores.userEvents(WS, since30, ASOF, KEY_EVENTS),
  ]);
  const out = new Map<string, AccountUsage>();
  const members = new Map<string, Array<[UsageUser, number, boolean, number | null]>>();
  for (const u of users) {
    if (u.accountId === null) continue;
    const acc = out.get(u.accountId) ?? emptyUsage(weeks);
    out.set(u.accountId, acc);
    let mask = 0;
    let in30 = false;
    let inRecent = false;
    let inPrevious = false;
    for (const d of days.filter((x) => x.userKey === u.userKey)) {
      const offset = asOfDay - dayNumber(d.day);
      if (offset < 0 || offset >= weeks * 7) continue;
      const w = weeks - 1 - Math.floor(offset / 7);
      mask |= 1 << w;
      acc.weeklyEvents[w] = (acc.weeklyEvents[w] as number) + d.count;
      if (offset < 30) in30 = true;
      if (offset < 28) inRecent = true;
      else if (offset < 56) inPrevious = true;
    }
    for (let w = 0; w < weeks; w++)
      if (mask & (1 << w)) acc.weeklyActiveUsers[w] = (acc.weeklyActiveUsers[w] as number) + 1;
    if (inRecent) acc.recent28++;
    if (inPrevious) acc.previous28++;
    if (in30) acc.active30++;
    const span = spans.find((s) => s.userKey === u.userKey);
    const first = span ? dayNumber(span.firstDay) : null;
    const last = span ? dayNumber(span.lastDay) : null;
    if (last !== null && (acc.lastDay === null || last > acc.lastDay)) acc.lastDay = last;
    if (first !== null && (acc.firstDay === null || first < acc.firstDay)) acc.firstDay = first;
    if (first !== null && asOfDay - first < 30)
      acc.newStakeholders.push({
        id: u.userKey,
        name: u.name ?? u.email ?? u.userKey,
        role: u.role,
        department: u.department,
        firstSeenAt: addDays(ASOF, first - asOfDay),
      });
    const list = members.get(u.accountId) ?? [];
    members.set(u.accountId, list);
    list.push([u, mask, in30, first]);
  }
  for (const [id, acc] of out) {
    const list = members.get(id) ?? [];
    const deptWeeks = new Map<string, number>();
    const active = new Set<string>();
    const deptFirst = new Map<string, number>();
    const keys = new Set<string>();
    for (const [u, mask, in30, first] of list) {
      if (in30) for (const e of used) if (e.userKey === u.userKey) keys.add(e.event);
      const dept = u.department?.trim().toLowerCase();
      if (!dept) continue;
      deptWeeks.set(dept, (deptWeeks.get(dept) ?? 0) | mask);
      if (in30) active.add(dept);
      if (first !== null && first < (deptFirst.get(dept) ?? Number.POSITIVE_INFINITY))
        deptFirst.set(dept, first);
    }
    for (const mask of deptWeeks.values())
      for (let w = 0; w < weeks; w++)
        if (mask & (1 << w)) acc.weeklyActiveDepartments[w] = (acc.weeklyActiveDepartments[w] as number) + 1;
    acc.departments = deptWeeks.size;
    acc.activeDepartments30 = active.size;
    acc.keyEventsUsed = keys.size;
    for (const [name, day] of deptFirst)
      if (asOfDay - day < 30 && acc.firstDay !== null && day > acc.firstDay)
        acc.newDepartments.push({ name, firstSeenAt: addDays(ASOF, day - asOfDay) });
  }
  return out;
}

describe.each(testDialects())("account usage aggregates (%s)", (dialect) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await openTestStorage(dialect);
    storage = t.storage;
    cleanup = t.cleanup;
    const { users, rollups } = dataset();
    await storage.usageUsers.upsertMany(WS, users);
    await storage.usageRollups.addCounts(WS, rollups);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it("should give the same usage metrics as the row-level implementation when aggregated in SQL", async () => {
    const weekStarts = Array.from({ length: USAGE_WEEKS }, (_, w) =>
      addDays(ASOF, -7 * (USAGE_WEEKS - 1 - w) - 6),
    );
    const cols = await storage.healthUsage.userUsage(WS, {
      to: ASOF,
      weekStarts,
      recentFrom: addDays(ASOF, -29),
      keyEvents: KEY_EVENTS,
    });
    const actual = foldAccountUsage(cols, ASOF, USAGE_WEEKS);
    const expected = await reference(storage);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, usage] of expected) expect(actual.get(id), id).toEqual(usage);
    // the dataset exercises every branch
    const all = [...expected.values()];
    expect(all.some((u) => u.newStakeholders.length > 0)).toBe(true);
    expect(all.some((u) => u.lastDay !== null && dayNumber(ASOF) - u.lastDay > 84)).toBe(true);
    expect(all.some((u) => u.keyEventsUsed > 0 && u.activeDepartments30 > 0)).toBe(true);
  });
});
