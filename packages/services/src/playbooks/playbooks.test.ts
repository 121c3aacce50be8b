import { type Account, STARTER_PLAYBOOKS, type TenureError } from "@tenure/core";
import {
  bareUsageUser,
  openTestStorage,
  type Storage,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTask } from "../tasks/task-service";
import {
  closePlaybookStep,
  createPlaybook,
  getPlaybook,
  installStarterPlaybooks,
  listPlaybookRuns,
  listPlaybooks,
  measureDueRuns,
  readMetric,
  reschedulePlaybookRun,
  snoozePlaybookRun,
  startRun,
  updatePlaybook,
} from "./index";

const WS = "ws-playbook-service";
const AT = "2026-03-02T09:00:00.000Z";
const rescue = STARTER_PLAYBOOKS.find((p) => p.key === "low-adoption-rescue")?.definition;
if (rescue === undefined) throw new Error("no low-adoption-rescue starter");

const account = (id: string): Account => ({
  id,
  name: `Account ${id}`,
  crmId: null,
  billingId: null,
  tier: "smb",
  segment: "retail",
  industry: null,
  region: null,
  owner: null,
  lifecycleStage: "adoption",
  channel: null,
  utmSource: null,
  utmMedium: null,
  utmCampaign: null,
  tags: [],
  customFields: {},
});

async function rejection(p: Promise<unknown>): Promise<TenureError> {
  try {
    await p;
  } catch (err) {
    return err as TenureError;
  }
  throw new Error("expected a rejection");
}

/** `users` distinct users of the account, each with one event of `event` on `day`. */
async function usage(
  storage: Storage,
  accountId: string,
  day: string,
  users: number,
  event = "report_viewed",
) {
  const keys = Array.from({ length: users }, (_, i) => `${accountId}-u${i}`);
  await storage.usageUsers.upsertMany(
    WS,
    keys.map((k) => ({ ...bareUsageUser(k, k, null), accountId })),
  );
  await storage.usageRollups.addCounts(
    WS,
    keys.map((userKey) => ({ userKey, day, event, count: 2 })),
  );
}

const acting = { actorId: null, at: new Date(AT) };

describe.each(testDialects())("playbook service on %s", (dialect) => {
  let t: TestStorage;
  let storage: Storage;
  const deps = () => ({ storage, reportingCurrency: "USD" });
  const stepTask = async (runId: string, step: number) => {
    const { tasks } = await storage.tasks.list(WS, { playbookRunId: runId, status: "all", limit: 50 });
    const task = tasks.find((x) => x.playbookStep === step);
    if (task === undefined) throw new Error(`no task for step ${step}`);
    return task.id;
  };
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    storage = t.storage;
    await storage.accounts.upsertMany(WS, [account("acme"), account("beta"), account("ctl")]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should install the starter library once, whatever the number of calls", async () => {
    const first = await installStarterPlaybooks(storage, WS, AT);
    expect(first).toHaveLength(STARTER_PLAYBOOKS.length);
    expect(await installStarterPlaybooks(storage, WS, AT)).toEqual([]);
    const list = await listPlaybooks(storage, WS);
    expect(list.map((p) => p.key).sort()).toEqual(STARTER_PLAYBOOKS.map((p) => p.key).sort());
    // Both languages are stored.
    const qbr = list.find((p) => p.key === "qbr-high-touch");
    expect(qbr?.definition.name["zh-CN"]).toBe("季度业务回顾（高接触）");
    expect(qbr?.definition.name.en).toBe("Quarterly business review (high-touch)");
  });

  it("should reject a definition naming the bad part and save nothing", async () => {
    const bad = {
      ...rescue,
      signalTypes: ["usage_drop", "made_up"],
      steps: rescue.steps.map((s, i) => (i === 2 ? { ...s, dueOffsetDays: -1 } : s)),
    };
    const err = await rejection(createPlaybook(storage, WS, { key: "custom-rescue", definition: bad }));
    expect(err.code).toBe("validation");
    expect(err.message).toBe('signalTypes[1]: unknown signal type "made_up" (and 1 more)');
    expect((err.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      "signalTypes[1]",
      "steps[2].dueOffsetDays",
    ]);
    const noSteps = await rejection(
      createPlaybook(storage, WS, { key: "custom-rescue", definition: { ...rescue, steps: [] } }),
    );
    expect(noSteps.message).toBe("steps: must have at least one step");
    const feature = await rejection(
      createPlaybook(storage, WS, {
        key: "custom-rescue",
        definition: { ...rescue, metric: { kind: "feature_weekly_use", feature: "never_tracked" } },
      }),
    );
    expect(feature.message).toBe(
      'metric.feature: unknown feature "never_tracked": no tracked event has that name',
    );
    expect((await listPlaybooks(storage, WS)).some((p) => p.key === "custom-rescue")).toBe(false);
    const dup = await rejection(
      createPlaybook(storage, WS, { key: "low-adoption-rescue", definition: rescue }),
    );
    expect(dup.code).toBe("conflict");
  });

  it("should make an edit a new version and keep the run on the version it started with", async () => {
    await usage(storage, "acme", "2026-02-20", 3);
    const { run, created } = await startRun(deps(), WS, {
      playbookKey: "low-adoption-rescue",
      accountId: "acme",
      trigger: { signalId: "sig-1" },
      day: "2026-03-02",
      at: AT,
    });
    expect(created).toBe(true);
    expect(run.version).toBe(1);
    expect(run.startValue).toBe(3);
    expect(run.windowEnd).toBe("2026-04-01");
    expect(run.steps.map((s) => s.dueDate)).toEqual([
      "2026-03-02",
      "2026-03-04",
      "2026-03-09",
      "2026-03-23",
      "2026-03-30",
    ]);
    const detail = await updatePlaybook(storage, WS, "low-adoption-rescue", {
      definition: { ...rescue, windowDays: 45 },
      createdBy: "m-lead",
    });
    expect(detail.playbook.latestVersion).toBe(2);
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    const [listed] = await listPlaybookRuns(storage, WS, { accountId: "acme" }, "2026-03-02");
    expect(listed?.version).toBe(1);
    expect(listed?.progress).toEqual({ done: 0, skipped: 0, total: 5 });
  });

  it("should create one task per step and return the open run when started again", async () => {
    const [open] = await listPlaybookRuns(storage, WS, { accountId: "acme" }, "2026-03-02");
    if (open === undefined) throw new Error("no run");
    const tasks = await storage.tasks.list(WS, { playbookRunId: open.id, status: "open", limit: 50 });
    expect(tasks.tasks.map((x) => [x.playbookStep, x.dueDate, x.signalId])).toEqual([
      [0, "2026-03-02", "sig-1"],
      [1, "2026-03-04", "sig-1"],
      [2, "2026-03-09", "sig-1"],
      [3, "2026-03-23", "sig-1"],
      [4, "2026-03-30", "sig-1"],
    ]);
    expect(tasks.tasks[0]?.title).toBe("Read the usage story");
    const again = await startRun(deps(), WS, {
      playbookKey: "low-adoption-rescue",
      accountId: "acme",
      at: AT,
    });
    expect(again).toEqual({ run: expect.objectContaining({ id: open.id }), created: false });
    expect(await storage.playbooks.listRuns(WS, { accountId: "acme" })).toHaveLength(1);
    const timeline = await storage.timeline.list(WS, "acme", { types: ["playbook"] });
    expect(timeline.map((e) => e.title)).toEqual(["Playbook started: Low-adoption rescue"]);
  });

  it("should move the open tasks when the run is rescheduled or snoozed", async () => {
    const [open] = await listPlaybookRuns(storage, WS, { accountId: "acme" }, "2026-03-02");
    if (open === undefined) throw new Error("no run");
    // Closing the step's task through the task service closes the run's step (the task-closed hook).
    await closeTask(storage, WS, await stepTask(open.id, 0), { status: "done" }, acting);
    expect((await storage.playbooks.getRun(WS, open.id))?.steps[0]?.status).toBe("done");
    const moved = await reschedulePlaybookRun(storage, WS, open.id, 7, AT);
    expect(moved.windowEnd).toBe("2026-04-08");
    expect(moved.steps.map((s) => s.dueDate)).toEqual([
      "2026-03-02",
      "2026-03-11",
      "2026-03-16",
      "2026-03-30",
      "2026-04-06",
    ]);
    const openTasks = await storage.tasks.list(WS, { playbookRunId: open.id, status: "open", limit: 50 });
    expect(openTasks.tasks.map((x) => x.dueDate)).toEqual([
      "2026-03-11",
      "2026-03-16",
      "2026-03-30",
      "2026-04-06",
    ]);
    await snoozePlaybookRun(storage, WS, open.id, "2026-03-20", AT);
    const after = await storage.tasks.list(WS, { playbookRunId: open.id, status: "open", limit: 50 });
    expect(after.tasks.map((x) => x.dueDate)).toEqual([
      "2026-03-20",
      "2026-03-20",
      "2026-03-30",
      "2026-04-06",
    ]);
    expect((await storage.playbooks.getRun(WS, open.id))?.snoozedUntil).toBe("2026-03-20");
    const err = await rejection(reschedulePlaybookRun(storage, WS, open.id, 0, AT));
    expect(err.message).toBe("days: must be a whole number of days from -365 to 365 and not 0, got 0");
  });

  it("should complete the run when its last step is done or skipped", async () => {
    const [open] = await listPlaybookRuns(storage, WS, { accountId: "acme" }, "2026-03-02");
    if (open === undefined) throw new Error("no run");
    for (const step of [1, 2, 3])
      await closePlaybookStep(storage, WS, { runId: open.id, step, status: "done", at: AT });
    expect((await storage.playbooks.getRun(WS, open.id))?.status).toBe("active");
    const done = await closePlaybookStep(storage, WS, { runId: open.id, step: 4, status: "skipped", at: AT });
    expect(done.status).toBe("completed");
    // The same close again changes nothing.
    expect(
      (await closePlaybookStep(storage, WS, { runId: open.id, step: 4, status: "done", at: AT })).status,
    ).toBe("completed");
    const [view] = await listPlaybookRuns(storage, WS, { accountId: "acme" }, "2026-03-02");
    expect(view?.progress).toEqual({ done: 4, skipped: 1, total: 5 });
    expect(await storage.playbooks.openRun(WS, "low-adoption-rescue", "acme")).toBeNull();
  });

  it("should record a hold-out run without tasks and measure every run at its window's end", async () => {
    await usage(storage, "ctl", "2026-03-01", 2);
    const held = await startRun(deps(), WS, {
      playbookKey: "low-adoption-rescue",
      accountId: "ctl",
      holdout: true,
      trigger: { automationId: "auto-1" },
      idempotencyKey: "auto-1:ctl:2026-03-02",
      day: "2026-03-02",
      at: AT,
    });
    expect(held.run.holdout).toBe(true);
    expect(held.run.source).toBe("automation");
    expect(held.run.steps).toEqual([]);
    expect(held.run.version).toBe(2);
    expect(held.run.windowEnd).toBe("2026-04-16");
    expect((await storage.tasks.list(WS, { playbookRunId: held.run.id, limit: 10 })).tasks).toEqual([]);
    const repeat = await startRun(deps(), WS, {
      playbookKey: "low-adoption-rescue",
      accountId: "ctl",
      idempotencyKey: "auto-1:ctl:2026-03-02",
    });
    expect(repeat.created).toBe(false);
    expect(repeat.run.id).toBe(held.run.id);

    // Active users in the 28 days ending on each window's end.
    await usage(storage, "acme", "2026-04-05", 8);
    await usage(storage, "ctl", "2026-04-10", 1);
    expect(await measureDueRuns(deps(), WS, "2026-04-07", AT)).toBe(0);
    expect(await measureDueRuns(deps(), WS, "2026-04-20", AT)).toBe(2);
    const runs = await listPlaybookRuns(storage, WS, { playbookKey: "low-adoption-rescue" }, "2026-03-02");
    const byAccount = new Map(runs.map((r) => [r.accountId, r]));
    expect(byAccount.get("acme")).toMatchObject({ startValue: 3, endValue: 8, succeeded: true });
    expect(byAccount.get("ctl")).toMatchObject({
      startValue: 2,
      endValue: 1,
      succeeded: false,
      status: "completed",
    });
    expect(await measureDueRuns(deps(), WS, "2026-04-20", AT)).toBe(0);
  });

  it("should read each metric from the account's own data", async () => {
    await storage.healthScores.upsertMany(WS, [
      {
        accountId: "beta",
        date: "2026-03-01",
        score: 61.5,
        band: "yellow",
        profileId: "p",
        breakdown: {},
        lastActivityAt: null,
      },
    ]);
    await usage(storage, "beta", "2026-03-01", 2, "export_created");
    const read = (metric: Parameters<typeof readMetric>[3], day: string) =>
      readMetric(storage, WS, "beta", metric, day, { reportingCurrency: "USD" });
    expect(await read({ kind: "health_score" }, "2026-03-05")).toBe(61.5);
    expect(await read({ kind: "health_score" }, "2026-02-28")).toBeNull();
    expect(await read({ kind: "feature_weekly_use", feature: "export_created" }, "2026-03-07")).toBe(4);
    expect(await read({ kind: "feature_weekly_use", feature: "export_created" }, "2026-03-08")).toBe(0);
    expect(await read({ kind: "active_users" }, "2026-03-28")).toBe(2);
    expect(await read({ kind: "active_users" }, "2026-03-29")).toBe(0);
    expect(await read({ kind: "mrr" }, "2026-03-05")).toBe(0);
    expect(await read({ kind: "nps" }, "2026-03-05")).toBeNull();
    const detail = await getPlaybook(storage, WS, "low-adoption-rescue");
    expect(detail.playbook.definition.windowDays).toBe(45);
  });
});
