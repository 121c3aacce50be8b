import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

describe.each(testDialects())("QBRs on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure("a", "A");
    await t.storage.workspaces.ensure("b", "B");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should keep one record per account and quarter, replace it on upsert, and give each account's last held QBR", async () => {
    const base = { note: null, updatedBy: null };
    await t.storage.qbrs.upsertMany("a", [
      { ...base, accountId: "x", quarter: "2026-Q2", targetMrr: 1000, heldOn: "2026-04-20" },
      { ...base, accountId: "x", quarter: "2026-Q3", targetMrr: 1100, heldOn: "2026-07-18" },
      { ...base, accountId: "y", quarter: "2026-Q3", targetMrr: 500, heldOn: null },
    ]);
    await t.storage.qbrs.upsert("a", {
      ...base,
      accountId: "y",
      quarter: "2026-Q3",
      targetMrr: 650.5,
      heldOn: "2026-08-02",
    });
    await t.storage.qbrs.upsert("b", {
      ...base,
      accountId: "x",
      quarter: "2026-Q4",
      targetMrr: 1,
      heldOn: "2026-11-01",
    });
    const q3 = await t.storage.qbrs.listQuarter("a", "2026-Q3");
    expect(q3.map((r) => [r.accountId, r.targetMrr, r.heldOn])).toEqual([
      ["x", 1100, "2026-07-18"],
      ["y", 650.5, "2026-08-02"],
    ]);
    expect(Object.fromEntries(await t.storage.qbrs.lastHeld("a"))).toEqual({
      x: "2026-07-18",
      y: "2026-08-02",
    });
    expect((await t.storage.qbrs.listByAccount("a", "x")).map((r) => r.quarter)).toEqual([
      "2026-Q3",
      "2026-Q2",
    ]);
    expect(await t.storage.qbrs.listQuarter("a", "2026-Q4")).toEqual([]);
  });
});
