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
});
