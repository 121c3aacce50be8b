import { TenureError } from "../../errors";
import { nelderMead } from "./nelder-mead";
import { hyp2f1 } from "./special-functions";

/** Shifted-beta-geometric parameters: churn probability θ ~ Beta(α, β) across customers. */
export interface SbgParams {
  alpha: number;
  beta: number;
}

/** A fitted sBG model (Fader & Hardie 2007). */
export interface SbgFit extends SbgParams {
  logLikelihood: number;
  /** Number of cohorts and customers the fit used. */
  cohorts: number;
  customers: number;
  converged: boolean;
  /** Anything a user should know (non-convergence, a parameter at its bound); empty when clean. */
  warnings: string[];
}

const LOG_BOUND = 18;

/** Validates survivor counts: each cohort starts with its size and never increases. */
function checkCohorts(cohorts: readonly (readonly number[])[]): void {
  if (cohorts.length === 0)
    throw new TenureError("validation", "sBG needs at least one cohort of survivor counts");
  cohorts.forEach((c, k) => {
    if (c.length < 2) {
      throw new TenureError(
        "validation",
        `cohort ${k + 1} needs its size and at least one later survivor count`,
      );
    }
    c.forEach((n, t) => {
      if (!Number.isFinite(n) || n < 0) {
        throw new TenureError(
          "validation",
          `cohort ${k + 1}: survivor count ${n} at period ${t} is not a number ≥ 0`,
        );
      }
      if (t > 0 && n > c[t - 1]!) {
        throw new TenureError(
          "validation",
          `cohort ${k + 1}: survivors rise from ${c[t - 1]} to ${n} at period ${t}; counts must not increase`,
        );
      }
    });
    if (c[0]! <= 0) throw new TenureError("validation", `cohort ${k + 1} has no customers at period 0`);
  });
}

/** Log-likelihood of survivor counts: churners per period are P(T = t), the last survivors are censored S(T). */
export function sbgLogLikelihood(params: SbgParams, cohorts: readonly (readonly number[])[]): number {
  const { alpha, beta } = params;
  let ll = 0;
  for (const c of cohorts) {
    let p = alpha / (alpha + beta); // P(T = 1)
    for (let t = 1; t < c.length; t++) {
      if (t > 1) p *= (beta + t - 2) / (alpha + beta + t - 1);
      const lost = c[t - 1]! - c[t]!;
      if (lost > 0) ll += lost * Math.log(p);
    }
    const last = c[c.length - 1]!;
    // S(t) by its own product: subtracting probabilities loses precision far out.
    if (last > 0) ll += last * Math.log(sbgSurvival(params, c.length - 1));
  }
  return ll;
}

/**
 * Fits α, β by maximum likelihood from survivor counts of one or more cohorts (right-censored at each
 * cohort's last period). Each cohort is [size at period 0, survivors after period 1, …].
 * Example: `fitSbg([[1000, 869, 743, 653, 593, 551, 517, 491]])` → α ≈ 0.668, β ≈ 3.806.
 */
export function fitSbg(cohorts: readonly (readonly number[])[]): SbgFit {
  checkCohorts(cohorts);
  const customers = cohorts.reduce((a, c) => a + c[0]!, 0);
  const churned = cohorts.reduce((a, c) => a + c[0]! - c[c.length - 1]!, 0);
  if (churned === 0) {
    throw new TenureError("validation", "no customer churned in any cohort: the sBG model cannot be fitted");
  }
  const objective = (x: Float64Array) => {
    if (Math.abs(x[0]!) > LOG_BOUND || Math.abs(x[1]!) > LOG_BOUND) return Number.POSITIVE_INFINITY;
    return -sbgLogLikelihood({ alpha: Math.exp(x[0]!), beta: Math.exp(x[1]!) }, cohorts) / customers;
  };
  let result = nelderMead(objective, [0, 0], { initialStep: 0.5 });
  // A restart from the optimum guards against a collapsed simplex.
  result = nelderMead(objective, result.x, { initialStep: 0.05 });
  const [la, lb] = result.x as [number, number];
  const warnings: string[] = [];
  if (!result.converged) warnings.push(`optimiser did not converge: ${result.message}`);
  if (Math.max(Math.abs(la), Math.abs(lb)) > LOG_BOUND - 2) {
    warnings.push("a parameter is at its bound: the data hardly identify the model (e.g. almost no churn)");
  }
  const params = { alpha: Math.exp(la), beta: Math.exp(lb) };
  return {
    ...params,
    logLikelihood: sbgLogLikelihood(params, cohorts),
    cohorts: cohorts.length,
    customers,
    converged: result.converged,
    warnings,
  };
}

/** S(t) = B(α, β + t) / B(α, β): the share of a cohort still active after t periods. */
export function sbgSurvival(params: SbgParams, t: number): number {
  let s = 1;
  for (let i = 1; i <= t; i++) s *= (params.beta + i - 1) / (params.alpha + params.beta + i - 1);
  return s;
}

/** Retention rate r_t = (β + t − 1) / (α + β + t − 1): the share of period t−1 survivors who renew in t. */
export function sbgRetention(params: SbgParams, t: number): number {
  if (t < 1) throw new TenureError("validation", `retention is defined from period 1, got ${t}`);
  return (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
}

/** Projected survival and retention for periods 1..horizon. */
export function sbgProjection(
  params: SbgParams,
  horizon: number,
): { period: number; survival: number; retention: number }[] {
  const rows = [];
  let s = 1;
  for (let t = 1; t <= horizon; t++) {
    const retention = sbgRetention(params, t);
    s *= retention;
    rows.push({ period: t, survival: s, retention });
  }
  return rows;
}

function checkDiscount(d: number): void {
  if (!(d > 0) || !Number.isFinite(d)) {
    throw new TenureError("validation", `discount rate must be a number > 0 per period, got ${d}`);
  }
}

/**
 * Discounted expected lifetime of a new customer, DEL = Σ_{t≥0} S(t)/(1+d)^t = ₂F₁(1, β; α+β; 1/(1+d))
 * (Fader & Hardie 2010), in periods; the first payment is at t = 0, undiscounted.
 */
export function sbgDel(params: SbgParams, discountRate: number): number {
  checkDiscount(discountRate);
  return hyp2f1(1, params.beta, params.alpha + params.beta, 1 / (1 + discountRate));
}

/**
 * Discounted expected residual lifetime of a customer who has made `renewals` renewals (n − 1 in
 * Fader & Hardie 2010), evaluated just before the next renewal decision:
 * DERL = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d)).
 */
export function sbgDerl(params: SbgParams, discountRate: number, renewals: number): number {
  checkDiscount(discountRate);
  if (!Number.isInteger(renewals) || renewals < 0) {
    throw new TenureError("validation", `renewals must be a whole number ≥ 0, got ${renewals}`);
  }
  const n = renewals + 1;
  const { alpha, beta } = params;
  return (
    ((beta + n - 1) / (alpha + beta + n - 1)) * hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + discountRate))
  );
}

/**
 * CLV of a subscription account = gross margin × MRR × DERL, with the sBG period being a month
 * (for yearly periods pass the yearly revenue as `mrr`). Example: margin 0.8, MRR 100, DERL 20 → 1600.
 */
export function subscriptionClv(args: { margin: number; mrr: number; derl: number }): number {
  const { margin, mrr, derl } = args;
  for (const [name, v] of Object.entries({ margin, mrr, derl })) {
    if (!Number.isFinite(v)) throw new TenureError("validation", `${name} must be a finite number, got ${v}`);
  }
  return margin * mrr * derl;
}
