import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMrrMatrix } from "../../revenue/mrr-matrix";
import type { Subscription } from "../../types";
import { renewalCalibration, renewedIn, summarizeRenewalBacktest } from "./renewal-backtest";
import { boundedChurnHazard, calibrateRenewals, renewalProbability } from "./renewal-model";

const history = (renewed: number, due: number) => ({
  overall: { due, renewed, rate: renewed / due },
  bySegment: new Map([["smb", { due, renewed, rate: renewed / due }]]),
});

/** A book of scored accounts in one segment. */
const bookOf = (ps: number[]) => ps.map((p) => ({ segment: "smb", churnProbability: p }));

describe("renewal model", () => {
  it("should turn a 90-day churn probability into a daily hazard", () => {
    expect(boundedChurnHazard(0.5, 90)).toBeCloseTo(Math.LN2 / 90, 12);
    expect(boundedChurnHazard(0, 90)).toBeGreaterThan(0);
    expect(Number.isFinite(boundedChurnHazard(1, 90))).toBe(true);
  });

  it("should give renewals 89 and 91 days out consistent probabilities for any account (continuity in days)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 0, max: 1000 }),
        (book, p, renewedPct, days) => {
          const cal = calibrateRenewals(history(renewedPct, 100), bookOf(book), { horizonDays: 90 });
          const at = (d: number) =>
            renewalProbability(cal, { segment: "smb", churnProbability: p, daysToRenewal: d }).probability!;
          // One day moves the probability by at most 1/decayDays (the fading weight) plus max x·e^(−x)/90
          // (the hazard carried one more day past the horizon): no cliff anywhere, none at 90 days.
          const step = 1 / 365 + Math.exp(-1) / 90 + 1e-9;
          expect(Math.abs(at(days + 1) - at(days))).toBeLessThanOrEqual(step);
          expect(Math.abs(at(91) - at(89))).toBeLessThanOrEqual(2 * step);
          expect(at(days)).toBeGreaterThanOrEqual(0);
          expect(at(days)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("should average the segment's history over the book it was calibrated on, at every horizon", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 0.9, noNaN: true }), { minLength: 2, maxLength: 40 }),
        fc.integer({ min: 5, max: 95 }),
        fc.integer({ min: 0, max: 90 }),
        (book, renewedPct, days) => {
          const cal = calibrateRenewals(history(renewedPct, 100), bookOf(book), {
            horizonDays: 90,
            priorStrength: 0,
          });
          const mean =
            book.reduce(
              (s, p) =>
                s +
                renewalProbability(cal, { segment: "smb", churnProbability: p, daysToRenewal: days })
                  .probability!,
              0,
            ) / book.length;
          expect(mean).toBeCloseTo(renewedPct / 100, 6);
        },
      ),
    );
  });

  it("should average the segment's ARR renewal rate over the book, weighted by ARR, when history is in ARR", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            p: fc.double({ min: 0, max: 0.9, noNaN: true }),
            arr: fc.double({ min: 1, max: 1e6, noNaN: true }),
          }),
          { minLength: 2, maxLength: 30 },
        ),
        fc.integer({ min: 5, max: 95 }),
        fc.integer({ min: 0, max: 90 }),
        (book, renewedPct, days) => {
          const h = { due: 10, renewed: 5, rate: 0.5, arrDue: 100, arrRenewed: renewedPct };
          const cal = calibrateRenewals(
            { overall: h, bySegment: new Map([["smb", h]]) },
            book.map((b) => ({ segment: "smb", churnProbability: b.p, arr: b.arr })),
            { horizonDays: 90, priorStrength: 0 },
          );
          const total = book.reduce((s, b) => s + b.arr, 0);
          const mean =
            book.reduce(
              (s, b) =>
                s +
                b.arr *
                  renewalProbability(cal, { segment: "smb", churnProbability: b.p, daysToRenewal: days })
                    .probability!,
              0,
            ) / total;
          expect(mean).toBeCloseTo(renewedPct / 100, 6);
        },
      ),
    );
  });

  it("should rank a riskier account below its healthy twin and below the segment's rate when renewal is near", () => {
    const cal = calibrateRenewals(history(85, 100), bookOf([0.02, 0.03, 0.05, 0.04, 0.4]), {
      horizonDays: 90,
      priorStrength: 0,
    });
    const healthy = renewalProbability(cal, { segment: "smb", churnProbability: 0.03, daysToRenewal: 30 });
    const atRisk = renewalProbability(cal, { segment: "smb", churnProbability: 0.4, daysToRenewal: 30 });
    expect(atRisk.probability!).toBeLessThan(0.85);
    expect(healthy.probability!).toBeGreaterThan(0.85);
    expect(atRisk.relativeRisk!).toBeGreaterThan(1);
    expect(atRisk.source).toBe("model");
    // A year out, the account's evidence has faded most of the way to the segment's rate.
    const far = renewalProbability(cal, { segment: "smb", churnProbability: 0.4, daysToRenewal: 3650 });
    expect(far.probability!).toBeCloseTo(0.85, 3);
  });

  it("should shrink a small segment's rate toward the portfolio's", () => {
    const h = {
      overall: { due: 100, renewed: 80, rate: 0.8 },
      bySegment: new Map([["tiny", { due: 2, renewed: 0, rate: 0 }]]),
    };
    const cal = calibrateRenewals(h, [], { horizonDays: 90, priorStrength: 10 });
    expect(cal.bySegment.get("tiny")!.rate).toBeCloseTo(8 / 12, 12);
    const r = renewalProbability(cal, { segment: "tiny", churnProbability: null, daysToRenewal: 10 });
    expect(r).toMatchObject({ source: "segment_history", relativeRisk: null });
    expect(r.probability).toBeCloseTo(8 / 12, 12);
    expect(() =>
      calibrateRenewals(h, [{ segment: "x", churnProbability: 1.5 }], { horizonDays: 90 }),
    ).toThrow(/book row 1: churnProbability/);
  });
});

describe("renewal backtest", () => {
  it("should compare expected with renewed ARR and with history alone", () => {
    const s = summarizeRenewalBacktest([
      { arr: 100, probability: 0.9, historyProbability: 0.8, renewed: true },
      { arr: 200, probability: 0.5, historyProbability: 0.8, renewed: false },
    ]);
    expect(s).toMatchObject({ renewals: 2, arr: 300, renewedArr: 100 });
    expect(s.expectedArr).toBeCloseTo(190, 9);
    expect(s.error).toBeCloseTo(90, 9);
    expect(s.relativeError).toBeCloseTo(0.9, 9);
    expect(s.historyExpectedArr).toBeCloseTo(240, 9);
    expect(s.historyError).toBeCloseTo(140, 9);
    expect(s.brier).toBeCloseTo((0.01 + 0.25) / 2, 12);
    expect(s.historyBrier).toBeCloseTo((0.04 + 0.64) / 2, 12);
    expect(summarizeRenewalBacktest([])).toMatchObject({ renewals: 0, relativeError: null, brier: null });
  });

  it("should bin forecasts by decile, ARR-weighted", () => {
    const bins = renewalCalibration([
      { arr: 100, probability: 0.95, historyProbability: null, renewed: true },
      { arr: 300, probability: 0.91, historyProbability: null, renewed: false },
      { arr: 0, probability: 0.15, historyProbability: null, renewed: true },
    ]);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toMatchObject({ from: 0.1, renewals: 1, observed: 1 });
    expect(bins[1]!.from).toBeCloseTo(0.9, 12);
    expect(bins[1]!.forecast).toBeCloseTo((100 * 0.95 + 300 * 0.91) / 400, 12);
    expect(bins[1]!.observed).toBeCloseTo(0.25, 12);
  });

  it("should count a renewal as renewed when the account pays in the renewal month's snapshot", () => {
    const sub = (id: string, end: string | null): Subscription => ({
      id,
      accountId: id,
      plan: "p",
      startDate: "2025-01-01",
      endDate: end,
      amount: 1200,
      currency: "USD",
      interval: "year",
      quantity: 1,
      discountPct: 0,
      trial: false,
    });
    const m = buildMrrMatrix([sub("a", null), sub("b", "2026-01-01")], [], {
      reportingCurrency: "USD",
      asOf: "2026-03-31",
    });
    const row = new Map(m.accountIds.map((id, i) => [id, i]));
    expect(renewedIn(m, row, "a", "2026-01-01")).toBe(true);
    expect(renewedIn(m, row, "b", "2026-01-01")).toBe(false);
    expect(renewedIn(m, row, "a", "2030-01-01")).toBe(false);
  });
});
