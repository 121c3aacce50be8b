import { describe, expect, it } from "vitest";
import {
  addMonths,
  isValidIsoDate,
  isValidMonth,
  lastDayOfMonth,
  monthDiff,
  monthFromIndex,
  monthIndex,
  monthOf,
  monthRange,
} from "./month";

describe("month helpers", () => {
  it("should shift months across year boundaries when adding or subtracting", () => {
    expect(addMonths("2024-11", 3)).toBe("2025-02");
    expect(addMonths("2024-01", -1)).toBe("2023-12");
    expect(addMonths("2024-01", -25)).toBe("2021-12");
  });

  it("should give the month of a date, the last day of a month and month differences", () => {
    expect(monthOf("2024-02-15")).toBe("2024-02");
    expect(lastDayOfMonth("2024-02")).toBe("2024-02-29");
    expect(lastDayOfMonth("2023-02")).toBe("2023-02-28");
    expect(lastDayOfMonth("1900-02")).toBe("1900-02-28");
    expect(lastDayOfMonth("2000-02")).toBe("2000-02-29");
    expect(lastDayOfMonth("2024-04")).toBe("2024-04-30");
    expect(monthDiff("2024-01", "2025-03")).toBe(14);
    expect(monthDiff("2025-03", "2024-01")).toBe(-14);
  });

  it("should list inclusive ranges and round-trip month indexes", () => {
    expect(monthRange("2024-11", "2025-02")).toEqual(["2024-11", "2024-12", "2025-01", "2025-02"]);
    expect(monthRange("2025-02", "2024-11")).toEqual([]);
    expect(monthFromIndex(monthIndex("2024-12-31"))).toBe("2024-12");
  });

  it("should reject impossible dates and months when validating", () => {
    expect(isValidIsoDate("2024-02-29")).toBe(true);
    for (const bad of [
      "2023-02-29",
      "2024-13-01",
      "2024-00-10",
      "2024-1-01",
      "2024/01/01",
      "2024-01-01T00:00",
      "",
    ]) {
      expect(isValidIsoDate(bad)).toBe(false);
    }
    expect(isValidMonth("2024-12")).toBe(true);
    for (const bad of ["2024-13", "2024-1", "2024-01-01", "24-01"]) expect(isValidMonth(bad)).toBe(false);
  });
});
