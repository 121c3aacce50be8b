import {
  DEFAULT_SCORECARD,
  diffScorecards,
  parseScorecard,
  type Scorecard,
  type ScorecardChange,
  scorecardChanged,
} from "@tenure/core";
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

/** What a save did: the stored scorecard (with its new version), the version it replaced, and the changes. */
export interface SavedScorecard {
  scorecard: Scorecard;
  previousVersion: number;
  changes: ScorecardChange[];
}

/**
 * Validates (parseScorecard: 400 naming the path) and stores the active scorecard. The version is the
 * server's: one more than the active one whenever anything but the version changed, so an editor that
 * sends back the version it loaded still gets a new one; an unchanged save keeps the version.
 */
export async function saveScorecard(storage: Storage, ws: string, json: unknown): Promise<SavedScorecard> {
  const proposed = parseScorecard(json);
  const current = await activeScorecard(storage, ws);
  const changed = scorecardChanged(current, proposed);
  const scorecard: Scorecard = {
    ...proposed,
    version: changed ? Math.max(current.version, proposed.version) + 1 : current.version,
  };
  await storage.scorecards.put(ws, scorecard.id, scorecard);
  return { scorecard, previousVersion: current.version, changes: diffScorecards(current, scorecard) };
}
