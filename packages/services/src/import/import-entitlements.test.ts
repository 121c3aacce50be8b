import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importData } from "./import-data";
import type { ImportKind } from "./types";

describe.each(testDialects())("entitlement and contact-left import on %s", (dialect) => {
  let t: TestStorage;
  let ws = 0;
  const nextWorkspace = () => `ws-ent-${++ws}`;
  const run = (workspaceId: string, kind: ImportKind, content: string, fileName = "file.csv") =>
    importData(t.storage, { workspaceId, kind, fileName, content: Buffer.from(content) });

  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should import entitlements through aliases and derive an id when none is given", async () => {
    const w = nextWorkspace();
    const csv =
      "customer_id,subscription,quota_event,quota,term_start,term_end\n" +
      "a1,s1,Export,10000,2026-01-01,2027-01-01\n" +
      "a2,,all events,2.5e6,2026-03-01,2026-09-01\n";
    const summary = await run(w, "entitlements", csv);
    expect(summary).toMatchObject({ inserted: 2, errors: [], written: true, createdAccounts: ["a1", "a2"] });
    expect(await t.storage.entitlements.list(w)).toEqual([
      {
        id: "a1:Export:2026-01-01",
        accountId: "a1",
        subscriptionId: "s1",
        metric: "Export",
        quantity: 10000,
        periodStart: "2026-01-01",
        periodEnd: "2027-01-01",
      },
      {
        id: "a2:*:2026-03-01",
        accountId: "a2",
        subscriptionId: null,
        metric: "*",
        quantity: 2_500_000,
        periodStart: "2026-03-01",
        periodEnd: "2026-09-01",
      },
    ]);
    // Same content again: nothing changes.
    expect(await run(w, "entitlements", csv)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });

  it("should import JSON entitlements with canonical fields", async () => {
    const w = nextWorkspace();
    const json = JSON.stringify([
      {
        entitlement_id: "q1",
        account_id: "a1",
        metric: "API Call",
        quantity: 500,
        period_start: "2026-01-01",
        period_end: "2026-02-01",
      },
    ]);
    expect(await run(w, "entitlements", json, "quota.json")).toMatchObject({ inserted: 1, errors: [] });
    expect((await t.storage.entitlements.list(w))[0]).toMatchObject({ id: "q1", metric: "API Call" });
  });

  it("should reject a zero quantity, a missing metric and an empty term, naming row and column", async () => {
    const w = nextWorkspace();
    const csv =
      "account_id,metric,allowance,period_start,contract_end\n" +
      "a1,Export,0,2026-01-01,2027-01-01\n" +
      "a1,,100,2026-01-01,2027-01-01\n" +
      "a1,Export,100,2026-05-01,2026-05-01\n" +
      "a1,Export,-3,2026-01-01,\n" +
      "a1,Export,100,2026-02-01,2027-02-01\n";
    const summary = await run(w, "entitlements", csv);
    expect(summary.written).toBe(false);
    expect(summary.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "allowance", "quantity must be > 0"],
      [3, "metric", "metric is required (a usage event name, or *)"],
      [4, "contract_end", "period_end must be after period_start"],
      [5, "allowance", "quantity must be > 0"],
      [5, "contract_end", "period_end is required"],
    ]);
    expect(summary.errors[0]).toMatchObject({ file: "file.csv", value: "0" });
    expect(await t.storage.entitlements.list(w)).toEqual([]);
  });

  it("should report a duplicate entitlement on the later row", async () => {
    const w = nextWorkspace();
    const csv =
      "account_id,metric,quantity,period_start,period_end\n" +
      "a1,Export,100,2026-01-01,2027-01-01\n" +
      "a1,Export,200,2026-01-01,2027-01-01\n";
    const summary = await run(w, "entitlements", csv);
    expect(summary.errors).toEqual([
      expect.objectContaining({
        row: 3,
        reason: "duplicate entitlement_id a1:Export:2026-01-01 (first seen on row 2)",
      }),
    ]);
  });

  it("should import the day a contact left and check it against a status column", async () => {
    const w = nextWorkspace();
    const good =
      "contact_id,account_id,name,role,left_date,contact_status\n" +
      "c1,a1,Mei,champion,2026-10-01,left\n" +
      "c2,a1,Ana,admin,,active\n" +
      "c3,a1,Bo,user,,\n";
    expect(await run(w, "contacts", good)).toMatchObject({ inserted: 3, errors: [] });
    const contacts = await t.storage.contacts.list(w);
    expect(contacts.map((c) => [c.id, c.leftAt])).toEqual([
      ["c1", "2026-10-01"],
      ["c2", null],
      ["c3", null],
    ]);

    const bad =
      "contact_id,account_id,name,left_at,status\n" +
      "c4,a1,Cy,,left\n" +
      "c5,a1,Di,2026-10-01,active\n" +
      "c6,a1,Ed,2026-13-01,\n" +
      "c7,a1,Fa,,gone\n";
    const summary = await run(w, "contacts", bad);
    expect(summary.written).toBe(false);
    expect(summary.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "left_at", "left_at is required when status is left (the day the contact left)"],
      [3, "status", "status is active but left_at is set"],
      [4, "left_at", "is not a real calendar date"],
      [5, "status", "unknown status (expected one of active, left)"],
    ]);
  });
});
