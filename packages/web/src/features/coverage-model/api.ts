import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type { Schema } from "../../api/schema";

export type CoverageModel = Schema<"CoverageModel">;
export type QbrSchedule = Schema<"QbrSchedule">;
export type QbrRow = Schema<"QbrRow">;

/** GET /api/coverage */
export function useCoverage() {
  return useQuery({ queryKey: ["coverage"], queryFn: () => apiFetch<CoverageModel>("/api/coverage") });
}

/** PUT /api/coverage */
export function useSaveCoverage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (model: CoverageModel) =>
      apiFetch<CoverageModel>("/api/coverage", { method: "PUT", body: model }),
    onSuccess: (saved) => {
      client.setQueryData(["coverage"], saved);
      void client.invalidateQueries({ queryKey: ["qbrs"] });
    },
  });
}

/** GET /api/qbrs?quarter= */
export function useQbrs(quarter: string | undefined) {
  return useQuery({
    queryKey: ["qbrs", quarter ?? "current"],
    queryFn: () => apiFetch<QbrSchedule>(withQuery("/api/qbrs", { quarter })),
  });
}

/** PUT /api/accounts/{id}/qbrs/{quarter} */
export function useSetQbr() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: {
      accountId: string;
      quarter: string;
      targetMrr?: number | null;
      heldOn?: string | null;
    }) =>
      apiFetch(`/api/accounts/${encodeURIComponent(v.accountId)}/qbrs/${encodeURIComponent(v.quarter)}`, {
        method: "PUT",
        body: { targetMrr: v.targetMrr, heldOn: v.heldOn },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["qbrs"] }),
  });
}

/** GET /api/team (teams by id and name, for the coverage model's owning team). */
export function useTeamNames() {
  return useQuery({
    queryKey: ["team", "teams", "names"],
    queryFn: () => apiFetch<{ teams: { id: string; name: string }[] }>("/api/team"),
  });
}
