import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TenureError } from "../../errors";
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdObjective,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from "./bg-nbd";
import { discountedClv } from "./discounted-clv";
import { fitGammaGamma, gammaGammaExpectedAverageValue } from "./gamma-gamma";
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdProbabilityAlive,
} from "./pareto-nbd";
import { rfmSummary } from "./rfm";
import { compressRfm } from "./rfm-compress";
import { parseTransactionsText } from "./transactions-text";

// lifetimes' copy of the CDNOW 1/10 sample (read at run time, never copied into the repo).
const DATA = new URL("../../../../../../shared/datasets/cdnow/", import.meta.url);
const sample = rfmSummary(parseTransactionsText(readFileSync(new URL("CDNOW_sample.txt", DATA), "utf8")), {
  calibrationEnd: "1997-09-30",
  timeUnit: "week",
});
const sig = (v: number, digits: number) => Number(v.toPrecision(digits));

describe("RFM summary of CDNOW", () => {
  it("should have 2,357 customers, 946 repeat buyers and T up to 38.86 weeks", () => {
    expect(sample.customers).toHaveLength(2357);
    expect(sample.customers.filter((c) => c.frequency > 0)).toHaveLength(946);
    expect(Math.max(...sample.customers.map((c) => c.T)).toFixed(2)).toBe("38.86");
    expect(sample.customers[0]).toMatchObject({ customerId: "00004", frequency: 2, monetaryValue: 22.345 });
  });
});

describe("BG/NBD on CDNOW", () => {
  const fit = fitBgNbd(sample.customers);

  it("should reproduce r, α, a, b to 4 significant digits and the log-likelihood −9582.43", () => {
    const { r, alpha, a, b } = fit.params;
    expect([sig(r, 4), sig(alpha, 4), sig(a, 4), sig(b, 4)]).toEqual([
      sig(0.242593, 4),
      sig(4.413532, 4),
      sig(0.792886, 4),
      sig(2.425752, 4),
    ]);
    expect(fit.logLikelihood.toFixed(2)).toBe("-9582.43");
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
    expect(bgNbdLogLikelihood(fit.params, sample.customers)).toBeCloseTo(fit.logLikelihood, 8);
  });

  it("should expect 1.226 purchases in 39 weeks when x = 2, t_x = 30.43, T = 38.86", () => {
    const c = { frequency: 2, recency: 30.43, T: 38.86 };
    expect(bgNbdConditionalExpectedPurchases(fit.params, c, 39).toFixed(3)).toBe("1.226");
  });

  it("should give P(alive) = 1 for one-time buyers and less for a long-silent repeat buyer", () => {
    expect(bgNbdProbabilityAlive(fit.params, { frequency: 0, recency: 0, T: 38 })).toBe(1);
    const silent = bgNbdProbabilityAlive(fit.params, { frequency: 5, recency: 2, T: 38 });
    expect(silent).toBeGreaterThan(0);
    expect(silent).toBeLessThan(0.2);
  });

  it("should match the sum of conditional expectations when predicting a new customer's purchases", () => {
    // E[X(t)] increases and is 0 at t = 0.
    expect(bgNbdExpectedPurchases(fit.params, 0)).toBe(0);
    expect(bgNbdExpectedPurchases(fit.params, 39)).toBeGreaterThan(bgNbdExpectedPurchases(fit.params, 10));
  });

  it("should compute the analytic gradient of the likelihood correctly", () => {
    const f = bgNbdObjective(compressRfm(sample.customers));
    const u = Float64Array.from([-1.2, 1.3, -0.1, 0.7]);
    const g = new Float64Array(4);
    f(u, g);
    for (let i = 0; i < 4; i++) {
      const up = Float64Array.from(u);
      const down = Float64Array.from(u);
      up[i]! += 1e-6;
      down[i]! -= 1e-6;
      const numeric = (f(up, new Float64Array(4)) - f(down, new Float64Array(4))) / 2e-6;
      expect(g[i]).toBeCloseTo(numeric, 7);
    }
  });

  it("should throw a validation error when every customer bought once or there are no customers", () => {
    const once = sample.customers.map((c) => ({ ...c, frequency: 0, recency: 0 }));
    expect(() => fitBgNbd(once)).toThrow(/bought only once/);
    expect(() => fitBgNbd([])).toThrow(TenureError);
    expect(() => fitBgNbd([{ frequency: 1, recency: 5, T: 3 }])).toThrow(/recency ≤ T/);
  });
});

describe("Pareto/NBD on CDNOW", () => {
  const fit = fitParetoNbd(sample.customers);

  it("should reproduce r = 0.553, α = 10.578, s = 0.606, β = 11.669", () => {
    const { r, alpha, s, beta } = fit.params;
    expect([r.toFixed(3), alpha.toFixed(3), s.toFixed(3), beta.toFixed(3)]).toEqual([
      "0.553",
      "10.578",
      "0.606",
      "11.669",
    ]);
    expect(fit.warnings).toEqual([]);
  });

  it("should give sensible P(alive) and conditional expectations", () => {
    const c = { frequency: 2, recency: 30.43, T: 38.86 };
    const alive = paretoNbdProbabilityAlive(fit.params, c);
    expect(alive).toBeGreaterThan(0.5);
    expect(alive).toBeLessThan(1);
    expect(paretoNbdProbabilityAlive(fit.params, { frequency: 3, recency: 38.86, T: 38.86 })).toBe(1);
    const expected = paretoNbdConditionalExpectedPurchases(fit.params, c, 39);
    expect(expected).toBeGreaterThan(1);
    expect(expected).toBeLessThan(2);
    expect(paretoNbdExpectedPurchases(fit.params, 39)).toBeGreaterThan(0);
  });

  it("should throw when every customer bought only once", () => {
    expect(() => fitParetoNbd([{ frequency: 0, recency: 0, T: 3 }])).toThrow(/bought only once/);
  });
});

describe("Gamma-Gamma on CDNOW", () => {
  it("should reproduce p = 6.25, q = 3.74, v = 15.44 from the 946 repeat buyers", () => {
    const fit = fitGammaGamma(sample.customers);
    expect(fit.customers).toBe(946);
    expect([fit.params.p.toFixed(2), fit.params.q.toFixed(2), fit.params.v.toFixed(2)]).toEqual([
      "6.25",
      "3.74",
      "15.44",
    ]);
  });

  it("should give lifetimes' expected average spend (24.658619…) from its rounded summary file", () => {
    // lifetimes printed these from cdnow_customers_summary_with_transactions.csv, whose zbar is rounded
    // to cents (22.35 for the first customer, 22.345 in the raw log).
    const rows = readFileSync(new URL("cdnow_customers_summary_with_transactions.csv", DATA), "utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => {
        const [, x, , , zbar] = l.split(",").map(Number);
        return { frequency: x!, monetaryValue: zbar! };
      });
    const fit = fitGammaGamma(rows);
    expect(gammaGammaExpectedAverageValue(fit.params, rows[0]!)).toBeCloseTo(24.658619, 5);
    // lifetimes stops Nelder–Mead a little short of the optimum, so its later digits differ by ~1e-5.
    const expected = [24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843];
    expected.forEach((value, i) => {
      expect(gammaGammaExpectedAverageValue(fit.params, rows[i]!)).toBeCloseTo(value, 4);
    });
  });

  it("should throw when there are no repeat buyers and warn about non-positive values", () => {
    expect(() => fitGammaGamma([{ frequency: 0, monetaryValue: 0 }])).toThrow(/repeat buyers/);
    const fit = fitGammaGamma([...sample.customers, { frequency: 2, monetaryValue: 0 }]);
    expect(fit.warnings[0]).toMatch(/1 repeat buyers/);
  });
});

describe("discountedClv", () => {
  const bg = fitBgNbd(sample.customers);
  const gg = fitGammaGamma(sample.customers);
  const first = sample.customers[0]!;
  const value = gammaGammaExpectedAverageValue(gg.params, first);

  it("should equal value × expected purchases when the discount rate is 0", () => {
    const purchases = (t: number) => bgNbdConditionalExpectedPurchases(bg.params, first, t);
    const clv = discountedClv({
      expectedPurchases: purchases,
      value,
      months: 12,
      monthlyDiscountRate: 0,
      timeUnit: "week",
    });
    expect(clv).toBeCloseTo(value * purchases((12 * 365.25) / 12 / 7), 10);
    const discounted = discountedClv({
      expectedPurchases: purchases,
      value,
      months: 12,
      monthlyDiscountRate: 0.01,
      timeUnit: "week",
    });
    expect(discounted).toBeLessThan(clv);
    expect(discounted).toBeGreaterThan(clv / 1.01 ** 12);
  });

  it("should throw when months or the discount rate are invalid", () => {
    const args = {
      expectedPurchases: () => 1,
      value: 1,
      months: 12,
      monthlyDiscountRate: 0.01,
      timeUnit: "day" as const,
    };
    expect(() => discountedClv({ ...args, months: -1 })).toThrow(TenureError);
    expect(() => discountedClv({ ...args, monthlyDiscountRate: -1 })).toThrow(TenureError);
  });
});
