import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TenureError } from "../../errors";
import { churnHazard, churnProbabilityWithin } from "./horizon";
import { reasonText } from "./reason-messages";
import { describeReason } from "./reasons";

describe("churn probability over any horizon", () => {
  it("should give back the model's probability at its own horizon and compound it over longer ones", () => {
    expect(churnProbabilityWithin(0.2, 90)).toBeCloseTo(0.2, 12);
    expect(churnProbabilityWithin(0.2, 180)).toBeCloseTo(1 - 0.8 ** 2, 12);
    expect(churnProbabilityWithin(0.2, 365)).toBeCloseTo(1 - 0.8 ** (365 / 90), 12);
    expect(churnProbabilityWithin(0.2, 0)).toBe(0);
    expect(churnHazard(0.2)).toBeCloseTo(-Math.log(0.8) / 90, 12);
  });

  it("should be continuous and rising in days (no cliff) for every probability", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        (p, d) => {
          const a = churnProbabilityWithin(p, d);
          const b = churnProbabilityWithin(p, d + 1);
          expect(b).toBeGreaterThanOrEqual(a);
          expect(b - a).toBeLessThanOrEqual(churnHazard(p) + 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("should refuse a probability outside [0, 1] or a negative horizon naming the value", () => {
    expect(() => churnProbabilityWithin(1.2, 90)).toThrow(TenureError);
    expect(() => churnProbabilityWithin(0.2, -1)).toThrow(/days/);
  });
});

describe("reasons as facts", () => {
  const reason = (feature: string) => ({ feature, value: null, contribution: 1 });

  it("should read days without use and the active-user change as a CSM would", () => {
    const f = { daysSinceLastUsage: 41, activeUsers28d: 0, activeUsersPrev28d: 14, activeUsersTrend: 0 };
    expect(reasonText(describeReason(reason("daysSinceLastUsage"), f))).toBe("no activity for 41 days");
    expect(reasonText(describeReason(reason("activeUsersTrend"), f))).toBe("active users 14 → 0 in 4 weeks");
    expect(reasonText(describeReason(reason("usageTrend"), { usageTrend: 0.6 }))).toBe(
      "usage -40% vs the 4 weeks before",
    );
    expect(reasonText(describeReason(reason("healthScoreChange30d"), { healthScoreChange30d: 12 }))).toBe(
      "health score +12 in 30 days",
    );
  });

  it("should never show a bare feature code or a dash whatever the feature values are", () => {
    const features = [
      "daysSinceLastUsage",
      "activeUsers28d",
      "activeUsersPrev28d",
      "activeUsersTrend",
      "usageTrend",
      "breadth",
      "seatUtilisation",
      "quotaPace",
      "healthScore",
      "healthScoreChange30d",
      "openRiskSignals",
      "tickets90d",
      "npsScore",
      "contacts",
      "keyRoleCoverage",
      "touches90d",
      "daysSinceLastTouch",
      "mrr",
      "mrrTrend3m",
      "tenureMonths",
      "plan",
      "billingInterval",
      "discountPct",
      "seats",
      "products",
      "tier",
      "segment",
    ];
    const cell = fc.oneof(
      fc.constant(null),
      fc.double({ min: -100, max: 10_000, noNaN: true }),
      fc.constantFrom("pro", "year"),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...features),
        fc.dictionary(fc.constantFrom(...features), cell),
        (feature, row) => {
          const text = reasonText(describeReason(reason(feature), row));
          expect(text).not.toMatch(/—|\{\{|undefined|NaN|[a-z][A-Z]/);
        },
      ),
      { numRuns: 400 },
    );
  });
});
