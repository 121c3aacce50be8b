import { DEFAULT_SCORECARD, parseScorecard, type Scorecard } from "@tenure/core";
import type { Storage } from "@tenure/storage";

/** The workspace's active scorecard: the stored one, else DEFAULT_SCORECARD. */
export async function activeScorecard(storage: Storage, ws: string): Promise<Scorecard> {
  const stored = await storage.scorecards.get(ws);
  if (stored === null) return DEFAULT_SCORECARD;
  try {
    return parseScorecard(stored.json);
  } catch {
    // A scorecard that no longer validates (older format) must not stop scoring.
    return DEFAULT_SCORECARD;
  }
}

/** Validates (parseScorecard: 400 naming the path) and stores the active scorecard. */
export async function saveScorecard(storage: Storage, ws: string, json: unknown): Promise<Scorecard> {
  const scorecard = parseScorecard(json);
  await storage.scorecards.put(ws, scorecard.id, scorecard);
  return scorecard;
}
