import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importData } from "./import-data";
import type { ImportDataInput, ImportKind } from "./types";

// Issue 14 §7: every number finite and in range, NUL refused the same on both dialects, one date rule.
const SUBS = "account_id,subscription_id,plan,start_date,end_date,amount,currency,interval,quantity\n";

describe.each(testDialects())("hardened import on %s", (dialect) => {
  let t: TestStorage;
  let ws = 0;
  const nextWorkspace = () => `ws-hard-${++ws}`;
  const run = (w: string, kind: ImportKind, content: string, extra: Partial<ImportDataInput> = {}) =>
    importData(t.storage, {
      workspaceId: w,
      kind,
      fileName: `${kind}.csv`,
      content: Buffer.from(content),
      ...extra,
    });

  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should refuse amount 1e309 with the file, row and column named and write nothing", async () => {
    const w = nextWorkspace();
    const s = await run(
      w,
      "subscriptions",
      `${SUBS}a1,s1,pro,2026-01-01,,100,USD,month,1\na1,s2,pro,2026-01-01,,1e309,USD,month,1\n`,
    );
    expect(s.written).toBe(false);
    expect(s.errors).toEqual([
      {
        file: "subscriptions.csv",
        row: 3,
        column: "amount",
        value: "1e309",
        reason: "must be a finite number (it overflows)",
      },
    ]);
    expect(await t.storage.subscriptions.list(w)).toEqual([]);
  });

  it("should refuse numbers out of range in every numeric column", async () => {
    const w = nextWorkspace();
    const subs = await run(
      w,
      "subscriptions",
      `${SUBS}a1,s1,pro,2026-01-01,,1e14,USD,month,1\na1,s2,pro,2026-01-01,,10,USD,month,1e10\na1,s3,pro,2026-01-01,,-1e309,USD,month,1\n`,
    );
    expect(subs.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "amount", "amount must be at most 10,000,000,000,000"],
      [3, "quantity", "quantity must be at most 1,000,000,000"],
      [4, "amount", "must be a finite number (it overflows)"],
    ]);
    const spend = await run(w, "spend", "month,channel,amount\n2026-01,ads,1e400\n");
    expect(spend.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "amount", "must be a finite number (it overflows)"],
    ]);
    const plans = await run(w, "plans", "plan_id,product_id,name,amount\np1,prod,Pro,1e309\n");
    expect(plans.errors.map((e) => [e.row, e.column])).toEqual([[2, "amount"]]);
    const ents = await run(
      w,
      "entitlements",
      "account_id,metric,quantity,period_start,period_end\na1,*,1e16,2026-01-01,2026-12-31\na1,*,1e309,2026-01-01,2026-12-31\n",
    );
    expect(ents.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "quantity", "quantity must be at most 1,000,000,000,000,000"],
      [3, "quantity", "must be a finite number (it overflows)"],
    ]);
    const rates = await run(
      w,
      "exchange-rates",
      "date,currency,rate\n2026-01-01,EUR,1e309\n2026-01-01,GBP,1e10\n",
    );
    expect(rates.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "rate", "must be a finite number (it overflows)"],
      [3, "rate", "a rate must be between 1e-9 and 1000000000"],
    ]);
    expect(await t.storage.exchangeRates.list(w)).toEqual([]);
  });

  it("should refuse an overflowing JSON number, in a column and in a custom field", async () => {
    const w = nextWorkspace();
    const subs = await importData(t.storage, {
      workspaceId: w,
      kind: "subscriptions",
      fileName: "subs.json",
      format: "json",
      content: Buffer.from(
        '[{"account_id":"a1","subscription_id":"s1","start_date":"2026-01-01","amount":1e309}]',
      ),
    });
    expect(subs.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [1, "amount", "must be a finite number"],
    ]);
    const accounts = await importData(t.storage, {
      workspaceId: w,
      kind: "accounts",
      fileName: "accounts.json",
      format: "json",
      content: Buffer.from('[{"account_id":"a1","arr_estimate":-1e309}]'),
    });
    expect(accounts.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [1, "arr_estimate", "must be a finite number"],
    ]);
    expect(await t.storage.accounts.get(w, "a1")).toBeNull();
  });

  it("should refuse a NUL character in any text cell with the row and column named", async () => {
    const w = nextWorkspace();
    const accounts = await run(
      w,
      "accounts",
      "account_id,name,tags,notes\na1,Ac\u0000me,,\na2,Fine,vip;be\u0000ta,\na3,Fine,,x\u0000y\na\u00004,Fine,,\n",
    );
    expect(accounts.written).toBe(false);
    expect(accounts.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "name", "must not contain a NUL character (\\u0000)"],
      [3, "tags", "must not contain a NUL character (\\u0000)"],
      [4, "notes", "must not contain a NUL character (\\u0000)"],
      [5, "account_id", "must not contain a NUL character (\\u0000)"],
    ]);
    // With --allow-partial the good rows are written, the same on both dialects (no driver error).
    const partial = await run(w, "accounts", "account_id,name\na1,Ac\u0000me\na2,Fine\n", {
      allowPartial: true,
    });
    expect(partial).toMatchObject({ written: true, inserted: 1 });
    expect((await t.storage.accounts.list(w)).map((a) => a.id)).toEqual(["a2"]);
  });

  it("should accept real dates in 1970..2100 and refuse impossible or implausible ones", async () => {
    const w = nextWorkspace();
    const s = await run(
      w,
      "subscriptions",
      `${SUBS}a1,s1,pro,2024-02-30,,1,USD,month,1\na1,s2,pro,9999-01-01,,1,USD,month,1\na1,s3,pro,1969-12-31,,1,USD,month,1\na1,s4,pro,2026-01-01,2101-01-01,1,USD,month,1\na1,s5,pro,+099999-01-01,,1,USD,month,1\n`,
    );
    expect(s.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "start_date", "is not a real calendar date"],
      [3, "start_date", "must be a year from 1970 to 2100"],
      [4, "start_date", "must be a year from 1970 to 2100"],
      [5, "end_date", "must be a year from 1970 to 2100"],
      [6, "start_date", "must be a date in the form YYYY-MM-DD"],
    ]);
    const ok = await run(
      w,
      "subscriptions",
      `${SUBS}a1,s1,pro,1970-01-01,2100-12-31,1,USD,month,1\na1,s2,pro,2024-02-29,,1,USD,month,1\n`,
    );
    expect(ok).toMatchObject({ written: true, inserted: 2, errors: [] });
    const spend = await run(w, "spend", "month,channel,amount\n9999-01,ads,1\n");
    expect(spend.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, "month", "must be a year from 1970 to 2100"],
    ]);
  });
});
