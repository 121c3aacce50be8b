import { describe, expect, it } from "vitest";
import { compileMeasureScoring, scoreMeasureValue } from "./measure-scoring";
import type { MeasureScoring } from "./scorecard-types";

const higher: MeasureScoring = { type: "linear", worst: 0.2, best: 0.8 };
const lower: MeasureScoring = { type: "linear", worst: 30, best: 3 };
const steps: MeasureScoring = {
  type: "steps",
  steps: [
    { max: 1, score: 100 },
    { min: 1, max: 3, score: 50 },
    { min: 3, score: 0 },
  ],
};

describe("scoreMeasureValue", () => {
  it("should map worst to 0, best to 100 and interpolate when scoring is linear", () => {
    expect(scoreMeasureValue(higher, 0.2)).toBe(0);
    expect(scoreMeasureValue(higher, 0.8)).toBe(100);
    expect(scoreMeasureValue(higher, 0.5)).toBeCloseTo(50, 10);
  });

  it("should clamp to 0 and 100 when the value is beyond worst or best", () => {
    expect(scoreMeasureValue(higher, -5)).toBe(0);
    expect(scoreMeasureValue(higher, 3)).toBe(100);
  });

  it("should score lower-is-better metrics when worst is greater than best", () => {
    expect(scoreMeasureValue(lower, 30)).toBe(0);
    expect(scoreMeasureValue(lower, 3)).toBe(100);
    expect(scoreMeasureValue(lower, 0)).toBe(100);
    expect(scoreMeasureValue(lower, 60)).toBe(0);
    expect(scoreMeasureValue(lower, 16.5)).toBeCloseTo(50, 10);
  });

  it("should use min inclusive and max exclusive when scoring steps", () => {
    expect(scoreMeasureValue(steps, -2)).toBe(100);
    expect(scoreMeasureValue(steps, 0.99)).toBe(100);
    expect(scoreMeasureValue(steps, 1)).toBe(50);
    expect(scoreMeasureValue(steps, 2.99)).toBe(50);
    expect(scoreMeasureValue(steps, 3)).toBe(0);
  });

  it("should take the first matching step when steps overlap", () => {
    const overlap: MeasureScoring = { type: "steps", steps: [{ min: 5, score: 10 }, { score: 70 }] };
    expect(scoreMeasureValue(overlap, 6)).toBe(10);
    expect(scoreMeasureValue(overlap, 4)).toBe(70);
  });

  it("should agree with the compiled scorer when given the same values", () => {
    for (const scoring of [higher, lower, steps]) {
      const f = compileMeasureScoring(scoring);
      for (const v of [-10, 0, 0.2, 0.5, 1, 2, 3, 16.5, 30, 100])
        expect(f(v)).toBe(scoreMeasureValue(scoring, v));
    }
  });
});
