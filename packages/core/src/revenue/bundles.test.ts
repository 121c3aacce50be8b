import { describe, expect, it } from "vitest";
import type { Plan, Subscription } from "../types";
import { computeBundles } from "./bundles";
import { buildMrrMatrix } from "./mrr-matrix";
import { sub } from "./test-fixtures";

const plans: Plan[] = [
  { id: "a-basic", productId: "A", name: "A Basic", interval: "month", amount: 100, currency: "USD" },
  { id: "a-pro", productId: "A", name: "A Pro", interval: "month", amount: 200, currency: "USD" },
  { id: "b-std", productId: "B", name: "B", interval: "month", amount: 50, currency: "USD" },
];

describe("computeBundles", () => {
  const rows: Subscription[] = [
    // Single product A: two accounts, 10 paying months each, both churn → churn 2/20, ARPA 100, LTV 1000.
    sub({ accountId: "s1", plan: "a-basic", startDate: "2023-01-01", endDate: "2023-11-01" }),
    sub({ accountId: "s2", plan: "a-basic", startDate: "2023-01-01", endDate: "2023-06-01" }),
    sub({ accountId: "s2", plan: "a-pro", startDate: "2023-06-01", endDate: "2023-11-01", amount: 100 }),
    // A+B: one account paying 150 for 20 months, churns once → LTV 150 / (1/20) = 3000.
    sub({ accountId: "m1", plan: "a-basic", startDate: "2023-01-01", endDate: "2024-09-01" }),
    sub({ accountId: "m1", plan: "b-std", startDate: "2023-01-01", endDate: "2024-09-01", amount: 50 }),
    // Unknown plan "zz" counts as its own product; a trial of B does not put B in the bundle.
    sub({ accountId: "u1", plan: "zz", startDate: "2024-01-01", amount: 30 }),
    sub({ accountId: "u1", plan: "b-std", startDate: "2023-12-01", endDate: "2024-01-01", trial: true }),
  ];
  const m = buildMrrMatrix(rows, [], { reportingCurrency: "USD", to: "2024-12" });
  const bundles = computeBundles(m, rows, plans);

  it("should group accounts by the sorted set of products they paid for and sort by LTV", () => {
    expect(bundles.map((b) => b.bundle)).toEqual(["A+B", "A", "zz"]);
    expect(bundles[0]?.products).toEqual(["A", "B"]);
  });

  it("should compute ARPA, churn, LTV and the multiple of the single-product LTV", () => {
    const [ab, a, zz] = bundles;
    expect(a).toMatchObject({
      accounts: 2,
      activeAccounts: 0,
      avgLifetimeMonths: 10,
      arpa: 100,
      logoChurnRate: 0.1,
    });
    expect(a?.ltv).toBeCloseTo(1000, 9);
    expect(a?.retention12).toBe(0);
    expect(ab).toMatchObject({ accounts: 1, avgLifetimeMonths: 20, arpa: 150, retention12: 1 });
    expect(ab?.ltv).toBeCloseTo(3000, 9);
    // Single-product bundles with an LTV: only A (zz never churned).
    expect(ab?.ltvMultiple).toBeCloseTo(3, 9);
    expect(zz).toMatchObject({
      accounts: 1,
      activeAccounts: 1,
      logoChurnRate: 0,
      ltv: null,
      ltvMultiple: null,
    });
    expect(zz?.retention12).toBeNull();
  });
});
