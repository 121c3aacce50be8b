import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goalProgress, planProgress, timeToFirstValue, ttfvByGroup } from "./progress";
import { PLAN_TEMPLATES, templateTarget } from "./templates";

describe("planProgress", () => {
  it("should count done milestones over all of them", () => {
    const p = planProgress([
      { doneAt: "2026-01-02T00:00:00Z", valueMilestone: false },
      { doneAt: null, valueMilestone: true },
      { doneAt: "2026-01-05T00:00:00Z", valueMilestone: false },
      { doneAt: null, valueMilestone: false },
    ]);
    expect(p).toEqual({ done: 2, total: 4, share: 0.5 });
  });
  it("should be 0 of 0 for an empty plan, never NaN", () => {
    expect(planProgress([])).toEqual({ done: 0, total: 0, share: 0 });
  });
});

describe("timeToFirstValue", () => {
  it("should be days from signing to the earliest done value milestone", () => {
    const days = timeToFirstValue("2026-03-01", [
      { doneAt: "2026-03-20T09:00:00Z", valueMilestone: true },
      { doneAt: "2026-03-12T18:00:00Z", valueMilestone: true },
      { doneAt: "2026-03-02T10:00:00Z", valueMilestone: false },
    ]);
    expect(days).toBe(11);
  });
  it("should be null until a value milestone is done, and never negative", () => {
    expect(timeToFirstValue("2026-03-01", [{ doneAt: null, valueMilestone: true }])).toBeNull();
    expect(timeToFirstValue("2026-03-10", [{ doneAt: "2026-03-01T00:00:00Z", valueMilestone: true }])).toBe(
      0,
    );
  });
});

describe("ttfvByGroup", () => {
  it("should give median, mean, quartiles and reached counts per group", () => {
    const groups = ttfvByGroup([
      { group: "smb", days: 10 },
      { group: "smb", days: 20 },
      { group: "smb", days: 40 },
      { group: "smb", days: null },
      { group: "enterprise", days: 30 },
    ]);
    expect(groups).toEqual([
      {
        group: "enterprise",
        accounts: 1,
        reached: 1,
        medianDays: 30,
        meanDays: 30,
        p25Days: 30,
        p75Days: 30,
      },
      { group: "smb", accounts: 4, reached: 3, medianDays: 20, meanDays: 23.3, p25Days: 15, p75Days: 30 },
    ]);
  });
  it("should keep the median between the quartiles for any data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 50 }),
        (days) => {
          const [g] = ttfvByGroup(days.map((d) => ({ group: "g", days: d })));
          if (g === undefined) return false;
          if (g.reached === 0) return g.medianDays === null;
          return (
            (g.p25Days as number) <= (g.medianDays as number) &&
            (g.medianDays as number) <= (g.p75Days as number)
          );
        },
      ),
    );
  });
});

describe("goalProgress", () => {
  it("should run from 0 at the start value to 1 at the target, also for falling targets", () => {
    expect(goalProgress(10, 15, 20)).toBe(0.5);
    expect(goalProgress(10, 25, 20)).toBe(1);
    expect(goalProgress(10, 5, 20)).toBe(0);
    expect(goalProgress(40, 30, 20)).toBe(0.5);
    expect(goalProgress(10, 15, 10)).toBeNull();
    expect(goalProgress(null, 15, 20)).toBeNull();
  });
});

describe("templates", () => {
  it("should have unique keys, text in both languages, and one value milestone per onboarding template", () => {
    const keys = new Set(PLAN_TEMPLATES.map((p) => p.key));
    expect(keys.size).toBe(PLAN_TEMPLATES.length);
    for (const p of PLAN_TEMPLATES) {
      for (const text of [
        p.title,
        p.description,
        ...p.milestones.map((m) => m.title),
        ...p.goals.map((g) => g.title),
      ]) {
        expect(text.en.length).toBeGreaterThan(0);
        expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
      }
      if (p.kind === "onboarding") expect(p.milestones.filter((m) => m.valueMilestone)).toHaveLength(1);
    }
  });
  it("should turn relative, delta and absolute targets into numbers", () => {
    expect(
      templateTarget(
        { title: { en: "", zh: "" }, metric: "mrr", target: { relative: 0.2 }, dueDays: 1 },
        100,
      ),
    ).toBe(120);
    expect(
      templateTarget(
        { title: { en: "", zh: "" }, metric: "health_score", target: { delta: 10 }, dueDays: 1 },
        55,
      ),
    ).toBe(65);
    expect(
      templateTarget({ title: { en: "", zh: "" }, metric: "mrr", target: { absolute: 7 }, dueDays: 1 }, null),
    ).toBe(7);
    expect(
      templateTarget(
        { title: { en: "", zh: "" }, metric: "mrr", target: { relative: 0.2 }, dueDays: 1 },
        null,
      ),
    ).toBeNull();
  });
});
