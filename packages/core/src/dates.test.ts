import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dateOfDayNumber, dayNumber, daysBetween } from "./dates";

describe("signal dates", () => {
  it("should count days across month ends and leap years", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(daysBetween("2024-01-01", "2024-07-01")).toBe(182);
    expect(daysBetween("2023-02-28", "2023-03-01")).toBe(1);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-07-01", -182)).toBe("2024-01-01");
  });

  it("should agree with Date.UTC when converting random days", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (n) => {
        const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
        expect(dayNumber(iso)).toBe(n);
        expect(dateOfDayNumber(n)).toBe(iso);
      }),
    );
  });
});
