import type { LifecycleStage } from "@tenure/core";
import type { AccountFacts } from "./account-metrics";
import { daysBetween } from "./days";

/** Days a manual stage wins over the rules. */
export const MANUAL_STAGE_DAYS = 90;

export interface StageRuleInput {
  asOf: string;
  current: LifecycleStage | null;
  facts: AccountFacts;
  /** ISO timestamp of the latest manual stage change, if any. */
  lastManualAt: string | null;
}

/**
 * The lifecycle stage the rules give an account, or null to leave it as is. First match wins:
 * 1. paid before but no MRR now → churned; 2. first paid ≤ 90 days ago → onboarding;
 * 3. MRR expansion in the last 3 months → expansion; 4. NPS ≥ 9 and tenure ≥ 12 months → advocacy;
 * 5. tenure > 90 days and active (or untracked) usage → adoption in the first year, then retention.
 * A manual stage set in the last 90 days is never overridden; never-paying accounts are left alone.
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
  if (facts.recentExpansion) return "expansion";
  const nps = facts.metrics.npsScore;
  if (typeof nps === "number" && nps >= 9 && tenure >= 365) return "advocacy";
  const active = !facts.hasUsageData || (facts.metrics.activeUsers30d ?? 0) > 0;
  if (active) return tenure < 365 ? "adoption" : "retention";
  return null;
}
