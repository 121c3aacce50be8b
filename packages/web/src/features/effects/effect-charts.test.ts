import { describe, expect, it } from "vitest";
import { relativeIntervals } from "./effect-charts";
import { type PlaybookEffect, verdictOf } from "./effects-api";

const row = (over: Partial<PlaybookEffect>): PlaybookEffect => ({
  key: "k",
  version: 1,
  name: { en: "K" },
  metric: { kind: "active_users" },
  goal: "increase",
  windowDays: 30,
  runs: 10,
  effect: 2,
  ciLow: 1,
  ciHigh: 3,
  pValue: 0.01,
  relativeEffect: 0.2,
  theta: 0.9,
  nTreated: 10,
  nControl: 10,
  control: "holdout",
  matched: null,
  matchedRuns: null,
  reason: null,
  reasonCode: null,
  succeeded: 8,
  completed: 9,
  controlMean: 10,
  ...over,
});

describe("verdictOf", () => {
  it("should read an interval against the playbook's goal", () => {
    expect(verdictOf(row({}))).toBe("works");
    expect(verdictOf(row({ goal: "decrease" }))).toBe("harms");
    expect(verdictOf(row({ goal: "decrease", ciLow: -3, ciHigh: -1 }))).toBe("works");
    expect(verdictOf(row({ ciLow: -1, ciHigh: 3 }))).toBe("unclear");
    expect(verdictOf(row({ ciLow: null, ciHigh: null }))).toBe("none");
  });
});

describe("relativeIntervals", () => {
  it("should scale the effect and both ends by the control mean and skip rows without an estimate", () => {
    const items = relativeIntervals(
      [row({}), row({ key: "x", effect: null, ciLow: null, ciHigh: null })],
      (r) => r.key,
    );
    expect(items).toEqual([{ label: "k", effect: 0.2, low: 0.1, high: 0.3, verdict: "works" }]);
  });

  it("should keep the interval's direction when the control mean is negative", () => {
    const [item] = relativeIntervals([row({ controlMean: -10 })], (r) => r.key);
    expect(item).toMatchObject({ effect: 0.2, low: 0.1, high: 0.3 });
  });
});
