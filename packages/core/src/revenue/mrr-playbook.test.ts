import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Subscription } from "../types";
import { computeMonthMetrics } from "./month-metrics";
import { computeMovements } from "./movements";
import { buildMrrMatrix } from "./mrr-matrix";

// dbt-labs mrr-playbook fixture (read at run time, never copied into the repo).
const CSV = new URL("../../../../../shared/datasets/mrr-playbook/subscription_periods.csv", import.meta.url);

function loadPlaybook(): Subscription[] {
  const lines = readFileSync(CSV, "utf8").trim().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const col = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = line.split(",");
    return {
      id: f[col("subscription_id")]!,
      accountId: f[col("customer_id")]!,
      plan: "plan",
      startDate: f[col("start_date")]!,
      endDate: f[col("end_date")] || null,
      amount: Number(f[col("monthly_amount")]),
      currency: "USD",
      interval: "month",
      quantity: 1,
      discountPct: 0,
      trial: false,
    };
  });
}

describe("dbt mrr-playbook oracle", () => {
  const m = buildMrrMatrix(loadPlaybook(), [], { reportingCurrency: "USD", to: "2020-02" });
  const metrics = computeMonthMetrics(m);

  it("should match the published movement totals when summed over all months", () => {
    const total = (k: "new" | "expansion" | "contraction" | "churn" | "reactivation") =>
      metrics.reduce((s, x) => s + x[k], 0);
    const count = (
      k:
        | "newCustomers"
        | "expansionCustomers"
        | "contractionCustomers"
        | "churnedCustomers"
        | "reactivatedCustomers",
    ) => metrics.reduce((s, x) => s + x[k], 0);
    expect([count("newCustomers"), total("new")]).toEqual([55, 2295]);
    expect([count("expansionCustomers"), total("expansion")]).toEqual([30, 660]);
    expect([count("contractionCustomers"), total("contraction")]).toEqual([27, -555]);
    expect([count("churnedCustomers"), total("churn")]).toEqual([58, -2550]);
    expect([count("reactivatedCustomers"), total("reactivation")]).toEqual([3, 150]);
  });

  it("should match the published figures of 2019-12", () => {
    const dec = metrics.find((x) => x.month === "2019-12")!;
    expect(dec).toMatchObject({ mrr: 1255, new: 100, expansion: 50, contraction: -30, churn: -705 });
  });

  it("should make every month's movements sum to the change in MRR", () => {
    let prev = 0;
    for (const x of metrics) {
      expect(x.netMovement).toBeCloseTo(x.mrr - prev, 9);
      prev = x.mrr;
    }
  });

  it("should agree with the per-account movement list", () => {
    const list = computeMovements(m);
    expect(list.filter((x) => x.kind === "new")).toHaveLength(55);
    expect(list.reduce((s, x) => s + x.amount, 0)).toBeCloseTo(metrics.at(-1)!.mrr, 9);
  });
});
