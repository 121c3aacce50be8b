import type { Entitlement } from "@tenure/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minimalAccount } from "./repositories/account-repository";
import { bareUsageUser } from "./repositories/usage-user-repository";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const entitlement = (id: string, overrides: Partial<Entitlement> = {}): Entitlement => ({
  id,
  accountId: "a1",
  subscriptionId: "sub-1",
  metric: "Export",
  quantity: 1000,
  periodStart: "2026-01-01",
  periodEnd: "2027-01-01",
  ...overrides,
});

describe.each(testDialects())("entitlement and contact storage on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should round-trip entitlements and report unchanged rows when upserted again", async () => {
    const s = t.storage;
    const ws = "ws-ent";
    const rows = [
      entitlement("e1"),
      entitlement("e2", { subscriptionId: null, metric: "*", quantity: 12.5, accountId: "a2" }),
    ];
    expect(await s.entitlements.upsertMany(ws, rows)).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(await s.entitlements.upsertMany(ws, rows)).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await s.entitlements.upsertMany(ws, [entitlement("e1", { quantity: 2000 })])).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 0,
    });
    expect(await s.entitlements.list(ws)).toEqual([entitlement("e1", { quantity: 2000 }), rows[1]]);
    expect(await s.entitlements.listByAccount(ws, "a2")).toEqual([rows[1]]);
    expect(await s.entitlements.list("ws-other")).toEqual([]);
  });

  it("should sum the metric's usage of the account's users over the current term through asOf", async () => {
    const s = t.storage;
    const ws = "ws-consumption";
    await s.usageUsers.upsertMany(ws, [
      { ...bareUsageUser("u1", "u1", null), accountId: "a1" },
      { ...bareUsageUser("u2", "u2", null), accountId: "a1" },
      { ...bareUsageUser("u3", "u3", null), accountId: "a2" },
    ]);
    await s.usageRollups.addCounts(ws, [
      { userKey: "u1", day: "2025-12-31", event: "Export", count: 100 }, // before the term
      { userKey: "u1", day: "2026-01-01", event: "Export", count: 3 },
      { userKey: "u2", day: "2026-03-10", event: "Export", count: 4 },
      { userKey: "u2", day: "2026-03-10", event: "Report Run", count: 7 }, // another event
      { userKey: "u1", day: "2026-03-11", event: "Export", count: 50 }, // after asOf
      { userKey: "u3", day: "2026-02-01", event: "Export", count: 9 }, // another account
    ]);
    await s.entitlements.upsertMany(ws, [
      entitlement("e-export"),
      entitlement("e-all", { metric: "*", quantity: 40 }),
      entitlement("e-idle", { metric: "Invite Sent", quantity: 5 }),
      entitlement("e-a3", { accountId: "a3", quantity: 5 }), // no tracked users at all
      entitlement("e-past", { periodStart: "2025-01-01", periodEnd: "2026-01-01" }),
      entitlement("e-future", { periodStart: "2026-06-01", periodEnd: "2027-06-01" }),
    ]);
    const rows = await s.entitlements.currentConsumption(ws, "2026-03-10");
    expect(rows.map((r) => [r.id, r.consumed])).toEqual([
      ["e-a3", 0],
      ["e-all", 14],
      ["e-export", 7],
      ["e-idle", 0],
    ]);
    expect(rows.find((r) => r.id === "e-all")).toMatchObject({ accountId: "a1", metric: "*", quantity: 40 });
    // The last day of a term is in it; the first day after is not.
    expect((await s.entitlements.currentConsumption(ws, "2026-12-31")).map((r) => r.id)).toContain(
      "e-export",
    );
    expect((await s.entitlements.currentConsumption(ws, "2027-01-01")).map((r) => r.id)).toEqual([
      "e-future",
    ]);
  });

  it("should read an account's daily usage by event through its users", async () => {
    const s = t.storage;
    const rows = await s.entitlements.accountDailyUsage("ws-consumption", "a1", "2026-01-01", "2026-03-10");
    expect(rows).toEqual([
      { day: "2026-01-01", event: "Export", count: 3 },
      { day: "2026-03-10", event: "Export", count: 4 },
      { day: "2026-03-10", event: "Report Run", count: 7 },
    ]);
    expect(
      await s.entitlements.accountDailyUsage("ws-consumption", "a3", "2026-01-01", "2026-03-10"),
    ).toEqual([]);
  });

  it("should store the day a contact left and clear it again", async () => {
    const s = t.storage;
    const ws = "ws-left";
    await s.accounts.upsertMany(ws, [minimalAccount("a1")]);
    const champion = {
      id: "c1",
      accountId: "a1",
      name: "Mei",
      email: null,
      role: "champion" as const,
      title: null,
      lastTouchAt: "2026-01-05",
      leftAt: "2026-02-01",
    };
    expect(await s.contacts.upsertMany(ws, [champion])).toMatchObject({ inserted: 1 });
    expect(await s.contacts.get(ws, "c1")).toEqual(champion);
    expect(await s.contacts.upsertMany(ws, [{ ...champion, leftAt: null }])).toMatchObject({ updated: 1 });
    expect(await s.contacts.setLeftAt(ws, "c1", "2026-03-01")).toBe(true);
    expect((await s.contacts.listByAccount(ws, "a1"))[0]?.leftAt).toBe("2026-03-01");
    expect(await s.contacts.setLeftAt(ws, "nobody", "2026-03-01")).toBe(false);
    expect(await s.contacts.get(ws, "nobody")).toBeNull();
    expect(await s.contacts.get("ws-other", "c1")).toBeNull();
  });
});
