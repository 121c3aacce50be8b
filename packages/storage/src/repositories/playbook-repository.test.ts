import { STARTER_PLAYBOOKS } from "@tenure/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "../testing";
import type { PlaybookRunRecord } from "./playbook-repository";

const WS = "ws-playbooks";
const AT = "2026-12-08T09:00:00.000Z";
const starter = STARTER_PLAYBOOKS[1];
if (starter === undefined) throw new Error("the starter library is empty");
const definition = starter.definition;

function run(id: string, over: Partial<PlaybookRunRecord> = {}): PlaybookRunRecord {
  return {
    id,
    playbookKey: "rescue",
    version: 1,
    accountId: "acme",
    status: "active",
    holdout: false,
    source: "manual",
    triggerAutomationId: null,
    triggerSignalId: null,
    idempotencyKey: null,
    startedAt: AT,
    startDate: "2026-12-08",
    windowEnd: "2027-01-07",
    metric: { kind: "active_users" },
    startValue: 4,
    endValue: null,
    measuredAt: null,
    baseline: { segment: "retail", tier: "smb", band: "red", arr: 1200 },
    steps: [{ index: 0, taskId: null, status: "open", dueDate: "2026-12-08", closedAt: null }],
    snoozedUntil: null,
    startedBy: null,
    completedAt: null,
    updatedAt: AT,
    ...over,
  };
}

describe.each(testDialects())("playbook repository on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should keep every version immutable and serve the latest when a playbook is edited", async () => {
    const repo = t.storage.playbooks;
    expect(
      await repo.create(WS, { key: "rescue", origin: "starter", definition, createdBy: null, at: AT }),
    ).toBe(true);
    // Creating the same key again writes nothing.
    expect(
      await repo.create(WS, { key: "rescue", origin: "custom", definition, createdBy: null, at: AT }),
    ).toBe(false);
    const edited = { ...definition, windowDays: 45 };
    expect(await repo.addVersion(WS, "rescue", { definition: edited, createdBy: "m1", at: AT })).toBe(2);
    expect(await repo.addVersion(WS, "missing", { definition: edited, createdBy: null, at: AT })).toBeNull();
    const latest = await repo.get(WS, "rescue");
    expect(latest?.latestVersion).toBe(2);
    expect(latest?.origin).toBe("starter");
    expect(latest?.definition.windowDays).toBe(45);
    const versions = await repo.versions(WS, "rescue");
    expect(versions.map((v) => [v.version, v.definition.windowDays, v.createdBy])).toEqual([
      [2, 45, "m1"],
      [1, definition.windowDays, null],
    ]);
    expect((await repo.version(WS, "rescue", 1))?.definition).toEqual(definition);
  });

  it("should hide archived playbooks from the list unless asked and restore them", async () => {
    const repo = t.storage.playbooks;
    await repo.create(WS, { key: "old", origin: "custom", definition, createdBy: null, at: AT });
    expect(await repo.setArchived(WS, "old", AT, AT)).toBe(true);
    expect((await repo.list(WS)).map((p) => p.key)).toEqual(["rescue"]);
    expect((await repo.list(WS, { includeArchived: true })).map((p) => p.key)).toEqual(["old", "rescue"]);
    expect(await repo.setArchived(WS, "old", null, AT)).toBe(true);
    expect((await repo.list(WS)).map((p) => p.key)).toEqual(["old", "rescue"]);
    expect(await repo.setArchived(WS, "nope", AT, AT)).toBe(false);
  });

  it("should refuse a second open run of a playbook on an account until the first closes", async () => {
    const repo = t.storage.playbooks;
    expect(await repo.insertRun(WS, run("r1", { idempotencyKey: "k1" }))).toBe(true);
    expect(await repo.insertRun(WS, run("r2"))).toBe(false);
    // The same idempotency key on another account is refused too.
    expect(await repo.insertRun(WS, run("r3", { accountId: "other", idempotencyKey: "k1" }))).toBe(false);
    expect((await repo.openRun(WS, "rescue", "acme"))?.id).toBe("r1");
    expect((await repo.runByIdempotencyKey(WS, "k1"))?.id).toBe("r1");
    await repo.updateRun(WS, "r1", { status: "completed", completedAt: AT }, AT);
    expect(await repo.openRun(WS, "rescue", "acme")).toBeNull();
    expect(await repo.insertRun(WS, run("r2", { startedAt: "2026-12-09T09:00:00.000Z" }))).toBe(true);
    const listed = await repo.listRuns(WS, { accountId: "acme" });
    expect(listed.map((r) => [r.id, r.status])).toEqual([
      ["r2", "active"],
      ["r1", "completed"],
    ]);
    const r1 = await repo.getRun(WS, "r1");
    expect(r1?.holdout).toBe(false);
    expect(r1?.startValue).toBe(4);
    expect(r1?.baseline).toEqual({ segment: "retail", tier: "smb", band: "red", arr: 1200 });
  });

  it("should list runs whose window ended and are not measured, and forget them once measured", async () => {
    const repo = t.storage.playbooks;
    await repo.insertRun(WS, run("h1", { accountId: "ctl", holdout: true, windowEnd: "2026-12-20" }));
    expect((await repo.dueForMeasurement(WS, "2026-12-19", 10)).map((r) => r.id)).toEqual([]);
    const due = await repo.dueForMeasurement(WS, "2026-12-20", 10);
    expect(due.map((r) => [r.id, r.holdout])).toEqual([["h1", true]]);
    expect(await repo.workspacesDueForMeasurement("2026-12-20")).toEqual([WS]);
    await repo.updateRun(WS, "h1", { endValue: 7.5, measuredAt: AT }, AT);
    expect(await repo.dueForMeasurement(WS, "2027-12-31", 10)).toHaveLength(2);
    expect((await repo.getRun(WS, "h1"))?.endValue).toBe(7.5);
  });
});
