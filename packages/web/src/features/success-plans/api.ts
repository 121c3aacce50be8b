import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { apiFetch, withQuery } from "../../api/client";
import type { ApiRequest, ApiResponse, Schema } from "../../api/schema";

export type SuccessPlan = Schema<"SuccessPlan">;
export type SuccessPlanGoal = Schema<"SuccessPlanGoal">;
export type SuccessPlanMilestone = Schema<"SuccessPlanMilestone">;
export type SuccessPlanTemplate = Schema<"SuccessPlanTemplate">;
export type NewSuccessPlan = ApiRequest<"/accounts/{id}/success-plans", "post">;
export type TtfvResponse = ApiResponse<"/onboarding/time-to-first-value", "get">;
export type OnboardingProgressResponse = ApiResponse<"/onboarding/progress", "get">;

const planKey = (accountId: string, locale: string) =>
  ["success-plans", "account", accountId, locale] as const;

/** The reader's language as the plan routes take it: template text comes back in it. */
function usePlanLocale(): "en" | "zh-CN" {
  const { i18n } = useTranslation();
  return i18n.language === "zh-CN" ? "zh-CN" : "en";
}

/** GET /api/accounts/{id}/success-plans */
export function useAccountPlans(accountId: string) {
  const locale = usePlanLocale();
  return useQuery({
    queryKey: planKey(accountId, locale),
    queryFn: () =>
      apiFetch<{ plans: SuccessPlan[] }>(
        withQuery(`/api/accounts/${encodeURIComponent(accountId)}/success-plans`, { locale }),
      ),
  });
}

/** GET /api/success-plans/templates in the reader's language. */
export function usePlanTemplates(locale: string) {
  const lang = locale === "zh-CN" ? "zh-CN" : "en";
  return useQuery({
    queryKey: ["success-plans", "templates", lang],
    queryFn: () =>
      apiFetch<{ templates: SuccessPlanTemplate[] }>(
        withQuery("/api/success-plans/templates", { locale: lang }),
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The plan's answer replaces it in the account's list at once; onboarding views refetch. */
function useStorePlan(accountId: string, locale: string) {
  const client = useQueryClient();
  return (plan: SuccessPlan) => {
    client.setQueryData<{ plans: SuccessPlan[] }>(planKey(accountId, locale), (old) => {
      const plans = old?.plans ?? [];
      const i = plans.findIndex((p) => p.id === plan.id);
      return { plans: i < 0 ? [plan, ...plans] : plans.map((p) => (p.id === plan.id ? plan : p)) };
    });
    void client.invalidateQueries({ queryKey: ["onboarding"] });
  };
}

/** POST /api/accounts/{id}/success-plans */
export function useCreatePlan(accountId: string) {
  const locale = usePlanLocale();
  const store = useStorePlan(accountId, locale);
  return useMutation({
    mutationFn: (body: NewSuccessPlan) =>
      apiFetch<SuccessPlan>(`/api/accounts/${encodeURIComponent(accountId)}/success-plans`, {
        method: "POST",
        body: { ...body, locale },
      }),
    onSuccess: store,
  });
}

/** PUT /api/success-plans/{id}/milestones/{milestoneId} */
export function useSetMilestone(accountId: string) {
  const locale = usePlanLocale();
  const store = useStorePlan(accountId, locale);
  return useMutation({
    mutationFn: (v: { planId: string; milestoneId: string; done: boolean }) =>
      apiFetch<SuccessPlan>(
        withQuery(
          `/api/success-plans/${encodeURIComponent(v.planId)}/milestones/${encodeURIComponent(v.milestoneId)}`,
          { locale },
        ),
        { method: "PUT", body: { done: v.done } },
      ),
    onSuccess: store,
  });
}

/** PATCH /api/success-plans/{id} (status: achieved, abandoned, active). */
export function useUpdatePlan(accountId: string) {
  const locale = usePlanLocale();
  const store = useStorePlan(accountId, locale);
  return useMutation({
    mutationFn: (v: { planId: string; status: SuccessPlan["status"] }) =>
      apiFetch<SuccessPlan>(withQuery(`/api/success-plans/${encodeURIComponent(v.planId)}`, { locale }), {
        method: "PATCH",
        body: { status: v.status },
      }),
    onSuccess: store,
  });
}

/** PATCH /api/success-plans/{id}/goals/{goalId} (the hand-kept value of a goal without a metric). */
export function useUpdateGoal(accountId: string) {
  const locale = usePlanLocale();
  const store = useStorePlan(accountId, locale);
  return useMutation({
    mutationFn: (v: {
      planId: string;
      goalId: string;
      manualValue?: number | null;
      targetValue?: number | null;
    }) =>
      apiFetch<SuccessPlan>(
        withQuery(
          `/api/success-plans/${encodeURIComponent(v.planId)}/goals/${encodeURIComponent(v.goalId)}`,
          {
            locale,
          },
        ),
        { method: "PATCH", body: { manualValue: v.manualValue, targetValue: v.targetValue } },
      ),
    onSuccess: store,
  });
}

/** GET /api/onboarding/time-to-first-value */
export function useTimeToFirstValue(by: "segment" | "tier") {
  return useQuery({
    queryKey: ["onboarding", "ttfv", by],
    queryFn: () => apiFetch<TtfvResponse>(withQuery("/api/onboarding/time-to-first-value", { by })),
  });
}

/** GET /api/onboarding/progress */
export function useOnboardingProgress() {
  return useQuery({
    queryKey: ["onboarding", "progress"],
    queryFn: () => apiFetch<OnboardingProgressResponse>("/api/onboarding/progress"),
  });
}
