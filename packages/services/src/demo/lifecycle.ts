import type { LifecycleStage } from "@tenure/core";
import { type DayKey, monthIndexOf } from "./calendar";
import type { Rng } from "./prng";
import type { AccountProfile } from "./profiles";
import type { HistoryResult } from "./subscription-history";

export interface AccountState {
  stage: LifecycleStage;
  tags: string[];
  nps: number | null;
  churnReason: string | null;
}

// Seed 000: "needs not met" is the largest churn reason; about 40% of churn is manageable.
const CHURN_REASONS: readonly (readonly [string, number])[] = [
  ["needs_not_met", 30],
  ["poor_onboarding", 12],
  ["champion_left", 10],
  ["budget_cut", 16],
  ["switched_to_competitor", 14],
  ["company_closed", 8],
  ["acquired", 5],
  ["missing_feature", 5],
];

/** Lifecycle stage, tags and survey fields consistent with the account's subscription history at asOf. */
export function accountState(
  profile: AccountProfile,
  history: HistoryResult,
  asOf: DayKey,
  rng: Rng,
): AccountState {
  const tags: string[] = [];
  if (profile.partner) tags.push("partner");
  if (history.reactivations > 0) tags.push("reactivated");
  if (history.currentProducts >= 2) tags.push("multi-product");
  if (profile.tier === "enterprise" && history.active && history.currentMrr > 15000) tags.push("strategic");
  if (rng.chance(0.06)) tags.push("beta-program");
  if (history.firstPaidStart === null) {
    tags.push(history.inTrial ? "trial" : "trial-expired");
    return { stage: history.inTrial ? "onboarding" : "churned", tags, nps: null, churnReason: null };
  }
  if (!history.active) {
    return {
      stage: "churned",
      tags,
      nps: rng.chance(0.5) ? rng.int(0, 7) : null,
      churnReason: rng.weighted(CHURN_REASONS),
    };
  }
  const start = history.stretchStart ?? history.firstPaidStart;
  const tenure = monthIndexOf(asOf) - monthIndexOf(start);
  const expanded =
    history.currentMrr > history.stretchStartMrr * 1.05 || history.currentProducts > history.startProducts;
  const nps = rng.chance(0.35)
    ? null
    : Math.min(10, Math.max(0, Math.round(7.6 + 2 * rng.normal() + (expanded ? 1 : 0))));
  let stage: LifecycleStage;
  if (tenure < 2) stage = "onboarding";
  else if (tenure < 6) stage = "adoption";
  else if (expanded) stage = "expansion";
  else if (tenure >= 18 && nps !== null && nps >= 9) stage = "advocacy";
  else stage = "retention";
  if (stage === "advocacy" && rng.chance(0.4)) tags.push("reference-customer");
  return { stage, tags, nps, churnReason: null };
}
