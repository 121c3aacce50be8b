import { describe, expect, it } from "vitest";
import { describeScoring, diffScorecards, scorecardChanged } from "./scorecard-diff";
import { previewScorecard } from "./scorecard-preview";
import type { Scorecard } from "./scorecard-types";
import { account, simpleScorecard } from "./test-fixtures";

/** simpleScorecard with one edit applied to its only profile. */
function edited(edit: (s: Scorecard) => void): Scorecard {
  const s = structuredClone(simpleScorecard());
  edit(s);
  return s;
}
const product = (s: Scorecard) => s.profiles[0]!.dimensions[1]!;

describe("diffScorecards", () => {
  it("should list nothing when only the version differs", () => {
    const next = edited((s) => {
      s.version = 7;
    });
    expect(diffScorecards(simpleScorecard(), next)).toEqual([]);
    expect(scorecardChanged(simpleScorecard(), next)).toBe(false);
  });

  it("should name the field in labels when a weight, band or scoring changes", () => {
    const next = edited((s) => {
      s.bands.red = 35;
      product(s).weight = 5;
      product(s).measures[0]!.scoring = {
        type: "steps",
        steps: [
          { max: 0.5, score: 0 },
          { min: 0.5, score: 100 },
        ],
      };
    });
    expect(diffScorecards(simpleScorecard(), next)).toEqual([
      { path: "bands.red", where: [], property: "redBelow", before: 40, after: 35 },
      {
        path: "profiles[0].dimensions[1].weight",
        where: ["Default", "Product"],
        property: "weight",
        before: 3,
        after: 5,
      },
      {
        path: "profiles[0].dimensions[1].measures[0].scoring",
        where: ["Default", "Product", "Seats"],
        property: "scoring",
        before: "linear 0 → 1",
        after: "<0.5: 0 · ≥0.5: 100",
      },
    ]);
    expect(scorecardChanged(simpleScorecard(), next)).toBe(true);
  });

  it("should report added and removed measures by key", () => {
    const next = edited((s) => {
      const people = s.profiles[0]!.dimensions[0]!;
      people.measures = [
        people.measures[0]!,
        {
          key: "nps",
          label: "NPS",
          metric: "npsScore",
          weight: 1,
          scoring: { type: "linear", worst: 0, best: 10 },
        },
      ];
    });
    const changes = diffScorecards(simpleScorecard(), next);
    expect(changes.map((c) => [c.property, c.where.join(" › ")])).toEqual([
      ["added", "Default › People › NPS"],
      ["removed", "Default › People › Touch"],
    ]);
  });

  it("should describe an unbounded and a bounded step", () => {
    expect(describeScoring({ type: "steps", steps: [{ score: 50 }] })).toBe("any: 50");
    expect(describeScoring({ type: "steps", steps: [{ min: 1, max: 2, score: 5 }] })).toBe("1–2: 5");
  });
});

describe("previewScorecard", () => {
  // People 50 (roles 1 → 100, touch 100 days → 0), product seats at 0.3 → 30; weights 1:3 → 35 (red).
  const rows = [
    {
      account: account({ id: "a", name: "A" }),
      metrics: { keyRoleCoverage: 1, daysSinceLastTouch: 100, seatUtilisation: 0.3 },
      arr: 1200,
    },
    {
      account: account({ id: "b", name: "B" }),
      metrics: { keyRoleCoverage: 1, daysSinceLastTouch: 0, seatUtilisation: 0.9 },
      arr: 600,
    },
  ];

  it("should count band changes and ARR by band when a threshold moves", () => {
    const next = edited((s) => {
      s.bands.red = 30;
    });
    const p = previewScorecard(rows, simpleScorecard(), next);
    expect(p.accounts).toBe(2);
    expect(p.changedBand).toBe(1);
    expect(p.better).toBe(1);
    expect(p.worse).toBe(0);
    expect(p.changedArr).toBe(1200);
    expect(p.before.find((b) => b.band === "red")).toEqual({ band: "red", accounts: 1, arr: 1200 });
    expect(p.after.find((b) => b.band === "red")).toEqual({ band: "red", accounts: 0, arr: 0 });
    expect(p.after.find((b) => b.band === "yellow")).toEqual({ band: "yellow", accounts: 1, arr: 1200 });
    expect(p.moves).toEqual([
      { accountId: "a", name: "A", arr: 1200, from: "red", to: "yellow", scoreBefore: 35, scoreAfter: 35 },
    ]);
  });

  it("should change nothing when the proposed scorecard equals the current one", () => {
    const p = previewScorecard(rows, simpleScorecard(), simpleScorecard());
    expect(p.changedBand).toBe(0);
    expect(p.after).toEqual(p.before);
  });
});
