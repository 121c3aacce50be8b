import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "../testing";
import type { AutomationRunRecord } from "./automation-repository";

const WS = "ws";
const T0 = "2026-12-01T00:00:00.000Z";

function run(id: string, over: Partial<AutomationRunRecord> = {}): AutomationRunRecord {
  return {
    id,
    automationId: "a1",
    version: 1,
    accountId: "acc1",
    instance: `signal:${id}`,
    outcome: "fired",
    status: "open",
    nextStep: 0,
    resumeAt: null,
    steps: [],
    retriggers: 0,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

describe.each(testDialects())("automation repository on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(() => t.cleanup());

  it("should keep every version and switch an automation off without a new version", async () => {
    const s = t.storage;
    const first = await s.automations.save(WS, {
      id: "a1",
      name: "Rescue",
      enabled: true,
      definition: { name: "Rescue", enabled: true, actions: [1] },
      at: T0,
    });
    expect(first).toMatchObject({ id: "a1", version: 1, enabled: true, name: "Rescue" });
    const second = await s.automations.save(WS, {
      id: "a1",
      name: "Rescue v2",
      enabled: true,
      definition: { name: "Rescue v2", enabled: true, actions: [1, 2] },
      at: "2026-12-02T00:00:00.000Z",
    });
    expect(second).toMatchObject({ version: 2, name: "Rescue v2", createdAt: T0 });
    const off = await s.automations.setEnabled(WS, "a1", false, "2026-12-03T00:00:00.000Z");
    expect(off).toMatchObject({
      version: 2,
      enabled: false,
      definition: { enabled: false, actions: [1, 2] },
    });
    expect((await s.automations.versions(WS, "a1")).map((v) => [v.version, v.definition])).toEqual([
      [2, { name: "Rescue v2", enabled: true, actions: [1, 2] }],
      [1, { name: "Rescue", enabled: true, actions: [1] }],
    ]);
    expect(await s.automations.setEnabled(WS, "nope", true, T0)).toBeNull();
    expect((await s.automations.list(WS)).map((a) => a.id)).toEqual(["a1"]);
    expect(await s.automations.list("other")).toEqual([]);
  });

  it("should not save half an automation when the version write fails", async () => {
    const s = t.storage;
    // Version 1 of "a2" exists already: the second save's version insert collides inside the transaction.
    await s.automations.save(WS, { id: "a2", name: "A", enabled: true, definition: {}, at: T0 });
    await expect(
      s.transaction(async (tx) => {
        await tx.automations.save(WS, { id: "a2", name: "B", enabled: true, definition: {}, at: T0 });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await s.automations.get(WS, "a2")).toMatchObject({ version: 1, name: "A" });
    expect(await s.automations.versions(WS, "a2")).toHaveLength(1);
  });

  it("should log each trigger instance once and report the guards' memory", async () => {
    const s = t.storage;
    const first = await s.automations.insertRuns(WS, [
      run("r1"),
      run("r2", {
        accountId: "acc2",
        outcome: "held_out",
        status: "none",
        createdAt: "2026-12-01T01:00:00.000Z",
      }),
    ]);
    expect([...first].sort()).toEqual(["r1", "r2"]);
    // The same instance again (a retried evaluation) is not a second fire.
    const again = await s.automations.insertRuns(WS, [
      run("r1-dup", { instance: "signal:r1" }),
      run("r3", { accountId: "acc3", outcome: "snoozed", status: "none" }),
    ]);
    expect([...again]).toEqual(["r3"]);
    const guards = await s.automations.guards(WS);
    expect(guards.sort((a, b) => a.accountId.localeCompare(b.accountId))).toEqual([
      { automationId: "a1", accountId: "acc1", lastEnteredAt: T0, openRunId: "r1" },
      { automationId: "a1", accountId: "acc2", lastEnteredAt: "2026-12-01T01:00:00.000Z", openRunId: null },
    ]);
    expect(await s.automations.outcomeCounts(WS, "a1")).toEqual({ fired: 1, held_out: 1, snoozed: 1 });
    await s.automations.addRetriggers(WS, ["r1"], "2026-12-02T00:00:00.000Z");
    expect((await s.automations.getRun(WS, "r1"))?.retriggers).toBe(1);
  });

  it("should return due runs and page the log newest first", async () => {
    const s = t.storage;
    await s.automations.updateRun(WS, "r1", {
      status: "open",
      nextStep: 2,
      resumeAt: "2026-12-04T00:00:00.000Z",
      steps: [{ step: 0, type: "add_tag", status: "done", at: T0 }],
      updatedAt: T0,
    });
    expect(await s.automations.dueRuns(WS, "2026-12-03T00:00:00.000Z", 10)).toEqual([]);
    const due = await s.automations.dueRuns(WS, "2026-12-04T00:00:00.000Z", 10);
    expect(due.map((r) => [r.id, r.nextStep, r.steps.length])).toEqual([["r1", 2, 1]]);
    const log = await s.automations.log(WS, "a1", { limit: 2 });
    // Newest first, ties by id descending.
    expect(log.map((r) => r.id)).toEqual(["r2", "r3"]);
    expect(log[0]?.createdAt).toBe("2026-12-01T01:00:00.000Z");
    const older = await s.automations.log(WS, "a1", { before: "2026-12-01T01:00:00.000Z" });
    expect(older.map((r) => r.id).sort()).toEqual(["r1", "r3"]);
    expect((await s.automations.log(WS, "a1", { outcome: "snoozed" })).map((r) => r.id)).toEqual(["r3"]);
  });

  it("should snooze, list active snoozes and unsnooze", async () => {
    const s = t.storage;
    await s.automations.snooze(WS, "a1", "acc1", "2026-12-10T00:00:00.000Z", T0);
    await s.automations.snooze(WS, "a1", "acc1", "2026-12-20T00:00:00.000Z", T0);
    await s.automations.snooze(WS, "a1", "acc2", "2026-12-02T00:00:00.000Z", T0);
    expect(await s.automations.snoozes(WS, "2026-12-05T00:00:00.000Z")).toEqual([
      { automationId: "a1", accountId: "acc1", until: "2026-12-20T00:00:00.000Z" },
    ]);
    expect(await s.automations.unsnooze(WS, "a1", "acc1")).toBe(true);
    expect(await s.automations.unsnooze(WS, "a1", "acc1")).toBe(false);
  });

  it("should replace account snapshots", async () => {
    const s = t.storage;
    await s.automations.putSnapshots(WS, [
      { accountId: "acc1", stage: "adoption", segment: "smb", band: "green" },
      { accountId: "acc2", stage: null, segment: null, band: null },
    ]);
    await s.automations.putSnapshots(WS, [
      { accountId: "acc1", stage: "retention", segment: "smb", band: "red" },
    ]);
    const snaps = await s.automations.snapshots(WS);
    expect(snaps.sort((a, b) => a.accountId.localeCompare(b.accountId))).toEqual([
      { accountId: "acc1", stage: "retention", segment: "smb", band: "red" },
      { accountId: "acc2", stage: null, segment: null, band: null },
    ]);
  });
});
