import type { Account, Contact, Entitlement, Subscription } from "@tenure/core";
import {
  bareUsageUser,
  minimalAccount,
  openTestStorage,
  type TestStorage,
  testDialects,
  type UsageRollup,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountUsageSummary } from "../accounts/account-overview";
import { addDays } from "./days";
import { recomputeHealth } from "./recompute-health";

const WS = "ws-quota";
const ASOF = "2026-06-30";

const account = (id: string): Account => ({ ...minimalAccount(id), name: `Acc ${id}` });
const annual = (accountId: string, start: string, end: string): Subscription => ({
  id: `s-${accountId}`,
  accountId,
  plan: "data-platform",
  startDate: start,
  endDate: end,
  amount: 12000,
  currency: "USD",
  interval: "year",
  quantity: 10,
  discountPct: 0,
  trial: false,
});
const allowance = (accountId: string, extra: Partial<Entitlement> = {}): Entitlement => ({
  id: `e-${accountId}`,
  accountId,
  subscriptionId: `s-${accountId}`,
  metric: "Export",
  quantity: 1000,
  periodStart: "2026-01-01",
  periodEnd: "2027-01-01",
  ...extra,
});
/** `total` units of `event` by one user of the account, spread over the `days` days before asOf. */
function used(accountId: string, event: string, total: number, days = 100): UsageRollup[] {
  const out: UsageRollup[] = [];
  for (let d = 0; d < days; d++) {
    const count = Math.floor(total / days) + (d < total % days ? 1 : 0);
    if (count > 0) out.push({ userKey: `${accountId}-u`, day: addDays(ASOF, -d), event, count });
  }
  return out;
}
const person = (id: string, accountId: string, role: Contact["role"], leftAt: string | null): Contact => ({
  id,
  accountId,
  name: `Person ${id}`,
  email: null,
  role,
  title: null,
  lastTouchAt: "2026-06-20",
  leftAt,
});

describe.each(testDialects())("quota_expansion and champion_left from stored data on %s", (dialect) => {
  let t: TestStorage;
  const signalsOf = async (accountId: string, type: string) =>
    (await t.storage.signals.list(WS, { accountId })).filter((s) => s.type === type);

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    const s = t.storage;
    const ids = ["q-hit", "q-low", "q-late", "q-other", "q-all", "q-none", "ch-hit", "ch-near", "ch-alone"];
    await s.accounts.upsertMany(WS, ids.map(account));
    await s.subscriptions.upsertMany(WS, [
      ...ids.filter((id) => id !== "q-late").map((id) => annual(id, "2026-01-01", "2027-01-01")),
      annual("q-late", "2025-07-15", "2026-07-15"),
    ]);
    await s.entitlements.upsertMany(WS, [
      allowance("q-hit"),
      allowance("q-low"),
      allowance("q-late", { periodStart: "2025-07-15", periodEnd: "2026-07-15" }),
      allowance("q-other"),
      allowance("q-all", { metric: "*" }),
    ]);
    await s.usageUsers.upsertMany(
      WS,
      ids.map((id) => ({ ...bareUsageUser(`${id}-u`, `${id}-u`, null), accountId: id })),
    );
    await s.usageRollups.addCounts(WS, [
      ...used("q-hit", "Export", 700), // exactly 70%, 185 days left
      ...used("q-low", "Export", 690), // 69%: a near miss
      ...used("q-late", "Export", 900), // 90% but only 15 days left
      ...used("q-other", "Report Run", 900), // heavy use of an event the quota does not count
      ...used("q-other", "Export", 100),
      ...used("q-all", "Export", 400), // "*" counts every event: 800 of 1000
      ...used("q-all", "Report Run", 400),
      ...used("q-none", "Export", 5000), // no entitlement at all
      ...used("ch-hit", "Export", 50),
      ...used("ch-near", "Export", 50),
    ]);
    await s.contacts.upsertMany(WS, [
      person("c-gone", "ch-hit", "champion", "2026-06-01"),
      person("c-stays", "ch-hit", "champion", null),
      person("c-future", "ch-near", "champion", "2026-07-05"), // leaves after asOf
      person("c-admin", "ch-near", "admin", "2026-06-10"), // not a champion
      person("c-long-ago", "ch-near", "champion", "2026-03-01"), // 121 days ago, past the 90-day lookback
      person("c-only", "ch-alone", "champion", "2026-06-15"),
    ]);
    await recomputeHealth(s, WS, { asOf: ASOF });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should raise quota_expansion with the pace as evidence when 70% is used with 6 months left", async () => {
    const [signal, ...rest] = await signalsOf("q-hit", "quota_expansion");
    expect(rest).toEqual([]);
    expect(signal?.kind).toBe("opportunity");
    // 700 over the 181 days 2026-01-01..2026-06-30 = 3.867/day; 300 left → 78 days → 2026-09-16.
    expect(signal?.evidence).toMatchObject({
      used: 700,
      entitled: 1000,
      usedPct: 70,
      contractEnd: "2027-01-01",
      daysLeft: 185,
      projectedExhaustionDate: "2026-09-16",
      daysExhaustedBeforeEnd: 107,
      metric: "Export",
    });
    expect(signal?.severity).toBe("high");
  });

  it("should count every event when the metric is *", async () => {
    const [signal] = await signalsOf("q-all", "quota_expansion");
    expect(signal?.evidence).toMatchObject({ used: 800, usedPct: 80, metric: "*" });
  });

  it("should not raise quota_expansion on the near misses", async () => {
    expect(await signalsOf("q-low", "quota_expansion")).toEqual([]);
    expect(await signalsOf("q-late", "quota_expansion")).toEqual([]);
    expect(await signalsOf("q-other", "quota_expansion")).toEqual([]);
    expect(await signalsOf("q-none", "quota_expansion")).toEqual([]);
  });

  it("should raise champion_left naming who left and when", async () => {
    const signals = await signalsOf("ch-hit", "champion_left");
    expect(signals).toHaveLength(1);
    expect(signals[0]?.evidence).toMatchObject({
      contactId: "c-gone",
      contactName: "Person c-gone",
      leftAt: "2026-06-01",
      daysAgo: 29,
      remainingChampions: 1,
    });
    expect(signals[0]?.summary).toContain("Person c-gone left the company on Jun 1, 2026");
    expect(signals[0]?.severity).toBe("medium");
  });

  it("should raise a high champion_left and stop counting the champion when none remains", async () => {
    const [signal] = await signalsOf("ch-alone", "champion_left");
    expect(signal?.severity).toBe("high");
    expect(signal?.evidence).toMatchObject({ contactId: "c-only", remainingChampions: 0 });
    const metricsOf = async (id: string) => {
      const score = await t.storage.healthScores.latest(WS, id, ASOF);
      return (score?.breakdown as { metrics?: Record<string, number | null> } | undefined)?.metrics ?? {};
    };
    expect((await metricsOf("ch-alone")).championPresent).toBe(0);
    expect((await metricsOf("ch-hit")).championPresent).toBe(1);
  });

  it("should not raise champion_left for a future departure, a non-champion or an old departure", async () => {
    expect(await signalsOf("ch-near", "champion_left")).toEqual([]);
  });

  it("should show the quota pace in the usage summary, in agreement with the signal", async () => {
    const summary = await accountUsageSummary(t.storage, WS, "q-hit", { asOf: ASOF });
    expect(summary.quota).toMatchObject({
      entitlementId: "e-q-hit",
      metric: "Export",
      used: 700,
      consumed: 700,
      entitled: 1000,
      usedRatio: 0.7,
      status: "exhausts_early",
      projectedExhaustion: "2026-09-16",
      exhaustionDate: "2026-09-16",
      contractEnd: "2027-01-01",
      elapsedDays: 181,
      daysLeft: 184,
    });
    expect(summary.quota?.cumulative).toHaveLength(181);
    expect(summary.quota?.cumulative.at(-1)).toEqual({ date: ASOF, total: 700 });
    expect(summary.quotas).toHaveLength(1);
    const none = await accountUsageSummary(t.storage, WS, "q-none", { asOf: ASOF });
    expect(none.quota).toBeNull();
    expect(none.quotas).toEqual([]);
  });
});
