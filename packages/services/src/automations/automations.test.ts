import { type AutomationDefinition, isTenureError } from "@tenure/core";
import {
  minimalAccount,
  openTestStorage,
  type SignalRecord,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobQueue } from "../jobs/job-queue";
import {
  advanceAutomationRun,
  automationLog,
  automationVersions,
  dryRunAutomation,
  listAutomations,
  runAutomationPass,
  saveAutomation,
  setAutomationEnabled,
  snoozeAutomationAccount,
} from "./index";

const WS = "ws";
const T0 = "2026-12-01T00:00:00.000Z";
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();

function signal(id: string, accountId: string, openedAt: string): SignalRecord {
  return {
    id,
    accountId,
    type: "usage_drop",
    kind: "risk",
    severity: "high",
    status: "open",
    dedupKey: `usage_drop:${accountId}:${id}`,
    title: "Usage dropped",
    summary: "Usage dropped",
    evidence: {},
    openedAt,
    acknowledgedAt: null,
    resolvedAt: null,
    statusChangedBy: null,
  };
}

const rescue = (over: Partial<AutomationDefinition> = {}): AutomationDefinition => ({
  name: "Usage drop follow-up",
  enabled: true,
  trigger: { type: "signal_raised", signalTypes: ["usage_drop"] },
  conditions: { not: { metric: "tag:vip", op: "eq", value: 1 } },
  actions: [
    { type: "add_tag", tag: "at-risk" },
    { type: "wait", days: 3 },
    {
      type: "create_task",
      title: "Call the champion",
      assign: { strategy: "owner" },
      dueInDays: 2,
      priority: "high",
    },
  ],
  options: { includeChurned: false, reentryDays: 30, holdoutPct: 0 },
  ...over,
});

describe.each(testDialects())("automation service on %s", (dialect) => {
  let t: TestStorage;
  let queue: JobQueue;
  let clock = new Date(T0);
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    queue = new JobQueue(t.storage, () => clock);
    await t.storage.accounts.upsertMany(WS, [
      { ...minimalAccount("acc1"), name: "Alpha", lifecycleStage: "adoption" },
      { ...minimalAccount("acc2"), name: "Beta", lifecycleStage: "adoption", tags: ["vip"] },
      { ...minimalAccount("acc3"), name: "Gamma", lifecycleStage: "churned" },
      { ...minimalAccount("acc4"), name: "Delta", lifecycleStage: "retention" },
    ]);
  });
  afterAll(() => t.cleanup());
  const deps = () => ({ storage: t.storage, queue, reportingCurrency: "USD", now: () => clock });

  it("should reject an automation naming unknown parts and save nothing", async () => {
    const bad = rescue({
      actions: [
        { type: "start_playbook", playbookKey: "no-such-playbook" },
        {
          type: "create_task",
          title: "x",
          assign: { strategy: "member", memberId: "m_nobody" },
          dueInDays: 1,
          priority: "low",
        },
      ],
    });
    await expect(saveAutomation(t.storage, WS, bad, { at: T0 })).rejects.toThrow(
      'Invalid automation: actions[0].playbookKey: unknown playbook "no-such-playbook" (and 1 more)',
    );
    const loop = rescue({ conditions: { metric: "tag:at-risk", op: "eq", value: 0 } });
    await expect(saveAutomation(t.storage, WS, loop, { at: T0 })).rejects.toThrow(
      /actions\[0\]\.tag: .*loop/,
    );
    const cron = rescue({ trigger: { type: "schedule", cron: "0 9 * * mon-xyz" } });
    try {
      await saveAutomation(t.storage, WS, cron, { at: T0 });
      expect.unreachable();
    } catch (e) {
      expect(isTenureError(e, "validation")).toBe(true);
      expect((e as Error).message).toMatch(/^Invalid automation: trigger\.cron: invalid schedule/);
    }
    expect(await listAutomations(t.storage, WS)).toEqual([]);
  });

  it("should fire once per signal, skip VIP and churned accounts, and run steps through a wait", async () => {
    const saved = await saveAutomation(t.storage, WS, rescue(), { at: T0 });
    expect(saved).toMatchObject({ version: 1, enabled: true, counts: {} });
    await t.storage.signals.insertMany(WS, [
      signal("s1", "acc1", at(1)),
      signal("s2", "acc2", at(1)),
      signal("s3", "acc3", at(1)),
    ]);
    clock = new Date(at(2));
    const pass = await runAutomationPass(deps(), WS, { asOf: at(2) });
    expect(pass).toMatchObject({ matched: 1, started: 1, byOutcome: { fired: 1 } });
    // The same window again (a retried pass) logs nothing twice.
    await t.storage.workspaceSettings.set(WS, "automations.evaluatedThrough", T0);
    expect((await runAutomationPass(deps(), WS, { asOf: at(2) })).matched).toBe(0);

    const [entry] = await automationLog(t.storage, WS, saved.id);
    expect(entry).toMatchObject({
      accountId: "acc1",
      accountName: "Alpha",
      instance: "signal:s1",
      status: "open",
    });
    const jobs = await t.storage.jobs.list(WS, { kind: "automation.step", limit: 10, offset: 0 });
    expect(jobs.jobs.map((j) => j.payload)).toEqual([{ runId: entry?.id }]);

    const afterFirst = await advanceAutomationRun(deps(), WS, entry?.id as string);
    expect(afterFirst).toMatchObject({ status: "open", nextStep: 2 });
    expect((await t.storage.accounts.get(WS, "acc1"))?.tags).toEqual(["at-risk"]);
    // Not due yet: nothing happens before the wait is over.
    expect((await advanceAutomationRun(deps(), WS, entry?.id as string))?.nextStep).toBe(2);
    clock = new Date(Date.parse(at(2)) + 3 * 86_400_000);
    const done = await advanceAutomationRun(deps(), WS, entry?.id as string);
    expect(done?.status).toBe("done");
    expect(done?.steps.map((s) => [s.type, s.status])).toEqual([
      ["add_tag", "done"],
      ["wait", "done"],
      ["create_task", "done"],
    ]);
    const task = await t.storage.tasks.get(WS, done?.steps[2]?.ref as string);
    expect(task).toMatchObject({
      accountId: "acc1",
      title: "Call the champion",
      automationId: saved.id,
      priority: "high",
    });
    // Run again (a repeated job): no second task.
    expect((await advanceAutomationRun(deps(), WS, entry?.id as string))?.steps).toHaveLength(3);
  });

  it("should dedupe a re-fire on an open run and respect snooze and the re-entry limit", async () => {
    const a = (await listAutomations(t.storage, WS))[0];
    if (a === undefined) throw new Error("no automation");
    // acc4: fired now with an open run; a second signal in the next pass is deduped onto it.
    await t.storage.signals.insertMany(WS, [signal("s4", "acc4", at(100))]);
    clock = new Date(at(101));
    expect((await runAutomationPass(deps(), WS, { asOf: at(101) })).byOutcome).toEqual({ fired: 1 });
    await t.storage.signals.insertMany(WS, [signal("s5", "acc4", at(102)), signal("s6", "acc1", at(102))]);
    await snoozeAutomationAccount(t.storage, WS, {
      automationId: a.id,
      accountId: "acc1",
      until: at(500),
      at: at(102),
    });
    const second = await runAutomationPass(deps(), WS, { asOf: at(103) });
    expect(second.byOutcome).toEqual({ deduped: 1, snoozed: 1 });
    const log = await automationLog(t.storage, WS, a.id, { outcome: "fired" });
    const open = log.find((r) => r.accountId === "acc4");
    expect(open?.retriggers).toBe(1);
    // Unsnoozed, acc1 entered 4 days ago: the 30-day re-entry limit holds.
    await snoozeAutomationAccount(t.storage, WS, {
      automationId: a.id,
      accountId: "acc1",
      until: null,
      at: at(104),
    });
    await t.storage.signals.insertMany(WS, [signal("s7", "acc1", at(105))]);
    expect((await runAutomationPass(deps(), WS, { asOf: at(106) })).byOutcome).toEqual({ reentry: 1 });
    expect((await listAutomations(t.storage, WS))[0]?.counts).toEqual({
      fired: 2,
      deduped: 1,
      snoozed: 1,
      reentry: 1,
    });
  });

  it("should version edits, switch off, and dry-run a draft without writing", async () => {
    const a = (await listAutomations(t.storage, WS))[0];
    if (a === undefined) throw new Error("no automation");
    const edited = await saveAutomation(t.storage, WS, rescue({ name: "Usage drop follow-up v2" }), {
      id: a.id,
      at: at(200),
    });
    expect(edited.version).toBe(2);
    expect((await automationVersions(t.storage, WS, a.id)).map((v) => v.version)).toEqual([2, 1]);
    const off = await setAutomationEnabled(t.storage, WS, a.id, false, at(201));
    expect(off).toMatchObject({ enabled: false, version: 2 });
    await t.storage.signals.insertMany(WS, [signal("s8", "acc4", at(202))]);
    expect((await runAutomationPass(deps(), WS, { asOf: at(203) })).matched).toBe(0);

    const before = await automationLog(t.storage, WS, a.id, { limit: 500 });
    const draft = rescue({
      trigger: { type: "signal_raised", signalTypes: [] },
      conditions: null,
      options: { includeChurned: true, reentryDays: null, holdoutPct: 50 },
    });
    const dry = await dryRunAutomation(t.storage, WS, {
      definition: draft,
      asOf: at(300),
      reportingCurrency: "USD",
      days: 30,
    });
    // Every signal of the last 30 days, churned included, split between fired and held out by the hash.
    expect(dry.matched).toBe(8);
    expect((dry.byOutcome.fired ?? 0) + (dry.byOutcome.held_out ?? 0) + (dry.byOutcome.deduped ?? 0)).toBe(8);
    for (const r of dry.rows) expect(r.actions.length > 0).toBe(r.outcome === "fired");
    expect(await automationLog(t.storage, WS, a.id, { limit: 500 })).toEqual(before);
    await expect(
      dryRunAutomation(t.storage, WS, { id: "nope", asOf: at(300), reportingCurrency: "USD" }),
    ).rejects.toThrow('No automation with id "nope"');
  });

  it("should fire on a signal dated by its day that opened after that day's first pass", async () => {
    const a = (await listAutomations(t.storage, WS))[0];
    if (a === undefined) throw new Error("no automation");
    await setAutomationEnabled(t.storage, WS, a.id, true, at(400));
    await t.storage.accounts.upsertMany(WS, [
      { ...minimalAccount("acc5"), name: "Epsilon", lifecycleStage: "adoption" },
    ]);
    clock = new Date(at(401));
    await runAutomationPass(deps(), WS, { asOf: at(401) });
    // A health recompute stores the day a signal opened, without a time: here after the 17:00 pass.
    await t.storage.signals.insertMany(WS, [signal("s9", "acc5", at(402).slice(0, 10))]);
    clock = new Date(at(402));
    expect((await runAutomationPass(deps(), WS, { asOf: at(402) })).byOutcome).toEqual({ fired: 1 });
    // The next pass takes the same day again and logs nothing twice.
    clock = new Date(at(403));
    expect((await runAutomationPass(deps(), WS, { asOf: at(403) })).matched).toBe(0);
    const log = await automationLog(t.storage, WS, a.id, { outcome: "fired" });
    expect(log.filter((r) => r.instance === "signal:s9").map((r) => r.accountId)).toEqual(["acc5"]);
  });
});
