import { openStorage, openTestStorage, type Storage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { addDays } from "../health/days";
import { recomputeHealth } from "../health/recompute-health";
import { importData } from "../import/import-data";
import { trainAndBacktest } from "../predictions/predictions-service";
import { changeSignalStatus } from "../signals/signal-service";
import { setAccountStage } from "./account-activity";
import {
  accountListPage,
  backfillAccountLists,
  segmentFilterKey,
  segmentKeys,
  storedWorklist,
} from "./account-list-store";
import {
  ACCOUNT_SORTS,
  type AccountListQuery,
  type AccountListRow,
  loadAccountRows,
  queryAccountRows,
  worklistRows,
} from "./account-rows";

const WS = "demo";
const AS_OF = "2026-11-15";
const NEXT = addDays(AS_OF, 1);
const USD = { reportingCurrency: "USD" };

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The stored rows and a fresh build of every row at the day the list was built for. */
async function storedAndFresh(s: Storage): Promise<{ stored: AccountListRow[]; fresh: AccountListRow[] }> {
  const state = await s.accountListRows.state(WS);
  expect(state).not.toBeNull();
  const asOf = state?.asOf ?? AS_OF;
  const fresh = (await loadAccountRows(s, WS, { asOf, ...USD })).rows.sort(byId);
  const stored = (await s.accountListRows.all(WS)) as AccountListRow[];
  return { stored: stored.sort(byId), fresh };
}

async function expectStoredEqualsFresh(s: Storage): Promise<AccountListRow[]> {
  const { stored, fresh } = await storedAndFresh(s);
  expect(fresh.length).toBeGreaterThan(0);
  expect(stored).toEqual(fresh);
  return fresh;
}

describe.each(testDialects())("stored accounts list (%s)", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedDemo(t.storage, { workspaceId: WS, accounts: 60, asOf: AS_OF, seed: 5 });
  }, 240_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should store nothing before the backfill, then every row the builder makes for that day", async () => {
    expect(await t.storage.accountListRows.state(WS)).toBeNull();
    expect(await t.storage.accountListRows.all(WS)).toEqual([]);
    await backfillAccountLists(t.storage, { asOf: AS_OF, ...USD });
    expect(await t.storage.accountListRows.state(WS)).toMatchObject({
      asOf: AS_OF,
      reportingCurrency: "USD",
    });
    const rows = await expectStoredEqualsFresh(t.storage);
    expect(rows).toHaveLength(60);
  }, 120_000);

  it("should equal a fresh build after a recompute of the next day, imports, training and edits", async () => {
    const s = t.storage;
    await recomputeHealth(s, WS, { asOf: NEXT, ...USD });
    expect((await s.accountListRows.state(WS))?.asOf).toBe(NEXT);
    const before = await expectStoredEqualsFresh(s);

    // Import: a renamed account with a new owner, and a new subscription on a churned account.
    const renamed = before[3] as AccountListRow;
    const churned = before.find((r) => r.churned !== null);
    expect(churned).toBeDefined();
    // Owners name team members once the workspace has them: another member's name.
    const members = await s.team.listMembers(WS);
    const owner = members.find((m) => m.name !== renamed.owner)?.name ?? "Zoë Müller";
    const accountsCsv = `id,name,owner,tier\n${renamed.id},Renamed Holdings,${owner},Gold\n`;
    const a = await importData(s, {
      workspaceId: WS,
      kind: "accounts",
      fileName: "accounts.csv",
      content: Buffer.from(accountsCsv),
    });
    expect(a.errors).toEqual([]);
    const subsCsv = `account_id,subscription_id,plan,start_date,end_date,amount,currency,interval,quantity,discount_pct\n${churned?.id},back-1,pro,2026-11-01,,250,USD,monthly,1,0\n`;
    const sub = await importData(s, {
      workspaceId: WS,
      kind: "subscriptions",
      fileName: "subs.csv",
      content: Buffer.from(subsCsv),
    });
    expect(sub.errors).toEqual([]);
    const afterImport = await expectStoredEqualsFresh(s);
    expect(afterImport.find((r) => r.id === renamed.id)).toMatchObject({
      name: "Renamed Holdings",
      owner,
    });
    expect(afterImport.find((r) => r.id === churned?.id)?.mrr).toBeGreaterThan(0);

    // The same subscription moved to another account: both accounts' rows change.
    const moved = await importData(s, {
      workspaceId: WS,
      kind: "subscriptions",
      fileName: "subs.csv",
      content: Buffer.from(subsCsv.replace(`\n${churned?.id},back-1`, `\n${renamed.id},back-1`)),
    });
    expect(moved.errors).toEqual([]);
    const afterMove = await expectStoredEqualsFresh(s);
    expect(afterMove.find((r) => r.id === churned?.id)?.mrr).toBe(0);

    // Training stores a churn probability for every paying account.
    await trainAndBacktest(s, WS, { asOf: NEXT, target: "churn", ...USD });
    const trained = await expectStoredEqualsFresh(s);
    expect(trained.some((r) => r.churnProbability !== null)).toBe(true);

    // Edits: a stage set by hand, a signal resolved, a partial recompute.
    await setAccountStage(s, WS, renamed.id, { stage: "expansion", by: null, at: `${NEXT}T10:00:00.000Z` });
    const open = (await s.signals.list(WS, { statuses: ["open"] }))[0];
    expect(open).toBeDefined();
    if (open)
      await changeSignalStatus(s, WS, {
        id: open.id,
        status: "resolved",
        by: "csm",
        at: `${NEXT}T11:00:00Z`,
      });
    await recomputeHealth(s, WS, { asOf: NEXT, ...USD, accountIds: [renamed.id, before[7]?.id ?? ""] });
    const edited = await expectStoredEqualsFresh(s);
    expect(edited.find((r) => r.id === renamed.id)?.lifecycleStage).toBe("expansion");
  }, 600_000);

  it("should keep a newer list's day, with today's stages and signals, when a past day is recomputed", async () => {
    await recomputeHealth(t.storage, WS, { asOf: AS_OF, ...USD });
    expect((await t.storage.accountListRows.state(WS))?.asOf).toBe(NEXT);
    await expectStoredEqualsFresh(t.storage);
  }, 120_000);

  it("should page, filter and sort exactly as the in-memory list does, by offset and by cursor", async () => {
    const s = t.storage;
    const opts = { asOf: NEXT, ...USD };
    const data = await loadAccountRows(s, WS, opts);
    const first = data.rows[0] as AccountListRow;
    const account = data.accounts.get(first.id);
    const industry = account?.industry ?? "none";
    const filters: AccountListQuery[] = [
      {},
      { band: "green" },
      { search: first.name.slice(1, 4).toUpperCase() },
      { owner: (first.owner ?? "nobody").toUpperCase() },
      { tier: first.tier ?? "none" },
      { stage: first.lifecycleStage ?? "none" },
      { segment: `industry=${industry.toUpperCase()}` },
      { segment: "tag=does-not-exist" },
      { segment: "nonsense=1" },
      // Read in lanes (an owner's bands, a tier's bands, a band's tiers), with other filters on top.
      { band: "green", tier: (first.tier ?? "none").toUpperCase() },
      { owner: first.owner ?? "nobody", band: "yellow" },
      { owner: first.owner ?? "nobody", tier: first.tier ?? "none", search: "a" },
      { band: "red", stage: first.lifecycleStage ?? "none" },
      { band: "none", segment: `industry=${industry}` },
      // Segments on a row's own column are that column's filter.
      { segment: `tier=${(first.tier ?? "none").toUpperCase()}` },
      { segment: `owner=${first.owner ?? "nobody"}`, band: "green" },
      { segment: `lifecycleStage=${first.lifecycleStage ?? "none"}` },
      { segment: "tier=" },
      // A segment on the column a filter names too: both hold (one lane states one of them).
      { owner: first.owner ?? "nobody", segment: "owner=nobody-else" },
      { tier: first.tier ?? "none", segment: `tier=${first.tier ?? "none"}`, band: "green" },
    ];
    for (const filter of filters) {
      for (const sort of ACCOUNT_SORTS) {
        for (const order of ["asc", "desc"] as const) {
          const q = { ...filter, sort, order };
          const expected = queryAccountRows(data, { ...q, limit: 1000 });
          const whole = await accountListPage(s, WS, { ...q, limit: 1000 }, opts);
          expect(whole.total, JSON.stringify(q)).toBe(expected.total);
          expect(
            whole.accounts.map((r) => r.id),
            JSON.stringify(q),
          ).toEqual(expected.accounts.map((r) => r.id));
          // Pages of 7 by cursor and by offset walk the same order.
          const byCursor: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await accountListPage(s, WS, { ...q, limit: 7, cursor }, opts);
            expect(page.total).toBe(expected.total);
            byCursor.push(...page.accounts.map((r) => r.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor !== undefined);
          expect(byCursor, JSON.stringify(q)).toEqual(expected.accounts.map((r) => r.id));
          // The plan for many matches (the sort's index walked, filters checked) gives the same rows.
          const segmentKey = q.segment === undefined ? undefined : segmentFilterKey(q.segment);
          if (segmentKey !== null) {
            const walked = await s.accountListRows.page(WS, {
              ...q,
              segmentKey,
              limit: 1000,
              fewMatches: 0,
            });
            expect(walked.rows.map((r) => r.id)).toEqual(expected.accounts.map((r) => r.id));
            // Filter index first (no walk of the sort index), and a walk too short for most pages; in
            // lanes where the filter has them, and without (how deeper offsets are read).
            for (const [walkRows, lanes] of [
              [0, true],
              [0, false],
              [9, false],
            ] as const) {
              const page = await s.accountListRows.page(WS, { ...q, segmentKey, limit: 7, walkRows, lanes });
              expect(
                page.rows.map((r) => r.id),
                `${JSON.stringify(q)} walk ${walkRows} lanes ${lanes}`,
              ).toEqual(expected.accounts.slice(0, 7).map((r) => r.id));
              expect(page.total).toBe(expected.total);
            }
          }
          // Offsets within and beyond the lanes' reach (deeper ones are read in one range).
          for (const offset of [14, 1_001]) {
            const later = await accountListPage(s, WS, { ...q, limit: 7, offset }, opts);
            expect(later.accounts, `${JSON.stringify(q)} offset ${offset}`).toEqual(
              queryAccountRows(data, { ...q, limit: 7, offset }).accounts,
            );
          }
        }
      }
    }
  }, 600_000);

  it("should count a filter's total again after any write to the rows, also one made through another connection", async () => {
    const s = t.storage;
    const opts = { asOf: NEXT, ...USD };
    const rows = await s.accountListRows.all(WS);
    const target = rows.find((r) => r.band !== "red");
    if (target === undefined) throw new Error("the demo has no account outside red");
    const red = async () => (await accountListPage(s, WS, { band: "red", limit: 5 }, opts)).total;
    const before = await red();
    expect(await red()).toBe(before);
    // A band outside the known ones would fall out of owner pages (they name every band): refused.
    await expect(
      s.accountListRows.replace(WS, { ids: [target.id] }, [{ ...target, band: "purple", segmentKeys: [] }]),
    ).rejects.toThrow(/band "purple"/);
    expect(await red()).toBe(before);
    // Another storage on the same database (another server process) turns one account red.
    const other = await openStorage(t.config, { migrate: false });
    try {
      await other.accountListRows.replace(WS, { ids: [target.id] }, [
        { ...target, band: "red", segmentKeys: [] },
      ]);
    } finally {
      await other.close();
    }
    expect(await red()).toBe(before + 1);
    // Segment keys are not read here; the last test rebuilds every row.
    await s.accountListRows.replace(WS, { ids: [target.id] }, [{ ...target, segmentKeys: [] }]);
    expect(await red()).toBe(before);
  }, 120_000);

  it("should list the same worklist from the stored rows as from every account's row", async () => {
    const opts = { asOf: NEXT, ...USD };
    const data = await loadAccountRows(t.storage, WS, opts);
    const all = worklistRows(data);
    expect(all.length).toBeGreaterThan(0);
    expect(all.some((r) => r.reasons.some((m) => m.key.startsWith("predictions.reason.")))).toBe(true);
    expect(await storedWorklist(t.storage, WS, undefined, opts)).toEqual(all);
    const owner = all[0]?.owner ?? "nobody";
    const mine = await storedWorklist(t.storage, WS, owner.toUpperCase(), opts);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine).toEqual(worklistRows(data, owner.toUpperCase()));
  }, 120_000);

  it("should refuse a cursor of another sort, and one it did not make, naming the cursor", async () => {
    const opts = { asOf: NEXT, ...USD };
    const page = await accountListPage(t.storage, WS, { sort: "arr", order: "desc", limit: 5 }, opts);
    expect(page.nextCursor).not.toBeNull();
    await expect(
      accountListPage(t.storage, WS, { sort: "name", limit: 5, cursor: page.nextCursor ?? "" }, opts),
    ).rejects.toThrow(/cursor: it continues the list sorted by arr desc, not name asc/);
    await expect(accountListPage(t.storage, WS, { cursor: "not-a-cursor" }, opts)).rejects.toThrow(
      /^cursor:/,
    );
  });

  it("should rebuild every row when read on another day", async () => {
    const later = addDays(NEXT, 40);
    await accountListPage(t.storage, WS, { limit: 1 }, { asOf: later, ...USD });
    expect((await t.storage.accountListRows.state(WS))?.asOf).toBe(later);
    await expectStoredEqualsFresh(t.storage);
  }, 120_000);
});

describe("segment keys", () => {
  it("should key every attribute with its value lower-cased and custom keys case-insensitively", () => {
    const keys = segmentKeys({
      id: "a1",
      name: "Acme",
      crmId: null,
      billingId: null,
      tier: "Gold",
      segment: null,
      industry: "Retail",
      region: "EMEA",
      owner: "Zoë",
      lifecycleStage: "adoption",
      channel: null,
      utmSource: null,
      utmMedium: null,
      utmCampaign: null,
      tags: ["VIP", "beta"],
      customFields: { Plan: "Pro", seats: 12 },
    });
    expect(keys).toEqual([
      "tier=gold",
      "industry=retail",
      "region=emea",
      "owner=zoë",
      "lifecycleStage=adoption",
      "tag=vip",
      "tag=beta",
      "custom.plan=pro",
      "custom.seats=12",
    ]);
  });
});
