import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { regularizedIncompleteBeta, studentTCdf, studentTQuantile, studentTUpperTail } from "./student-t";

// Reference values: the classic t table (two-sided 5%: 12.706, 4.303, 3.182, 2.571, 2.228, 2.042, 1.984)
// to the digits of scipy.stats.t (which wraps Boost/Cephes); non-integer df from the same source.
const QUANTILES: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.706204736174694],
  [0.975, 2, 4.302652729749462],
  [0.975, 3, 3.1824463052837078],
  [0.975, 5, 2.5705818356363146],
  [0.975, 10, 2.228138851986274],
  [0.975, 30, 2.0422724563012378],
  [0.975, 100, 1.9839715185235518],
  [0.975, 1e6, 1.959966356814107],
  [0.995, 10, 3.16927267261695],
  [0.9, 3, 1.637744353696209],
  [0.999, 4, 7.173182219782307],
  [0.975, 17.776, 2.102821310380221],
  [0.975, 0.5, 164.55767348048818],
  [0.975, 2.5, 3.5746548420036817],
  [0.6, 7.3, 0.2627568052507191],
];

const CDFS: [t: number, df: number, p: number][] = [
  [2, 5, 0.9490302605850708],
  [-1.8608, 17.776, 0.03969828906988993],
  [0.5, 1, 0.6475836176504333],
  [3, 2.5, 0.9637119522254841],
  [10, 3, 0.9989358004707929],
  [-4, 0.7, 0.11667226029268572],
  [1.2, 1000, 0.8847882238377665],
];

describe("regularizedIncompleteBeta", () => {
  it("should match closed forms and scipy.special.betainc when given known arguments", () => {
    expect(regularizedIncompleteBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 14);
    // I_x(½, ½) = (2/π) arcsin √x.
    expect(regularizedIncompleteBeta(0.2, 0.5, 0.5)).toBeCloseTo(
      (2 / Math.PI) * Math.asin(Math.sqrt(0.2)),
      14,
    );
    expect(regularizedIncompleteBeta(0.9, 10, 2)).toBeCloseTo(0.6973568802000002, 12);
    expect(regularizedIncompleteBeta(0.01, 1.5, 30)).toBeCloseTo(0.1054029538391898, 12);
    expect(regularizedIncompleteBeta(0.7, 100, 80)).toBeCloseTo(0.9999765969200028, 12);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it("should satisfy I_x(a, b) = 1 − I_{1−x}(b, a) and I_x(1, b) = 1 − (1−x)^b for any arguments", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.05, max: 200, noNaN: true }),
        fc.double({ min: 0.05, max: 200, noNaN: true }),
        (x, a, b) => {
          const sum = regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBeta(1 - x, b, a);
          expect(sum).toBeCloseTo(1, 10);
          expect(regularizedIncompleteBeta(x, 1, b)).toBeCloseTo(1 - (1 - x) ** b, 10);
        },
      ),
    );
  });

  it("should throw a validation error when x is outside [0, 1] or a parameter is not positive", () => {
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/0 ≤ x ≤ 1/);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(/a, b > 0/);
  });
});

describe("studentTQuantile", () => {
  it.each(QUANTILES)("should give t(%s, df=%s) = %s to 1e-9", (p, df, t) => {
    expect(Math.abs(studentTQuantile(p, df) - t)).toBeLessThan(1e-9 * Math.max(1, t));
    expect(Math.abs(studentTQuantile(1 - p, df) + t)).toBeLessThan(1e-9 * Math.max(1, t));
  });

  it("should match the closed forms for 1 df (Cauchy) and 2 df when given any probability", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p) => {
        expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
        expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
      }),
    );
  });

  it("should invert the CDF when given any probability and real df", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0005, max: 0.9995, noNaN: true }),
        fc.double({ min: 0.3, max: 500, noNaN: true }),
        (p, df) => {
          expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
        },
      ),
    );
  });

  it("should throw a validation error when p is 0, 1 or df is not positive", () => {
    expect(() => studentTQuantile(1, 5)).toThrow(/strictly between 0 and 1/);
    expect(() => studentTQuantile(0, 5)).toThrow(/strictly between 0 and 1/);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/degrees of freedom/);
  });
});

describe("studentTCdf", () => {
  it.each(CDFS)("should give P(T ≤ %s | df=%s) = %s to 1e-12", (t, df, p) => {
    expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-12);
  });

  it("should match the Cauchy CDF for 1 df and be symmetric for any df", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0.2, max: 1000, noNaN: true }),
        (t, df) => {
          expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
          expect(studentTCdf(t, df) + studentTCdf(-t, df)).toBeCloseTo(1, 12);
        },
      ),
    );
  });

  it("should keep tail precision far out when 1 − cdf would round to 0", () => {
    // scipy.stats.t.sf(40, 10) = 1.1404288715428768e-12.
    expect(Math.abs(studentTUpperTail(40, 10) / 1.1404288715428768e-12 - 1)).toBeLessThan(1e-9);
  });
});
