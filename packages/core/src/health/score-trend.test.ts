import { describe, expect, it } from "vitest";
import { scoreTrend } from "./score-trend";

const history = [
  { date: "2025-03-01", score: 60 },
  { date: "2025-03-03", score: 62 },
  { date: "2025-03-08", score: 66 },
  { date: "2025-03-10", score: 58 },
];

describe("scoreTrend", () => {
  it("should compare with the latest score on or before asOf minus 7 days when no options are given", () => {
    // now: 2025-03-10 (58) vs on or before 2025-03-03 (62) → -4
    expect(scoreTrend(history, "2025-03-10")).toBe("down");
    // now: 2025-03-08 (66) vs on or before 2025-03-01 (60) → +6
    expect(scoreTrend(history, "2025-03-08")).toBe("up");
  });

  it("should be same when the change is below the threshold", () => {
    // now: 2025-03-09 → latest 66 (03-08) vs 2025-03-02 → 60... +6 ≥ 3
    expect(scoreTrend(history, "2025-03-09")).toBe("up");
    expect(scoreTrend(history, "2025-03-09", { threshold: 7 })).toBe("same");
    expect(scoreTrend(history, "2025-03-10", { threshold: 4 })).toBe("down");
    expect(scoreTrend(history, "2025-03-10", { threshold: 4.5 })).toBe("same");
  });

  it("should honour lookbackDays and ignore scores after asOf when they are given", () => {
    // 2025-03-10 minus 2 days → 2025-03-08 (66): 58 - 66 = -8
    expect(scoreTrend(history, "2025-03-10", { lookbackDays: 2 })).toBe("down");
    // asOf 2025-03-09 ignores 2025-03-10; minus 1 day → 2025-03-08 itself: 0 change
    expect(scoreTrend(history, "2025-03-09", { lookbackDays: 1 })).toBe("same");
  });

  it("should be same when there is no score far enough back or no history", () => {
    expect(scoreTrend(history, "2025-03-05")).toBe("same");
    expect(scoreTrend([], "2025-03-10")).toBe("same");
  });

  it("should not depend on the order of the history when it is unsorted", () => {
    expect(scoreTrend([...history].reverse(), "2025-03-10")).toBe("down");
  });

  it("should cross month and year ends when going back", () => {
    const h = [
      { date: "2024-12-28", score: 80 },
      { date: "2025-01-03", score: 70 },
    ];
    expect(scoreTrend(h, "2025-01-04")).toBe("down");
  });

  it("should throw when asOf is not an ISO date", () => {
    expect(() => scoreTrend(history, "2025-3-10")).toThrow();
  });
});

describe("scoreTrend comparison window", () => {
  it("should ignore a comparison point older than maxAgeDays so every view agrees when history is sparse", () => {
    const sparse = [
      { date: "2026-11-16", score: 90 },
      { date: "2026-12-07", score: 65 },
    ];
    // The list reads 14 days of scores, the account page 180: both must say the same.
    expect(scoreTrend(sparse, "2026-12-07")).toBe("same");
    expect(scoreTrend(sparse, "2026-12-07", { maxAgeDays: 28 })).toBe("down");
    expect(scoreTrend([{ date: "2026-11-30", score: 90 }, ...sparse], "2026-12-07")).toBe("down");
  });
});
