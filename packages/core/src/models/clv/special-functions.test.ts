import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TenureError } from "../../errors";
import { digamma, hyp2f1, lbeta, lgamma } from "./special-functions";

describe("lgamma", () => {
  it("should match ln((n−1)!) when x is a whole number", () => {
    let fact = 1;
    for (let n = 1; n <= 25; n++) {
      expect(lgamma(n)).toBeCloseTo(Math.log(fact), 12);
      fact *= n;
    }
  });

  it("should match known values when x is a half-integer, tiny or large", () => {
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lgamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
    // Γ(x) ≈ 1/x − γ for tiny x.
    expect(lgamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - 0.5772156649015329e-8, 12);
    // ln Γ(100) = ln(99!) = 359.13420536957540
    expect(lgamma(100)).toBeCloseTo(359.1342053695754, 10);
    // Reflection: Γ(−0.5) = −2√π.
    expect(lgamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
  });

  it("should satisfy ln Γ(x+1) = ln Γ(x) + ln x when x is any positive number", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (x) => {
        const diff = lgamma(x + 1) - lgamma(x) - Math.log(x);
        expect(Math.abs(diff)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lgamma(x + 1))));
      }),
    );
  });

  it("should give ln B(a, b) = ln(1/(a·b·…)) for small whole numbers", () => {
    // B(2, 3) = 1!·2!/4! = 1/12
    expect(lbeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
  });
});

describe("digamma", () => {
  it("should match known values when x is 1, 0.5 or large", () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 13);
    expect(digamma(0.5)).toBeCloseTo(-0.5772156649015329 - 2 * Math.log(2), 13);
    expect(digamma(1000)).toBeCloseTo(6.907255195648812, 13);
  });

  it("should be the derivative of lgamma when checked by central differences", () => {
    for (const x of [0.03, 0.7, 2.4, 13, 250]) {
      const h = 1e-5 * x;
      expect(digamma(x)).toBeCloseTo((lgamma(x + h) - lgamma(x - h)) / (2 * h), 5);
    }
  });
});

describe("hyp2f1", () => {
  it("should match closed forms when z is inside the unit disc", () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 11);
      expect(hyp2f1(0.7, 2.3, 2.3, z)).toBeCloseTo((1 - z) ** -0.7, 10);
      expect(hyp2f1(0.5, 0.5, 1.5, z * z)).toBeCloseTo(Math.asin(z) / z, 12);
    }
  });

  it("should match closed forms when z is negative (Pfaff transformation)", () => {
    for (const z of [-0.3, -0.95, -5, -100]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(Math.log(1 - z) / -z, 12);
      expect(hyp2f1(0.5, 1, 1.5, -z * z)).toBeCloseTo(Math.atan(-z) / -z, 12);
    }
  });

  it("should return a polynomial when a is a negative integer", () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    const [b, c, z] = [1.5, 2.5, 0.4];
    expect(hyp2f1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 14);
  });

  it("should throw a TenureError when z ≥ 1", () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(TenureError);
  });
});
