import { TenureError } from "../../errors";

/** The churn model's label horizon: "churn probability" everywhere means within this many days. */
export const CHURN_HORIZON_DAYS = 90;

function check(probability: number, days: number, horizonDays: number) {
  if (!(probability >= 0 && probability <= 1))
    throw new TenureError("validation", `probability must be in [0, 1], got ${probability}`);
  if (!(days >= 0) || !Number.isFinite(days))
    throw new TenureError("validation", `days must be a finite number ≥ 0, got ${days}`);
  if (!(horizonDays > 0) || !Number.isFinite(horizonDays))
    throw new TenureError("validation", `horizonDays must be positive, got ${horizonDays}`);
}

/**
 * Daily churn hazard implied by a probability of churning within `horizonDays`, assuming the hazard
 * stays constant: h = −ln(1 − p) / horizon. A probability of 1 gives Infinity.
 * Example: churnHazard(0.2) ≈ 0.00248 per day.
 */
export function churnHazard(probability: number, horizonDays = CHURN_HORIZON_DAYS): number {
  check(probability, 0, horizonDays);
  return -Math.log1p(-probability) / horizonDays;
}

/**
 * Probability of churning within `days`, carried from the model's probability over `horizonDays` at a
 * constant hazard: 1 − (1 − p)^(days / horizon). Continuous in `days` (no cliff at the horizon).
 * Example: churnProbabilityWithin(0.2, 365) ≈ 0.595; churnProbabilityWithin(0.2, 90) = 0.2.
 */
export function churnProbabilityWithin(
  probability: number,
  days: number,
  horizonDays = CHURN_HORIZON_DAYS,
): number {
  check(probability, days, horizonDays);
  if (probability === 1) return days > 0 ? 1 : 0;
  return -Math.expm1((days / horizonDays) * Math.log1p(-probability));
}
