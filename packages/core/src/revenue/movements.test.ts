import { describe, expect, it } from "vitest";
import type { Subscription } from "../types";
import { computeMovements } from "./movements";
import { buildMrrMatrix } from "./mrr-matrix";
import type { AccountMovement } from "./report-types";
import { sub } from "./test-fixtures";

function movements(rows: Subscription[], to?: string): Pick<AccountMovement, "month" | "kind" | "amount">[] {
  const m = buildMrrMatrix(rows, [], { reportingCurrency: "USD", ...(to ? { to } : {}) });
  return computeMovements(m).map(({ month, kind, amount }) => ({ month, kind, amount }));
}

describe("computeMovements", () => {
  it("should record new business of $166.67 when an account starts a $2,000 annual plan (ChartMogul)", () => {
    const [first] = movements([
      sub({ accountId: "a", startDate: "2024-01-01", amount: 2000, interval: "year" }),
    ]);
    expect(first?.kind).toBe("new");
    expect(first?.amount).toBeCloseTo(166.67, 2);
  });

  it("should record contraction, not churn, when one product is dropped while another stays (ChartMogul)", () => {
    const rows = [
      sub({ accountId: "a", plan: "crm", startDate: "2024-01-01", endDate: "2024-03-01", amount: 60 }),
      sub({ accountId: "a", plan: "chat", startDate: "2024-01-01", amount: 40 }),
    ];
    expect(movements(rows)).toEqual([
      { month: "2024-01", kind: "new", amount: 100 },
      { month: "2024-03", kind: "contraction", amount: -60 },
    ]);
  });

  it("should record one expansion when a plan is switched on the same day", () => {
    const rows = [
      sub({ accountId: "a", plan: "basic", startDate: "2024-01-01", endDate: "2024-02-15", amount: 50 }),
      sub({ accountId: "a", plan: "pro", startDate: "2024-02-15", amount: 80 }),
    ];
    expect(movements(rows)).toEqual([
      { month: "2024-01", kind: "new", amount: 50 },
      { month: "2024-02", kind: "expansion", amount: 30 },
    ]);
  });

  it("should record one contraction when a plan is downgraded on the same day mid-month", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-10", endDate: "2024-02-10", amount: 80 }),
      sub({ accountId: "a", startDate: "2024-02-10", amount: 50 }),
    ];
    expect(movements(rows)).toEqual([
      { month: "2024-01", kind: "new", amount: 80 },
      { month: "2024-02", kind: "contraction", amount: -30 },
    ]);
  });

  it("should record churn then reactivation, never new twice, when a customer comes back", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-03-01" }),
      sub({ accountId: "a", startDate: "2024-05-01", endDate: "2024-06-01", amount: 120 }),
      sub({ accountId: "a", startDate: "2024-08-01", amount: 90 }),
    ];
    expect(movements(rows)).toEqual([
      { month: "2024-01", kind: "new", amount: 100 },
      { month: "2024-03", kind: "churn", amount: -100 },
      { month: "2024-05", kind: "reactivation", amount: 120 },
      { month: "2024-06", kind: "churn", amount: -120 },
      { month: "2024-08", kind: "reactivation", amount: 90 },
    ]);
  });

  it("should count a trial converting to paid as new in the month it starts paying", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-02-01", trial: true }),
      sub({ accountId: "a", startDate: "2024-02-01" }),
    ];
    expect(movements(rows)).toEqual([{ month: "2024-02", kind: "new", amount: 100 }]);
  });

  it("should record no movement when only the exchange rate changes", () => {
    const rows = [sub({ accountId: "a", startDate: "2024-01-01", currency: "EUR" })];
    const rates = [
      { date: "2024-01-01", currency: "EUR", rate: 1.1 },
      { date: "2024-02-01", currency: "EUR", rate: 1.5 },
    ];
    const m = buildMrrMatrix(rows, rates, { reportingCurrency: "USD", to: "2024-06" });
    expect(computeMovements(m).map((x) => x.kind)).toEqual(["new"]);
  });

  it("should only return months inside the window while still knowing earlier history", () => {
    const rows = [
      sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-02-01" }),
      sub({ accountId: "a", startDate: "2024-04-01", amount: 10 }),
    ];
    const m = buildMrrMatrix(rows, [], { reportingCurrency: "USD" });
    const inWindow = computeMovements(m, { from: "2024-03", to: "2024-04" });
    expect(inWindow).toEqual([
      { month: "2024-04", accountId: "a", kind: "reactivation", amount: 10, mrrBefore: 0, mrrAfter: 10 },
    ]);
  });
});
