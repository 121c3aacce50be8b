import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthScoreRecord } from "../repositories/health-score-repository";
import type { SignalRecord } from "../repositories/signal-repository";
import type { UsageUser } from "../repositories/usage-user-repository";
import type { Storage } from "../storage";
import { openTestStorage, type TestStorage, testDialects } from "../testing";

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
  });
});
