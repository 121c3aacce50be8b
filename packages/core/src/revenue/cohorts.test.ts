import { describe, expect, it } from "vitest";
import { computeCohorts } from "./cohorts";
import { buildMrrMatrix } from "./mrr-matrix";
import { sub } from "./test-fixtures";

describe("computeCohorts", () => {
  const rows = [
    // Cohort 2024-01: a stays and expands, b churns after 1 month then comes back in month 3.
    sub({ accountId: "a", startDate: "2024-01-01", endDate: "2024-03-01", amount: 100 }),
    sub({ accountId: "a", startDate: "2024-03-01", amount: 150 }),
    sub({ accountId: "b", startDate: "2024-01-01", endDate: "2024-02-01", amount: 100 }),
    sub({ accountId: "b", startDate: "2024-04-01", amount: 50 }),
    // Cohort 2024-03 (its trial month does not count as the start).
    sub({ accountId: "c", startDate: "2024-02-01", endDate: "2024-03-01", trial: true }),
    sub({ accountId: "c", startDate: "2024-03-01", amount: 40 }),
  ];
  const m = buildMrrMatrix(rows, [], { reportingCurrency: "USD", to: "2024-04" });

  it("should give logo and revenue retention by age with null past the last month", () => {
    const table = computeCohorts(m);
    expect(table.maxAge).toBe(3);
    expect(table.cohorts.map((c) => c.cohort)).toEqual(["2024-01", "2024-03"]);
    const [jan, mar] = table.cohorts;
    expect(jan).toMatchObject({ size: 2, startMrr: 200 });
    expect(jan?.logo).toEqual([1, 0.5, 0.5, 1]);
    expect(jan?.revenue).toEqual([1, 0.5, 0.75, 1]);
    expect(mar).toMatchObject({
      size: 1,
      startMrr: 40,
      logo: [1, 1, null, null],
      revenue: [1, 1, null, null],
    });
  });

  it("should only include cohorts that start within the window", () => {
    const table = computeCohorts(m, { from: "2024-02" });
    expect(table.cohorts.map((c) => c.cohort)).toEqual(["2024-03"]);
    expect(table.cohorts[0]?.logo).toEqual([1, 1, null]);
  });
});
