import { openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importData } from "./import-data";
import type { ImportPhase } from "./types";

const ROWS = 150_000;
const BAD_INDEX = 123_456;

/** ~10 MB of subscriptions with one negative amount at data row BAD_INDEX. */
function bigCsv(): string {
  const lines = [
    "account_id,subscription_id,plan,start_date,end_date,amount,currency,interval,quantity,discount_pct",
  ];
  for (let i = 0; i < ROWS; i++) {
    const amount = i === BAD_INDEX ? "-12.50" : `${(i % 500) + 0.99}`;
    lines.push(
      `account-${i % 20_000},subscription-${i},plan-${i % 7},2025-${String((i % 12) + 1).padStart(2, "0")}-01,2026-12-31,${amount},USD,month,${(i % 5) + 1},${i % 20}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

describe("large subscription file on sqlite", () => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage("sqlite");
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should write nothing and point at the one bad row when a 10 MB file has one bad row", async () => {
    const csv = bigCsv();
    expect(csv.length).toBeGreaterThan(10_000_000);
    const calls: Array<[number, number, ImportPhase]> = [];
    const summary = await importData(t.storage, {
      workspaceId: "big",
      kind: "subscriptions",
      fileName: "big.csv",
      content: Buffer.from(csv),
      onProgress: (done, total, phase) => calls.push([done, total, phase]),
    });
    expect(summary.rowsRead).toBe(ROWS);
    expect(summary.written).toBe(false);
    // Line number: header is line 1, data row i is line i + 2.
    expect(summary.errors).toEqual([
      {
        file: "big.csv",
        row: BAD_INDEX + 2,
        column: "amount",
        value: "-12.50",
        reason: "amount must be ≥ 0",
      },
    ]);
    expect(await t.storage.subscriptions.list("big")).toEqual([]);
    expect(await t.storage.accounts.count("big")).toBe(0);
    const reads = calls.filter((c) => c[2] === "read");
    expect(reads.length).toBeGreaterThanOrEqual(ROWS / 1000);
    expect(reads.at(-1)).toEqual([ROWS, ROWS, "read"]);

    // The same file without the bad row imports fully, reporting progress while writing.
    const fixed = csv.replace("-12.50", "12.50");
    const writes: number[] = [];
    const ok = await importData(t.storage, {
      workspaceId: "big",
      kind: "subscriptions",
      fileName: "big.csv",
      content: Buffer.from(fixed),
      onProgress: (done, _total, phase) => phase === "write" && writes.push(done),
    });
    expect(ok).toMatchObject({ written: true, inserted: ROWS, errors: [] });
    expect(ok.createdAccounts).toHaveLength(20_000);
    expect(writes.length).toBeGreaterThanOrEqual(ROWS / 1000);
    expect(await t.storage.accounts.count("big")).toBe(20_000);
    // Two 10 MB imports: a minute on a quiet machine, several on a busy one.
  }, 300_000);
});
