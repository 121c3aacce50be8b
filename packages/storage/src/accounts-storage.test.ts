import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minimalAccount } from "./repositories/account-repository";
import type { SignalRecord } from "./repositories/signal-repository";
import type { TimelineEntryRecord } from "./repositories/timeline-repository";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const signal = (id: string, overrides: Partial<SignalRecord> = {}): SignalRecord => ({
  id,
  accountId: "a1",
  actorId: null,
  type: "usage_drop",
  kind: "risk",
  severity: "high",
  status: "open",
  dedupKey: `usage_drop:${id}`,
  title: "Usage dropped",
  summary: "Weekly active users fell 60%.",
  evidence: { changePct: -60, windowWeeks: 4, note: null },
  openedAt: "2026-03-01",
  acknowledgedAt: null,
  resolvedAt: null,
  statusChangedBy: null,
  ...overrides,
});

const entry = (id: string, overrides: Partial<TimelineEntryRecord> = {}): TimelineEntryRecord => ({
  id,
  accountId: "a1",
  actorId: null,
  type: "note",
  occurredAt: "2026-03-01T10:00:00.000Z",
  author: "ana",
  title: "Kick-off",
  body: "Went well",
  data: {},
  ...overrides,
});

describe.each(testDialects())("account health storage on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should keep one health row per account and day when upserted twice", async () => {
    const s = t.storage;
    const ws = "ws-health";
    const row = {
      accountId: "a1",
      date: "2026-03-01",
      score: 72.5,
      band: "green",
      profileId: "default",
      breakdown: { dimensions: [{ key: "people", score: 80 }] },
      lastActivityAt: "2026-02-28",
    };
    await s.healthScores.upsertMany(ws, [row, { ...row, accountId: "a2", score: null, band: "none" }]);
    await s.healthScores.upsertMany(ws, [{ ...row, score: 40.1, band: "red" }]);
    await s.healthScores.upsertMany(ws, [{ ...row, date: "2026-03-02", score: 45 }]);
    expect(await s.healthScores.latest(ws, "a1")).toEqual({ ...row, date: "2026-03-02", score: 45 });
    expect(await s.healthScores.latest(ws, "a1", "2026-03-01")).toEqual({ ...row, score: 40.1, band: "red" });
    expect((await s.healthScores.history(ws, "a1", "2026-01-01")).map((p) => p.score)).toEqual([40.1, 45]);
    const points = await s.healthScores.points(ws, "2026-03-01", "2026-03-01");
    expect(points.map((p) => [p.accountId, p.score, p.band]).sort()).toEqual([
      ["a1", 40.1, "red"],
      ["a2", null, "none"],
    ]);
  });

  it("should read an account's recent health and its latest record with the breakdown in one read, as latest and history do", async () => {
    const s = t.storage;
    const ws = "ws-health-recent";
    const row = {
      accountId: "a1",
      date: "2026-01-05",
      score: 61,
      band: "yellow",
      profileId: "p1",
      breakdown: { dimensions: [{ key: "usage", score: 55 }] },
      lastActivityAt: "2026-01-04",
    };
    await s.healthScores.upsertMany(ws, [
      row,
      {
        ...row,
        date: "2026-02-10",
        score: 70,
        band: "green",
        breakdown: { dimensions: [{ key: "usage", score: 72 }] },
      },
      { ...row, date: "2026-03-20", score: 30, band: "red" },
      { ...row, accountId: "a2", date: "2025-01-01", score: 80, band: "green" },
    ]);
    for (const asOf of ["2026-01-05", "2026-02-11", "2026-03-19", "2026-04-01", "2025-12-31"]) {
      const recent = await s.healthScores.recent(ws, "a1", "2026-01-01", asOf);
      expect(recent.latest).toEqual(await s.healthScores.latest(ws, "a1", asOf));
      expect(recent.history).toEqual(
        (await s.healthScores.history(ws, "a1", "2026-01-01")).filter((p) => p.date <= asOf),
      );
    }
    // The latest record older than the window: read apart, history empty.
    const old = await s.healthScores.recent(ws, "a2", "2026-01-01", "2026-04-01");
    expect(old).toEqual({
      history: [],
      latest: { ...row, accountId: "a2", date: "2025-01-01", score: 80, band: "green" },
    });
    expect(await s.healthScores.recent(ws, "a3", "2026-01-01", "2026-04-01")).toEqual({
      history: [],
      latest: null,
    });
  });

  it("should read usage inputs in bulk when rollups exist", async () => {
    const s = t.storage;
    const ws = "ws-inputs";
    await s.usageRollups.addCounts(ws, [
      { userKey: "u1", day: "2026-02-01", event: "A", count: 2 },
      { userKey: "u1", day: "2026-02-01", event: "B", count: 1 },
      { userKey: "u1", day: "2026-02-05", event: "A", count: 4 },
      { userKey: "u2", day: "2026-02-03", event: "B", count: 5 },
    ]);
    const days = await s.healthScores.userDays(ws, "2026-02-01", "2026-02-04");
    expect(days.sort((a, b) => a.userKey.localeCompare(b.userKey) || a.day.localeCompare(b.day))).toEqual([
      { userKey: "u1", day: "2026-02-01", count: 3 },
      { userKey: "u2", day: "2026-02-03", count: 5 },
    ]);
    const spans = await s.healthScores.userSpans(ws, "2026-02-04");
    expect(spans.sort((a, b) => a.userKey.localeCompare(b.userKey))).toEqual([
      { userKey: "u1", firstDay: "2026-02-01", lastDay: "2026-02-01" },
      { userKey: "u2", firstDay: "2026-02-03", lastDay: "2026-02-03" },
    ]);
    const used = await s.healthScores.userEvents(ws, "2026-02-01", "2026-02-28", ["B"]);
    expect(used.sort((a, b) => a.userKey.localeCompare(b.userKey))).toEqual([
      { userKey: "u1", event: "B" },
      { userKey: "u2", event: "B" },
    ]);
    expect(await s.healthScores.eventTotals(ws, "2026-02-01", "2026-02-28")).toEqual([
      { event: "A", count: 6 },
      { event: "B", count: 6 },
    ]);
  });

  it("should store signals, list them by filter and update statuses", async () => {
    const s = t.storage;
    const ws = "ws-signals";
    await s.signals.insertMany(ws, [
      signal("s1"),
      signal("s2", { accountId: "a2", kind: "opportunity", openedAt: "2026-03-02" }),
      signal("s3", { status: "resolved", resolvedAt: "2026-01-01" }),
    ]);
    expect(await s.signals.get(ws, "s1")).toEqual(signal("s1"));
    expect((await s.signals.list(ws)).map((x) => x.id)).toEqual(["s2", "s1", "s3"]);
    expect((await s.signals.list(ws, { kind: "opportunity" })).map((x) => x.id)).toEqual(["s2"]);
    expect((await s.signals.list(ws, { accountId: "a1", statuses: ["open"] })).map((x) => x.id)).toEqual([
      "s1",
    ]);
    expect((await s.signals.listForReconcile(ws, "2026-02-01")).map((x) => x.id).sort()).toEqual([
      "s1",
      "s2",
    ]);
    // Only what reconciliation needs.
    const { id, accountId, dedupKey, status, openedAt, acknowledgedAt, resolvedAt } = signal("s1");
    expect((await s.signals.listForReconcile(ws, "2026-02-01")).find((x) => x.id === "s1")).toEqual({
      id,
      accountId,
      dedupKey,
      status,
      openedAt,
      acknowledgedAt,
      resolvedAt,
    });
    await s.signals.updateStatuses(ws, [
      {
        id: "s1",
        status: "acknowledged",
        acknowledgedAt: "2026-03-03",
        resolvedAt: null,
        statusChangedBy: "ana",
      },
    ]);
    expect(await s.signals.get(ws, "s1")).toMatchObject({ status: "acknowledged", statusChangedBy: "ana" });
    expect(await s.signals.get(ws, "nope")).toBeNull();
  });

  it("should list timeline entries newest first with type and before filters", async () => {
    const s = t.storage;
    const ws = "ws-timeline";
    await s.timeline.insertMany(ws, [
      entry("e1"),
      entry("e2", { type: "call", occurredAt: "2026-03-05T10:00:00.000Z", data: { minutes: 30 } }),
      entry("e3", { type: "ticket", occurredAt: "2026-03-07T10:00:00.000Z", data: { status: "open" } }),
      entry("e4", { accountId: "a2", type: "call", occurredAt: "2026-03-09T10:00:00.000Z" }),
    ]);
    expect((await s.timeline.list(ws, "a1")).map((e) => e.id)).toEqual(["e3", "e2", "e1"]);
    expect((await s.timeline.list(ws, "a1", { types: ["call", "note"], limit: 1 })).map((e) => e.id)).toEqual(
      ["e2"],
    );
    expect(
      (await s.timeline.list(ws, "a1", { before: "2026-03-05T10:00:00.000Z" })).map((e) => e.id),
    ).toEqual(["e1"]);
    expect((await s.timeline.list(ws, "a1"))[1]).toEqual(
      entry("e2", { type: "call", occurredAt: "2026-03-05T10:00:00.000Z", data: { minutes: 30 } }),
    );
    expect((await s.timeline.listByTypes(ws, ["call"], null)).map((e) => e.id)).toEqual(["e2", "e4"]);
    expect(await s.timeline.lastByAccount(ws, ["call", "note"])).toEqual(
      new Map([
        ["a1", "2026-03-05T10:00:00.000Z"],
        ["a2", "2026-03-09T10:00:00.000Z"],
      ]),
    );
  });

  it("should move stages with history, note and timeline entry when changed", async () => {
    const s = t.storage;
    const ws = "ws-stages";
    await s.accounts.upsertMany(ws, [{ ...minimalAccount("a1"), lifecycleStage: "onboarding" }]);
    await s.timeline.changeStages(ws, [
      {
        accountId: "a1",
        from: "onboarding",
        to: "adoption",
        source: "manual",
        note: "went live",
        // after the import's history row, which is stamped with the real clock
        at: "2999-01-01T00:00:00.000Z",
        author: "ana",
      },
    ]);
    expect((await s.accounts.get(ws, "a1"))?.lifecycleStage).toBe("adoption");
    const history = await s.stageHistory.list(ws, "a1");
    expect(history.at(-1)).toMatchObject({ stage: "adoption", source: "manual", note: "went live" });
    const [e] = await s.timeline.list(ws, "a1");
    expect(e).toMatchObject({
      type: "stage_change",
      data: { from: "onboarding", to: "adoption", source: "manual" },
    });
  });

  it("should store the scorecard, rules and saved views when put and deleted", async () => {
    const s = t.storage;
    const ws = "ws-config";
    expect(await s.scorecards.get(ws)).toBeNull();
    await s.scorecards.put(ws, "v1", { id: "v1", bands: { red: 40 } });
    await s.scorecards.put(ws, "v2", { id: "v2", bands: { red: 50 } });
    expect(await s.scorecards.get(ws)).toMatchObject({ id: "v2", json: { id: "v2", bands: { red: 50 } } });

    // Versions are kept by fingerprint: a second save of one version leaves the first content.
    await s.scorecards.saveVersion(ws, "abc", { id: "v1", bands: { red: 40 } });
    await s.scorecards.saveVersion(ws, "abc", { id: "other" });
    await s.scorecards.saveVersion(ws, "def", { id: "v2" });
    await s.scorecards.saveVersion("ws-other", "ghi", { id: "v3" });
    const versions = await s.scorecards.versions(ws, ["abc", "def", "ghi", "abc"]);
    expect([...versions].sort()).toEqual([
      ["abc", { id: "v1", bands: { red: 40 } }],
      ["def", { id: "v2" }],
    ]);
    expect((await s.scorecards.versions(ws, [])).size).toBe(0);

    await s.signalRules.put(ws, "r1", { id: "r1", name: "x" });
    await s.signalRules.put(ws, "r1", { id: "r1", name: "y" });
    expect(await s.signalRules.list(ws)).toEqual([{ id: "r1", name: "y" }]);
    expect(await s.signalRules.delete(ws, "r1")).toBe(true);
    expect(await s.signalRules.delete(ws, "r1")).toBe(false);

    const v = await s.savedViews.create(ws, {
      id: "v1",
      name: "Red enterprise",
      filters: { band: "red", tier: "enterprise" },
      sort: "arr",
      order: "desc",
    });
    expect(await s.savedViews.list(ws)).toEqual([v]);
    expect(await s.savedViews.delete(ws, "v1")).toBe(true);
    expect(await s.savedViews.list(ws)).toEqual([]);
  });
});
