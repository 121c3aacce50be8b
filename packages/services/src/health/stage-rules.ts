import type { HealthBand, LifecycleStage } from "@tenure/core";
import type { AccountFacts } from "./account-metrics";
import { daysBetween } from "./days";

/** Days a manual stage wins over the rules. */
export const MANUAL_STAGE_DAYS = 90;

/**
 * Guards on the stages that mean "this customer is doing well": a stage must never contradict the
 * health band or the churn probability shown beside it.
 */
export const STAGE_GUARDS = {
  /** Advocacy needs a green health band and a churn probability below this. */
  advocacyMaxChurn: 0.2,
  /** Expansion needs a band other than red and a churn probability below this. */
  expansionMaxChurn: 0.4,
} as const;

export interface StageRuleInput {
  asOf: string;
  current: LifecycleStage | null;
  facts: AccountFacts;
  /** ISO timestamp of the latest manual stage change, if any. */
  lastManualAt: string | null;
  /** Today's health band ("none" or absent when unscored). */
  band?: HealthBand;
  /** The account's stored churn probability (0-1), null or absent when none is stored. */
  churnProbability?: number | null;
}

/** Why an account may not be in advocacy now, or null when it may. */
export function advocacyBlocked(input: Pick<StageRuleInput, "band" | "churnProbability">): string | null {
  if (input.band !== "green") return `health band is ${input.band ?? "none"}, advocacy needs green`;
  const p = input.churnProbability;
  if (typeof p === "number" && p >= STAGE_GUARDS.advocacyMaxChurn)
    return `churn probability ${Math.round(p * 100)}% ≥ ${STAGE_GUARDS.advocacyMaxChurn * 100}%`;
  return null;
}

/** Why an account may not be in expansion now, or null when it may. */
export function expansionBlocked(input: Pick<StageRuleInput, "band" | "churnProbability">): string | null {
  if (input.band === "red") return "health band is red";
  const p = input.churnProbability;
  if (typeof p === "number" && p >= STAGE_GUARDS.expansionMaxChurn)
    return `churn probability ${Math.round(p * 100)}% ≥ ${STAGE_GUARDS.expansionMaxChurn * 100}%`;
  return null;
}

/**
 * The lifecycle stage the rules give an account, or null to leave it as is. First match wins:
 * 1. paid before but no MRR now → churned; 2. first paid ≤ 90 days ago → onboarding;
 * 3. MRR expansion in the last 3 months, band not red and churn probability < 40% → expansion;
 * 4. NPS ≥ 9, tenure ≥ 12 months, band green and churn probability < 20% → advocacy;
 * 5. tenure > 90 days and active (or untracked) usage → adoption in the first year, then retention.
 * An account left in expansion or advocacy (by the rules or the demo) that fails that stage's guard
 * moves to adoption/retention even without usage. A manual stage set in the last 90 days is never
 * overridden; never-paying accounts are left alone.
 */
export function ruleStage(input: StageRuleInput): LifecycleStage | null {
  const { asOf, facts } = input;
  if (input.lastManualAt !== null && daysBetween(input.lastManualAt.slice(0, 10), asOf) < MANUAL_STAGE_DAYS)
    return null;
  if (!facts.everPaid) return null;
  if (facts.mrr <= 0) return "churned";
  if (facts.firstPaidDate === null) return null;
  const tenure = daysBetween(facts.firstPaidDate, asOf);
  if (tenure <= 90) return "onboarding";
  if (facts.recentExpansion && expansionBlocked(input) === null) return "expansion";
  const nps = facts.metrics.npsScore;
  if (typeof nps === "number" && nps >= 9 && tenure >= 365 && advocacyBlocked(input) === null)
    return "advocacy";
  const settled: LifecycleStage = tenure < 365 ? "adoption" : "retention";
  const active = !facts.hasUsageData || (facts.metrics.activeUsers30d ?? 0) > 0;
  if (active) return settled;
  if (input.current === "expansion" && expansionBlocked(input) !== null) return settled;
  if (input.current === "advocacy" && advocacyBlocked(input) !== null) return settled;
  return null;
}
