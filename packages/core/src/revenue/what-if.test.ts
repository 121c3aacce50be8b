import { describe, expect, it } from "vitest";
import { TenureError } from "../errors";
import { projectWhatIf } from "./what-if";

describe("projectWhatIf", () => {
  it("should project 24 months at 0%, +3%, −3% and −5% when no options are given", () => {
    const w = projectWhatIf("2024-12", 1000);
    expect(w.scenarios.map((s) => s.rate)).toEqual([0, 0.03, -0.03, -0.05]);
    const grow = w.scenarios[1]!;
    expect(grow.points).toHaveLength(24);
    expect(grow.points[0]).toEqual({ month: "2025-01", mrr: 1030 });
    expect(grow.points[23]?.month).toBe("2026-12");
    expect(grow.points[23]?.mrr).toBeCloseTo(1000 * 1.03 ** 24, 9);
    expect(w.scenarios[0]?.points.every((p) => p.mrr === 1000)).toBe(true);
  });

  it("should use the given rates and horizon, and reject invalid input", () => {
    const w = projectWhatIf("2024-01", 500, { rates: [0.1], months: 2 });
    expect(w.scenarios).toHaveLength(1);
    expect(w.scenarios[0]?.points.map((p) => p.month)).toEqual(["2024-02", "2024-03"]);
    expect(w.scenarios[0]?.points[1]?.mrr).toBeCloseTo(605, 9);
    expect(() => projectWhatIf("2024-13", 1)).toThrowError(TenureError);
    expect(() => projectWhatIf("2024-01", 1, { months: -1 })).toThrowError(TenureError);
    expect(() => projectWhatIf("2024-01", 1, { rates: [Number.NaN] })).toThrowError(TenureError);
  });
});
