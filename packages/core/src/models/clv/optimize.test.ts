import { describe, expect, it } from "vitest";
import { lbfgs } from "./lbfgs";
import { nelderMead } from "./nelder-mead";

const rosenbrock = (x: Float64Array, grad?: Float64Array) => {
  let f = 0;
  grad?.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i]!;
    const b = x[i + 1]!;
    f += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    if (grad) {
      grad[i]! += -400 * a * (b - a * a) - 2 * (1 - a);
      grad[i + 1]! += 200 * (b - a * a);
    }
  }
  return f;
};

describe("nelderMead", () => {
  it("should find (1, 1) when minimising the 2-D Rosenbrock function", () => {
    const r = nelderMead((x) => rosenbrock(x), [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it("should find the minimum of a 4-D Rosenbrock function", () => {
    const r = nelderMead((x) => rosenbrock(x), [-1, 0.5, -0.5, 1.2], { maxIterations: 50_000 });
    for (const v of r.x) expect(v).toBeCloseTo(1, 4);
  });

  it("should step away from infeasible points when the objective returns NaN or Infinity", () => {
    // Minimum of (x−2)² on x > 0, NaN for x ≤ 0.
    const r = nelderMead((x) => (x[0]! > 0 ? (x[0]! - 2) ** 2 : Number.NaN), [0.05], { initialStep: 5 });
    expect(r.x[0]).toBeCloseTo(2, 6);
  });

  it("should report no convergence when the iteration budget runs out", () => {
    const r = nelderMead((x) => rosenbrock(x), [-1.2, 1], { maxIterations: 5 });
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/without converging/);
  });
});

describe("lbfgs", () => {
  it("should find (1, 1) when minimising the 2-D Rosenbrock function", () => {
    const r = lbfgs((x, g) => rosenbrock(x, g), [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 7);
    expect(r.x[1]).toBeCloseTo(1, 7);
    expect(r.iterations).toBeLessThan(100);
  });

  it("should find the minimum of a 10-D Rosenbrock function", () => {
    const r = lbfgs((x, g) => rosenbrock(x, g), new Array(10).fill(-1));
    for (const v of r.x) expect(v).toBeCloseTo(1, 6);
  });

  it("should solve an ill-conditioned quadratic exactly", () => {
    const scales = [1, 1e2, 1e4];
    const r = lbfgs(
      (x, g) => {
        let f = 0;
        scales.forEach((s, i) => {
          f += 0.5 * s * (x[i]! - i) ** 2;
          g[i] = s * (x[i]! - i);
        });
        return f;
      },
      [5, 5, 5],
    );
    r.x.forEach((v, i) => {
      expect(v).toBeCloseTo(i, 8);
    });
  });

  it("should report failure when the objective is not finite at the start", () => {
    const r = lbfgs(() => Number.NaN, [0]);
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/not finite/);
  });
});
