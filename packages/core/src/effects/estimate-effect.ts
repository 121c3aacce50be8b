import { TenureError } from "../errors";
import { studentTQuantile, studentTUpperTail } from "./student-t";

/** One unit (an account) in an experiment: its metric at the start (pre) and end (post) of the window. */
export interface EffectSample {
  pre: number;
  post: number;
}

/** The two groups and how to estimate; see docs/effects.md for the formulas. */
export interface EffectInput {
  treated: readonly EffectSample[];
  control: readonly EffectSample[];
  /** Adjust post by the pre-period metric (CUPED); false compares post alone. Default true. */
  cuped?: boolean;
  /** Two-sided confidence level of the interval. Default 0.95. */
  confidence?: number;
}

/** A treatment effect with its Welch interval and test; all in the metric's own unit. */
export interface EffectEstimate {
  /** mean(adjusted, treated) − mean(adjusted, control). */
  effect: number;
  ciLow: number;
  ciHigh: number;
  /** Two-sided p-value of Welch's t-test of effect = 0. */
  pValue: number;
  /** effect / mean of post in the control group; null when that mean is 0. */
  relativeEffect: number | null;
  /** CUPED coefficient cov(pre, post) / var(pre) over both groups; null without CUPED. */
  theta: number | null;
  nTreated: number;
  nControl: number;
  /** Welch–Satterthwaite degrees of freedom (not a whole number in general). */
  df: number;
  /** Standard error √(s²_T/n_T + s²_C/n_C) of the effect. */
  se: number;
  tStatistic: number;
  /** Share of the pooled variance of post removed by CUPED (ρ² of pre and post); null without CUPED. */
  varianceReduction: number | null;
}

const mean = (xs: readonly number[]) => {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
};

/** Sample variance (n − 1), two-pass so that large offsets do not cancel. */
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
};

function checkGroup(name: "treated" | "control", samples: readonly EffectSample[], cuped: boolean): void {
  if (samples.length < 2) {
    throw new TenureError(
      "validation",
      `the ${name} group has ${samples.length} ${samples.length === 1 ? "unit" : "units"}; at least 2 are needed to estimate its variance`,
      { group: name, n: samples.length },
    );
  }
  samples.forEach((s, i) => {
    for (const field of cuped ? (["pre", "post"] as const) : (["post"] as const)) {
      if (!Number.isFinite(s[field])) {
        throw new TenureError(
          "validation",
          `${name} unit ${i + 1}: ${field} is not a finite number (${s[field]})`,
          {
            group: name,
            index: i,
            field,
          },
        );
      }
    }
  });
}

/**
 * Estimates a treatment effect with CUPED (Deng et al. 2013) and Welch's unequal-variance interval:
 * θ = cov(pre, post) / var(pre) over both groups, adjusted = post − θ(pre − mean pre), effect =
 * difference of the adjusted means, SE and df by Welch–Satterthwaite, CI = effect ± t(1−α/2, df)·SE.
 * A constant pre gives θ = 0 (it carries no information). Throws a validation error for a group of
 * fewer than 2 units, a non-finite value, or an outcome with no variance in either group.
 */
export function estimateEffect(input: EffectInput): EffectEstimate {
  const cuped = input.cuped ?? true;
  const confidence = input.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new TenureError("validation", `confidence must be between 0 and 1 (got ${confidence})`, {
      field: "confidence",
    });
  }
  checkGroup("treated", input.treated, cuped);
  checkGroup("control", input.control, cuped);
  const nT = input.treated.length;
  const nC = input.control.length;
  const postT = input.treated.map((s) => s.post);
  const postC = input.control.map((s) => s.post);

  let theta: number | null = null;
  let varianceReduction: number | null = null;
  let adjT = postT;
  let adjC = postC;
  if (cuped) {
    const all = [...input.treated, ...input.control];
    const preMean = mean(all.map((s) => s.pre));
    const postMean = mean(all.map((s) => s.post));
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (const s of all) {
      const dx = s.pre - preMean;
      const dy = s.post - postMean;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    // A constant pre is checked by value: its float mean can miss it by an ulp and leave sxx ≈ 1e-30.
    const first = all[0]?.pre;
    const informative = sxx > 0 && all.some((s) => s.pre !== first);
    // The n − 1 divisors of cov and var cancel in θ.
    theta = informative ? sxy / sxx : 0;
    varianceReduction = informative && syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
    const t = theta;
    adjT = input.treated.map((s) => s.post - t * (s.pre - preMean));
    adjC = input.control.map((s) => s.post - t * (s.pre - preMean));
  }

  const effect = mean(adjT) - mean(adjC);
  const vT = variance(adjT) / nT;
  const vC = variance(adjC) / nC;
  const se = Math.sqrt(vT + vC);
  if (!(se > 0)) {
    throw new TenureError(
      "validation",
      `the ${cuped ? "adjusted " : ""}outcome has no variance within either group, so no interval can be computed`,
      { field: cuped ? "adjusted" : "post" },
    );
  }
  const df = ((vT + vC) * (vT + vC)) / ((vT * vT) / (nT - 1) + (vC * vC) / (nC - 1));
  const tStatistic = effect / se;
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  const controlPost = mean(postC);
  return {
    effect,
    ciLow: effect - half,
    ciHigh: effect + half,
    pValue: Math.min(1, 2 * studentTUpperTail(tStatistic, df)),
    relativeEffect: controlPost === 0 ? null : effect / controlPost,
    theta,
    nTreated: nT,
    nControl: nC,
    df,
    se,
    tStatistic,
    varianceReduction,
  };
}
