import { describe, expect, it } from "vitest";
import { computeMonthMetrics } from "./month-metrics";
import { buildMrrMatrix } from "./mrr-matrix";
import { sub } from "./test-fixtures";

describe("computeMonthMetrics", () => {
  // Start $100; then churn $10, contraction $10, expansion $10 (ChartMogul's example).
  const rows = [
    sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-02-01", amount: 10 }),
    sub({ accountId: "b", startDate: "2024-01-01", endDate: "2024-02-01", amount: 50 }),
    sub({ accountId: "b", startDate: "2024-02-01", amount: 40 }),
    sub({ accountId: "c", startDate: "2024-01-01", endDate: "2024-02-01", amount: 40 }),
    sub({ accountId: "c", startDate: "2024-02-01", amount: 50 }),
  ];
  const [jan, feb] = computeMonthMetrics(
    buildMrrMatrix(rows, [], { reportingCurrency: "USD", to: "2024-02" }),
  );

  it("should give gross MRR churn 20% and net 10% when start is 100 with churn, contraction and expansion of 10", () => {
    expect(feb?.grossMrrChurnRate).toBeCloseTo(0.2, 12);
    expect(feb?.netMrrChurnRate).toBeCloseTo(0.1, 12);
  });

  it("should report MRR, ARR, customers, ARPA, logo churn and quick ratio of the month", () => {
    expect(feb).toMatchObject({
      mrr: 90,
      arr: 1080,
      customers: 2,
      churn: -10,
      contraction: -10,
      expansion: 10,
      netMovement: -10,
      churnedCustomers: 1,
      contractionCustomers: 1,
      expansionCustomers: 1,
      arpa: 45,
      quickRatio: 0.5,
    });
    expect(feb?.logoChurnRate).toBeCloseTo(1 / 3, 12);
  });

  it("should give null, never NaN or Infinity, when a ratio has no base", () => {
    expect(jan).toMatchObject({
      new: 100,
      newCustomers: 3,
      logoChurnRate: null,
      grossMrrChurnRate: null,
      netMrrChurnRate: null,
      quickRatio: null,
      ndr: null,
      grr: null,
    });
    const empty = computeMonthMetrics(
      buildMrrMatrix([], [], { reportingCurrency: "USD", asOf: "2024-01-31" }),
    );
    expect(empty).toEqual([expect.objectContaining({ mrr: 0, customers: 0, arpa: null })]);
  });

  it("should compute trailing-12-month NDR and GRR over the accounts paying 12 months earlier", () => {
    const thirteen = [
      sub({ accountId: "a", startDate: "2023-01-01", endDate: "2023-10-01", amount: 100 }),
      sub({ accountId: "a", startDate: "2023-10-01", amount: 150 }),
      sub({ accountId: "b", startDate: "2023-01-01", endDate: "2023-07-01", amount: 100 }),
      sub({ accountId: "c", startDate: "2023-06-01", amount: 200 }),
      // Not paying in 2023-01, so outside the NDR base; its later expansion must not count.
      sub({ accountId: "d", startDate: "2023-02-01", amount: 80 }),
    ];
    const metrics = computeMonthMetrics(
      buildMrrMatrix(thirteen, [], { reportingCurrency: "USD", to: "2024-01" }),
    );
    expect(metrics).toHaveLength(13);
    expect(metrics.slice(0, 12).every((x) => x.ndr === null && x.grr === null)).toBe(true);
    const last = metrics[12]!;
    expect(last.month).toBe("2024-01");
    expect(last.ndr).toBeCloseTo(150 / 200, 12);
    expect(last.grr).toBeCloseTo(100 / 200, 12);
  });

  it("should restrict the output to the window while using earlier months as the base", () => {
    const monthly = [sub({ accountId: "a", startDate: "2023-01-01", endDate: "2024-03-01" })];
    const m = buildMrrMatrix(monthly, [], { reportingCurrency: "USD", to: "2024-06" });
    const win = computeMonthMetrics(m, { from: "2024-01", to: "2024-03" });
    expect(win.map((x) => x.month)).toEqual(["2024-01", "2024-02", "2024-03"]);
    expect(win[0]?.ndr).toBe(1);
    expect(win[2]).toMatchObject({ churn: -100, logoChurnRate: 1, grossMrrChurnRate: 1, grr: 0, ndr: 0 });
  });
});
