import { describe, expect, it } from "vitest";
import { TenureError } from "../errors";
import type { Subscription } from "../types";
import { buildMrrMatrix } from "./mrr-matrix";
import { account, sub } from "./test-fixtures";
import { computeUnitEconomics } from "./unit-economics";

describe("computeUnitEconomics", () => {
  it("should give LTV $2,000 when ARPA is $100 and monthly churn 5% (ChartMogul)", () => {
    const rows: Subscription[] = [];
    for (let i = 0; i < 20; i++) {
      rows.push(sub({ accountId: `a${i}`, startDate: "2024-01-01", endDate: i === 0 ? "2024-02-01" : null }));
    }
    const m = buildMrrMatrix(rows, [], { reportingCurrency: "USD", to: "2024-02" });
    const ue = computeUnitEconomics(m, [], [], [], { from: "2024-02", to: "2024-02" });
    expect(ue.arpa).toBe(100);
    expect(ue.logoChurnRate).toBeCloseTo(0.05, 12);
    expect(ue.ltv).toBeCloseTo(2000, 9);
    expect(ue.overall.newCustomers).toBe(0);
    expect(ue.overall.cac).toBeNull();
  });

  it("should compute CAC, LTV/CAC and payback per channel with spend converted at the month's rate", () => {
    const accounts = [
      account({ id: "a1", channel: "ads" }),
      account({ id: "a2", channel: "ads" }),
      account({ id: "r1", channel: "referral" }),
      account({ id: "x1" }),
    ];
    const rows = [
      sub({ accountId: "a1", startDate: "2024-01-01", endDate: "2024-03-01", amount: 100 }),
      sub({ accountId: "a2", startDate: "2024-02-01", amount: 200 }),
      sub({ accountId: "r1", startDate: "2024-01-01", amount: 50 }),
      sub({ accountId: "x1", startDate: "2024-02-01", amount: 10 }),
    ];
    const spend = [
      { month: "2024-01", channel: "ads", amount: 500, currency: "EUR" },
      { month: "2024-02", channel: "ads", amount: 300, currency: "USD" },
      { month: "2024-02", channel: "events", amount: 100, currency: "USD" },
      { month: "2023-12", channel: "ads", amount: 9999, currency: "USD" },
    ];
    const rates = [
      { date: "2023-12-15", currency: "EUR", rate: 1.2 },
      { date: "2024-01-02", currency: "EUR", rate: 5 },
    ];
    const m = buildMrrMatrix(rows, [], { reportingCurrency: "USD", to: "2024-03" });
    const ue = computeUnitEconomics(m, accounts, spend, rates, {
      from: "2024-01",
      to: "2024-03",
      grossMargin: 0.5,
    });
    const ads = ue.channels.find((c) => c.channel === "ads")!;
    // 500 EUR at the rate in force on 2024-01-01 (1.2) + 300 USD.
    expect(ads.spend).toBeCloseTo(900, 9);
    expect(ads.newCustomers).toBe(2);
    expect(ads.cac).toBeCloseTo(450, 9);
    expect(ads.arpaNew).toBe(150);
    // Customer-months at start of month: Feb a1; Mar a1, a2 → 1 churn / 3.
    expect(ads.logoChurnRate).toBeCloseTo(1 / 3, 12);
    // ARPA = (100 + 100 + 200 + 200) / 4 paying months = 150; LTV = 150 × 0.5 / (1/3) = 225.
    expect(ads.ltv).toBeCloseTo(225, 9);
    expect(ads.ltvToCac).toBeCloseTo(0.5, 9);
    expect(ads.paybackMonths).toBeCloseTo(450 / (150 * 0.5), 9);
    expect(ue.channels.find((c) => c.channel === "unknown")?.newCustomers).toBe(1);
    expect(ue.channels.find((c) => c.channel === "events")).toMatchObject({
      spend: 100,
      newCustomers: 0,
      cac: null,
    });
    expect(ue.overall).toMatchObject({ channel: "all", newCustomers: 4 });
    expect(ue.overall.spend).toBeCloseTo(1000, 9);
    expect(ue.overall.cac).toBeCloseTo(250, 9);
    expect(ue).toMatchObject({ from: "2024-01", to: "2024-03", grossMargin: 0.5 });
  });

  it("should only count customers whose first paying month is in the period as new", () => {
    const rows = [
      sub({ accountId: "old", startDate: "2023-06-01", endDate: "2023-08-01" }),
      sub({ accountId: "old", startDate: "2024-02-01" }),
      sub({ accountId: "fresh", startDate: "2024-02-01" }),
    ];
    const m = buildMrrMatrix(rows, [], { reportingCurrency: "USD", to: "2024-03" });
    expect(computeUnitEconomics(m, [], [], [], { from: "2024-01" }).overall.newCustomers).toBe(1);
  });

  it("should throw a validation error when the gross margin is outside (0, 1]", () => {
    const m = buildMrrMatrix([sub({ accountId: "a", startDate: "2024-01-01" })], [], {
      reportingCurrency: "USD",
    });
    expect(() => computeUnitEconomics(m, [], [], [], { grossMargin: 80 })).toThrowError(TenureError);
  });
});
