import type { Account, Subscription } from "@tenure/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const account = (id: string, overrides: Partial<Account> = {}): Account => ({
  id,
  name: `Account ${id}`,
  crmId: null,
  billingId: null,
  tier: null,
  segment: null,
  industry: null,
  region: null,
  owner: null,
  lifecycleStage: null,
  channel: null,
  utmSource: null,
  utmMedium: null,
  utmCampaign: null,
  tags: [],
  customFields: {},
  ...overrides,
});

const subscription = (
  id: string,
  accountId: string,
  overrides: Partial<Subscription> = {},
): Subscription => ({
  id,
  accountId,
  plan: "pro",
  startDate: "2026-01-01",
  endDate: null,
  amount: 99.95,
  currency: "USD",
  interval: "month",
  quantity: 1,
  discountPct: 0,
  trial: false,
  ...overrides,
});

describe.each(testDialects())("storage on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should round-trip accounts with exact types when upserted and listed", async () => {
    const full = account("acc-types", {
      crmId: "crm-1",
      billingId: "cus_1",
      tier: "gold",
      segment: "smb",
      industry: "retail",
      region: "emea",
      owner: "ana",
      lifecycleStage: "adoption",
      channel: "paid",
      utmSource: "google",
      utmMedium: "cpc",
      utmCampaign: "spring",
      tags: ["a", "b"],
      customFields: { score: 4.5, vip: true, note: "x", empty: null },
    });
    await t.storage.accounts.upsertMany("ws-types", [full, account("acc-bare")]);
    expect(await t.storage.accounts.get("ws-types", "acc-types")).toEqual(full);
    expect(await t.storage.accounts.list("ws-types")).toEqual([account("acc-bare"), full]);
    expect(await t.storage.accounts.count("ws-types")).toBe(2);
    expect(await t.storage.accounts.get("ws-types", "missing")).toBeNull();
  });

  it("should round-trip every other table with exact types when upserted and listed", async () => {
    const s = t.storage;
    const ws = "ws-roundtrip";
    await s.accounts.upsertMany(ws, [account("a1")]);
    const contact = {
      id: "c1",
      accountId: "a1",
      name: "Jo",
      email: "jo@example.com",
      role: "champion" as const,
      title: null,
      lastTouchAt: "2026-03-01",
      leftAt: null,
    };
    await s.contacts.upsertMany(ws, [contact]);
    expect(await s.contacts.list(ws)).toEqual([contact]);
    expect(await s.contacts.listByAccount(ws, "a1")).toEqual([contact]);
    expect(await s.contacts.listByAccount(ws, "a2")).toEqual([]);

    await s.products.upsertMany(ws, [{ id: "p1", name: "Product" }]);
    expect(await s.products.list(ws)).toEqual([{ id: "p1", name: "Product" }]);

    const plans = [
      { id: "pl1", productId: "p1", name: "Pro", interval: "year" as const, amount: 1200.5, currency: "EUR" },
      { id: "pl2", productId: "p1", name: "Free", interval: null, amount: null, currency: null },
    ];
    await s.plans.upsertMany(ws, plans);
    expect(await s.plans.list(ws)).toEqual(plans);

    const subs = [
      subscription("s1", "a1", { trial: true, endDate: "2026-06-01", quantity: 3, discountPct: 12.5 }),
      subscription("s2", "a1", { amount: 0.1 + 0.2 }),
    ];
    await s.subscriptions.upsertMany(ws, subs);
    const listed = await s.subscriptions.list(ws);
    expect(listed).toEqual(subs);
    expect(typeof listed[0]?.trial).toBe("boolean");
    expect(typeof listed[0]?.amount).toBe("number");

    const rates = [
      { date: "2026-01-01", currency: "EUR", rate: 1.0834 },
      { date: "2026-02-01", currency: "EUR", rate: 1.0912 },
    ];
    await s.exchangeRates.upsertMany(ws, rates);
    expect(await s.exchangeRates.list(ws)).toEqual(rates);

    const spend = [{ month: "2026-01", channel: "paid", amount: 5000.25, currency: "USD" }];
    await s.spend.upsertMany(ws, spend);
    expect(await s.spend.list(ws)).toEqual(spend);
  });

  it("should count inserted, updated and unchanged rows when upserting again", async () => {
    const ws = "ws-counts";
    await t.storage.accounts.upsertMany(ws, [account("x"), account("y")]);
    const subs = [subscription("s1", "x"), subscription("s2", "y")];
    expect(await t.storage.subscriptions.upsertMany(ws, subs)).toEqual({
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(await t.storage.subscriptions.upsertMany(ws, subs)).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
    const changed = [subscription("s1", "x", { amount: 120 }), subs[1]!, subscription("s3", "x")];
    expect(await t.storage.subscriptions.upsertMany(ws, changed)).toEqual({
      inserted: 1,
      updated: 1,
      unchanged: 1,
    });
    expect(
      await t.storage.accounts.upsertMany(ws, [account("x", { customFields: { b: 1, a: 2 } }), account("y")]),
    ).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    // Key order in JSON must not count as a change.
    expect(await t.storage.accounts.upsertMany(ws, [account("x", { customFields: { a: 2, b: 1 } })])).toEqual(
      {
        inserted: 0,
        updated: 0,
        unchanged: 1,
      },
    );
    const rates = [{ date: "2026-01-01", currency: "GBP", rate: 1.27 }];
    expect(await t.storage.exchangeRates.upsertMany(ws, rates)).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
    });
    expect(await t.storage.exchangeRates.upsertMany(ws, rates)).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1,
    });
  });

  it("should write the old row to subscription history when a subscription changes", async () => {
    const ws = "ws-history";
    await t.storage.accounts.upsertMany(ws, [account("a")]);
    const original = subscription("s", "a", { amount: 10 });
    await t.storage.subscriptions.upsertMany(ws, [original]);
    await t.storage.subscriptions.upsertMany(ws, [original]);
    expect(await t.storage.subscriptions.history(ws, "s")).toEqual([]);
    await t.storage.subscriptions.upsertMany(ws, [subscription("s", "a", { amount: 20 })]);
    await t.storage.subscriptions.upsertMany(ws, [subscription("s", "a", { amount: 30, trial: true })]);
    const history = await t.storage.subscriptions.history(ws, "s");
    expect(history.map((h) => h.previous)).toEqual([original, subscription("s", "a", { amount: 20 })]);
  });

  it("should append stage history when the lifecycle stage is set or changes", async () => {
    const ws = "ws-stage";
    await t.storage.accounts.upsertMany(ws, [account("a", { lifecycleStage: "onboarding" }), account("b")]);
    await t.storage.accounts.upsertMany(ws, [
      account("a", { lifecycleStage: "onboarding", name: "renamed" }),
    ]);
    await t.storage.accounts.upsertMany(ws, [account("a", { lifecycleStage: "adoption" })]);
    const history = await t.storage.stageHistory.list(ws, "a");
    expect(history.map((h) => [h.stage, h.source])).toEqual([
      ["onboarding", "import"],
      ["adoption", "import"],
    ]);
    expect(await t.storage.stageHistory.list(ws, "b")).toEqual([]);
  });

  it("should create only missing accounts when ensuring minimal accounts", async () => {
    const ws = "ws-minimal";
    await t.storage.accounts.upsertMany(ws, [account("known")]);
    const created = await t.storage.accounts.ensureMinimal(ws, ["known", "new-1", "new-2", "new-1"]);
    expect(created).toEqual(["new-1", "new-2"]);
    expect((await t.storage.accounts.get(ws, "new-1"))?.name).toBe("new-1");
    expect((await t.storage.accounts.get(ws, "known"))?.name).toBe("Account known");
    expect(await t.storage.accounts.ensureMinimal(ws, ["new-1"])).toEqual([]);
  });

  it("should keep workspaces apart when two workspaces use the same ids", async () => {
    const s = t.storage;
    await s.accounts.upsertMany("iso-1", [account("same", { name: "one" })]);
    await s.accounts.upsertMany("iso-2", [account("same", { name: "two" })]);
    await s.subscriptions.upsertMany("iso-1", [subscription("sub", "same", { amount: 1 })]);
    await s.subscriptions.upsertMany("iso-2", [subscription("sub", "same", { amount: 2 })]);
    await s.contacts.upsertMany("iso-1", [
      {
        id: "c",
        accountId: "same",
        name: "c1",
        email: null,
        role: null,
        title: null,
        lastTouchAt: null,
        leftAt: null,
      },
    ]);
    await s.spend.upsertMany("iso-2", [{ month: "2026-01", channel: "seo", amount: 3, currency: "USD" }]);
    expect((await s.accounts.list("iso-1")).map((a) => a.name)).toEqual(["one"]);
    expect((await s.accounts.list("iso-2")).map((a) => a.name)).toEqual(["two"]);
    expect((await s.subscriptions.list("iso-2")).map((x) => x.amount)).toEqual([2]);
    expect(await s.contacts.list("iso-2")).toEqual([]);
    expect(await s.spend.list("iso-1")).toEqual([]);
    expect(await s.subscriptions.history("iso-1", "sub")).toEqual([]);
  });

  it("should create, verify and revoke api keys when managed", async () => {
    const { apiKeys, workspaces } = t.storage;
    const ws = await workspaces.ensure("ws-keys", "Keys");
    expect(ws.name).toBe("Keys");
    expect((await workspaces.ensure("ws-keys", "Other")).name).toBe("Keys");
    const { id, key } = await apiKeys.create("ws-keys", { name: "ci", kind: "write" });
    expect(key).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
    expect(await apiKeys.verify(key)).toEqual({
      workspaceId: "ws-keys",
      kind: "write",
      scope: "tracking",
      name: "ci",
      teamId: null,
      id,
    });
    expect(await apiKeys.verify(`${key}x`)).toBeNull();
    const [info] = await apiKeys.list("ws-keys");
    expect(info).toMatchObject({ id, name: "ci", kind: "write", prefix: key.slice(0, 10), revokedAt: null });
    expect(info?.lastUsedAt).not.toBeNull();
    // Used again within the minute: no new write (reads must not queue for the write lock).
    await new Promise((r) => setTimeout(r, 5));
    expect(await apiKeys.verify(key)).not.toBeNull();
    expect((await apiKeys.list("ws-keys"))[0]?.lastUsedAt).toBe(info?.lastUsedAt);
    expect(JSON.stringify(info)).not.toContain(key);
    expect(await apiKeys.revoke("other-ws", id)).toBe(false);
    expect(await apiKeys.revoke("ws-keys", id)).toBe(true);
    expect(await apiKeys.verify(key)).toBeNull();
    expect(await apiKeys.list("other-ws")).toEqual([]);
  });

  it("should leave nothing behind when a transaction throws", async () => {
    const ws = "ws-rollback";
    await expect(
      t.storage.transaction(async (tx) => {
        await tx.accounts.upsertMany(ws, [account("r1")]);
        await tx.subscriptions.upsertMany(ws, [subscription("rs", "r1")]);
        expect(await tx.accounts.count(ws)).toBe(1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await t.storage.accounts.count(ws)).toBe(0);
    expect(await t.storage.subscriptions.list(ws)).toEqual([]);
    const committed = await t.storage.transaction(async (tx) => {
      await tx.accounts.upsertMany(ws, [account("r2")]);
      return tx.accounts.count(ws);
    });
    expect(committed).toBe(1);
  });

  it("should read the same subscriptions and names through the lean read paths", async () => {
    const ws = "ws-lean";
    await t.storage.accounts.upsertMany(ws, [account("lean-a", { name: "Lean A" }), account("lean-b")]);
    await t.storage.subscriptions.upsertMany(ws, [
      subscription("lean-2", "lean-b", {
        trial: true,
        endDate: "2026-02-01",
        interval: "year",
        discountPct: 12.5,
      }),
      subscription("lean-1", "lean-a", { quantity: 3 }),
    ]);
    const byId = (a: Subscription, b: Subscription) => a.id.localeCompare(b.id);
    expect((await t.storage.subscriptions.listUnordered(ws)).sort(byId)).toEqual(
      await t.storage.subscriptions.list(ws),
    );
    expect(await t.storage.accounts.names(ws)).toEqual(
      new Map([
        ["lean-a", "Lean A"],
        ["lean-b", "Account lean-b"],
      ]),
    );
  });

  it("should read only the asked accounts by id, equal to the whole list's records, and skip unknown ids", async () => {
    const ws = "ws-by-ids";
    await t.storage.accounts.upsertMany(ws, [
      account("b-1", { tags: ["x"] }),
      account("b-2"),
      account("b-3", { name: "Three" }),
    ]);
    const all = await t.storage.accounts.list(ws);
    const picked = await t.storage.accounts.byIds(ws, ["b-3", "nope", "b-1", "b-3"]);
    expect(picked).toEqual(all.filter((a) => a.id === "b-1" || a.id === "b-3"));
    expect(await t.storage.accounts.byIds(ws, [])).toEqual([]);
    expect(await t.storage.accounts.byIds("other-ws", ["b-1"])).toEqual([]);
  });

  it("should refuse a subscription whose account does not exist", async () => {
    await expect(
      t.storage.subscriptions.upsertMany("ws-fk", [subscription("s", "nobody")]),
    ).rejects.toThrow();
    expect(await t.storage.subscriptions.list("ws-fk")).toEqual([]);
  });

  it("should upsert many subscriptions in chunks when given more rows than one statement allows", async () => {
    const ws = "ws-bulk";
    const n = 20_000;
    await t.storage.accounts.ensureMinimal(ws, ["bulk"]);
    const rows = Array.from({ length: n }, (_, i) => subscription(`s${i}`, "bulk", { amount: i }));
    const progress: number[] = [];
    const result = await t.storage.subscriptions.upsertMany(ws, rows, {
      onProgress: (done) => progress.push(done),
    });
    expect(result).toEqual({ inserted: n, updated: 0, unchanged: 0 });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(n);
    expect((await t.storage.subscriptions.list(ws)).length).toBe(n);
  });
});
