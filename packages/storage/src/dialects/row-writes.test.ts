import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthScoreRecord } from "../repositories/health-score-repository";
import type { SignalRecord } from "../repositories/signal-repository";
import type { UsageEvent } from "../repositories/usage-event-repository";
import type { UsageRollup } from "../repositories/usage-rollup-repository";
import type { UsageUser } from "../repositories/usage-user-repository";
import type { Storage } from "../storage";
import { openTestStorage, type TestStorage, testDialects } from "../testing";
import { ROLLUP_WEEKS_PER_UPSERT } from "./row-writes";

// Each named row write runs twice: outside a transaction (the portable Kysely form) and inside one (on
// SQLite the prepared-statement form, on PostgreSQL the portable form again). Both must store the same.
const WS = "w";
const PATHS = [
  ["outside a transaction", (s: Storage, fn: (r: Storage) => Promise<void>) => fn(s)],
  [
    "inside a transaction",
    (s: Storage, fn: (r: Storage) => Promise<void>) => s.transaction((tx) => fn(tx as Storage)),
  ],
] as const;

const score = (accountId: string, over: Partial<HealthScoreRecord> = {}): HealthScoreRecord => ({
  accountId,
  date: "2026-12-01",
  score: 61.5,
  band: "yellow",
  profileId: "default",
  breakdown: { usage: { score: 40, weight: 0.5 } },
  lastActivityAt: "2026-11-30T10:00:00.000Z",
  ...over,
});

const user = (key: string, over: Partial<UsageUser> = {}): UsageUser => ({
  userKey: key,
  userId: key,
  anonymousId: null,
  accountId: "acc_1",
  name: "Ada",
  email: "ada@example.com",
  role: "admin",
  department: "Finance",
  traits: { plan: "pro" },
  ...over,
});

describe.each(testDialects())("dialect row writes on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "W");
    await t.storage.accounts.ensureMinimal(WS, ["acc_1", "acc_2", "acc_3", "acc_4"]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  describe.each(PATHS)("%s", (label, run) => {
    const acc = label === "outside a transaction" ? "acc_1" : "acc_2";

    it("should insert health scores, then replace a changed one and keep an unchanged one", async () => {
      await run(t.storage, (r) =>
        r.healthScores.upsertMany(WS, [
          score(acc),
          score(acc, { date: "2026-12-02", score: null, band: "none" }),
        ]),
      );
      await run(t.storage, (r) =>
        r.healthScores.upsertMany(WS, [score(acc, { score: 80, band: "green", lastActivityAt: null })]),
      );
      expect(
        await t.storage.healthScores.points(WS, "2026-12-01", "2026-12-02", { from: acc, to: acc }),
      ).toEqual([
        { accountId: acc, date: "2026-12-01", score: 80, band: "green", lastActivityAt: null },
        {
          accountId: acc,
          date: "2026-12-02",
          score: null,
          band: "none",
          lastActivityAt: "2026-11-30T10:00:00.000Z",
        },
      ]);
    });

    it("should set the status columns of the signals named, and only those", async () => {
      const signal = (id: string): SignalRecord => ({
        id: `${acc}-${id}`,
        accountId: acc,
        type: "usage_drop",
        kind: "risk",
        severity: "high",
        status: "open",
        dedupKey: `${acc}-${id}`,
        title: "Usage dropped",
        summary: "Active users fell",
        evidence: { before: 10, after: 2 },
        openedAt: "2026-12-01T00:00:00.000Z",
        acknowledgedAt: null,
        resolvedAt: null,
        statusChangedBy: null,
      });
      await t.storage.signals.insertMany(WS, [signal("a"), signal("b")]);
      await run(t.storage, (r) =>
        r.signals.updateStatuses(WS, [
          {
            id: `${acc}-a`,
            status: "resolved",
            acknowledgedAt: "2026-12-02T00:00:00.000Z",
            resolvedAt: "2026-12-03T00:00:00.000Z",
            statusChangedBy: "csm@example.com",
          },
        ]),
      );
      const byId = new Map((await t.storage.signals.list(WS, { accountId: acc })).map((s) => [s.id, s]));
      expect(byId.get(`${acc}-a`)).toMatchObject({
        status: "resolved",
        acknowledgedAt: "2026-12-02T00:00:00.000Z",
        resolvedAt: "2026-12-03T00:00:00.000Z",
        statusChangedBy: "csm@example.com",
      });
      expect(byId.get(`${acc}-b`)).toMatchObject({ status: "open", resolvedAt: null, statusChangedBy: null });
    });

    it("should upsert usage users (replacing) and ensure bare ones (leaving stored users alone)", async () => {
      const k = `${acc}-user`;
      const progress: [number, number][] = [];
      await run(t.storage, (r) =>
        r.usageUsers
          .upsertMany(WS, [user(k), user(`${k}2`)], { onProgress: (d, n) => progress.push([d, n]) })
          .then(() => undefined),
      );
      expect(progress.at(-1)).toEqual([2, 2]);
      await run(t.storage, (r) =>
        r.usageUsers.upsertMany(WS, [user(k, { name: "Ada L.", traits: {} })]).then(() => undefined),
      );
      await run(t.storage, (r) =>
        r.usageUsers.ensureMany(WS, [
          user(k, { name: "ignored", accountId: null }),
          user(`${k}3`, { accountId: null, name: null, traits: {} }),
        ]),
      );
      const got = await t.storage.usageUsers.getMany(WS, [k, `${k}2`, `${k}3`]);
      expect(got.get(k)).toEqual(user(k, { name: "Ada L.", traits: {} }));
      expect(got.get(`${k}2`)).toEqual(user(`${k}2`));
      expect(got.get(`${k}3`)).toEqual(user(`${k}3`, { accountId: null, name: null, traits: {} }));
    });

    it("should add rollup counts to stored weeks, in full batches of week rows and a remainder", async () => {
      // More (user, week) rows than one batched upsert holds, and every row written twice (merge).
      const users = ROLLUP_WEEKS_PER_UPSERT + 7;
      const rows: UsageRollup[] = [];
      for (let u = 0; u < users; u++)
        for (const day of ["2026-11-02", "2026-11-10"])
          rows.push({
            userKey: `${acc}-r${u}`,
            day,
            event: u % 2 === 0 ? "Export" : "Report Run",
            count: u + 1,
          });
      await run(t.storage, (r) => r.usageRollups.addCounts(WS, rows));
      await run(t.storage, (r) => r.usageRollups.addCounts(WS, rows));
      const mine = (await t.storage.usageRollups.list(WS)).filter((x) => x.userKey.startsWith(`${acc}-r`));
      expect(mine).toHaveLength(rows.length);
      const byKey = new Map(mine.map((x) => [`${x.userKey}|${x.day}|${x.event}`, x.count]));
      for (const x of rows) expect(byKey.get(`${x.userKey}|${x.day}|${x.event}`)).toBe(2 * x.count);
    });

    it("should append new calls once and queue a deferred block for the rollup", async () => {
      const event = (id: string): UsageEvent => ({
        messageId: `${acc}-${id}`,
        type: "track",
        event: "Export",
        userKey: `${acc}-user`,
        userId: `${acc}-user`,
        anonymousId: null,
        timestamp: "2026-12-01T10:00:00.000Z",
        day: "2026-12-01",
        properties: { n: 1 },
        receivedAt: "2026-12-01T10:00:01.000Z",
      });
      let fresh: UsageEvent[] = [];
      await run(t.storage, async (r) => {
        fresh = await r.usageEvents.insertNew(WS, [event("1"), event("2"), event("1")]);
      });
      expect(fresh.map((e) => e.messageId)).toEqual([`${acc}-1`, `${acc}-2`]);
      let deferred: { fresh: UsageEvent[]; blockId: number | null } = { fresh: [], blockId: null };
      await run(t.storage, async (r) => {
        deferred = await r.usageEvents.insertNewDeferred(WS, [event("2"), event("3")]);
      });
      expect(deferred.fresh.map((e) => e.messageId)).toEqual([`${acc}-3`]);
      expect(await t.storage.usageRollups.pendingBlocks()).toContainEqual({
        blockId: deferred.blockId,
        workspaceId: WS,
      });
      const stored = (await t.storage.usageEvents.list(WS)).filter((e) => e.messageId.startsWith(`${acc}-`));
      expect(stored.map((e) => e.messageId).sort()).toEqual([`${acc}-1`, `${acc}-2`, `${acc}-3`]);
    });
  });
});
