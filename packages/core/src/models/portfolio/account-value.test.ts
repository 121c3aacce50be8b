import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sbgDerl } from "../clv/sbg";
import { churnAt, fitAtBound, monthlyChurnOf, observedMonthlyChurn, riskAdjustedDerl } from "./account-value";

describe("account value on a retention curve", () => {
  it("should equal sbgDerl when the account carries its group's average risk", () => {
    const curve = { kind: "sbg" as const, alpha: 0.668, beta: 3.806 };
    for (const renewals of [0, 1, 5, 24])
      expect(
        riskAdjustedDerl(curve, { renewals, monthlyDiscountRate: 0.01, monthlyChurn: null }),
      ).toBeCloseTo(sbgDerl(curve, 0.01, renewals), 4);
  });

  it("should give the geometric closed form (1 − θ)(1 + d)/(d + θ) for observed retention", () => {
    const v = riskAdjustedDerl(
      { kind: "geometric", churn: 0.02 },
      { renewals: 3, monthlyDiscountRate: 0.01, monthlyChurn: null },
    );
    expect(v).toBeCloseTo((0.98 * 1.01) / 0.03, 4);
    expect(churnAt({ kind: "geometric", churn: 0.02 }, 40)).toBe(0.02);
  });

  it("should value an at-risk account below its healthy twin, for any curve and tenure", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        (alpha, beta, renewals, healthy, extra) => {
          const curve = { kind: "sbg" as const, alpha, beta };
          const at = (m: number) =>
            riskAdjustedDerl(curve, { renewals, monthlyDiscountRate: 0.008, monthlyChurn: m });
          expect(at(healthy + extra)).toBeLessThan(at(healthy));
        },
      ),
    );
  });

  it("should count churn per month at risk and recognise a fit at its bound", () => {
    expect(observedMonthlyChurn([{ start: "2024-01", survivors: [10, 9, 9] }])).toBeCloseTo(1 / 19, 12);
    expect(observedMonthlyChurn([])).toBeNull();
    expect(
      fitAtBound({ warnings: ["a parameter is at its bound: the data hardly identify the model"] }),
    ).toBe(true);
    expect(fitAtBound({ warnings: [] })).toBe(false);
    expect(() =>
      riskAdjustedDerl(
        { kind: "geometric", churn: 0.1 },
        { renewals: 0, monthlyDiscountRate: 0.01, monthlyChurn: -1 },
      ),
    ).toThrow(/monthlyChurn/);
    // An account the model gives 99.7% to churn within 90 days is worth under two months of MRR.
    const m = monthlyChurnOf(0.997, 90);
    expect(m).toBeCloseTo(1 - 0.003 ** (30.44 / 90), 12);
    const curve = { kind: "sbg" as const, alpha: 1.1, beta: 49 };
    expect(
      riskAdjustedDerl(curve, { renewals: 24, monthlyDiscountRate: 0.008, monthlyChurn: m }),
    ).toBeLessThan(2);
  });
});
