import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { predictProbabilities, trainClassifier } from "./classifier";
import { binMatrix, finalizeThresholds, fitGbt, gbtMargin } from "./gbt";
import { createRng } from "./prng";
import type { DataRow } from "./table";

/** Rows where the label rises with x0 on average but dips in the middle (a tempting non-monotone fit). */
function wavyData(n: number, seed: number) {
  const rng = createRng(seed);
  const p = 3;
  const data = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = rng() * 10;
    const x1 = rng() * 10;
    const x2 = rng() * 10;
    data.set([x0, x1, x2], i * p);
    const z = 0.4 * x0 - 2 + 2.5 * Math.sin(x0 * 1.3) - 0.3 * x2 + 0.5 * Math.cos(x1);
    y[i] = rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { m: { n, p, data }, y };
}

describe("monotone constraints", () => {
  const { m, y } = wavyData(3000, 11);
  const bm = binMatrix(m, 64);
  const free = finalizeThresholds(fitGbt(bm, y, { trees: 80, depth: 4, seed: 3 }), bm);
  const model = finalizeThresholds(fitGbt(bm, y, { trees: 80, depth: 4, seed: 3, monotone: [1, 0, -1] }), bm);
  const point = fc.tuple(
    fc.double({ min: -1, max: 11, noNaN: true }),
    fc.double({ min: -1, max: 11, noNaN: true }),
    fc.double({ min: -1, max: 11, noNaN: true }),
  );

  it("should fit a non-monotone curve when no constraint is given (the data tempts it)", () => {
    let falls = 0;
    for (let x0 = 0; x0 < 10; x0 += 0.1)
      if (gbtMargin(free, [x0 + 0.1, 5, 5]) < gbtMargin(free, [x0, 5, 5]) - 1e-9) falls++;
    expect(falls).toBeGreaterThan(0);
  });

  it("should never lower the margin when a +1 feature rises or raise it when a −1 feature rises", () => {
    fc.assert(
      fc.property(point, fc.double({ min: 0, max: 12, noNaN: true }), ([a, b, c], d) => {
        expect(gbtMargin(model, [a + d, b, c])).toBeGreaterThanOrEqual(gbtMargin(model, [a, b, c]) - 1e-12);
        expect(gbtMargin(model, [a, b, c + d])).toBeLessThanOrEqual(gbtMargin(model, [a, b, c]) + 1e-12);
      }),
      { numRuns: 500 },
    );
  });

  it("should keep every candidate model (logistic, trees, blend) monotone when trained with constraints", () => {
    const rows: DataRow[] = [];
    for (let i = 0; i < m.n; i++)
      rows.push({ a: m.data[i * 3]!, b: m.data[i * 3 + 1]!, c: i % 7 === 0 ? null : m.data[i * 3 + 2]! });
    for (const kind of ["logistic", "gbt", "blend"] as const) {
      const trained = trainClassifier(rows, y, {
        features: ["a", "b", "c"],
        candidates: [kind],
        folds: 2,
        gbt: { trees: 40 },
        monotone: { a: 1, c: -1 },
      });
      fc.assert(
        fc.property(point, fc.double({ min: 0, max: 12, noNaN: true }), ([a, b, c], d) => {
          const [p0, pa, pc] = predictProbabilities(trained, [
            { a, b, c },
            { a: a + d, b, c },
            { a, b, c: c + d },
          ]);
          expect(pa!).toBeGreaterThanOrEqual(p0! - 1e-12);
          expect(pc!).toBeLessThanOrEqual(p0! + 1e-12);
        }),
        { numRuns: 200 },
      );
    }
  });
});
