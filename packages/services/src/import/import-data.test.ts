import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importData, importFile } from "./import-data";
import type { ImportDataInput, ImportKind } from "./types";

const HEADER =
  "account_id,subscription_id,plan,start_date,end_date,amount,currency,interval,quantity,discount_pct";

describe.each(testDialects())("import on %s", (dialect) => {
  let t: TestStorage;
  let dir: string;
  let ws = 0;
  // Each test gets its own workspace so that tests stay independent on one database.
  const nextWorkspace = () => `ws-${++ws}`;
  const run = (
    workspaceId: string,
    kind: ImportKind,
    content: string | Buffer,
    extra: Partial<ImportDataInput> = {},
  ) =>
    importData(t.storage, {
      workspaceId,
      kind,
      fileName: "subs.csv",
      content: typeof content === "string" ? Buffer.from(content) : content,
      ...extra,
    });

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    dir = await mkdtemp(path.join(tmpdir(), "tenure-import-"));
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("should import subscriptions and create minimal accounts when the accounts are unknown", async () => {
    const w = nextWorkspace();
    await t.storage.accounts.ensureMinimal(w, ["a1"]);
    const csv = `${HEADER},trial\na1,s1,pro,2026-01-01,,100,EUR,year,3,10%,yes\na2,s2,basic,2026-02-01,2026-05-01,9.5,USD,monthly,1,0,\n`;
    const summary = await run(w, "subscriptions", csv);
    expect(summary).toMatchObject({
      kind: "subscriptions",
      format: "csv",
      rowsRead: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      createdAccounts: ["a2"],
      errors: [],
      written: true,
    });
    expect(await t.storage.subscriptions.list(w)).toEqual([
      {
        id: "s1",
        accountId: "a1",
        plan: "pro",
        startDate: "2026-01-01",
        endDate: null,
        amount: 100,
        currency: "EUR",
        interval: "year",
        quantity: 3,
        discountPct: 10,
        trial: true,
      },
      {
        id: "s2",
        accountId: "a2",
        plan: "basic",
        startDate: "2026-02-01",
        endDate: "2026-05-01",
        amount: 9.5,
        currency: "USD",
        interval: "month",
        quantity: 1,
        discountPct: 0,
        trial: false,
      },
    ]);
    expect((await t.storage.accounts.get(w, "a2"))?.name).toBe("a2");
  });

  it("should map aliases when the file uses customer_id and monthly_amount", async () => {
    const w = nextWorkspace();
    const csv =
      "\uFEFFsubscription_id, Customer ID ,start_date,end_date,monthly_amount\n1,c1,2018-11-01,2019-02-01,50\n";
    const summary = await run(w, "subscriptions", csv);
    expect(summary.errors).toEqual([]);
    expect(await t.storage.subscriptions.list(w)).toEqual([
      {
        id: "1",
        accountId: "c1",
        plan: "",
        startDate: "2018-11-01",
        endDate: "2019-02-01",
        amount: 50,
        currency: "USD",
        interval: "month",
        quantity: 1,
        discountPct: 0,
        trial: false,
      },
    ]);
  });

  it("should report every bad row and write nothing when rows are invalid", async () => {
    const w = nextWorkspace();
    const csv = [
      HEADER,
      "a,s1,p,2026-13-01,,1,USD,month,1,0",
      "a,s2,p,2026-02-30,,1,USD,month,1,0",
      "a,s3,p,2026-01-01,,1,XYZ,month,1,0",
      "a,s4,p,2026-01-01,,-5,USD,month,1,0",
      "a,s5,p,2026-01-01,,1,USD,month,1,0",
      "a,s5,p,2026-01-01,,2,USD,month,1,0",
      "a,s6,p,2026-03-01,2026-02-01,1,USD,month,1,0",
      "a,s7,p,2026-01-01,,1,USD,weekly,0,150",
    ].join("\n");
    const summary = await run(w, "subscriptions", csv);
    expect(summary.written).toBe(false);
    expect(summary.rowsRead).toBe(8);
    expect(summary.inserted).toBe(0);
    const brief = summary.errors.map((e) => [e.row, e.column, e.value, e.reason]);
    expect(brief).toEqual([
      [2, "start_date", "2026-13-01", "is not a real calendar date"],
      [3, "start_date", "2026-02-30", "is not a real calendar date"],
      [4, "currency", "XYZ", "unknown currency code XYZ (expected ISO 4217, e.g. USD)"],
      [5, "amount", "-5", "amount must be ≥ 0"],
      [7, "subscription_id", "s5", "duplicate subscription_id s5 (first seen on row 6)"],
      [8, "end_date", "2026-02-01", "end_date must be after start_date"],
      [9, "interval", "weekly", "unknown billing interval (expected one of month, quarter, year)"],
      [9, "quantity", "0", "quantity must be a whole number > 0"],
      [9, "discount_pct", "150", "discount must be between 0 and 100"],
    ]);
    expect(summary.errors.every((e) => e.file === "subs.csv")).toBe(true);
    expect(await t.storage.subscriptions.list(w)).toEqual([]);
    expect(await t.storage.accounts.count(w)).toBe(0);
  });

  it("should report a badly formed date when the date is not YYYY-MM-DD", async () => {
    const summary = await run(
      nextWorkspace(),
      "subscriptions",
      `${HEADER}\na,s1,p,01/02/2026,,1,USD,month,1,0\n`,
    );
    expect(summary.errors).toMatchObject([
      { row: 2, column: "start_date", value: "01/02/2026", reason: "must be a date in the form YYYY-MM-DD" },
    ]);
  });

  it("should write the good rows when allowPartial is set", async () => {
    const w = nextWorkspace();
    const csv = `${HEADER}\na,s1,p,2026-01-01,,1,USD,month,1,0\na,s2,p,bad,,1,USD,month,1,0\n`;
    const summary = await run(w, "subscriptions", csv, { allowPartial: true });
    expect(summary).toMatchObject({ written: true, inserted: 1, createdAccounts: ["a"] });
    expect(summary.errors).toHaveLength(1);
    expect((await t.storage.subscriptions.list(w)).map((s) => s.id)).toEqual(["s1"]);
  });

  it("should say the file has no rows when it is empty or has only a header", async () => {
    for (const content of ["", "\n\n", `${HEADER}\n`]) {
      const summary = await run(nextWorkspace(), "subscriptions", content);
      expect(summary.written).toBe(false);
      expect(summary.errors).toEqual([
        { file: "subs.csv", row: 0, column: null, value: null, reason: "file has no rows" },
      ]);
    }
  });

  it("should name the file and suggest UTF-8 when the file is latin-1", async () => {
    const latin1 = Buffer.from(`${HEADER}\nCaf\xe9,s1,p,2026-01-01,,1,EUR,month,1,0\n`, "latin1");
    const summary = await run(nextWorkspace(), "subscriptions", latin1);
    expect(summary.written).toBe(false);
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]?.reason).toContain("subs.csv is not valid UTF-8");
    expect(summary.errors[0]?.reason).toContain("re-save it as UTF-8");
  });

  it("should report everything unchanged and change nothing when the same file is imported again", async () => {
    const w = nextWorkspace();
    const csv = `${HEADER}\na,s1,p,2026-01-01,,10,USD,month,1,0\nb,s2,p,2026-01-01,,20,USD,month,2,5\n`;
    const first = await run(w, "subscriptions", csv);
    const before = await t.storage.subscriptions.list(w);
    const second = await run(w, "subscriptions", csv);
    expect(first).toMatchObject({ inserted: 2, createdAccounts: ["a", "b"] });
    expect(second).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
      createdAccounts: [],
      written: true,
    });
    expect(await t.storage.subscriptions.list(w)).toEqual(before);
    expect(await t.storage.accounts.count(w)).toBe(2);
    expect(await t.storage.subscriptions.history(w, "s1")).toEqual([]);
  });

  it("should read a JSON array and JSON lines when the file is JSON", async () => {
    const w = nextWorkspace();
    const array = JSON.stringify([
      { customer: "j1", id: "js1", start: "2026-01-01", mrr: 12.5 },
      { customer: "j1", id: "js2", start: "2026-01-01", mrr: -1 },
    ]);
    const bad = await run(w, "subscriptions", array, { fileName: "subs.json" });
    expect(bad.format).toBe("json");
    expect(bad.errors).toMatchObject([{ row: 2, column: "mrr", value: "-1", reason: "amount must be ≥ 0" }]);
    const lines = [
      '{"account_id":"j1","subscription_id":"js1","start_date":"2026-01-01","amount":12.5,"trial":true}',
      "",
      '{"account_id":"j2","subscription_id":"js2","start_date":"2026-01-01","amount":7,"interval":"annual"}',
    ].join("\n");
    const good = await run(w, "subscriptions", lines, { fileName: "subs.jsonl" });
    expect(good).toMatchObject({ format: "json", inserted: 2, errors: [] });
    const subs = await t.storage.subscriptions.list(w);
    expect(subs.map((s) => [s.id, s.trial, s.interval])).toEqual([
      ["js1", true, "month"],
      ["js2", false, "year"],
    ]);
    const badLine = await run(w, "subscriptions", '{"account_id":"x"}\nnot json\n', { fileName: "x.jsonl" });
    expect(badLine.errors.map((e) => [e.row, e.reason])).toEqual([
      [1, "subscription_id is required"],
      [1, "start_date is required"],
      [1, "amount is required"],
      [2, "not valid JSON"],
    ]);
  });

  it("should import accounts with tags, stages and custom fields", async () => {
    const w = nextWorkspace();
    const csv =
      "id,name,lifecycle_stage,acquisition_channel,tags,seats_purchased,nps_comment\nacc1,Acme,Onboarding,paid,a;b|c,12,great\nacc2,Beta,nope,,,,\n";
    const summary = await run(w, "accounts", csv, { fileName: "accounts.csv" });
    expect(summary.errors).toMatchObject([{ row: 3, column: "lifecycle_stage", value: "nope" }]);
    const fixed = csv.replace("nope", "adoption");
    expect(await run(w, "accounts", fixed)).toMatchObject({ inserted: 2, written: true });
    expect(await t.storage.accounts.get(w, "acc1")).toMatchObject({
      name: "Acme",
      lifecycleStage: "onboarding",
      channel: "paid",
      tags: ["a", "b", "c"],
      customFields: { seats_purchased: 12, nps_comment: "great" },
    });
    expect((await t.storage.stageHistory.list(w, "acc2")).map((h) => h.stage)).toEqual(["adoption"]);
  });

  it("should import contacts, products, plans, spend and exchange rates", async () => {
    const w = nextWorkspace();
    const contacts = await run(
      w,
      "contacts",
      "contact_id,account_id,name,email,role\nc1,acc9,Jo,jo@example.com,Decision Maker\nc2,acc9,Al,not-an-email,ceo\n",
    );
    expect(contacts.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "email"],
      [3, "role"],
    ]);
    const okContacts = await run(
      w,
      "contacts",
      "contact_id,account_id,name,role\nc1,acc9,Jo,decision maker\n",
    );
    expect(okContacts).toMatchObject({ inserted: 1, createdAccounts: ["acc9"] });
    expect((await t.storage.contacts.listByAccount(w, "acc9"))[0]?.role).toBe("decision_maker");

    expect(await run(w, "products", "product_id,name\np1,Core\n")).toMatchObject({ inserted: 1 });
    expect(
      await run(w, "plans", "plan_id,product_id,name,interval,amount,currency\npl1,p1,Pro,yearly,1200,eur\n"),
    ).toMatchObject({ inserted: 1 });
    expect(await t.storage.plans.list(w)).toEqual([
      { id: "pl1", productId: "p1", name: "Pro", interval: "year", amount: 1200, currency: "EUR" },
    ]);
    const spend = await run(w, "spend", "month,channel,amount\n2026-01,paid,100\n2026-13,seo,5\n");
    expect(spend.errors).toMatchObject([{ row: 3, column: "month" }]);
    expect(await run(w, "spend", "month,channel,amount\n2026-01,paid,100\n")).toMatchObject({ inserted: 1 });
    expect(await t.storage.spend.list(w)).toEqual([
      { month: "2026-01", channel: "paid", amount: 100, currency: "USD" },
    ]);
    const rates = await run(
      w,
      "exchange-rates",
      "date,currency,rate\n2026-01-01,EUR,1.08\n2026-01-01,GBP,0\n",
    );
    expect(rates.errors).toMatchObject([{ row: 3, column: "rate", reason: "a rate must be > 0" }]);
    expect(await run(w, "exchange-rates", "date,currency,rate\n2026-01-01,EUR,1.08\n")).toMatchObject({
      inserted: 1,
    });
  });

  it("should import the dbt MRR playbook seed as is when given its subscription_periods.csv", async () => {
    const w = nextWorkspace();
    const seed = new URL(
      "../../../../../shared/datasets/mrr-playbook/subscription_periods.csv",
      import.meta.url,
    );
    const summary = await importFile(t.storage, {
      workspaceId: w,
      kind: "subscriptions",
      path: seed.pathname,
    });
    expect(summary).toMatchObject({ rowsRead: 121, inserted: 121, errors: [], written: true });
    expect(summary.createdAccounts).toHaveLength(55);
    const first = (await t.storage.subscriptions.list(w)).find((s) => s.id === "1");
    expect(first).toMatchObject({ accountId: "1", amount: 50, interval: "month", currency: "USD" });
  });

  it("should pick the format from the extension and sniff it otherwise when importing a file", async () => {
    const w = nextWorkspace();
    const jsonPath = path.join(dir, `subs-${dialect}.data`);
    await writeFile(
      jsonPath,
      JSON.stringify([{ account_id: "f", subscription_id: "f1", start_date: "2026-01-01", amount: 1 }]),
    );
    const summary = await importFile(t.storage, { workspaceId: w, kind: "subscriptions", path: jsonPath });
    expect(summary).toMatchObject({ file: `subs-${dialect}.data`, format: "json", inserted: 1 });
    const csvPath = path.join(dir, `subs-${dialect}.csv`);
    await writeFile(csvPath, `${HEADER}\nf,f2,p,2026-01-01,,1,USD,month,1,0\n`);
    const csv = await importFile(t.storage, { workspaceId: w, kind: "subscriptions", path: csvPath });
    expect(csv).toMatchObject({ format: "csv", inserted: 1 });
  });
});
