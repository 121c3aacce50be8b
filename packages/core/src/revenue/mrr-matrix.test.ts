import { describe, expect, it } from "vitest";
import { TenureError } from "../errors";
import type { ExchangeRate } from "../types";
import { accountMrrHistory, buildMrrMatrix, resolveWindow, totalMrrByMonth } from "./mrr-matrix";
import { sub } from "./test-fixtures";

const EUR: ExchangeRate[] = [
  { date: "2024-01-01", currency: "EUR", rate: 1.1 },
  { date: "2024-03-01", currency: "EUR", rate: 1.3 },
];

function series(
  subs: Parameters<typeof buildMrrMatrix>[0],
  opts: Parameters<typeof buildMrrMatrix>[2],
  id = "a",
) {
  return accountMrrHistory(buildMrrMatrix(subs, EUR, opts), id).map((p) => [p.month, p.mrr]);
}

describe("buildMrrMatrix", () => {
  it("should cover a row from its start month to the month before its exclusive end when dates are 1st of month", () => {
    const m = buildMrrMatrix([sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-03-01" })], [], {
      reportingCurrency: "USD",
    });
    expect(m.months).toEqual(["2024-01", "2024-02", "2024-03"]);
    expect([...m.values]).toEqual([100, 100, 0]);
  });

  it("should put the churn in the month the subscription stops covering when it ends mid-month", () => {
    const s = sub({ accountId: "a", startDate: "2024-01-15", endDate: "2024-03-15" });
    expect(series([s], { reportingCurrency: "USD" })).toEqual([
      ["2024-01", 100],
      ["2024-02", 100],
      ["2024-03", 0],
    ]);
  });

  it("should snapshot at asOf when asOf falls inside the month", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-03-20" }),
      sub({ accountId: "a", startDate: "2024-03-10", amount: 50 }),
      sub({ accountId: "a", startDate: "2024-03-25", amount: 7 }),
    ];
    // On 2024-03-15 the first row still covers and the third has not started.
    expect(series(rows, { reportingCurrency: "USD", asOf: "2024-03-15" })).toEqual([
      ["2024-01", 100],
      ["2024-02", 100],
      ["2024-03", 150],
    ]);
  });

  it("should convert at the rate in force at each row's start when currencies differ", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-04-01", currency: "EUR" }),
      sub({ accountId: "a", startDate: "2024-04-01", currency: "eur" }),
      sub({ accountId: "b", startDate: "2023-06-01", endDate: "2024-01-01", currency: "EUR" }),
    ];
    const m = buildMrrMatrix(rows, EUR, { reportingCurrency: "usd", to: "2024-05" });
    expect(m.currency).toBe("USD");
    const a = accountMrrHistory(m, "a").map((p) => Math.round(p.mrr * 1e6) / 1e6);
    // Jan-Mar at 1.1 even though the rate changed in March (a rate swing is not a movement); Apr at 1.3.
    expect(a.slice(7)).toEqual([110, 110, 110, 130, 130]);
    // Before the first known rate, the earliest rate applies.
    expect(accountMrrHistory(m, "b")[0]?.mrr).toBeCloseTo(110, 9);
  });

  it("should throw a validation error when a currency has no rate at all", () => {
    const rows = [sub({ accountId: "a", startDate: "2024-01-01", currency: "JPY" })];
    expect(() => buildMrrMatrix(rows, EUR, { reportingCurrency: "USD" })).toThrowError(
      /No exchange rate for JPY/,
    );
    try {
      buildMrrMatrix(rows, EUR, { reportingCurrency: "USD" });
    } catch (e) {
      expect(e).toBeInstanceOf(TenureError);
      expect((e as TenureError).code).toBe("validation");
    }
  });

  it("should exclude trials, free rows and 100% discounts when summing account MRR", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-01", trial: true }),
      sub({ accountId: "a", startDate: "2024-01-01", amount: 0 }),
      sub({ accountId: "a", startDate: "2024-01-01", discountPct: 100 }),
      sub({ accountId: "a", startDate: "2024-01-01", amount: 120, interval: "year", discountPct: 10 }),
    ];
    expect(series(rows, { reportingCurrency: "USD", to: "2024-01" })).toEqual([["2024-01", 9]]);
  });

  it("should run through the last start or end month by default and through `to` when given", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-06-01" }),
      sub({ accountId: "b", startDate: "2024-02-01" }),
    ];
    expect(buildMrrMatrix(rows, [], { reportingCurrency: "USD" }).months.at(-1)).toBe("2024-06");
    expect(buildMrrMatrix(rows, [], { reportingCurrency: "USD", asOf: "2024-04-10" }).months.at(-1)).toBe(
      "2024-04",
    );
    expect(buildMrrMatrix(rows, [], { reportingCurrency: "USD", to: "2024-09" }).months).toHaveLength(9);
  });

  it("should keep only the given accounts when accountIds is set, sorted by id", () => {
    const rows = [
      sub({ accountId: "c", startDate: "2024-01-01" }),
      sub({ accountId: "a", startDate: "2024-03-01" }),
      sub({ accountId: "b", startDate: "2023-01-01" }),
    ];
    const m = buildMrrMatrix(rows, [], {
      reportingCurrency: "USD",
      to: "2024-03",
      accountIds: new Set(["c", "a"]),
    });
    expect(m.accountIds).toEqual(["a", "c"]);
    expect(m.months[0]).toBe("2024-01");
    expect([...totalMrrByMonth(m)]).toEqual([100, 100, 200]);
  });

  it("should give one month and no accounts when there are no rows and asOf is set", () => {
    const m = buildMrrMatrix([], [], { reportingCurrency: "USD", asOf: "2024-05-05" });
    expect(m.months).toEqual(["2024-05"]);
    expect(m.accountIds).toEqual([]);
  });
});

describe("buildMrrMatrix with many accounts", () => {
  // Thousands of accounts make the account table grow several times; shuffled rows take the sorting path.
  const ACCOUNTS = 5000;
  const rows = Array.from({ length: ACCOUNTS * 2 }, (_, r) => {
    const i = r % ACCOUNTS;
    return sub({
      accountId: `acc_${i}`,
      startDate: r < ACCOUNTS ? "2024-01-01" : "2024-03-01",
      endDate: r < ACCOUNTS ? null : "2024-05-01",
      amount: r < ACCOUNTS ? i + 1 : 1000,
    });
  });

  it("should give every account its own MRR whatever the row order", () => {
    // A fixed permutation (multiplier coprime with the row count), so the test is the same on every run.
    const shuffled = rows.map((_, r) => rows[(r * 7919) % rows.length]!);
    const grouped = [...rows].sort((x, y) =>
      x.accountId < y.accountId ? -1 : x.accountId > y.accountId ? 1 : 0,
    );
    for (const input of [rows, shuffled, grouped]) {
      const m = buildMrrMatrix(input, [], { reportingCurrency: "USD", asOf: "2024-06-15" });
      expect(m.accountIds).toEqual(Array.from({ length: ACCOUNTS }, (_, i) => `acc_${i}`).sort());
      expect(m.months).toEqual(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]);
      for (const id of ["acc_0", "acc_1234", "acc_4999"]) {
        const own = Number(id.slice(4)) + 1;
        expect(accountMrrHistory(m, id).map((p) => p.mrr)).toEqual([
          own,
          own,
          own + 1000,
          own + 1000,
          own,
          own,
        ]);
      }
    }
  });
});

describe("resolveWindow", () => {
  it("should clip the window to the matrix months and reject from after to", () => {
    const m = buildMrrMatrix([sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-06-01" })], [], {
      reportingCurrency: "USD",
    });
    expect(resolveWindow(m, { from: "2023-01", to: "2024-03" })).toEqual({ start: 0, end: 2 });
    expect(resolveWindow(m, { from: "2024-05" })).toEqual({ start: 4, end: 5 });
    expect(() => resolveWindow(m, { from: "2024-05", to: "2024-02" })).toThrowError(TenureError);
    expect(() => resolveWindow(m, { from: "2024-5" })).toThrowError(/YYYY-MM/);
  });
});
