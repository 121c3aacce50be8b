import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch, withQuery } from "../../api/client";
import type {
  AccountPredictionsResponse,
  BacktestResponse,
  ClvSettings,
  PortfolioResponse,
  PredictionTarget,
  RenewalBacktestResponse,
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

/** GET /api/predictions/renewals/backtest (slow the first time: it retrains the churn model per quarter). */
export function useRenewalBacktest() {
  return useQuery({
    queryKey: ["predictions", "renewals-backtest"],
    // null: not computed yet (it is computed when the churn model is trained with the CLI).
    queryFn: async () => {
      try {
        return await apiFetch<RenewalBacktestResponse>("/api/predictions/renewals/backtest");
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    staleTime: 10 * 60_000,
  });
}

/** GET /api/settings/clv */
export function useClvSettings() {
  return useQuery({
    queryKey: ["predictions", "clv-settings"],
    queryFn: () => apiFetch<ClvSettings>("/api/settings/clv"),
  });
}

/** PUT /api/settings/clv; every CLV view is refetched with the new margin and rate. */
export function useSaveClvSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { grossMargin: number; annualDiscountRate: number }) =>
      apiFetch<ClvSettings>("/api/settings/clv", { method: "PUT", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["predictions"] }),
  });
}
