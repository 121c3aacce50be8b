import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTenureError } from "../errors";
import { type EffectSample, estimateEffect } from "./estimate-effect";

// R's `sleep` data (ORACLES.md): extra hours of sleep, group 1 vs group 2.
const SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
// An invented pre-period for the same people, for a CUPED reference computed with numpy/scipy:
// θ = np.cov(x, y)[0,1] / np.var(x, ddof=1); ttest_ind(adjusted, equal_var=False).
const PRE_1 = [0.5, -1.0, 0.3, -0.8, 0.2, 2.9, 3.1, 1.1, -0.4, 1.5];
const PRE_2 = [1.2, 0.9, 0.4, 0.6, -0.5, 3.8, 4.9, 1.0, 3.7, 2.6];

const samples = (post: number[], pre: number[] = post.map(() => 0)): EffectSample[] =>
  post.map((y, i) => ({ pre: pre[i] ?? 0, post: y }));

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Relative closeness that also holds around 0. */
const close = (a: number, b: number, tol = 1e-9) =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

// Values on a 0.1 grid: exact enough to compare, varied enough to exercise the formulas.
const value = fc.integer({ min: -5000, max: 5000 }).map((n) => n / 10);
const group = fc.array(fc.record({ pre: value, post: value }), { minLength: 2, maxLength: 25 });
/** Both groups, with some spread of post inside each (else no interval exists). */
const groups = fc
  .tuple(group, group)
  .filter(([t, c]) => variance(t.map((s) => s.post)) > 0 && variance(c.map((s) => s.post)) > 0);

/** The estimate, or null when the adjusted outcome happens to have no variance (post linear in pre). */
function tryEstimate(treated: EffectSample[], control: EffectSample[], cuped = true) {
  try {
    return estimateEffect({ treated, control, cuped });
  } catch (err) {
    if (isTenureError(err, "validation")) return null;
    throw err;
  }
}

describe("estimateEffect without CUPED", () => {
  it("should reproduce the published Welch example (R t.test on sleep) when given the sleep data", () => {
    const r = estimateEffect({ treated: samples(SLEEP_1), control: samples(SLEEP_2), cuped: false });
    expect(r.effect.toFixed(2)).toBe("-1.58");
    expect(r.tStatistic.toFixed(4)).toBe("-1.8608");
    expect(r.df.toFixed(3)).toBe("17.776");
    expect(r.pValue.toFixed(5)).toBe("0.07939");
    expect(r.ciLow.toFixed(7)).toBe("-3.3654832");
    expect(r.ciHigh.toFixed(7)).toBe("0.2054832");
    expect(r.theta).toBeNull();
    expect(r.varianceReduction).toBeNull();
    expect(r.nTreated).toBe(10);
    expect(r.nControl).toBe(10);
    expect(r.relativeEffect).toBeCloseTo(-1.58 / 2.33, 12);
  });

  it("should move the effect by δ and keep SE and df when δ is added to every treated post", () => {
    fc.assert(
      fc.property(groups, value, ([t, c], delta) => {
        const base = estimateEffect({ treated: t, control: c, cuped: false });
        const shifted = estimateEffect({
          treated: t.map((s) => ({ ...s, post: s.post + delta })),
          control: c,
          cuped: false,
        });
        expect(close(shifted.effect, base.effect + delta, 1e-9)).toBe(true);
        expect(close(shifted.se, base.se, 1e-6)).toBe(true);
        expect(close(shifted.df, base.df, 1e-6)).toBe(true);
      }),
    );
  });

  it("should ignore pre entirely when CUPED is off", () => {
    fc.assert(
      fc.property(groups, ([t, c]) => {
        const a = estimateEffect({ treated: t, control: c, cuped: false });
        const zeroPre = (g: EffectSample[]) => g.map((s) => ({ pre: Number.NaN, post: s.post }));
        expect(estimateEffect({ treated: zeroPre(t), control: zeroPre(c), cuped: false })).toEqual(a);
      }),
    );
  });
});

describe("estimateEffect with CUPED", () => {
  it("should match numpy/scipy on the sleep data with a pre-period", () => {
    const r = estimateEffect({ treated: samples(SLEEP_1, PRE_1), control: samples(SLEEP_2, PRE_2) });
    expect(r.theta).toBeCloseTo(1.1875710496400151, 12);
    expect(r.effect).toBeCloseTo(-0.24992042440318318, 12);
    expect(r.tStatistic).toBeCloseTo(-1.4651306579400754, 10);
    expect(r.df).toBeCloseTo(17.234420865946344, 9);
    expect(r.pValue).toBeCloseTo(0.16089051423169115, 10);
    expect(r.ciLow).toBeCloseTo(-0.6094379786366124, 10);
    expect(r.ciHigh).toBeCloseTo(0.10959712983024611, 10);
    expect(r.relativeEffect).toBeCloseTo(-0.10726198472239623, 12);
    expect(r.varianceReduction).toBeCloseTo(0.9621155179329463, 12);
    // The same people without the adjustment: a 3.4× wider interval.
    const plain = estimateEffect({ treated: samples(SLEEP_1), control: samples(SLEEP_2), cuped: false });
    expect(plain.ciHigh - plain.ciLow).toBeGreaterThan(3.4 * (r.ciHigh - r.ciLow));
  });

  it("should equal the difference of post means minus θ times the difference of pre means", () => {
    fc.assert(
      fc.property(groups, ([t, c]) => {
        const r = tryEstimate(t, c);
        fc.pre(r !== null);
        if (!r || r.theta === null) return;
        const dPost = mean(t.map((s) => s.post)) - mean(c.map((s) => s.post));
        const dPre = mean(t.map((s) => s.pre)) - mean(c.map((s) => s.pre));
        expect(close(r.effect, dPost - r.theta * dPre, 1e-9)).toBe(true);
      }),
    );
  });

  it("should change nothing when a constant is added to every pre", () => {
    fc.assert(
      fc.property(groups, value, ([t, c], k) => {
        const a = tryEstimate(t, c);
        fc.pre(a !== null);
        const shift = (g: EffectSample[]) => g.map((s) => ({ pre: s.pre + k, post: s.post }));
        const b = tryEstimate(shift(t), shift(c));
        if (!a || !b) return;
        expect(close(b.effect, a.effect, 1e-7)).toBe(true);
        expect(close(b.theta ?? 0, a.theta ?? 0, 1e-7)).toBe(true);
        expect(close(b.se, a.se, 1e-6)).toBe(true);
      }),
    );
  });

  it("should scale θ and the effect by k and keep the p-value when post is multiplied by k > 0", () => {
    fc.assert(
      fc.property(groups, fc.integer({ min: 1, max: 50 }), ([t, c], k) => {
        const a = tryEstimate(t, c);
        fc.pre(a !== null);
        const b = tryEstimate(
          t.map((s) => ({ ...s, post: s.post * k })),
          c.map((s) => ({ ...s, post: s.post * k })),
        );
        if (!a || !b) return;
        expect(close(b.effect, k * a.effect, 1e-7)).toBe(true);
        expect(close(b.theta ?? 0, k * (a.theta ?? 0), 1e-7)).toBe(true);
        expect(Math.abs(b.pValue - a.pValue)).toBeLessThan(1e-6);
      }),
    );
  });

  it("should negate the effect and keep p and df when the groups are swapped", () => {
    fc.assert(
      fc.property(groups, ([t, c]) => {
        const a = tryEstimate(t, c);
        fc.pre(a !== null);
        const b = tryEstimate(c, t);
        if (!a || !b) return;
        expect(close(b.effect, -a.effect, 1e-9)).toBe(true);
        expect(close(b.ciLow, -a.ciHigh, 1e-9)).toBe(true);
        expect(Math.abs(b.pValue - a.pValue)).toBeLessThan(1e-9);
        expect(close(b.df, a.df, 1e-9)).toBe(true);
      }),
    );
  });

  it("should pick the θ that minimises the pooled variance of post − θ·pre", () => {
    fc.assert(
      fc.property(groups, fc.double({ min: 0.01, max: 2, noNaN: true }), ([t, c], eps) => {
        const r = tryEstimate(t, c);
        fc.pre(r !== null && r.theta !== null);
        const theta = r?.theta ?? 0;
        const all = [...t, ...c];
        const pooled = (th: number) => variance(all.map((s) => s.post - th * s.pre));
        expect(pooled(theta)).toBeLessThanOrEqual(pooled(theta + eps) * (1 + 1e-12));
        expect(pooled(theta)).toBeLessThanOrEqual(pooled(theta - eps) * (1 + 1e-12));
        // ...and removes exactly ρ² of it (ORACLES: variance falls by the factor 1 − ρ²).
        const before = variance(all.map((s) => s.post));
        expect(close(pooled(theta), before * (1 - (r?.varianceReduction ?? 0)), 1e-7)).toBe(true);
      }),
    );
  });

  it("should give θ = 0 and the plain estimate when pre is the same for every unit", () => {
    fc.assert(
      fc.property(groups, value, ([t, c], k) => {
        const flat = (g: EffectSample[]) => g.map((s) => ({ pre: k, post: s.post }));
        const cuped = estimateEffect({ treated: flat(t), control: flat(c) });
        const plain = estimateEffect({ treated: t, control: c, cuped: false });
        expect(cuped.theta).toBe(0);
        expect(cuped.effect).toBe(plain.effect);
        expect(cuped.ciLow).toBe(plain.ciLow);
        expect(cuped.pValue).toBe(plain.pValue);
      }),
    );
  });

  it("should give θ = 1 and effect 5 when post = pre + 5·treated + noise orthogonal to pre", () => {
    // Same pre in both groups (so pre says nothing about the group) and noise with no covariance
    // with pre: the population θ of 1 is then also the sample θ, and the adjustment removes pre.
    const pre = [10, 20, 30, 10, 20, 30];
    const noise = [1, -2, 1, -1, 2, -1];
    const units = pre.map((x, i) => ({ pre: x, post: x + (i < 3 ? 5 : 0) + (noise[i] ?? 0) }));
    const r = estimateEffect({ treated: units.slice(0, 3), control: units.slice(3) });
    expect(r.theta).toBeCloseTo(1, 14);
    expect(r.effect).toBeCloseTo(5, 12);
    const plain = estimateEffect({ treated: units.slice(0, 3), control: units.slice(3), cuped: false });
    expect(plain.effect).toBeCloseTo(5, 12);
    expect(r.se).toBeLessThan(plain.se / 5);
  });

  it("should say a confidence interval excludes 0 exactly when p < 1 − confidence", () => {
    fc.assert(
      fc.property(groups, fc.boolean(), ([t, c], cuped) => {
        const r = tryEstimate(t, c, cuped);
        fc.pre(r !== null && Math.abs(r.pValue - 0.05) > 1e-9);
        if (!r) return;
        expect(r.ciLow > 0 || r.ciHigh < 0).toBe(r.pValue < 0.05);
      }),
    );
  });
});

describe("estimateEffect on bad input", () => {
  const two = samples([1, 2]);
  it("should name the treated group when it has fewer than 2 units", () => {
    expect(() => estimateEffect({ treated: samples([1]), control: two })).toThrow(
      /the treated group has 1 unit; at least 2/,
    );
  });

  it("should name the control group when it is empty", () => {
    expect(() => estimateEffect({ treated: two, control: [] })).toThrow(/the control group has 0 units/);
  });

  it("should name the unit and field when a value is not finite", () => {
    const bad = [
      { pre: 1, post: 2 },
      { pre: Number.NaN, post: 3 },
    ];
    expect(() => estimateEffect({ treated: two, control: bad })).toThrow(
      /control unit 2: pre is not a finite number/,
    );
  });

  it("should refuse an interval when post has no variance in either group", () => {
    const flat = samples([3, 3, 3]);
    expect(() => estimateEffect({ treated: flat, control: samples([4, 4]), cuped: false })).toThrow(
      /no variance within either group/,
    );
  });

  it("should still estimate when only one group has no variance (df = n − 1 of the other)", () => {
    const r = estimateEffect({ treated: samples([3, 3, 3]), control: samples([1, 2, 4, 5]), cuped: false });
    expect(r.df).toBeCloseTo(3, 12);
    expect(r.effect).toBe(0);
    expect(r.pValue).toBeCloseTo(1, 12);
  });

  it("should give no relative effect when the control mean of post is 0", () => {
    const r = estimateEffect({ treated: samples([1, 2]), control: samples([-1, 1]), cuped: false });
    expect(r.relativeEffect).toBeNull();
  });
});
