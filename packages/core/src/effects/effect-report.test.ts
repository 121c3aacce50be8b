import { describe, expect, it } from "vitest";
import {
  arrBand,
  type EffectRun,
  type MatchCandidate,
  matchControls,
  versionEffect,
  weekOf,
} from "./effect-report";

const cell = { segment: "smb", band: "at_risk", arrBand: "5k-25k" };

function run(i: number, over: Partial<EffectRun> = {}): EffectRun {
  return {
    accountId: `a${i}`,
    holdout: false,
    startDate: "2026-03-04",
    windowEnd: "2026-04-03",
    startValue: 10,
    endValue: 12,
    status: "completed",
    cell,
    arr: 10_000,
    ...over,
  };
}

describe("arrBand and weekOf", () => {
  it("should put amounts in log-scale bands with the lower edge inclusive", () => {
    expect([0, 4_999, 5_000, 24_999, 25_000, 100_000, 499_999, 500_000].map(arrBand)).toEqual([
      "<5k",
      "<5k",
      "5k-25k",
      "5k-25k",
      "25k-100k",
      "100k-500k",
      "100k-500k",
      "500k+",
    ]);
  });

  it("should give the Monday of the ISO week for every day of it", () => {
    // 2026-03-02 is a Monday.
    for (const d of ["2026-03-02", "2026-03-04", "2026-03-08"]) expect(weekOf(d)).toBe("2026-03-02");
    expect(weekOf("2026-03-09")).toBe("2026-03-09");
    expect(weekOf("2026-01-01")).toBe("2025-12-29");
  });
});

describe("matchControls", () => {
  const candidate = (id: string, over: Partial<MatchCandidate> = {}): MatchCandidate => ({
    accountId: id,
    day: "2026-03-05",
    cell,
    arr: 10_000,
    ...over,
  });

  it("should match only candidates of the same week, segment, band and ARR band, nearest ARR first", () => {
    const pairs = matchControls(
      [run(1)],
      [
        candidate("far", { arr: 20_000 }),
        candidate("near", { arr: 11_000 }),
        candidate("other-week", { day: "2026-03-10" }),
        candidate("other-band", { cell: { ...cell, band: "healthy" } }),
        candidate("other-segment", { cell: { ...cell, segment: "enterprise" } }),
        candidate("nearest", { arr: 9_900 }),
      ],
      2,
    );
    expect(pairs[0]?.controls.map((c) => c.accountId)).toEqual(["nearest", "near"]);
  });

  it("should use each candidate once and never an account treated in the same week", () => {
    const pairs = matchControls(
      [run(1), run(2)],
      [candidate("c1"), candidate("c1", { day: "2026-03-06" }), candidate("a2"), candidate("c2")],
      3,
    );
    const used = pairs.flatMap((p) => p.controls.map((c) => c.accountId));
    expect(used.sort()).toEqual(["c1", "c2"]);
  });
  it("should give every run one control before any run gets a second when the cell is thin", () => {
    const pairs = matchControls(
      [run(1), run(2), run(3)],
      [candidate("c1"), candidate("c2"), candidate("c3"), candidate("c4")],
      3,
    );
    expect(pairs.map((p) => p.controls.length)).toEqual([2, 1, 1]);
  });
});

describe("versionEffect", () => {
  it("should recover a planted effect of +3 against hold-outs and count successes and completions", () => {
    const noise = [0.4, -0.3, 0.1, -0.2, 0.5, -0.5, 0.2, -0.1];
    const treated = noise.map((n, i) => run(i, { startValue: 10 + i, endValue: 10 + i + 3 + n }));
    const controls = noise.map((n, i) => ({ pre: 10 + i, post: 10 + i - n }));
    const r = versionEffect(
      [...treated, run(99, { holdout: true }), run(100, { startValue: null, status: "active" })],
      controls,
      "holdout",
      "increase",
    );
    expect(r.runs).toBe(9);
    expect(r.nTreated).toBe(8);
    expect(r.nControl).toBe(8);
    expect(r.effect).toBeCloseTo(3, 0);
    expect(r.ciLow).toBeGreaterThan(0);
    expect(r.succeeded).toBe(8);
    expect(r.completed).toBe(8);
    expect(r.reason).toBeNull();
    expect(r.controlMean).toBeCloseTo(13.5 - 0.1 / 8, 12);
  });

  it("should give a null effect with the reason when too few controls were measured", () => {
    const r = versionEffect([run(1), run(2, { endValue: 15 })], [{ pre: 1, post: 2 }], "matched", "decrease");
    expect(r.effect).toBeNull();
    expect(r.reason).toBe("fewer than 2 matched accounts");
    expect(r.reasonCode).toBe("few_matched");
    expect(r.succeeded).toBe(0);
  });

  it("should give a null effect with the estimator's reason when nothing varies", () => {
    const r = versionEffect(
      [run(1), run(2)],
      [
        { pre: 10, post: 12 },
        { pre: 10, post: 12 },
      ],
      "holdout",
      "increase",
    );
    expect(r.effect).toBeNull();
    expect(r.reason).toMatch(/no variance/);
    expect(r.reasonCode).toBe("no_variance");
  });
});
