import { describe, expect, it } from "vitest";
import { createRateLookup } from "./exchange-rates";

// A table quoted in USD, as the demo and most finance exports hold it: units of USD per unit of currency.
const USD_TABLE = [
  { date: "2024-01-01", currency: "EUR", rate: 1.1 },
  { date: "2024-01-01", currency: "CNY", rate: 0.14 },
  { date: "2024-02-01", currency: "CNY", rate: 0.125 },
];

describe("createRateLookup in a reporting currency the table also quotes", () => {
  it("should cross every rate through the reporting currency's rate when reporting in CNY from a USD table", () => {
    const rate = createRateLookup(USD_TABLE, "CNY");
    expect(rate("CNY", "2024-01-15")).toBe(1);
    expect(rate("USD", "2024-01-15")).toBeCloseTo(1 / 0.14, 10);
    expect(rate("EUR", "2024-01-15")).toBeCloseTo(1.1 / 0.14, 10);
    // The reporting currency's own rate of the day is used: February's.
    expect(rate("USD", "2024-02-10")).toBeCloseTo(8, 10);
  });

  it("should keep the direct rates and refuse an unknown currency when the table has none for the reporting currency", () => {
    const rate = createRateLookup(USD_TABLE, "USD");
    expect(rate("EUR", "2024-01-15")).toBe(1.1);
    expect(() => rate("GBP", "2024-01-15")).toThrow(/No exchange rate for GBP to USD/);
  });
});
