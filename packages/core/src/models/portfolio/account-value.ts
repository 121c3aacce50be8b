import { TenureError } from "../../errors";
import type { SbgFit } from "../clv/sbg";
import type { SurvivalCohort } from "./survival";

/**
 * The retention curve behind a CLV and the account's own risk on it (issue 14 point 3).
 *
 * An sBG fit whose parameters run to their bound says the data cannot tell customers apart (β → ∞ is
 * the geometric limit with churn α/(α+β), learned from too little churn to pin down). CLV then falls
 * back to a model the data does support: the pooled (all accounts) fit when that one is clean, else
 * the group's observed monthly churn (geometric). `method` says which one was used.
 */

/** How a group's retention was modelled. */
export type RetentionMethod = "sbg" | "pooled_sbg" | "observed_retention";

/** Monthly churn at each renewal: sBG (churn at renewal t is α/(α+β+t−1)) or geometric (constant). */
export type RetentionCurve =
  | { kind: "sbg"; alpha: number; beta: number }
  | { kind: "geometric"; churn: number };

/** Probability of churning at the t-th monthly renewal (t ≥ 1) for an average account of the curve. */
export function churnAt(curve: RetentionCurve, t: number): number {
  return curve.kind === "geometric" ? curve.churn : curve.alpha / (curve.alpha + curve.beta + t - 1);
}

/** True when an sBG fit's warnings say a parameter sits at its bound (the data hardly identify it). */
export function fitAtBound(fit: Pick<SbgFit, "warnings">): boolean {
  return fit.warnings.some((w) => w.includes("bound"));
}

/**
 * Observed monthly churn of survivor cohorts: accounts lost / account-months at risk. Null when no
 * month was at risk. Example: [[10, 9, 9]] → 1 lost in 19 months at risk → 1/19.
 */
export function observedMonthlyChurn(cohorts: readonly SurvivalCohort[]): number | null {
  let lost = 0;
  let atRisk = 0;
  for (const c of cohorts)
    for (let t = 1; t < c.survivors.length; t++) {
      atRisk += c.survivors[t - 1]!;
      lost += c.survivors[t - 1]! - c.survivors[t]!;
    }
  return atRisk > 0 ? lost / atRisk : null;
}

/** The churn model's probability within `horizonDays` as a monthly churn at a constant hazard: 1 − (1 − p)^(30.44/h). */
export function monthlyChurnOf(p: number, horizonDays: number): number {
  if (!(p >= 0 && p <= 1))
    throw new TenureError("validation", `churn probability must be in [0, 1], got ${p}`);
  if (!(horizonDays > 0)) throw new TenureError("validation", `horizonDays must be > 0, got ${horizonDays}`);
  return 1 - (1 - p) ** (30.44 / horizonDays);
}

/**
 * Discounted expected residual lifetime (months) of an account after `renewals` monthly renewals, its
 * churn in each later month blending its own (the churn model's, `monthlyChurn`) into its group's
 * curve: churnᵢ(k) = w·monthlyChurn + (1 − w)·churn(renewals + k), w = exp(−(k − 1) / decayMonths), so
 * the model's near-term evidence leads and fades into the curve. Without a score (null) it is the
 * group's DERL (sbgDerl for an sBG curve). The first month ahead is counted undiscounted once the
 * account renews, as in Fader & Hardie (2010).
 * Example: geometric churn 0.02, d 0.01, no score → (1 − 0.02)(1.01)/(0.03) ≈ 33.0 months.
 */
export function riskAdjustedDerl(
  curve: RetentionCurve,
  a: { renewals: number; monthlyDiscountRate: number; monthlyChurn: number | null; decayMonths?: number },
): number {
  const { renewals, monthlyDiscountRate: d, monthlyChurn: own } = a;
  const decay = a.decayMonths ?? 12;
  if (!Number.isInteger(renewals) || renewals < 0)
    throw new TenureError("validation", `renewals must be a whole number ≥ 0, got ${renewals}`);
  if (!(d > 0) || !Number.isFinite(d))
    throw new TenureError("validation", `monthly discount rate must be a number > 0, got ${d}`);
  if (own !== null && !(own >= 0 && own <= 1))
    throw new TenureError("validation", `monthlyChurn must be in [0, 1], got ${own}`);
  let survival = 1;
  let derl = 0;
  let discount = 1;
  // 100 years of months: the discounted tail beyond is below 1e-5 of a month at any d ≥ 0.1%/month.
  for (let k = 1; k <= 1200; k++) {
    const base = Math.min(1, Math.max(0, churnAt(curve, renewals + k)));
    const w = own === null ? 0 : Math.exp(-(k - 1) / decay);
    survival *= 1 - (w * (own ?? 0) + (1 - w) * base);
    derl += survival * discount;
    discount /= 1 + d;
    if (survival * discount < 1e-12) break;
  }
  return derl;
}
