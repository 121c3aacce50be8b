import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sbgDerl } from "../clv/sbg";
import { churnAt, fitAtBound, observedMonthlyChurn, riskAdjustedDerl } from "./account-value";

describe("account value on a retention curve", () => {
  it("should equal sbgDerl when the account carries its group's average risk", () => {
    const curve = { kind: "sbg" as const, alpha: 0.668, beta: 3.806 };
    for (const renewals of [0, 1, 5, 24])
      expect(riskAdjustedDerl(curve, { renewals, monthlyDiscountRate: 0.01, relativeRisk: 1 })).toBeCloseTo(
        sbgDerl(curve, 0.01, renewals),
        4,
      );
  });

  it("should give the geometric closed form (1 − θ)(1 + d)/(d + θ) for observed retention", () => {
    const v = riskAdjustedDerl(
      { kind: "geometric", churn: 0.02 },
      { renewals: 3, monthlyDiscountRate: 0.01, relativeRisk: 1 },
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
        fc.double({ min: 1.01, max: 40, noNaN: true }),
        (alpha, beta, renewals, riskier) => {
          const curve = { kind: "sbg" as const, alpha, beta };
          const at = (rr: number) =>
            riskAdjustedDerl(curve, { renewals, monthlyDiscountRate: 0.008, relativeRisk: rr });
          expect(at(riskier)).toBeLessThan(at(1));
          expect(at(1)).toBeLessThan(at(1 / riskier));
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
        { renewals: 0, monthlyDiscountRate: 0.01, relativeRisk: -1 },
      ),
    ).toThrow(/relativeRisk/);
  });
});
