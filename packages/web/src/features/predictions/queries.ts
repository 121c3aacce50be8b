import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch, withQuery } from "../../api/client";
import type {
  AccountPredictionsResponse,
  BacktestResponse,
  PortfolioResponse,
  PredictionTarget,
  RenewalsResponse,
} from "./types";

/** GET /api/accounts/{id}/predictions (churn, expansion and CLV). */
export function useAccountPredictions(accountId: string) {
  return useQuery({
    queryKey: ["predictions", "account", accountId],
    queryFn: () =>
      apiFetch<AccountPredictionsResponse>(`/api/accounts/${encodeURIComponent(accountId)}/predictions`),
  });
}

/** GET /api/predictions/portfolio */
export function usePortfolio() {
  return useQuery({
    queryKey: ["predictions", "portfolio"],
    queryFn: () => apiFetch<PortfolioResponse>(withQuery("/api/predictions/portfolio", { top: 10 })),
  });
}

/** GET /api/predictions/renewals */
export function useRenewals(params: { days?: number; quarters?: number; periodBy: "month" | "quarter" }) {
  return useQuery({
    queryKey: ["predictions", "renewals", params],
    queryFn: () => apiFetch<RenewalsResponse>(withQuery("/api/predictions/renewals", params)),
  });
}

/** GET /api/predictions/backtest; null when no model of the target was trained yet. */
export function useBacktest(target: PredictionTarget) {
  return useQuery({
    queryKey: ["predictions", "backtest", target],
    queryFn: async () => {
      try {
        return await apiFetch<BacktestResponse>(withQuery("/api/predictions/backtest", { target }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  });
}

/** POST /api/predictions/train; refreshes every prediction view when done. */
export function useTrain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (target: PredictionTarget) =>
      apiFetch<{ scored: number; rows: number }>("/api/predictions/train", {
        method: "POST",
        body: { target },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["predictions"] }),
  });
}
