import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Scorecard } from "../../api/account-types";
import { apiFetch } from "../../api/client";
import type { Schema } from "../../api/schema";

/** One change between two scorecards (the server's diffScorecards). */
export type ScorecardChange = Schema<"ScorecardChange">;

/** PUT /api/scorecard; its scorecard typed as the form edits it (the API documents it as free JSON). */
export type SavedScorecard = Omit<Schema<"SavedScorecard">, "scorecard"> & { scorecard: Scorecard };

/** POST /api/scorecard/preview */
export type ScorecardPreview = Schema<"ScorecardPreview">;

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
