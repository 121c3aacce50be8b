import { describe, expect, it } from "vitest";
import { TenureError } from "../../errors";
import {
  fitSbg,
  sbgDel,
  sbgDerl,
  sbgLogLikelihood,
  sbgProjection,
  sbgRetention,
  sbgSurvival,
  subscriptionClv,
} from "./sbg";

// Fader & Hardie (2007), survivors per 1,000 customers, years 0..12.
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173];
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394];

describe("fitSbg", () => {
  it("should reproduce Fader & Hardie's α, β when fitted on years 1-7 of each segment", () => {
    const regular = fitSbg([REGULAR.slice(0, 8)]);
    expect(regular.alpha.toFixed(3)).toBe("0.704");
    expect(regular.beta.toFixed(3)).toBe("1.182");
    const high = fitSbg([HIGH_END.slice(0, 8)]);
    expect(high.alpha.toFixed(3)).toBe("0.668");
    expect(high.beta.toFixed(3)).toBe("3.806");
    expect(high.converged).toBe(true);
    expect(high.warnings).toEqual([]);
    expect(high.customers).toBe(1000);
  });

  it("should project the High End survival for years 8-12 and a DERL of 7.530 at 10%", () => {
    const high = fitSbg([HIGH_END.slice(0, 8)]);
    const projected = sbgProjection(high, 12)
      .slice(7)
      .map((p) => p.survival.toFixed(3));
    expect(projected).toEqual(["0.460", "0.436", "0.414", "0.395", "0.378"]);
    expect(sbgDerl(high, 0.1, 7).toFixed(3)).toBe("7.530");
  });

  it("should give the same parameters when the cohort is split into two identical cohorts", () => {
    const half = HIGH_END.slice(0, 8).map((n) => n / 2);
    const one = fitSbg([HIGH_END.slice(0, 8)]);
    const two = fitSbg([half, half]);
    expect(two.alpha).toBeCloseTo(one.alpha, 5);
    expect(two.beta).toBeCloseTo(one.beta, 5);
    expect(two.cohorts).toBe(2);
  });

  it("should combine cohorts of different lengths when they are right-censored at different periods", () => {
    const fit = fitSbg([REGULAR.slice(0, 8), REGULAR.slice(0, 4)]);
    expect(fit.alpha).toBeGreaterThan(0);
    expect(fit.logLikelihood).toBeCloseTo(
      sbgLogLikelihood(fit, [REGULAR.slice(0, 8)]) + sbgLogLikelihood(fit, [REGULAR.slice(0, 4)]),
      8,
    );
  });

  it("should throw a validation TenureError when input is empty, rising or has no churn", () => {
    expect(() => fitSbg([])).toThrow(TenureError);
    expect(() => fitSbg([[1000]])).toThrow(/at least one later/);
    expect(() => fitSbg([[1000, 900, 950]])).toThrow(/must not increase/);
    expect(() => fitSbg([[1000, 1000, 1000]])).toThrow(/no customer churned/);
    expect(() => fitSbg([[0, 0]])).toThrow(TenureError);
    expect(() => fitSbg([[100, Number.NaN]])).toThrow(TenureError);
  });

  it("should warn rather than return NaN when everyone churns in the first period", () => {
    const fit = fitSbg([[100, 0, 0]]);
    expect(Number.isFinite(fit.alpha) && Number.isFinite(fit.beta)).toBe(true);
    expect(fit.warnings.length).toBeGreaterThan(0);
  });
});

describe("sBG survival, retention and lifetime", () => {
  const params = { alpha: 0.668, beta: 3.806 };

  it("should use r_t = (β + t − 1) / (α + β + t − 1) when computing retention", () => {
    expect(sbgRetention(params, 1)).toBeCloseTo(3.806 / 4.474, 14);
    expect(sbgRetention(params, 5)).toBeCloseTo(7.806 / 8.474, 14);
    expect(() => sbgRetention(params, 0)).toThrow(TenureError);
  });

  it("should make survival the product of retention rates", () => {
    const rows = sbgProjection(params, 6);
    expect(rows[5]!.survival).toBeCloseTo(sbgSurvival(params, 6), 14);
    expect(rows.reduce((s, r) => s * r.retention, 1)).toBeCloseTo(rows[5]!.survival, 14);
  });

  it("should equal the discounted sum of survival when computing DEL and DERL", () => {
    const d = 0.1;
    let del = 0;
    let derl = 0;
    for (let t = 0; t < 3000; t++) {
      del += sbgSurvival(params, t) / (1 + d) ** t;
      if (t >= 8) derl += sbgSurvival(params, t) / sbgSurvival(params, 7) / (1 + d) ** (t - 8);
    }
    expect(sbgDel(params, d)).toBeCloseTo(del, 10);
    expect(sbgDerl(params, d, 7)).toBeCloseTo(derl, 10);
  });

  it("should throw when the discount rate or renewals are invalid", () => {
    expect(() => sbgDel(params, 0)).toThrow(TenureError);
    expect(() => sbgDerl(params, 0.1, -1)).toThrow(TenureError);
    expect(() => sbgDerl(params, 0.1, 1.5)).toThrow(TenureError);
  });

  it("should multiply margin, MRR and DERL when valuing a subscription account", () => {
    expect(subscriptionClv({ margin: 0.8, mrr: 100, derl: 20 })).toBeCloseTo(1600, 10);
    expect(() => subscriptionClv({ margin: 0.8, mrr: Number.NaN, derl: 20 })).toThrow(TenureError);
  });
});
