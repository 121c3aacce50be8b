import { type Account, type Contact, DEFAULT_SCORECARD, type Subscription } from "@tenure/core";
import {
  bareUsageUser,
  minimalAccount,
  openTestStorage,
  type TestStorage,
  type UsageRollup,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setAccountStage } from "../accounts/account-activity";
import { accountOverview } from "../accounts/account-overview";
import { computeAccountFacts } from "./account-metrics";
import { addDays } from "./days";
import { loadHealthInputs } from "./health-inputs";
import { recomputeHealth } from "./recompute-health";
import { saveScorecard } from "./scorecard-store";
import { ruleStage } from "./stage-rules";
import { readBreakdowns } from "./stored-breakdown";

const WS = "ws";
const ASOF = "2026-06-30";

const account = (id: string, extra: Partial<Account> = {}): Account => ({
  ...minimalAccount(id),
  name: `Acc ${id}`,
  ...extra,
});
const sub = (id: string, accountId: string, extra: Partial<Subscription> = {}): Subscription => ({
  id,
  accountId,
  plan: "pro",
  startDate: "2025-01-15",
  endDate: null,
  amount: 100,
  currency: "USD",
  interval: "month",
  quantity: 10,
  discountPct: 0,
  trial: false,
  ...extra,
});
const contact = (
  id: string,
  accountId: string,
  role: Contact["role"],
  lastTouchAt: string | null = null,
): Contact => ({
  id,
  accountId,
  name: id,
  email: null,
  role,
  title: null,
  leftAt: null,
  lastTouchAt,
});

/** Daily usage of `users` users for the 8 weeks before asOf; `recentUsers` in the last 4 weeks. */
function usage(accountPrefix: string, users: number, recentUsers: number): UsageRollup[] {
  const out: UsageRollup[] = [];
  for (let d = 0; d < 56; d++) {
    const day = addDays(ASOF, -d);
    const n = d < 28 ? recentUsers : users;
    for (let u = 0; u < n; u++)
      out.push({ userKey: `${accountPrefix}-u${u}`, day, event: u % 2 ? "Report Run" : "Export", count: 2 });
  }
  return out;
}

let t: TestStorage;
beforeAll(async () => {
  t = await openTestStorage("sqlite");
  const s = t.storage;
  await s.accounts.upsertMany(WS, [
    account("good", { owner: "ana" }),
    account("drop", { owner: "bo" }),
    account("new"),
  ]);
  await s.subscriptions.upsertMany(WS, [
    sub("s-good", "good", { interval: "year", amount: 1200, discountPct: 10 }),
    sub("s-drop", "drop", { discountPct: 30 }),
    sub("s-new", "new", { startDate: "2026-06-01", quantity: 1 }),
  ]);
  await s.contacts.upsertMany(WS, [
    contact("c1", "good", "champion", "2026-06-20"),
    contact("c2", "good", "decision_maker"),
    contact("c3", "drop", "user", "2026-03-01"),
  ]);
  const users = [
    ...Array.from({ length: 8 }, (_, i) => ({
      ...bareUsageUser(`good-u${i}`, `good-u${i}`, null),
      accountId: "good",
      department: i < 4 ? "Sales" : "Ops",
    })),
    ...Array.from({ length: 8 }, (_, i) => ({
      ...bareUsageUser(`drop-u${i}`, `drop-u${i}`, null),
      accountId: "drop",
      department: "Ops",
    })),
  ];
  await s.usageUsers.upsertMany(WS, users);
  await s.usageRollups.addCounts(WS, [...usage("good", 8, 8), ...usage("drop", 8, 2)]);
  await s.timeline.insertMany(WS, [
    {
      id: "t1",
      accountId: "drop",
      type: "ticket",
      occurredAt: "2026-06-25T10:00:00.000Z",
      author: null,
      title: "Broken",
      body: null,
      data: { status: "open", priority: "urgent" },
    },
    {
      id: "t2",
      accountId: "drop",
      type: "ticket",
      occurredAt: "2026-06-10T10:00:00.000Z",
      author: null,
      title: "Invoice",
      body: null,
      data: { status: "closed", priority: "low", category: "billing" },
    },
    {
      id: "n1",
      accountId: "good",
      type: "nps",
      occurredAt: "2026-05-01T10:00:00.000Z",
      author: null,
      title: "NPS",
      body: null,
      data: { score: 7, contactId: "c1" },
    },
    {
      id: "n2",
      accountId: "good",
      type: "nps",
      occurredAt: "2026-06-01T10:00:00.000Z",
      author: null,
      title: "NPS",
      body: null,
      data: { score: 10, contactId: "c1" },
    },
    {
      id: "m1",
      accountId: "drop",
      type: "meeting",
      occurredAt: "2026-06-28T10:00:00.000Z",
      author: "bo",
      title: "QBR",
      body: null,
      data: {},
    },
  ]);
});
afterAll(async () => {
  await t?.cleanup();
});

describe("health metrics", () => {
  it("should compute every metric from contacts, usage, subscriptions and timeline when loaded in bulk", async () => {
    const inputs = await loadHealthInputs(t.storage, WS, {
      asOf: ASOF,
      reportingCurrency: "USD",
      keyEvents: ["Export", "Report Run", "Share"],
    });
    const good = computeAccountFacts(inputs, account("good"));
    expect(good.metrics).toMatchObject({
      keyRoleCoverage: 2 / 3,
      championPresent: 1,
      daysSinceLastTouch: 10,
      activeUsers30d: 8,
      activeUsersTrend: 1,
      activeDepartments: 2,
      daysSinceLastLogin: 0,
      seatUtilisation: 0.8,
      keyFeatureAdoption: 2 / 3,
      ticketsLast30d: 0,
      openUrgentTickets: 0,
      paymentIssues90d: 0,
      npsScore: 10,
      discountPct: 10,
      mrrTrend3m: 1,
      daysToRenewal: 199,
    });
    expect(good.renewalDate).toBe("2027-01-15");
    const drop = computeAccountFacts(inputs, account("drop"));
    expect(drop.metrics).toMatchObject({
      // 28 days, like every "active users" figure: the two users of the last 4 weeks, not the 8 before.
      activeUsers30d: 2,
      activeUsersTrend: 0.25,
      daysSinceLastTouch: 2,
      ticketsLast30d: 2,
      openUrgentTickets: 1,
      paymentIssues90d: 1,
      discountPct: 30,
      keyRoleCoverage: 0,
    });
    expect(drop.metrics.npsScore).toBeUndefined();
    expect(drop.weeklyActiveUsers.slice(-4)).toEqual([2, 2, 2, 2]);
    const fresh = computeAccountFacts(inputs, account("new"));
    expect(fresh.metrics.activeUsers30d).toBeUndefined();
    expect(fresh.metrics.seatUtilisation).toBeUndefined();
  });
});

describe("recomputeHealth", () => {
  it("should write scores, signals, timeline entries and stages when run, and deduplicate on a second run", async () => {
    const s = t.storage;
    const r1 = await recomputeHealth(s, WS, { asOf: ASOF });
    expect(r1).toMatchObject({ accounts: 3, scored: 3 });
    expect(r1.signalsOpened).toBeGreaterThan(0);
    const good = await s.healthScores.latest(WS, "good");
    expect(good?.date).toBe(ASOF);
    expect(good?.score).toBeGreaterThan((await s.healthScores.latest(WS, "drop"))?.score ?? 100);
    const signals = await s.signals.list(WS, { accountId: "drop" });
    expect(signals.map((x) => x.type)).toContain("usage_drop");
    const timeline = await s.timeline.list(WS, "drop", { types: ["signal"] });
    expect(timeline.length).toBe(signals.length);
    expect((await s.accounts.get(WS, "new"))?.lifecycleStage).toBe("onboarding");
    expect((await s.accounts.get(WS, "good"))?.lifecycleStage).toBe("advocacy");

    const r2 = await recomputeHealth(s, WS, { asOf: ASOF });
    expect(r2.signalsOpened).toBe(0);
    expect(r2.stageChanges).toBe(0);
    expect((await s.signals.list(WS, { accountId: "drop" })).length).toBe(signals.length);
    expect(await s.healthScores.history(WS, "good", "2026-01-01")).toHaveLength(1);
  });

  it("should respect a manual stage for 90 days when the rules disagree", async () => {
    const s = t.storage;
    await setAccountStage(s, WS, "good", {
      stage: "retention",
      note: "by hand",
      by: "ana",
      at: `${ASOF}T09:00:00.000Z`,
    });
    await recomputeHealth(s, WS, { asOf: addDays(ASOF, 1) });
    expect((await s.accounts.get(WS, "good"))?.lifecycleStage).toBe("retention");
    const history = await s.stageHistory.list(WS, "good");
    expect(history.at(-1)).toMatchObject({ stage: "retention", source: "manual", note: "by hand" });
  });
});

describe("ruleStage", () => {
  const facts = (over: Partial<Parameters<typeof ruleStage>[0]["facts"]> = {}) =>
    ({
      metrics: { activeUsers30d: 3 },
      mrr: 100,
      licensedSeats: null,
      renewalDate: null,
      contractEnd: null,
      firstPaidDate: "2025-01-01",
      recentExpansion: false,
      everPaid: true,
      hasUsageData: true,
      lastActivityAt: null,
      weeklyActiveUsers: [],
      weeklyActiveDepartments: [],
      weeklyEvents: [],
      ticketsPerWeek: [],
      newStakeholders: [],
      newDepartments: [],
      ...over,
    }) as Parameters<typeof ruleStage>[0]["facts"];
  const stage = (f: Parameters<typeof ruleStage>[0]["facts"], lastManualAt: string | null = null) =>
    ruleStage({ asOf: "2026-06-30", current: null, facts: f, lastManualAt, band: "green" });

  it("should pick the first matching rule when facts differ", () => {
    expect(stage(facts({ mrr: 0 }))).toBe("churned");
    expect(stage(facts({ everPaid: false, mrr: 0 }))).toBeNull();
    expect(stage(facts({ firstPaidDate: "2026-05-01" }))).toBe("onboarding");
    expect(stage(facts({ recentExpansion: true }))).toBe("expansion");
    expect(stage(facts({ metrics: { npsScore: 9, activeUsers30d: 2 } }))).toBe("advocacy");
    expect(stage(facts({ firstPaidDate: "2026-01-01" }))).toBe("adoption");
    expect(stage(facts())).toBe("retention");
    expect(stage(facts({ metrics: { activeUsers30d: 0 } }))).toBeNull();
  });

  it("should not override a manual stage when it is younger than 90 days", () => {
    expect(stage(facts({ mrr: 0 }), "2026-06-01T00:00:00.000Z")).toBeNull();
    expect(stage(facts({ mrr: 0 }), "2026-01-01T00:00:00.000Z")).toBe("churned");
  });
});

describe("former customers", () => {
  it("should stop scoring an account and resolve its signals when its last subscription has ended", async () => {
    const ws = "ws-former";
    const s = t.storage;
    await s.accounts.upsertMany(ws, [account("gone"), account("tracked-only")]);
    await s.subscriptions.upsertMany(ws, [sub("s-gone", "gone", { endDate: "2026-06-01" })]);
    // A champion nobody has spoken to for months: champion_silent while still a customer.
    await s.contacts.upsertMany(ws, [contact("cg", "gone", "champion", "2026-01-10")]);

    await recomputeHealth(s, ws, { asOf: "2026-05-20" });
    const before = await s.healthScores.latest(ws, "gone", "2026-05-20");
    expect(before?.score).not.toBeNull();
    const open = (await s.signals.list(ws, { accountId: "gone" })).filter((x) => x.status === "open");
    expect(open.map((x) => x.type)).toContain("champion_silent");

    await recomputeHealth(s, ws, { asOf: ASOF });
    const after = await s.healthScores.latest(ws, "gone", ASOF);
    expect(after?.date).toBe(ASOF);
    expect(after?.score).toBeNull();
    expect(after?.band).toBe("none");
    const signals = await s.signals.list(ws, { accountId: "gone" });
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((x) => x.status === "resolved")).toBe(true);

    // An account known only from tracking (no billing data) is not a former customer.
    const tracked = await s.healthScores.latest(ws, "tracked-only", ASOF);
    expect(tracked?.date).toBe(ASOF);
    expect(tracked?.band).not.toBeUndefined();
  });
});

describe("stored breakdowns", () => {
  it("should explain a stored score with the scorecard it was scored with when the scorecard changed since", async () => {
    const ws = "ws-versions";
    const s = t.storage;
    const day = "2026-06-10";
    await s.accounts.upsertMany(ws, [account("v1")]);
    await s.subscriptions.upsertMany(ws, [sub("s-v1", "v1")]);
    await s.contacts.upsertMany(ws, [contact("cv", "v1", "champion", "2026-06-01")]);
    await recomputeHealth(s, ws, { asOf: day });
    const overview = () => accountOverview(s, ws, "v1", { asOf: day, reportingCurrency: "USD" });
    const before = (await overview()).health;
    expect(before?.dimensions.map((d) => d.label)).toEqual(["People", "Product", "Money"]);
    expect(before?.dimensions[0]?.measures.find((m) => m.key === "championPresent")).toMatchObject({
      value: 1,
      missing: false,
    });
    // Stored as numbers naming the scorecard version, far smaller than the breakdown it stands for.
    const stored = await s.healthScores.latest(ws, "v1", day);
    expect(stored?.breakdown).toMatchObject({ v: 2, profileId: before?.profileId });
    expect(JSON.stringify(stored?.breakdown).length * 2).toBeLessThan(JSON.stringify(before).length);

    const renamed = structuredClone(DEFAULT_SCORECARD);
    for (const p of renamed.profiles) (p.dimensions[0] as { label: string }).label = "Relationships";
    await saveScorecard(s, ws, renamed);
    expect((await overview()).health).toEqual(before);

    await recomputeHealth(s, ws, { asOf: day });
    const after = (await overview()).health;
    expect(after?.dimensions.map((d) => d.label)).toEqual(["Relationships", "Product", "Money"]);
    expect(after?.score).toBe(before?.score);
  });

  it("should read a breakdown stored before packing as it was, and a packed one without its version as its score", async () => {
    const dimensions = [
      { key: "people", label: "People", weight: 1, effectiveWeight: 1, score: 50, measures: [] },
    ];
    const legacy = {
      score: 50,
      band: "yellow",
      profileId: "default",
      dimensions,
      metrics: { a: 1 },
      trend: "up",
    };
    const orphan = {
      v: 2,
      card: "0000000000000000",
      score: 80,
      band: "green",
      profileId: "default",
      dims: [80],
      measures: [],
      metrics: {},
      trend: "same",
    };
    expect(await readBreakdowns(t.storage, "ws-versions", [legacy, orphan])).toEqual([
      {
        score: { score: 50, band: "yellow", profileId: "default", dimensions },
        metrics: { a: 1 },
        trend: "up",
      },
      {
        score: { score: 80, band: "green", profileId: "default", dimensions: [] },
        metrics: {},
        trend: "same",
      },
    ]);
  });
});
