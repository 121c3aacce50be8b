import { describe, expect, it } from "vitest";
import type { Subscription } from "../types";
import { buildMrrMatrix, mrrOnDay } from "./mrr-matrix";

const sub = (id: string, accountId: string, startDate: string, amount: number): Subscription => ({
  id,
  accountId,
  plan: "p",
  startDate,
  endDate: null,
  amount,
  currency: "USD",
  interval: "month",
  quantity: 1,
  discountPct: 0,
  trial: false,
});

describe("mrrOnDay", () => {
  const m = buildMrrMatrix([sub("s1", "a", "2026-03-01", 100.004), sub("s2", "b", "2026-05-01", 50)], [], {
    reportingCurrency: "USD",
    asOf: "2026-06-30",
  });
  it("should read the account's MRR in the day's month, rounded to cents, with or without its row", () => {
    expect(mrrOnDay(m, "a", "2026-04-15")).toBe(100);
    expect(mrrOnDay(m, "b", "2026-05-31", m.accountIds.indexOf("b"))).toBe(50);
  });
  it("should be 0 before the matrix, after it, and for an account it does not hold", () => {
    expect(mrrOnDay(m, "a", "2025-12-31")).toBe(0);
    expect(mrrOnDay(m, "a", "2027-01-01")).toBe(0);
    expect(mrrOnDay(m, "zz", "2026-04-15")).toBe(0);
    expect(mrrOnDay(m, "b", "2026-04-15")).toBe(0);
  });
});
