import { TenureError } from "@tenure/core";
import { describe, expect, it } from "vitest";
import { earliest, problems } from "./demo-checks";
import { type DemoCompany, generateDemoCompany } from "./generate-demo-company";

const DEFAULT_AS_OF = "2026-11-15";
const company = generateDemoCompany();

describe("generateDemoCompany", () => {
  it("should return deep-equal companies when called twice with the same options", () => {
    const opts = { accounts: 300, seed: 9, years: 2 };
    expect(generateDemoCompany(opts)).toEqual(generateDemoCompany(opts));
  });

  it("should return a different company when the seed changes", () => {
    const a = generateDemoCompany({ accounts: 200, seed: 1 });
    const b = generateDemoCompany({ accounts: 200, seed: 2 });
    expect(a.accounts.map((x) => x.name)).not.toEqual(b.accounts.map((x) => x.name));
  });

  it("should generate 2,400 accounts over three years when called without options", () => {
    expect(company.name).toBeTruthy();
    expect(company.reportingCurrency).toBe("USD");
    expect(company.accounts).toHaveLength(2400);
    expect(company.accounts[0]?.id).toBe("acc_00001");
    const first = earliest(
      company.subscriptions.map((s) => s.startDate),
      DEFAULT_AS_OF,
    );
    expect(first >= "2023-11-01" && first < "2024-01-01").toBe(true);
    expect(company.spend.map((s) => s.month)).toContain("2023-11");
    expect(company.spend.map((s) => s.month)).toContain("2026-11");
  });

  it("should scale linearly when the account count changes", () => {
    const small = generateDemoCompany({ accounts: 500 });
    const large = generateDemoCompany({ accounts: 2000 });
    expect(small.accounts).toHaveLength(500);
    expect(large.accounts).toHaveLength(2000);
    const ratio = large.subscriptions.length / small.subscriptions.length;
    expect(ratio).toBeGreaterThan(3.2);
    expect(ratio).toBeLessThan(4.8);
    const spend = (c: DemoCompany) => c.spend.reduce((t, s) => t + s.amount, 0);
    expect(spend(large) / spend(small)).toBeGreaterThan(2.5);
    expect(spend(large) / spend(small)).toBeLessThan(5.5);
  });

  it("should produce only valid records when using the defaults", () => {
    expect(problems(company, DEFAULT_AS_OF)).toEqual([]);
  });

  it.each([
    { accounts: 400, seed: 3, years: 1, asOf: "2024-02-29" },
    { accounts: 400, seed: 11, years: 6, asOf: "2025-12-31" },
    { accounts: 50, seed: 0, years: 2, asOf: "2026-01-01" },
  ])("should produce only valid records when options are $accounts/$years/$asOf", (opts) => {
    expect(problems(generateDemoCompany(opts), opts.asOf)).toEqual([]);
  });

  it("should throw a validation error when the options are impossible", () => {
    expect(() => generateDemoCompany({ accounts: 0 })).toThrow(TenureError);
    expect(() => generateDemoCompany({ asOf: "2026-02-30" })).toThrow(TenureError);
    expect(() => generateDemoCompany({ years: 0 })).toThrow(TenureError);
  });
});
