import {
  type AccountScore,
  type HealthBand,
  type PackedScore,
  parseScorecard,
  type Scorecard,
  type ScoreTrend,
  unpackScore,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";

/**
 * The breakdown stored with each daily score: the packed score (numbers only), the version of the
 * scorecard it was scored with (kept in scorecard_versions), the metric inputs and the trend.
 */
export interface StoredBreakdown extends PackedScore {
  v: 2;
  card: string;
  metrics: Record<string, number | null>;
  trend: ScoreTrend;
}

/** A stored breakdown read back whole: the scorer's result with labels and weights, inputs and trend. */
export interface ReadBreakdown {
  score: AccountScore;
  metrics: Record<string, number | null>;
  trend: ScoreTrend;
}

/** Scores stored before version 2 carry the full scorer result. */
type LegacyBreakdown = AccountScore & { metrics?: Record<string, number | null>; trend?: ScoreTrend };

/**
 * Parsed scorecards by version. A version is a fingerprint of the content, so an entry never goes
 * stale; the account page then reads one short row and parses nothing per request.
 */
const parsedVersions = new Map<string, Scorecard | null>();
const MAX_PARSED = 64;

const isPacked = (b: unknown): b is StoredBreakdown =>
  typeof b === "object" && b !== null && (b as { v?: unknown }).v === 2;

/**
 * Full breakdowns of stored ones, in order, reading each scorecard version they name once. A version
 * that is missing or no longer validates gives the score and band without dimensions.
 */
export async function readBreakdowns(
  storage: Storage,
  ws: string,
  stored: readonly unknown[],
): Promise<ReadBreakdown[]> {
  const wanted = new Set<string>();
  for (const b of stored) if (isPacked(b)) wanted.add(b.card);
  const cards = new Map<string, Scorecard | null>();
  const missing: string[] = [];
  for (const version of wanted) {
    const known = parsedVersions.get(version);
    if (known === undefined) missing.push(version);
    else cards.set(version, known);
  }
  for (const [version, json] of await storage.scorecards.versions(ws, missing)) {
    let card: Scorecard | null;
    try {
      card = parseScorecard(json);
    } catch {
      card = null;
    }
    cards.set(version, card);
    if (parsedVersions.size >= MAX_PARSED) parsedVersions.clear();
    parsedVersions.set(version, card);
  }
  return stored.map((b) => {
    if (isPacked(b)) {
      const card = cards.get(b.card) ?? null;
      const score =
        card === null
          ? { score: b.score, band: b.band, profileId: b.profileId, dimensions: [] }
          : unpackScore(b, card);
      return { score, metrics: b.metrics ?? {}, trend: b.trend ?? "same" };
    }
    const legacy = (b ?? {}) as Partial<LegacyBreakdown>;
    return {
      score: {
        score: legacy.score ?? null,
        band: (legacy.band ?? "none") as HealthBand,
        profileId: legacy.profileId ?? "",
        dimensions: legacy.dimensions ?? [],
      },
      metrics: legacy.metrics ?? {},
      trend: legacy.trend ?? "same",
    };
  });
}
