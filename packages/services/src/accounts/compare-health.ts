import { type AccountScore, compareSegments, type SegmentHealth } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { readBreakdowns } from "../health/stored-breakdown";

/** The active scorecard's results side by side per value of an account attribute (latest scored day). */
export async function compareHealth(
  storage: Storage,
  ws: string,
  attribute: string,
  asOf: string,
): Promise<{ attribute: string; date: string | null; segments: SegmentHealth[] }> {
  const date = await storage.healthScores.latestDate(ws, asOf);
  const [accounts, records] = await Promise.all([
    storage.accounts.list(ws),
    date === null ? Promise.resolve([]) : storage.healthScores.onDate(ws, date),
  ]);
  const breakdowns = await readBreakdowns(
    storage,
    ws,
    records.map((r) => r.breakdown),
  );
  const byId = new Map(records.map((r, i) => [r.accountId, breakdowns[i]?.score]));
  const scored = accounts.map((account) => {
    const score: AccountScore = byId.get(account.id) ?? {
      score: null,
      band: "none",
      profileId: "",
      dimensions: [],
    };
    return { account, score };
  });
  return { attribute, date, segments: compareSegments(scored, attribute) };
}
