import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch, withQuery } from "../../api/client";
import type {
  AccountPredictionsResponse,
  BacktestResponse,
  ClvSettings,
  PortfolioResponse,
  PredictionTarget,
  RenewalBacktestState,
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

/** How often the card asks again while the backtest is computed in the background. */
export const RENEWAL_BACKTEST_POLL_MS = 5_000;

/**
 * GET /api/predictions/renewals/backtest: the stored backtest, `pending` while the server computes it
 * after a churn training from this app (asked again every few seconds until it is ready), or `none`.
 */
export function useRenewalBacktest() {
  return useQuery({
    queryKey: ["predictions", "renewals-backtest"],
    queryFn: () => apiFetch<RenewalBacktestState>("/api/predictions/renewals/backtest"),
    refetchInterval: (q) => (q.state.data?.status === "pending" ? RENEWAL_BACKTEST_POLL_MS : false),
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
