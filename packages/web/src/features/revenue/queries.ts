import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type {
  BundlesResponse,
  CohortsResponse,
  KpisResponse,
  MetricsResponse,
  MovementKind,
  MovementsResponse,
  SegmentsResponse,
  UnitEconomicsResponse,
  WhatIfResponse,
} from "../../api/types";
import type { RevenueSearch } from "./search";

// Filter changes keep the previous figures on screen until the new ones arrive.
const keep = { placeholderData: keepPreviousData } as const;

/** GET /api/revenue/kpis */
export function useKpis(search: RevenueSearch) {
  const params = { to: search.to, segment: search.segment };
  return useQuery({
    queryKey: ["revenue", "kpis", params],
    queryFn: () => apiFetch<KpisResponse>(withQuery("/api/revenue/kpis", params)),
    ...keep,
  });
}

/** GET /api/revenue/metrics */
export function useMetrics(search: RevenueSearch) {
  return useQuery({
    queryKey: ["revenue", "metrics", search],
    queryFn: () => apiFetch<MetricsResponse>(withQuery("/api/revenue/metrics", { ...search })),
    ...keep,
  });
}

/** GET /api/revenue/movements for one month and kind (the drill-down). */
export function useMovements(month: string, kind: MovementKind, segment: string | undefined) {
  const params = { month, kind, segment };
  return useQuery({
    queryKey: ["revenue", "movements", params],
    queryFn: () => apiFetch<MovementsResponse>(withQuery("/api/revenue/movements", params)),
  });
}

/** GET /api/revenue/cohorts */
export function useCohorts(search: RevenueSearch) {
  return useQuery({
    queryKey: ["revenue", "cohorts", search],
    queryFn: () => apiFetch<CohortsResponse>(withQuery("/api/revenue/cohorts", { ...search })),
    ...keep,
  });
}

/** GET /api/revenue/unit-economics */
export function useUnitEconomics(search: RevenueSearch) {
  return useQuery({
    queryKey: ["revenue", "unit-economics", search],
    queryFn: () => apiFetch<UnitEconomicsResponse>(withQuery("/api/revenue/unit-economics", { ...search })),
    ...keep,
  });
}

/** GET /api/revenue/bundles */
export function useBundles(segment: string | undefined) {
  return useQuery({
    queryKey: ["revenue", "bundles", { segment }],
    queryFn: () => apiFetch<BundlesResponse>(withQuery("/api/revenue/bundles", { segment })),
    ...keep,
  });
}

/** GET /api/revenue/whatif */
export function useWhatIf(months: number, rates: readonly number[], segment: string | undefined) {
  const params = { months, rates: rates.join(","), segment };
  return useQuery({
    queryKey: ["revenue", "whatif", params],
    queryFn: () => apiFetch<WhatIfResponse>(withQuery("/api/revenue/whatif", params)),
    ...keep,
  });
}

/** GET /api/segments */
export function useSegments() {
  return useQuery({
    queryKey: ["segments"],
    queryFn: () => apiFetch<SegmentsResponse>("/api/segments"),
    staleTime: 5 * 60_000,
  });
}
