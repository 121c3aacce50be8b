import { describe, expect, it } from "vitest";
import { crossValidateLambda, predictProbabilities, trainClassifier } from "./classifier";
import { encodeRows, fitEncoder } from "./encoder";
import { explainPrediction } from "./explain";
import { binMatrix, finalizeThresholds, fitGbt, gbtMargin } from "./gbt";
import { fitLogistic, sigmoid } from "./logistic";
import { rocAuc } from "./metrics";
import { createRng, stratifiedFolds } from "./prng";

const matrix = (rows: number[][]) => ({
  n: rows.length,
  p: rows[0]!.length,
  data: Float64Array.from(rows.flat()),
});

describe("fitLogistic", () => {
  it("should reproduce the closed-form solution when the data are a 2×2 table", () => {
    // x=0: 1 of 4 positive; x=1: 3 of 4 positive. Unpenalised MLE: b = logit(1/4), w = logit(3/4) − logit(1/4).
    const xs = [0, 0, 0, 0, 1, 1, 1, 1];
    const y = Float64Array.from([1, 0, 0, 0, 1, 1, 1, 0]);
    const m = fitLogistic(matrix(xs.map((v) => [v])), y, 0);
    expect(m.intercept).toBeCloseTo(Math.log(1 / 3), 6);
    expect(m.coefficients[0]).toBeCloseTo(2 * Math.log(3), 6);
  });

  it("should satisfy the penalised score equations when λ > 0", () => {
    const rng = createRng(1);
    const rows = Array.from({ length: 200 }, () => [rng() * 2 - 1, rng() * 2 - 1]);
    const y = Float64Array.from(rows, ([a, b]) => (rng() < sigmoid(2 * a! - b!) ? 1 : 0));
    const lambda = 5;
    const m = fitLogistic(matrix(rows), y, lambda);
    // Gradient of Σ logloss + λ/2‖w‖² must vanish: Σ (μ − y) x_j + λ w_j = 0 and Σ (μ − y) = 0.
    const g = [0, 0, 0];
    rows.forEach((r, i) => {
      const mu = sigmoid(m.intercept + r[0]! * m.coefficients[0]! + r[1]! * m.coefficients[1]!);
      g[0]! += (mu - y[i]!) * r[0]!;
      g[1]! += (mu - y[i]!) * r[1]!;
      g[2]! += mu - y[i]!;
    });
    expect(g[0]! + lambda * m.coefficients[0]!).toBeCloseTo(0, 6);
    expect(g[1]! + lambda * m.coefficients[1]!).toBeCloseTo(0, 6);
    expect(g[2]).toBeCloseTo(0, 6);
    expect(m.coefficients[0]).toBeGreaterThan(0.5);
    expect(m.coefficients[1]).toBeLessThan(-0.2);
  });
});

describe("crossValidateLambda", () => {
  it("should pick a moderate λ over the extremes when the signal is real but noisy", () => {
    const rng = createRng(7);
    const n = 400;
    const p = 20;
    const rows = Array.from({ length: n }, () => Array.from({ length: p }, () => rng() * 2 - 1));
    // Only the first two features matter.
    const y = Float64Array.from(rows, (r) => (rng() < sigmoid(1.5 * r[0]! - 1.5 * r[1]!) ? 1 : 0));
    const lambdas = [1e-4, 0.1, 1, 10, 100, 1e5];
    const folds = stratifiedFolds(y, 5, 3);
    const cv = crossValidateLambda(matrix(rows), y, folds, 5, lambdas);
    expect(cv.chosen).toBeGreaterThan(1e-4);
    expect(cv.chosen).toBeLessThan(1e5);
    const at = (l: number) => cv.table.find((t) => t.lambda === l)!.logLoss;
    expect(at(cv.chosen)).toBeLessThan(at(1e5));
  });
});

describe("fitGbt", () => {
  it("should learn XOR when no single feature separates the classes", () => {
    const rng = createRng(3);
    const rows = Array.from({ length: 800 }, () => [rng() * 2 - 1, rng() * 2 - 1, rng()]);
    const y = Float64Array.from(rows, ([a, b]) => (a! * b! > 0 ? 1 : 0));
    const m = matrix(rows);
    const bm = binMatrix(m, 32);
    const model = fitGbt(bm, y, { trees: 60, depth: 2, learningRate: 0.3, seed: 1 });
    finalizeThresholds(model, bm);
    const scores = rows.map((r) => gbtMargin(model, r));
    expect(rocAuc(y, scores)).toBeGreaterThan(0.97);
    // A linear model cannot do better than chance on XOR.
    const lin = fitLogistic(m, y, 1);
    const linScores = rows.map(
      (r) => lin.intercept + r[0]! * lin.coefficients[0]! + r[1]! * lin.coefficients[1]!,
    );
    expect(rocAuc(y, linScores)).toBeLessThan(0.65);
  });

  it("should give identical models when the seed is the same", () => {
    const rng = createRng(5);
    const rows = Array.from({ length: 300 }, () => [rng(), rng()]);
    const y = Float64Array.from(rows, ([a]) => (rng() < a! ? 1 : 0));
    const bm = binMatrix(matrix(rows), 16);
    const a = fitGbt(bm, y, { trees: 20, seed: 9 });
    const b = fitGbt(bm, y, { trees: 20, seed: 9 });
    expect(a.trees.map((t) => [...t.value])).toEqual(b.trees.map((t) => [...t.value]));
  });
});

describe("trainClassifier", () => {
  const rng = createRng(11);
  const plans = ["basic", "pro", "enterprise"];
  const rows = Array.from({ length: 600 }, () => {
    const usage = rng() * 10;
    const plan = plans[Math.floor(rng() * 3)]!;
    const seats = rng() < 0.1 ? "" : String(Math.round(rng() * 50));
    return { usage: String(usage), plan, seats };
  });
  const y = rows.map((r) =>
    rng() < sigmoid(1 - 0.5 * Number(r.usage) + (r.plan === "basic" ? 1 : 0)) ? 1 : 0,
  );

  it("should one-hot categoricals, impute blanks with a missing indicator and predict sensibly", () => {
    const enc = fitEncoder(rows, ["usage", "plan", "seats"], y);
    const names = enc.features.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(["usage", "plan=basic", "plan=pro", "seats", "seats (missing)"]),
    );
    const x = encodeRows(enc, [{ usage: "1", plan: "unknown-plan", seats: " " }]);
    const seatsIdx = names.indexOf("seats");
    const missingIdx = names.indexOf("seats (missing)");
    expect(x.data[missingIdx]).toBe(1);
    expect(Number.isFinite(x.data[seatsIdx])).toBe(true);
    const model = trainClassifier(rows, y, { features: ["usage", "plan", "seats"], seed: 1 });
    const p = predictProbabilities(model, rows);
    expect(rocAuc(y, p)).toBeGreaterThan(0.75);
    const reasons = explainPrediction(model, { usage: "0.5", plan: "basic", seats: "3" }, 2);
    expect(reasons).toHaveLength(2);
    expect(reasons.map((r) => r.feature)).toContain("usage");
    expect(reasons.find((r) => r.feature === "usage")!.contribution).toBeGreaterThan(0);
  });

  it("should fold a squared feature into its column's reason (regression: 'usage²' was its own reason)", () => {
    const model = trainClassifier(rows, y, { features: ["usage", "plan", "seats"], seed: 1 });
    const names = model.encoder.features.map((f) => f.name);
    expect(names).toContain("usage²");
    const reasons = explainPrediction(model, { usage: "0.5", plan: "basic", seats: "3" }, 10);
    expect(reasons.map((r) => r.feature)).not.toContain("usage²");
    expect(reasons.find((r) => r.feature === "usage")?.value).toBe("0.5");
  });

  it("should give the same model twice when the seed is the same", () => {
    const a = trainClassifier(rows, y, { features: ["usage", "plan", "seats"], seed: 2 });
    const b = trainClassifier(rows, y, { features: ["usage", "plan", "seats"], seed: 2 });
    expect([...predictProbabilities(a, rows)]).toEqual([...predictProbabilities(b, rows)]);
  });
});
