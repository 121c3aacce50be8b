import { isHeldOut } from "@tenure/core";
import { openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountOverview } from "../accounts/account-overview";
import { automationLog, dryRunAutomation, listAutomations } from "../automations/automation-service";
import { JobQueue } from "../jobs/job-queue";
import { seedDemo } from "./seed-demo";

const WS = "demo-automations";
const AS_OF = "2026-11-15";

describe("demo automations", () => {
  let t: TestStorage;
  let seeded: Awaited<ReturnType<typeof seedDemo>>;
  beforeAll(async () => {
    t = await openTestStorage("sqlite");
    seeded = await seedDemo(t.storage, { workspaceId: WS, accounts: 300, seed: 42, asOf: AS_OF });
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("should have five automations switched on, two of them with a hold-out share and control runs", async () => {
    expect(seeded.automations?.automations).toBe(5);
    const automations = await listAutomations(t.storage, WS);
    expect(automations).toHaveLength(5);
    expect(automations.every((a) => a.enabled)).toBe(true);
    // No demo automation delivers anything outside.
    const kinds = automations.flatMap((a) => a.actions.map((x) => x.type));
    expect(kinds.filter((k) => ["send_email", "call_webhook", "notify_chat"].includes(k))).toEqual([]);
    const withHoldout = automations.filter((a) => a.options.holdoutPct > 0 && (a.counts.held_out ?? 0) > 0);
    expect(withHoldout.length).toBeGreaterThanOrEqual(2);
    const schedules = await new JobQueue(t.storage).schedules(WS);
    expect(schedules.map((s) => s.name)).toContain("automations:evaluate");
  });

  it("should log months of history, each entered account pointing at its playbook run", async () => {
    const runs = new Map((await t.storage.playbooks.listRuns(WS)).map((r) => [r.id, r]));
    let logged = 0;
    for (const a of await listAutomations(t.storage, WS)) {
      const log = await automationLog(t.storage, WS, a.id, { limit: 500 });
      expect(log.length).toBe(
        Math.min(
          500,
          Object.values(a.counts).reduce((s, n) => s + n, 0),
        ),
      );
      for (const e of log.filter((x) => x.outcome === "fired" || x.outcome === "held_out")) {
        const ref = e.steps[0]?.ref;
        const run = ref ? runs.get(ref) : undefined;
        expect(run, `${a.id} ${e.id}`).toBeDefined();
        expect(run?.accountId).toBe(e.accountId);
        expect(run?.holdout).toBe(e.outcome === "held_out");
        // The automation's own deterministic draw decided who was held out.
        expect(isHeldOut(a.id, e.accountId, a.options.holdoutPct)).toBe(e.outcome === "held_out");
        if (e.outcome === "fired" && run?.source === "automation") {
          const { tasks } = await t.storage.tasks.list(WS, {
            playbookRunId: run.id,
            status: "all",
            limit: 50,
          });
          expect(tasks.length).toBeGreaterThan(0);
        }
        logged++;
      }
      if (a.options.holdoutPct > 0) {
        const months = new Set(log.map((e) => e.createdAt.slice(0, 7)));
        expect(months.size, a.id).toBeGreaterThanOrEqual(4);
        // One fact: every run the automation is named as the trigger of is one row of its log.
        const named = [...runs.values()].filter((r) => r.triggerAutomationId === a.id);
        expect(named.length).toBe((a.counts.fired ?? 0) + (a.counts.held_out ?? 0));
      }
    }
    expect(logged).toBeGreaterThan(60);
  });

  it("should act on the signals of the last weeks as the worker would have: a run, a control row or a guard's reason", async () => {
    const automations = await listAutomations(t.storage, WS);
    const listening = automations.flatMap((a) =>
      a.trigger.type === "signal_raised" ? a.trigger.signalTypes.map((type) => ({ type, id: a.id })) : [],
    );
    expect(listening.length).toBeGreaterThanOrEqual(3);
    const from = new Date(Date.parse(AS_OF) - 44 * 86_400_000).toISOString().slice(0, 10);
    const stages = new Map((await t.storage.accounts.list(WS)).map((a) => [a.id, a.lifecycleStage]));
    const recent = (await t.storage.signals.list(WS, {})).filter(
      (s) =>
        s.openedAt.slice(0, 10) >= from &&
        s.openedAt.slice(0, 10) < AS_OF &&
        stages.get(s.accountId) !== "churned" &&
        listening.some((l) => l.type === s.type),
    );
    expect(recent.length).toBeGreaterThan(5);
    const logs = new Map<string, Awaited<ReturnType<typeof automationLog>>>();
    for (const l of listening)
      if (!logs.has(l.id)) logs.set(l.id, await automationLog(t.storage, WS, l.id, { limit: 5000 }));
    let started = 0;
    for (const s of recent) {
      const automationId = listening.find((l) => l.type === s.type)?.id as string;
      const row = logs.get(automationId)?.find((e) => e.instance === `signal:${s.id}`);
      expect(row, `${s.type} ${s.id} on ${s.accountId}`).toBeDefined();
      if (row?.outcome === "fired" || row?.outcome === "held_out") {
        const run = await t.storage.playbooks.getRun(WS, row.steps[0]?.ref ?? "");
        expect(run?.accountId).toBe(s.accountId);
        expect(run?.startedAt.slice(0, 10)).toBe(s.openedAt.slice(0, 10));
        started++;
      }
    }
    expect(started).toBeGreaterThan(0);
  });

  it("should dry-run today's matching accounts without writing", async () => {
    const before = (await listAutomations(t.storage, WS)).map((a) => a.counts);
    let matched = 0;
    for (const a of await listAutomations(t.storage, WS)) {
      const dry = await dryRunAutomation(t.storage, WS, {
        id: a.id,
        asOf: `${AS_OF}T12:00:00.000Z`,
        days: 7,
        reportingCurrency: "USD",
      });
      matched += dry.matched;
      expect(dry.rows.length).toBe(Math.min(dry.matched, 500));
    }
    expect(matched).toBeGreaterThan(0);
    expect((await listAutomations(t.storage, WS)).map((a) => a.counts)).toEqual(before);
  });

  it("should show some signals acknowledged by their account's owner, by name", async () => {
    expect(seeded.acknowledgedSignals ?? 0).toBeGreaterThan(5);
    const acked = await t.storage.signals.list(WS, { statuses: ["acknowledged"] });
    expect(acked).toHaveLength(seeded.acknowledgedSignals ?? -1);
    const s = acked[0];
    if (s === undefined) throw new Error("no acknowledged signal");
    const [own] = await t.storage.team.ownership(WS, [s.accountId]);
    const owner = own?.ownerId ? await t.storage.team.getMember(WS, own.ownerId) : null;
    expect(s.actorId).toBe(owner?.id);
    expect((s.acknowledgedAt ?? "").slice(0, 10) >= s.openedAt.slice(0, 10)).toBe(true);
    const page = await accountOverview(t.storage, WS, s.accountId, { asOf: AS_OF, reportingCurrency: "USD" });
    expect(page.signals.find((x) => x.id === s.id)?.actor).toEqual({ id: owner?.id, name: owner?.name });
  });
});
