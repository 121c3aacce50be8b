import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventBlockBuilder } from "./repositories/usage-event-block-builder";
import type { UsageEvent } from "./repositories/usage-event-repository";
import { bareUsageUser } from "./repositories/usage-user-repository";
import { openStorage } from "./storage";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const event = (messageId: string, userKey: string, day: string, name = "Report Run"): UsageEvent => ({
  messageId,
  type: "track",
  event: name,
  userKey,
  userId: userKey,
  anonymousId: null,
  timestamp: `${day}T10:00:00.000Z`,
  day,
  properties: { n: 1, nested: { ok: true } },
  receivedAt: "2026-11-23T00:00:00.000Z",
});

describe.each(testDialects())("usage storage on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should insert each messageId once when events repeat within and across calls", async () => {
    const s = t.storage;
    const ws = "ws-dedup";
    const first = await s.usageEvents.insertNew(ws, [
      event("m1", "u1", "2026-01-01"),
      event("m1", "u1", "2026-01-01"),
    ]);
    expect(first.map((e) => e.messageId)).toEqual(["m1"]);
    const second = await s.usageEvents.insertNew(ws, [
      event("m1", "u1", "2026-01-01"),
      event("m2", "u1", "2026-01-02"),
    ]);
    expect(second.map((e) => e.messageId)).toEqual(["m2"]);
    expect(await s.usageEvents.count(ws)).toBe(2);
    expect(await s.usageEvents.list(ws)).toEqual([
      event("m1", "u1", "2026-01-01"),
      event("m2", "u1", "2026-01-02"),
    ]);
    // The same messageId in another workspace is another event.
    expect(await s.usageEvents.insertNew("ws-other", [event("m1", "u1", "2026-01-01")])).toHaveLength(1);
  });

  it("should store an encoded block's calls marked first in the transaction unless already stored", async () => {
    const s = t.storage;
    const ws = "ws-first";
    await s.usageEvents.insertNew(ws, [event("stored", "u1", "2026-01-01")]);
    const builder = new EventBlockBuilder();
    for (const id of ["stored", "a", "a", "b"]) builder.addEvent(event(id, "u1", "2026-01-02"));
    const block = builder.finish();
    // The caller vouches: the second "a" repeats an earlier call of the transaction.
    const fresh = await s.usageEvents.insertEncoded(ws, {
      ...block,
      firstInTransaction: new Uint8Array([1, 1, 0, 1]),
    });
    // (PostgreSQL keeps its id table and finds the repeat itself: the same answer.)
    expect([...fresh]).toEqual([0, 1, 0, 1]);
    expect((await s.usageEvents.list(ws)).map((e) => e.messageId).sort()).toEqual(["a", "b", "stored"]);
  });

  it("should round-trip users and keep existing ones when ensured again", async () => {
    const s = t.storage;
    const ws = "ws-users";
    const full = {
      ...bareUsageUser("u1", "u1", "anon-1"),
      accountId: "acc-1",
      name: "Ana",
      email: "ana@example.com",
      role: "admin",
      department: "finance",
      traits: { plan: "pro", seats: 3 },
    };
    expect(await s.usageUsers.upsertMany(ws, [full])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    await s.usageUsers.ensureMany(ws, [bareUsageUser("u1", "u1", null), bareUsageUser("anon:x", null, "x")]);
    expect(await s.usageUsers.list(ws)).toEqual([bareUsageUser("anon:x", null, "x"), full]);
    expect(await s.usageUsers.upsertMany(ws, [full])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect([...(await s.usageUsers.getMany(ws, ["u1", "nope"])).keys()]).toEqual(["u1"]);
    expect(await s.usageUsers.listByAccount(ws, "acc-1")).toEqual([full]);
    await s.usageUsers.upsertMany(ws, [{ ...bareUsageUser("u2", "u2", null), accountId: "acc-1" }]);
    await s.usageUsers.upsertMany(ws, [{ ...bareUsageUser("u3", "u3", null), accountId: "acc-0" }]);
    // Distinct, sorted, unmapped and unknown users skipped.
    expect(await s.usageUsers.accountsOf(ws, ["u1", "u2", "u3", "anon:x", "nope", "u1"])).toEqual([
      "acc-0",
      "acc-1",
    ]);
    expect(await s.usageUsers.accountsOf(ws, [])).toEqual([]);
  });

  it("should add counts and attribute them to the user's account when the mapping arrives later", async () => {
    const s = t.storage;
    const ws = "ws-rollups";
    await s.usageRollups.addCounts(ws, [
      { userKey: "u1", day: "2026-02-01", event: "A", count: 2 },
      { userKey: "u1", day: "2026-02-01", event: "A", count: 1 },
      { userKey: "u2", day: "2026-02-01", event: "A", count: 1 },
      { userKey: "u2", day: "2026-02-03", event: "B", count: 5 },
    ]);
    await s.usageRollups.addCounts(ws, [{ userKey: "u1", day: "2026-02-01", event: "A", count: 4 }]);
    expect(await s.usageRollups.list(ws)).toEqual([
      { userKey: "u1", day: "2026-02-01", event: "A", count: 7 },
      { userKey: "u2", day: "2026-02-01", event: "A", count: 1 },
      { userKey: "u2", day: "2026-02-03", event: "B", count: 5 },
    ]);
    expect(await s.usageRollups.accountEventCounts(ws, "acc", "2026-02-01", "2026-02-28")).toEqual([]);

    await s.usageUsers.upsertMany(ws, [
      { ...bareUsageUser("u1", "u1", null), accountId: "acc" },
      { ...bareUsageUser("u2", "u2", null), accountId: "acc" },
    ]);
    expect(await s.usageRollups.accountEventCounts(ws, "acc", "2026-02-01", "2026-02-28")).toEqual([
      { day: "2026-02-01", event: "A", count: 8 },
      { day: "2026-02-03", event: "B", count: 5 },
    ]);
    expect(await s.usageRollups.accountDailyActiveUsers(ws, "acc", "2026-02-01", "2026-02-02")).toEqual([
      { day: "2026-02-01", users: 2 },
    ]);
    expect(await s.usageRollups.accountActiveUsers(ws, "acc", "2026-02-01", "2026-02-28")).toBe(2);
    expect(await s.usageRollups.accountActiveUsers(ws, "acc", "2026-02-02", "2026-02-28")).toBe(1);

    // The account page's per-user events carry each user's department, read in the same join.
    await s.usageUsers.upsertMany(ws, [
      { ...bareUsageUser("u1", "u1", null), accountId: "acc", department: "Sales" },
    ]);
    const rows = await s.healthScores.accountUserEvents(ws, "acc", "2026-02-01", "2026-02-02");
    expect(rows.sort((a, b) => a.userKey.localeCompare(b.userKey))).toEqual([
      { userKey: "u1", department: "Sales", day: "2026-02-01", event: "A", count: 7 },
      { userKey: "u2", department: null, day: "2026-02-01", event: "A", count: 1 },
    ]);
  });

  it("should write nothing when a transaction with usage writes throws", async () => {
    const s = t.storage;
    const ws = "ws-rollback";
    await expect(
      s.transaction(async (tx) => {
        await tx.usageEvents.insertNew(ws, [event("m1", "u1", "2026-01-01")]);
        await tx.usageRollups.addCounts(ws, [{ userKey: "u1", day: "2026-01-01", event: "A", count: 1 }]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await s.usageEvents.count(ws)).toBe(0);
    expect(await s.usageRollups.list(ws)).toEqual([]);
  });

  it("should remember a rolled-back transaction's messageIds as new when they arrive again", async () => {
    const s = t.storage;
    const ws = "ws-rollback-ids";
    await s.usageEvents.insertNew(ws, [event("m0", "u1", "2026-01-01")]);
    await expect(
      s.transaction(async (tx) => {
        expect(await tx.usageEvents.insertNew(ws, [event("m1", "u1", "2026-01-01")])).toHaveLength(1);
        // Within the transaction its own ids are already known.
        expect(await tx.usageEvents.insertNew(ws, [event("m1", "u1", "2026-01-01")])).toEqual([]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const again = await s.usageEvents.insertNew(ws, [
      event("m0", "u1", "2026-01-01"),
      event("m1", "u1", "2026-01-02"),
    ]);
    expect(again.map((e) => e.messageId)).toEqual(["m1"]);
    expect(await s.usageEvents.count(ws)).toBe(2);
  });

  it("should not count a messageId again after a restart or when another handle on the same database stored it", async () => {
    const ws = "ws-restart";
    const s = t.storage;
    const ids = Array.from({ length: 2_000 }, (_, i) => event(`r-${i}`, `u${i % 5}`, "2026-03-01"));
    expect(await s.usageEvents.insertNew(ws, ids)).toHaveLength(2_000);
    // A second handle is what a restarted server (or a CLI import next to a running server) has.
    const other = await openStorage(t.config);
    try {
      expect(await other.usageEvents.insertNew(ws, ids)).toEqual([]);
      const fresh = await other.usageEvents.insertNew(ws, [
        event("r-0", "u0", "2026-03-01"),
        event("r-new", "u0", "2026-03-02"),
      ]);
      expect(fresh.map((e) => e.messageId)).toEqual(["r-new"]);
      expect(await other.usageEvents.count(ws)).toBe(2_001);
    } finally {
      await other.close();
    }
    // The first handle learns what the other one committed before its next write.
    expect(await s.usageEvents.insertNew(ws, [event("r-new", "u0", "2026-03-02")])).toEqual([]);
    expect(await s.usageEvents.count(ws)).toBe(2_001);
  });
});
