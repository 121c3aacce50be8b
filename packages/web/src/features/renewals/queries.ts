import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type {
  CampaignsResponse,
  ChurnReason,
  ChurnReasonAnalysis,
  NewOutcome,
  ReferralsResponse,
  RenewalCalendar,
  RenewalOutcome,
  SurveySummary,
} from "./types";

/** GET /api/renewals/calendar */
export function useRenewalCalendar(params: { months: number; owner?: string }) {
  return useQuery({
    queryKey: ["renewals", "calendar", params],
    queryFn: () => apiFetch<RenewalCalendar>(withQuery("/api/renewals/calendar", params)),
  });
}

/** GET /api/renewals/churn-reasons */
export function useChurnReasons() {
  return useQuery({
    queryKey: ["renewals", "churn-reasons"],
    queryFn: () => apiFetch<ChurnReasonAnalysis>("/api/renewals/churn-reasons"),
  });
}

/** GET /api/renewals/reasons: the taxonomy offered when recording a churn. */
export function useReasonTaxonomy() {
  return useQuery({
    queryKey: ["renewals", "reasons"],
    queryFn: () => apiFetch<{ reasons: ChurnReason[] }>("/api/renewals/reasons"),
  });
}

/** GET /api/renewals/campaigns */
export function useCampaigns() {
  return useQuery({
    queryKey: ["renewals", "campaigns"],
    queryFn: () => apiFetch<CampaignsResponse>("/api/renewals/campaigns"),
  });
}

/** GET /api/surveys (the last 365 days) */
export function useSurveys() {
  return useQuery({
    queryKey: ["renewals", "surveys"],
    queryFn: () => apiFetch<SurveySummary>("/api/surveys"),
  });
}

/** GET /api/referrals */
export function useReferrals() {
  return useQuery({
    queryKey: ["renewals", "referrals"],
    queryFn: () => apiFetch<ReferralsResponse>("/api/referrals"),
  });
}

/** POST /api/renewals/outcomes; the calendar, analysis and campaigns are read again. */
export function useRecordOutcome() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewOutcome) =>
      apiFetch<RenewalOutcome>("/api/renewals/outcomes", { method: "POST", body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["renewals"] }),
  });
}
