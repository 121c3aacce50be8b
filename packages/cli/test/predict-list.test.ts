import { seedPlantedChurn, trainAndBacktest } from "@tenure/services";
import { openStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

const s = scratch();
const AS_OF = "2025-12-31";

interface Row {
  id: string;
  name: string;
  status: string;
  arr: number;
  churnProbability: number | null;
  expansionPropensity: number | null;
  daysSinceLastActivity: number | null;
  activeUsers28d: number | null;
  healthScore: number | null;
  reasons: { key: string; params: Record<string, unknown>; text: string; effect: string }[];
}

beforeAll(async () => {
  const storage = await openStorage({ sqliteFile: s.db });
  await seedPlantedChurn(storage, "default", { accounts: 60, asOf: AS_OF });
  await trainAndBacktest(storage, "default", { asOf: AS_OF, target: "churn", reportingCurrency: "USD" });
  await storage.close();
}, 120_000);
afterAll(() => s.cleanup());

describe("tenure predict list", () => {
  it("should print every account with its churn probability, facts and readable reasons when --json is given", async () => {
    const r = await tenure("--db", s.db, "predict", "list", "--as-of", AS_OF, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { asOf: string; accounts: Row[] };
    expect(out.asOf).toBe(AS_OF);
    expect(out.accounts).toHaveLength(60);
    for (const a of out.accounts)
      expect(Object.keys(a).sort()).toEqual(
        [
          "activeUsers28d",
          "arr",
          "churnProbability",
          "daysSinceLastActivity",
          "expansionPropensity",
          "healthScore",
          "id",
          "name",
          "reasons",
          "status",
        ].sort(),
      );
    const paying = out.accounts.filter((a) => a.status === "paying");
    const churned = out.accounts.filter((a) => a.status === "churned");
    // One in three planted accounts churns before the end (seedPlantedChurn); the rest pay.
    expect(paying).toHaveLength(40);
    expect(churned).toHaveLength(20);
    expect(churned.every((a) => a.churnProbability === null && a.arr === 0 && a.reasons.length === 0)).toBe(
      true,
    );
    for (const a of paying) {
      expect(a.churnProbability).toBeGreaterThanOrEqual(0);
      expect(a.churnProbability).toBeLessThanOrEqual(1);
      expect(a.arr).toBe(1200 * 5);
      expect(a.activeUsers28d).toBe(4);
      expect(a.daysSinceLastActivity).toBeGreaterThanOrEqual(1);
      expect(a.reasons.length).toBeGreaterThan(0);
      for (const reason of a.reasons) {
        expect(reason.text).not.toMatch(/—|undefined|\{\{/);
        expect(["raises", "lowers"]).toContain(reason.effect);
      }
    }
    // Highest churn probability first, the unscored after.
    const probs = out.accounts.map((a) => a.churnProbability ?? -1);
    expect(probs).toEqual([...probs].sort((x, y) => y - x));
  });

  it("should print one line per account when --json is not given", async () => {
    const r = await tenure("--db", s.db, "predict", "list", "--as-of", AS_OF);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Churn probability (90 days) as of 2025-12-31, 60 accounts:");
    expect(r.stdout.trim().split("\n")).toHaveLength(61);
  });

  it("should exit with a message naming --as-of when the date is malformed", async () => {
    const r = await tenure("--db", s.db, "predict", "list", "--as-of", "December");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("--as-of");
  });
});
