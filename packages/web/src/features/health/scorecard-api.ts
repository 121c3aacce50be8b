import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Scorecard } from "../../api/account-types";
import { apiFetch } from "../../api/client";

export type Band = "red" | "yellow" | "green" | "none";

/** One change between two scorecards (mirrors @tenure/core's ScorecardChange). */
export interface ScorecardChange {
  path: string;
  where: string[];
  property:
    | "name"
    | "redBelow"
    | "yellowBelow"
    | "weight"
    | "scoring"
    | "label"
    | "metric"
    | "appliesTo"
    | "added"
    | "removed";
  before: string | number | null;
  after: string | number | null;
}

/** PUT /api/scorecard */
export interface SavedScorecard {
  scorecard: Scorecard;
  previousVersion: number;
  changes: ScorecardChange[];
}

export interface BandTotals {
  band: Band;
  accounts: number;
  arr: number;
}

/** POST /api/scorecard/preview */
export interface ScorecardPreview {
  currency: string;
  scoredOn: string | null;
  currentVersion: number;
  accounts: number;
  changedBand: number;
  better: number;
  worse: number;
  changedArr: number;
  before: BandTotals[];
  after: BandTotals[];
  moves: {
    accountId: string;
    name: string;
    arr: number;
    from: Band;
    to: Band;
    scoreBefore: number | null;
    scoreAfter: number | null;
  }[];
  changes: ScorecardChange[];
}

/**
 * PUT /api/scorecard. The answer carries the stored scorecard, so the cache is set from it at once:
 * the form must never show the pre-save copy while the refetch is in flight.
 */
export function useSaveScorecardVersion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (scorecard: Scorecard) =>
      apiFetch<SavedScorecard>("/api/scorecard", { method: "PUT", body: scorecard }),
    onSuccess: (saved) => {
      client.setQueryData(["scorecard"], saved.scorecard);
      void client.invalidateQueries({ queryKey: ["health"] });
      void client.invalidateQueries({ queryKey: ["accounts"] });
      void client.invalidateQueries({ queryKey: ["account"] });
    },
  });
}

/** POST /api/scorecard/preview: what saving would change; saves nothing. */
export function usePreviewScorecard() {
  return useMutation({
    mutationFn: (scorecard: Scorecard) =>
      apiFetch<ScorecardPreview>("/api/scorecard/preview", { method: "POST", body: scorecard }),
  });
}
