import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountListWrite } from "./repositories/account-list-row-repository";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

/** A stored list row with only what the segment filter looks at set. */
function row(id: string, segmentKeys: string[]): AccountListWrite {
  return {
    id,
    name: `Account ${id}`,
    tier: null,
    segment: null,
    industry: null,
    region: null,
    owner: null,
    lifecycleStage: null,
    mrr: 0,
    arr: 0,
    renewalDate: null,
    score: null,
    band: "green",
    trend: "flat",
    openSignals: 0,
    riskSignals: 0,
    opportunitySignals: 0,
    lastActivityAt: null,
    churnProbability: null,
    churned: null,
    segmentKeys,
  };
}

describe.each(testDialects())("accounts list segment keys on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const ids = async (ws: string, segmentKey: string, fewMatches?: number) =>
    (
      await t.storage.accountListRows.page(ws, {
        segmentKey,
        sort: "name",
        order: "asc",
        limit: 50,
        ...(fewMatches === undefined ? {} : { fewMatches }),
      })
    ).rows.map((r) => r.id);

  it("should find rows by any key, however long, in both plans, and follow each rewrite and delete", async () => {
    const long = `note=${"x".repeat(5_000)}`;
    await t.storage.accountListRows.replace("w", { ids: ["a", "b", "c"] }, [
      row("a", ["industry=gold", long]),
      row("b", ["industry=gold"]),
      row("c", ["industry=silver"]),
    ]);
    await t.storage.accountListRows.replace("other", { ids: ["a"] }, [row("a", ["industry=gold"])]);
    for (const few of [undefined, 0]) {
      expect(await ids("w", "industry=gold", few)).toEqual(["a", "b"]);
      expect(await ids("w", long, few)).toEqual(["a"]);
      expect(await ids("w", "industry=bronze", few)).toEqual([]);
    }
    const gold = await t.storage.accountListRows.page("w", {
      segmentKey: "industry=gold",
      sort: "arr",
      order: "desc",
      limit: 1,
    });
    expect(gold.total).toBe(2);

    // A row rewritten with other keys leaves its old ones; a deleted row takes its keys along.
    await t.storage.accountListRows.replace("w", { ids: ["a"] }, [row("a", ["industry=silver"])]);
    expect(await ids("w", "industry=gold")).toEqual(["b"]);
    expect(await ids("w", long)).toEqual([]);
    expect(await ids("w", "industry=silver")).toEqual(["a", "c"]);
    await t.storage.accountListRows.deleteOutside("w", "b", "b");
    expect(await ids("w", "industry=silver")).toEqual([]);
    expect(await ids("w", "industry=gold")).toEqual(["b"]);
    expect(await ids("other", "industry=gold")).toEqual(["a"]);
  });

  it("should page a band of a workspace with many tiers (more lanes than it reads) exactly", async () => {
    const n = 20;
    const rows = Array.from({ length: n }, (_, i) => ({
      ...row(`m${String(i).padStart(2, "0")}`, []),
      tier: `Tier ${i}`,
      arr: i * 100,
      band: i % 2 === 0 ? "green" : "red",
    }));
    await t.storage.accountListRows.replace("many", { ids: rows.map((r) => r.id) }, rows);
    const page = (q: { band?: string; tier?: string }) =>
      t.storage.accountListRows.page("many", { ...q, sort: "arr", order: "desc", limit: 3 });
    // 20 tiers and none: 21 lanes for a band, past the most a page reads in lanes.
    const green = await page({ band: "green" });
    expect(green.total).toBe(10);
    expect(green.rows.map((r) => r.id)).toEqual(["m18", "m16", "m14"]);
    expect(green.more).toBe(true);
    // One tier: its four bands' lanes.
    const one = await page({ tier: "TIER 7" });
    expect(one.rows.map((r) => r.id)).toEqual(["m07"]);
    expect(one.total).toBe(1);
  });
});
