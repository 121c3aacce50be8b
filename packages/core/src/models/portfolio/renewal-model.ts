import { TenureError } from "../../errors";
import type { RenewalHistory } from "./renewals";

/**
 * One renewal probability over every horizon (issue 14 point 2).
 *
 * A term contract is lost at its renewal decision, so the churn model's 90-day probability is read as
 * the account's *relative* hazard against the segment's past renewals (each scored as of its forecast
 * date, so a model that knows the days to renewal is compared like with like), and the level comes
 * from the segment's renewal history (a proportional-hazards calibration):
 *
 *   λᵢ = −ln(1 − pᵢ) / horizon            the model's hazard per day
 *   Λᵢ = λᵢ · max(days to renewal, horizon)   that hazard carried to the renewal date (within the
 *                                          horizon the probability already covers the renewal)
 *   RRᵢ = Λᵢ / mean Λ of the reference: the segment's past renewals, each at its own days ahead
 *   P_modelᵢ = exp(−H_s · RRᵢ^γ)           H_s solved so the reference's mean P_model = the rate
 *   P(renew) = w(t) · P_modelᵢ + (1 − w(t)) · rate_s,   w(t) = exp(−t / decayDays)
 *
 * t is the days to the renewal: today's usage says most about a renewal next month and less about one
 * next year, so the account's own evidence fades smoothly into its segment's history (no cliff at the
 * model's horizon). For renewals like the past ones the mean equals the history; a riskier set of
 * renewals comes out lower. The forecast is of ARR, so rates and reference means are
 * ARR-weighted when the history carries ARR (a segment whose large accounts renew more renews more of
 * its ARR than of its logos). Segment rates are shrunk toward the portfolio's (`priorStrength` average
 * renewals of weight) so a segment with five past renewals does not swing to 0 or 1.
 * γ in [0, 1] is how far the score separates renewals: fitted on past renewals (fitRiskExponent);
 * γ = 0 is history alone, γ = 1 takes the model's relative hazard at face value.
 */

/** Where a row's renewal probability came from. */
export type RenewalSource = "model" | "segment_history" | "portfolio_history" | "none";

/** One segment's calibration. */
export interface SegmentCalibration {
  /** Past renewal rate, shrunk toward the portfolio's. */
  rate: number;
  /** Renewals due in the history behind `rate` (0: the portfolio's rate stands in). */
  due: number;
  /** Mean carried hazard Λ of the segment's reference renewals (null: none scored). */
  referenceHazard: number | null;
  /** Baseline cumulative hazard of one renewal decision for an account of average risk. */
  baseline: number;
}

export interface RenewalCalibration {
  horizonDays: number;
  decayDays: number;
  /** γ: the exponent on the relative risk. */
  riskExponent: number;
  overall: SegmentCalibration | null;
  bySegment: Map<string, SegmentCalibration>;
}

const P_MIN = 1e-4;
const RR_MAX = 50;

/**
 * The churn model's hazard per day, −ln(1 − p) / horizon, with p kept inside [0.0001, 0.9999] so a
 * score of exactly 0 or 1 still gives a finite relative risk (churnHazard of the churn model gives ∞).
 */
export function boundedChurnHazard(p: number, horizonDays: number): number {
  const q = Math.min(1 - P_MIN, Math.max(P_MIN, p));
  return -Math.log(1 - q) / horizonDays;
}

/** The model's hazard carried to a renewal `days` ahead: λ · max(days, horizon), continuous in days. */
export function carriedHazard(p: number, days: number, horizonDays: number): number {
  return boundedChurnHazard(p, horizonDays) * Math.max(days, horizonDays);
}

/** H such that the weighted mean over `rr` of exp(−H · rr) = rate (bisection in log space; it falls as H grows). */
function solveBaseline(rr: readonly number[], weights: readonly number[], rate: number): number {
  if (rr.length === 0) return -Math.log(rate);
  if (rate >= 1 - 1e-12) return 0;
  const target = Math.max(rate, 1e-9);
  const total = weights.reduce((s, w) => s + w, 0);
  const mean = (h: number) => rr.reduce((s, r, i) => s + weights[i]! * Math.exp(-h * r), 0) / total;
  let lo = 1e-9;
  let hi = 1e12;
  for (let i = 0; i < 100; i++) {
    const mid = Math.sqrt(lo * hi);
    if (mean(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/**
 * Calibrates the renewal model: each segment's (shrunk) past renewal rate and the baseline hazard
 * that makes its reference renewals average that rate. `reference`: past renewals with the churn
 * probability they had when forecast and their days ahead then (the service: the last four quarters).
 * Example: rate 0.8 and a reference of two renewals with p 0.1 and 0.3 → the riskier one renews below 0.8.
 */
export function calibrateRenewals(
  history: { overall: RenewalHistory; bySegment: ReadonlyMap<string, RenewalHistory> },
  book: readonly { segment: string | null; churnProbability: number; arr?: number; daysToRenewal?: number }[],
  opts: { horizonDays: number; decayDays?: number; priorStrength?: number; riskExponent?: number },
): RenewalCalibration {
  const { horizonDays } = opts;
  const gamma = opts.riskExponent ?? 1;
  if (!(gamma >= 0 && gamma <= 1))
    throw new TenureError("validation", `riskExponent must be in [0, 1], got ${gamma}`);
  const decayDays = opts.decayDays ?? 365;
  const k = opts.priorStrength ?? 10;
  if (!(horizonDays > 0) || !Number.isFinite(horizonDays))
    throw new TenureError("validation", `horizonDays must be a number > 0, got ${horizonDays}`);
  if (!(decayDays > 0) || !Number.isFinite(decayDays))
    throw new TenureError("validation", `decayDays must be a number > 0, got ${decayDays}`);
  if (!(k >= 0) || !Number.isFinite(k))
    throw new TenureError("validation", `priorStrength must be a number ≥ 0, got ${k}`);
  // ARR-weighted when the history measured ARR (and some came due).
  const weighted = (history.overall.arrDue ?? 0) > 0;
  const hazards = new Map<string, { h: number[]; w: number[] }>();
  const all = { h: [] as number[], w: [] as number[] };
  for (const [i, b] of book.entries()) {
    if (!(b.churnProbability >= 0 && b.churnProbability <= 1))
      throw new TenureError(
        "validation",
        `book row ${i + 1}: churnProbability must be in [0, 1], got ${b.churnProbability}`,
      );
    const h = carriedHazard(b.churnProbability, b.daysToRenewal ?? horizonDays, horizonDays);
    // ARR weights when the history is in ARR (an account of ARR 0 still counts a little).
    const w = weighted ? Math.max(b.arr ?? 0, 1e-6) : 1;
    all.h.push(h);
    all.w.push(w);
    if (b.segment === null) continue;
    const list = hazards.get(b.segment) ?? { h: [], w: [] };
    list.h.push(h);
    list.w.push(w);
    hazards.set(b.segment, list);
  }
  const calibrate = (rate: number, due: number, hs: { h: number[]; w: number[] }): SegmentCalibration => {
    const total = hs.w.reduce((s, w) => s + w, 0);
    const ref = hs.h.length === 0 ? null : hs.h.reduce((s, h, i) => s + hs.w[i]! * h, 0) / total;
    const rr = ref === null || ref <= 0 ? [] : hs.h.map((h) => Math.min(RR_MAX, h / ref) ** gamma);
    return { rate, due, referenceHazard: ref, baseline: solveBaseline(rr, hs.w, rate) };
  };
  const o = history.overall;
  const overallRate = weighted ? o.arrRenewed! / o.arrDue! : o.rate;
  const overall = overallRate === null ? null : calibrate(overallRate, o.due, all);
  const bySegment = new Map<string, SegmentCalibration>();
  if (overallRate !== null)
    for (const [seg, h] of history.bySegment) {
      if (h.due === 0) continue;
      // k renewals of the segment's average size, at the portfolio's rate.
      const rate = weighted
        ? (h.arrRenewed! + (k * overallRate * h.arrDue!) / h.due) / (h.arrDue! + (k * h.arrDue!) / h.due)
        : (h.renewed + k * overallRate) / (h.due + k);
      bySegment.set(
        seg,
        calibrate(Number.isFinite(rate) ? rate : overallRate, h.due, hazards.get(seg) ?? { h: [], w: [] }),
      );
    }
  // Segments with a scored book but no past renewal use the portfolio's rate against their own book.
  if (overallRate !== null)
    for (const [seg, hs] of hazards)
      if (!bySegment.has(seg)) bySegment.set(seg, calibrate(overallRate, 0, hs));
  return { horizonDays, decayDays, riskExponent: gamma, overall, bySegment };
}

export interface RenewalEstimate {
  /** Probability the account renews, or null with neither a model score nor any history. */
  probability: number | null;
  source: RenewalSource;
  /** The segment's past renewal rate the estimate starts from (null without history). */
  historicalRate: number | null;
  /** The account's churn hazard relative to its segment's book (null without a score). */
  relativeRisk: number | null;
  /** Weight of the account's own evidence, exp(−days / decayDays). */
  modelWeight: number;
}

/**
 * The renewal probability of one account `daysToRenewal` days ahead (continuous in the days).
 * Example: rate 0.8, relative risk 1, any days → 0.8; relative risk 3 at 0 days → 0.8³ = 0.51.
 */
export function renewalProbability(
  cal: RenewalCalibration,
  a: { segment: string | null; churnProbability: number | null; daysToRenewal: number },
): RenewalEstimate {
  const w = Math.exp(-Math.max(0, a.daysToRenewal) / cal.decayDays);
  const segCal = a.segment === null ? undefined : cal.bySegment.get(a.segment);
  const c = segCal ?? cal.overall;
  const p = a.churnProbability;
  if (c === null) {
    // No renewal history at all: the model's own probability is all there is.
    return p === null
      ? { probability: null, source: "none", historicalRate: null, relativeRisk: null, modelWeight: w }
      : { probability: 1 - p, source: "model", historicalRate: null, relativeRisk: null, modelWeight: 1 };
  }
  const histSource: RenewalSource =
    segCal !== undefined && segCal.due > 0 ? "segment_history" : "portfolio_history";
  if (p === null || c.referenceHazard === null || c.referenceHazard <= 0)
    return {
      probability: c.rate,
      source: histSource,
      historicalRate: c.rate,
      relativeRisk: null,
      modelWeight: 0,
    };
  const rr = Math.min(RR_MAX, carriedHazard(p, a.daysToRenewal, cal.horizonDays) / c.referenceHazard);
  const model = Math.exp(-c.baseline * rr ** cal.riskExponent);
  return {
    probability: w * model + (1 - w) * c.rate,
    source: "model",
    historicalRate: c.rate,
    relativeRisk: rr,
    modelWeight: w,
  };
}

/** One past forecast date: what was known then and how its renewals turned out. */
export interface RenewalFitPeriod {
  history: { overall: RenewalHistory; bySegment: ReadonlyMap<string, RenewalHistory> };
  renewals: readonly {
    segment: string | null;
    churnProbability: number | null;
    daysToRenewal: number;
    arr: number;
    renewed: boolean;
  }[];
}

/**
 * γ maximising the likelihood of past renewals' outcomes (grid of 0.05, then a finer step around the
 * best): how much the churn score should separate renewals within a segment. 0 when there is nothing
 * to learn from (no scored renewal). Example: scores unrelated to the outcomes → γ near 0.
 */
export function fitRiskExponent(
  periods: readonly RenewalFitPeriod[],
  opts: { horizonDays: number; decayDays?: number; priorStrength?: number },
): { riskExponent: number; renewals: number; logLikelihood: number | null } {
  const reference = renewalReference(periods);
  const renewals = periods.reduce(
    (s, p) => s + p.renewals.filter((r) => r.churnProbability !== null).length,
    0,
  );
  if (renewals === 0) return { riskExponent: 0, renewals: 0, logLikelihood: null };
  const ll = (gamma: number) => {
    let sum = 0;
    for (const period of periods) {
      const cal = calibrateRenewals(period.history, reference, { ...opts, riskExponent: gamma });
      for (const r of period.renewals) {
        const p = renewalProbability(cal, r).probability;
        if (p === null) continue;
        const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        sum += r.renewed ? Math.log(q) : Math.log(1 - q);
      }
    }
    return sum;
  };
  let best = 0;
  let bestLl = ll(0);
  const consider = (g: number) => {
    if (g < 0 || g > 1) return;
    const v = ll(g);
    if (v > bestLl + 1e-9) {
      best = g;
      bestLl = v;
    }
  };
  for (let i = 1; i <= 20; i++) consider(i / 20);
  const coarse = best;
  for (let d = -4; d <= 4; d++) if (d !== 0) consider(Math.round((coarse + d / 100) * 100) / 100);
  return { riskExponent: best, renewals, logLikelihood: bestLl };
}

/** The reference of calibrateRenewals from past periods: their scored renewals with their ARR and days ahead. */
export function renewalReference(
  periods: readonly Pick<RenewalFitPeriod, "renewals">[],
): { segment: string | null; churnProbability: number; arr: number; daysToRenewal: number }[] {
  const out = [];
  for (const p of periods)
    for (const r of p.renewals)
      if (r.churnProbability !== null)
        out.push({
          segment: r.segment,
          churnProbability: r.churnProbability,
          arr: r.arr,
          daysToRenewal: r.daysToRenewal,
        });
  return out;
}
