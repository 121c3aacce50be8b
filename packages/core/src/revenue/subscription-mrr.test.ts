import { describe, expect, it } from "vitest";
import { TenureError } from "../errors";
import { monthlyMrrOfSubscription, signingDates, validateSubscription } from "./subscription-mrr";
import { sub } from "./test-fixtures";

describe("monthlyMrrOfSubscription", () => {
  it("should normalise a $2,000 annual plan to $166.67 when billed yearly (ChartMogul)", () => {
    const mrr = monthlyMrrOfSubscription(
      sub({ accountId: "a", startDate: "2024-01-01", amount: 2000, interval: "year" }),
    );
    expect(mrr).toBeCloseTo(166.6667, 4);
    expect(Math.round(mrr * 100) / 100).toBe(166.67);
  });

  it("should give $10 when a $120 plan is billed yearly (Baremetrics)", () => {
    expect(
      monthlyMrrOfSubscription(
        sub({ accountId: "a", startDate: "2024-01-01", amount: 120, interval: "year" }),
      ),
    ).toBe(10);
  });

  it("should give $9 when a $120 yearly plan has a 10% discount (ProfitWell)", () => {
    const s = sub({
      accountId: "a",
      startDate: "2024-01-01",
      amount: 120,
      interval: "year",
      discountPct: 10,
    });
    expect(monthlyMrrOfSubscription(s)).toBeCloseTo(9, 10);
  });

  it("should divide by 3 when billed quarterly and multiply by quantity when there are seats", () => {
    const s = sub({ accountId: "a", startDate: "2024-01-01", amount: 90, interval: "quarter", quantity: 4 });
    expect(monthlyMrrOfSubscription(s)).toBe(120);
  });

  it("should give 0 when the row is a trial, free or 100% discounted (ChartMogul)", () => {
    expect(monthlyMrrOfSubscription(sub({ accountId: "a", startDate: "2024-01-01", trial: true }))).toBe(0);
    expect(monthlyMrrOfSubscription(sub({ accountId: "a", startDate: "2024-01-01", amount: 0 }))).toBe(0);
    expect(monthlyMrrOfSubscription(sub({ accountId: "a", startDate: "2024-01-01", discountPct: 100 }))).toBe(
      0,
    );
  });
});

describe("validateSubscription", () => {
  it("should throw a validation error naming the row when a field is malformed", () => {
    const bad = [
      sub({ id: "x1", accountId: "a", startDate: "2024-02-30" }),
      sub({ id: "x2", accountId: "a", startDate: "2024-01-01", endDate: "2024/02/01" }),
      sub({ id: "x3", accountId: "a", startDate: "2024-01-01", amount: -5 }),
      sub({ id: "x4", accountId: "a", startDate: "2024-01-01", quantity: Number.NaN }),
      sub({ id: "x5", accountId: "a", startDate: "2024-01-01", discountPct: 120 }),
      { ...sub({ id: "x6", accountId: "a", startDate: "2024-01-01" }), interval: "week" as "month" },
    ];
    for (const s of bad) {
      expect(() => validateSubscription(s)).toThrowError(TenureError);
      expect(() => validateSubscription(s)).toThrowError(s.id);
    }
  });
});

describe("signingDates", () => {
  it("should give each account the first day of its earliest subscription, whatever the order and time of day", () => {
    const got = signingDates([
      { accountId: "a", startDate: "2024-03-01" },
      { accountId: "b", startDate: "2023-12-31T23:00:00Z" },
      { accountId: "a", startDate: "2024-01-15T08:00:00Z" },
      { accountId: "a", startDate: "2024-01-15" },
    ]);
    expect(got).toEqual(
      new Map([
        ["a", "2024-01-15"],
        ["b", "2023-12-31"],
      ]),
    );
  });
});
