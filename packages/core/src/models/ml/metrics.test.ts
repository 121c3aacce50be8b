import { describe, expect, it } from "vitest";
import { accuracy, averagePrecision, calibrationCurve, liftAtTop, logLoss, rocAuc } from "./metrics";

describe("rocAuc", () => {
  it("should equal the hand-counted share of correctly ordered pairs when scores are distinct", () => {
    // Positives 0.9, 0.4; negatives 0.8, 0.3, 0.1 → pairs won: (0.9 beats 3) + (0.4 beats 0.3, 0.1) = 5 of 6.
    expect(rocAuc([1, 0, 1, 0, 0], [0.9, 0.8, 0.4, 0.3, 0.1])).toBeCloseTo(5 / 6, 12);
  });

  it("should count tied positive/negative pairs as one half when scores tie", () => {
    // Positive 0.5 ties negative 0.5 (½), beats 0.2 (1); positive 0.7 beats both (2) → 3.5 / 4.
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.7, 0.2])).toBeCloseTo(3.5 / 4, 12);
    expect(rocAuc([1, 0, 1, 0], [0.3, 0.3, 0.3, 0.3])).toBeCloseTo(0.5, 12);
  });

  it("should be NaN when only one class is present", () => {
    expect(rocAuc([1, 1], [0.2, 0.4])).toBeNaN();
  });
});

describe("other metrics", () => {
  it("should match scikit-learn's average precision when computed by hand", () => {
    // sklearn: average_precision_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.8333...
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333, 9);
  });

  it("should compute log loss, accuracy, lift and calibration when given a small example", () => {
    expect(logLoss([1, 0], [0.8, 0.2])).toBeCloseTo(-Math.log(0.8), 12);
    expect(accuracy([1, 0, 1], [0.6, 0.4, 0.3])).toBeCloseTo(2 / 3, 12);
    const labels = Array.from({ length: 20 }, (_, i) => (i < 2 || i === 10 ? 1 : 0));
    const scores = labels.map((_, i) => 1 - i / 20);
    // Top decile = 2 rows, both positive: rate 1 vs base 3/20 → lift 20/3.
    expect(liftAtTop(labels, scores, 0.1)).toBeCloseTo(20 / 3, 12);
    const bins = calibrationCurve([1, 0, 1], [0.95, 0.05, 1], 10);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ count: 2, meanPredicted: 0.975, observedRate: 1 });
    expect(bins[0]).toMatchObject({ count: 1, observedRate: 0 });
    expect(bins[5]).toMatchObject({ count: 0, meanPredicted: null });
  });
});
