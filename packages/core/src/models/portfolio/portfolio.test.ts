import { describe, expect, it } from "vitest";
import { TenureError } from "../../errors";
import { buildMrrMatrix, type MrrMatrix } from "../../revenue/mrr-matrix";
import type { Subscription } from "../../types";
import { fitSbg, sbgDel } from "../clv/sbg";
import { arrAtRisk, highPotentialAccounts } from "./arr-at-risk";
import { calibrateRenewals } from "./renewal-model";
import {
  addMonthsToIsoDate,
  forecastRenewals,
  historicalRenewalRates,
  nextRenewalDate,
  quarterOf,
  renewalDatesOf,
} from "./renewals";
import {
  accountClv,
  currentTenureMonths,
  fitRetentionModel,
  monthlyDiscountRate,
  type RetentionModel,
  survivalCohorts,
} from "./survival";

/** A matrix from explicit rows of monthly MRR, starting 2024-01. */
function matrixOf(rows: Record<string, number[]>): MrrMatrix {
  const ids = Object.keys(rows);
  const n = Math.max(...Object.values(rows).map((r) => r.length));
  const months = Array.from({ length: n }, (_, i) => `2024-${String(i + 1).padStart(2, "0")}`);
  const values = new Float64Array(ids.length * n);
  for (const [a, id] of ids.entries()) for (const [i, v] of rows[id]!.entries()) values[a * n + i] = v;
  return { currency: "USD", months, accountIds: ids, values };
}

const sub = (
  over: Partial<Subscription> & Pick<Subscription, "id" | "accountId" | "startDate">,
): Subscription => ({
  plan: "p",
  endDate: null,
  amount: 1200,
  currency: "USD",
  interval: "year",
  quantity: 1,
  discountPct: 0,
  trial: false,
  ...over,
});

// Fader & Hardie (2007) High End survivors, years 0..7.
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491];

describe("survivalCohorts", () => {
  it("should count survivors per start month and end a life at the first unpaid month when MRR has a gap", () => {
    const m = matrixOf({ a: [10, 10, 0, 10], b: [10, 10, 10, 10], c: [0, 5, 5, 5], d: [0, 0, 0, 7] });
    expect(survivalCohorts(m)).toEqual([
      { start: "2024-01", survivors: [2, 2, 1, 1] },
      { start: "2024-02", survivors: [1, 1, 1] },
    ]);
    expect(survivalCohorts(m, { until: "2024-02", accounts: new Set(["a", "c"]) })).toEqual([
      { start: "2024-01", survivors: [1, 1] },
    ]);
  });

  it("should reproduce Fader & Hardie's High End α, β when fitted on a matrix with those survivors", () => {
    const rows: Record<string, number[]> = {};
    for (let i = 0; i < 1000; i++) {
      const life = HIGH_END.filter((s) => s > i).length; // periods this customer pays
      rows[`x${i}`] = Array.from({ length: 8 }, (_, t) => (t < life ? 50 : 0));
    }
    const m = matrixOf(rows);
    expect(survivalCohorts(m)[0]!.survivors).toEqual(HIGH_END);
    const model = fitRetentionModel(m, { annualDiscountRate: 0.1 });
    expect(model.fit.alpha.toFixed(3)).toBe("0.668");
    expect(model.fit.beta.toFixed(3)).toBe("3.806");
    expect(model.discountRate).toBeCloseTo(1.1 ** (1 / 12) - 1, 15);
    expect(model.del).toBeCloseTo(sbgDel(model.fit, model.discountRate), 12);
  });

  it("should throw a validation error naming the group when nobody churned", () => {
    const m = matrixOf({ a: [1, 1, 1], b: [0, 1, 1] });
    expect(() => fitRetentionModel(m, { label: "tier smb" })).toThrow(/no customer churned.*tier smb/);
    expect(() => fitRetentionModel(matrixOf({ a: [1] }), {})).toThrow(TenureError);
  });
});

describe("accountClv", () => {
  it("should value an account at margin × MRR × DERL, 7.530 periods for High End after 7 renewals at 10%", () => {
    const high = fitSbg([HIGH_END]);
    // The published figure is per yearly period at 10%: a model on that period and rate.
    const fit: RetentionModel = { fit: high, discountRate: 0.1, del: sbgDel(high, 0.1) };
    const r = accountClv(fit, { mrr: 100, tenureMonths: 8, margin: 0.8 });
    expect(r.derl.toFixed(3)).toBe("7.530");
    expect(r.clv).toBeCloseTo(0.8 * 100 * r.derl, 10);
    expect(() => accountClv(fit, { mrr: 100, tenureMonths: 0, margin: 0.8 })).toThrow(/tenureMonths/);
    expect(() => accountClv(fit, { mrr: 100, tenureMonths: 1, margin: 1.5 })).toThrow(/margin/);
  });

  it("should count the months paid without a break up to a column", () => {
    const m = matrixOf({ a: [10, 0, 10, 10, 10] });
    expect(currentTenureMonths(m, 0, 4)).toBe(3);
    expect(currentTenureMonths(m, 0, 1)).toBe(0);
    expect(monthlyDiscountRate(0.1)).toBeCloseTo(0.00797414, 8);
  });
});

describe("renewals", () => {
  it("should list anniversaries and the end date as renewal dates, none for an open monthly row", () => {
    const yearly = sub({ id: "s1", accountId: "a", startDate: "2023-01-31", endDate: "2025-06-30" });
    expect(renewalDatesOf(yearly, "2023-01-01", "2026-12-31")).toEqual([
      "2024-01-31",
      "2025-01-31",
      "2025-06-30",
    ]);
    expect(
      renewalDatesOf({ ...yearly, interval: "month", endDate: null }, "2023-01-01", "2026-12-31"),
    ).toEqual([]);
    expect(renewalDatesOf({ ...yearly, trial: true }, "2023-01-01", "2026-12-31")).toEqual([]);
    expect(addMonthsToIsoDate("2024-01-31", 1)).toBe("2024-02-29");
    expect(
      nextRenewalDate([yearly, sub({ id: "s2", accountId: "a", startDate: "2024-03-10" })], "2025-01-31"),
    ).toBe("2025-03-10");
    expect(quarterOf("2026-11-15")).toBe("2026-Q4");
  });

  it("should measure renewal rates per segment from renewals due in the lookback window", () => {
    // a renews its yearly plan in 2025-03, b lapses at its end date 2025-04-01, c renews in 2025-05.
    const subs = [
      sub({ id: "1", accountId: "a", startDate: "2024-03-01" }),
      sub({ id: "2", accountId: "b", startDate: "2024-04-01", endDate: "2025-04-01" }),
      sub({ id: "3", accountId: "c", startDate: "2024-05-01" }),
    ];
    const m = buildMrrMatrix(subs, [], { reportingCurrency: "USD", asOf: "2025-12-31" });
    const seg = (id: string) => (id === "c" ? "big" : "small");
    const h = historicalRenewalRates(subs, m, seg, { asOf: "2025-12-31" });
    // ARR due = 12 × the MRR of the month before the renewal (1,200 a year each).
    expect(h.overall).toEqual({ due: 3, renewed: 2, rate: 2 / 3, arrDue: 3600, arrRenewed: 2400 });
    expect(h.bySegment.get("small")).toEqual({
      due: 2,
      renewed: 1,
      rate: 0.5,
      arrDue: 2400,
      arrRenewed: 1200,
    });
    expect(h.bySegment.get("big")).toEqual({ due: 1, renewed: 1, rate: 1, arrDue: 1200, arrRenewed: 1200 });
    // A 3-month lookback ending 2025-11 sees nothing due.
    expect(
      historicalRenewalRates(subs, m, seg, { asOf: "2025-12-15", lookbackMonths: 3 }).overall.rate,
    ).toBeNull();
  });

  it("should value each row with the calibrated renewal model and sum the rows into periods", () => {
    const history = {
      overall: { due: 10, renewed: 8, rate: 0.8 },
      bySegment: new Map([["smb", { due: 4, renewed: 3, rate: 0.75 }]]),
    };
    const cal = calibrateRenewals(
      history,
      [
        { segment: "smb", churnProbability: 0.25 },
        { segment: "smb", churnProbability: 0.05 },
      ],
      { horizonDays: 90, priorStrength: 0 },
    );
    const f = forecastRenewals(
      [
        { accountId: "m", renewalDate: "2026-12-20", arr: 1200, segment: "smb", churnProbability: 0.25 },
        { accountId: "s", renewalDate: "2026-12-01", arr: 1000, segment: "smb", churnProbability: null },
        { accountId: "p", renewalDate: "2027-01-05", arr: 500, segment: "ent", churnProbability: null },
        { accountId: "far", renewalDate: "2027-06-01", arr: 2000, segment: "smb", churnProbability: 0.25 },
      ],
      cal,
      { asOf: "2026-11-15", periodBy: "quarter" },
    );
    expect(f.rows.map((r) => [r.accountId, r.source])).toEqual([
      ["s", "segment_history"],
      ["m", "model"],
      ["p", "portfolio_history"],
      ["far", "model"],
    ]);
    const [s, m, p, far] = f.rows;
    expect(s!.expectedArr).toBeCloseTo(750, 9);
    expect(p!.expectedArr).toBeCloseTo(400, 9);
    // The riskier half of the book renews below the segment's 75%; the same 90-day risk carried to a
    // renewal 200 days out accumulates more hazard.
    expect(m!.renewalProbability!).toBeLessThan(0.75);
    expect(far!.renewalProbability!).toBeLessThan(m!.renewalProbability!);
    expect(f.periods.map((x) => [x.period, x.renewals, x.arr])).toEqual([
      ["2026-Q4", 2, 2200],
      ["2027-Q1", 1, 500],
      ["2027-Q2", 1, 2000],
    ]);
    const sum = f.rows.reduce((t, r) => t + r.expectedArr!, 0);
    expect(f.totals).toMatchObject({ renewals: 4, arr: 4700, unforecast: 0 });
    expect(f.totals.expectedArr).toBeCloseTo(sum, 9);
  });

  it("should leave a row without expectation when there is neither a model nor history", () => {
    const none = calibrateRenewals(
      { overall: { due: 0, renewed: 0, rate: null }, bySegment: new Map() },
      [],
      {
        horizonDays: 90,
      },
    );
    const f = forecastRenewals(
      [{ accountId: "x", renewalDate: "2026-12-01", arr: 100, segment: null, churnProbability: null }],
      none,
      { asOf: "2026-11-15" },
    );
    expect(f.rows[0]).toMatchObject({ source: "none", expectedArr: null });
    expect(f.totals).toEqual({ renewals: 1, arr: 100, expectedArr: 0, unforecast: 1 });
    expect(() =>
      forecastRenewals(
        [{ accountId: "x", renewalDate: "2026-12-01", arr: 100, segment: null, churnProbability: 2 }],
        none,
        { asOf: "2026-11-15" },
      ),
    ).toThrow(/row 1 \(account x\): churnProbability/);
  });
});

describe("arrAtRisk and highPotentialAccounts", () => {
  it("should sum ARR × churn probability and list the largest first", () => {
    const r = arrAtRisk(
      [
        { accountId: "a", arr: 10_000, churnProbability: 0.3 },
        { accountId: "b", arr: 2_000, churnProbability: 0.5 },
        { accountId: "c", arr: 50_000, churnProbability: 0.01 },
      ],
      2,
    );
    expect(r.total).toBeCloseTo(4_500, 9);
    expect(r.arr).toBe(62_000);
    expect(r.largest.map((x) => [x.accountId, x.atRisk])).toEqual([
      ["a", 3_000],
      ["b", 1_000],
    ]);
    expect(() => arrAtRisk([{ accountId: "z", arr: -1, churnProbability: 0 }])).toThrow(/account z/);
  });

  it("should flag small accounts whose CLV is many times the small-account average", () => {
    const r = highPotentialAccounts(
      [
        { accountId: "a", clv: 100 },
        { accountId: "b", clv: 100 },
        { accountId: "c", clv: 100 },
        { accountId: "d", clv: 900 },
      ],
      3,
    );
    expect(r.average).toBe(300);
    expect(r.accounts).toEqual([{ accountId: "d", clv: 900, multiple: 3 }]);
    expect(highPotentialAccounts([])).toEqual({ average: null, accounts: [] });
  });
});
