import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quarterOf } from "../models/portfolio/renewals";
import { STARTER_PLAYBOOKS } from "../playbooks/starter-library";
import {
  attainment,
  DEFAULT_COVERAGE,
  nextQbrDue,
  quarterBounds,
  shiftQuarter,
  validateCoverage,
} from "./coverage";

describe("quarters", () => {
  it("should name and bound quarters", () => {
    expect(quarterOf("2026-12-07")).toBe("2026-Q4");
    expect(quarterOf("2026-01-01")).toBe("2026-Q1");
    expect(quarterBounds("2026-Q1")).toEqual({ start: "2026-01-01", end: "2026-03-31" });
    expect(quarterBounds("2024-Q1").end).toBe("2024-03-31");
    expect(quarterBounds("2026-Q4")).toEqual({ start: "2026-10-01", end: "2026-12-31" });
    expect(shiftQuarter("2026-Q4", 1)).toBe("2027-Q1");
    expect(shiftQuarter("2026-Q1", -1)).toBe("2025-Q4");
    expect(() => quarterBounds("2026-Q5")).toThrow(/not a quarter/);
  });
  it("should put every day of a quarter inside its bounds", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1990-01-01"), max: new Date("2090-12-31"), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          const { start, end } = quarterBounds(quarterOf(day));
          return start <= day && day <= end;
        },
      ),
    );
  });
});

describe("QBR schedule", () => {
  it("should be due a cadence after the last QBR, else after signing, and never for tech-touch", () => {
    expect(nextQbrDue("2026-09-20", "2024-01-01", 3)).toBe("2026-12-20");
    expect(nextQbrDue(null, "2026-08-01", 3)).toBe("2026-11-01");
    expect(nextQbrDue("2026-09-20", "2024-01-01", null)).toBeNull();
    expect(nextQbrDue(null, null, 3)).toBeNull();
  });
  it("should measure attainment as actual over target", () => {
    expect(attainment(10_000, 9_000)).toBe(0.9);
    expect(attainment(0, 9_000)).toBeNull();
    expect(attainment(null, 9_000)).toBeNull();
  });
});

describe("validateCoverage", () => {
  const playbookKeys = new Set(STARTER_PLAYBOOKS.map((p) => p.key));
  it("should accept the default model against the starter library", () => {
    expect(validateCoverage(DEFAULT_COVERAGE, { teamIds: new Set(), playbookKeys })).toEqual([]);
  });
  it("should name every bad part", () => {
    const problems = validateCoverage(
      {
        tiers: [
          {
            tier: "smb",
            motion: "tech_touch",
            teamId: "t9",
            qbrCadenceMonths: 3,
            automaticPlaybooks: ["nope"],
          },
          { tier: "smb", motion: "high_touch", teamId: null, qbrCadenceMonths: 0, automaticPlaybooks: [] },
        ],
      },
      { teamIds: new Set(["t1"]), playbookKeys },
    );
    expect(problems).toEqual([
      'tiers[0].teamId: no team "t9"',
      "tiers[0].qbrCadenceMonths: a tech-touch tier has no QBRs (null)",
      'tiers[0].automaticPlaybooks[0]: no playbook "nope"',
      'tiers[1].tier: "smb" is listed twice',
      "tiers[1].qbrCadenceMonths: must be a whole number of months from 1 to 12, or null for no QBRs",
    ]);
  });
});
