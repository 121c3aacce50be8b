import { openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { effectReport } from "../effects/effect-report";
import { seedDemo } from "./seed-demo";
import { DEMO_PLAYBOOK_AUTOMATIONS } from "./seed-playbooks";

const WS = "demo-playbooks";
const AS_OF = "2026-11-15";

describe("demo playbook runs", () => {
  let t: TestStorage;
  let seeded: Awaited<ReturnType<typeof seedDemo>>;
  beforeAll(async () => {
    t = await openTestStorage("sqlite");
    seeded = await seedDemo(t.storage, { workspaceId: WS, accounts: 600, seed: 42, asOf: AS_OF });
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("should seed the starter library, runs with hold-outs and worked tasks", async () => {
    const p = seeded.playbooks;
    const planted = new Set<string>(Object.values(DEMO_PLAYBOOK_AUTOMATIONS));
    expect(p?.playbooks).toBe(10);
    expect(p?.holdouts).toBeGreaterThanOrEqual(20);
    expect(p?.measured).toBeGreaterThanOrEqual(70);
    // The runs seed-playbooks starts (idempotency keys "demo:..." or started by hand); the automations'
    // replayed runs, of the last weeks' signals too, are seed-automations'.
    const runs = (await t.storage.playbooks.listRuns(WS)).filter(
      (r) => r.triggerAutomationId === null || (r.idempotencyKey ?? "").startsWith("demo:"),
    );
    expect(runs.every((r) => r.triggerAutomationId === null || planted.has(r.triggerAutomationId))).toBe(
      true,
    );
    expect(runs).toHaveLength(p?.runs ?? -1);
    // Every measured run's window ended by asOf and every treated past run was worked to completion.
    for (const r of runs.filter((x) => x.measuredAt !== null)) expect(r.windowEnd <= AS_OF).toBe(true);
    const past = runs.filter((r) => r.source === "automation" && !r.holdout);
    expect(past.every((r) => r.status === "completed")).toBe(true);
    // Recent runs leave open tasks on the work lists.
    const open = await t.storage.tasks.list(WS, { status: "open", limit: 500 });
    expect(open.tasks.length).toBeGreaterThan(10);
    expect((await t.storage.playbooks.versions(WS, "low-adoption-rescue")).length).toBe(2);
  });

  it("should plant a rescue that works and a champion-left play that does not", async () => {
    const report = await effectReport(t.storage, WS, { reportingCurrency: "USD" });
    const rows = (key: string) => report.playbooks.filter((r) => r.key === key && r.control === "holdout");
    const rescue = rows("low-adoption-rescue");
    expect(rescue.map((r) => r.version)).toEqual([1, 2]);
    for (const r of rescue) expect(r.ciLow ?? 0).toBeGreaterThan(0);
    const champion = rows("champion-left");
    expect(champion).toHaveLength(1);
    expect(champion[0]?.ciLow ?? 1).toBeLessThan(0);
    expect(champion[0]?.ciHigh ?? -1).toBeGreaterThan(0);
  });
});
