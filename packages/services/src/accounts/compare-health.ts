import { type AccountScore, compareSegments, type SegmentHealth } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import type { StoredBreakdown } from "../health/recompute-health";

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
  const byId = new Map(records.map((r) => [r.accountId, r.breakdown as StoredBreakdown]));
  const scored = accounts.map((account) => {
    const b = byId.get(account.id);
    const score: AccountScore = b
      ? { score: b.score, band: b.band, profileId: b.profileId, dimensions: b.dimensions }
      : { score: null, band: "none", profileId: "", dimensions: [] };
    return { account, score };
  });
  return { attribute, date, segments: compareSegments(scored, attribute) };
}
