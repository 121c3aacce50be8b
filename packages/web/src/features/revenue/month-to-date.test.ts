import { describe, expect, it } from "vitest";
import type { Formatters } from "../../lib/use-formatters";
import { monthAxisLabels, monthTitle, monthToDateBars, splitMonthToDate } from "./month-to-date";

const fmt = { monthShort: (m: string) => `s${m}`, month: (m: string) => `l${m}` } as Formatters;
const mtd = { month: "2026-12", short: "MTD", long: "month to date" };
const months = ["2026-10", "2026-11", "2026-12"];

describe("month-to-date marking", () => {
  it("should tag only the running month's axis label and tooltip title", () => {
    expect(monthAxisLabels(months, fmt, mtd)).toEqual(["s2026-10", "s2026-11", "s2026-12\nMTD"]);
    expect(monthTitle("2026-12", fmt, mtd)).toBe("l2026-12 (month to date)");
    expect(monthTitle("2026-11", fmt, mtd)).toBe("l2026-11");
  });

  it("should fade only the running month's bar", () => {
    const bars = monthToDateBars([1, 2, 3], months, mtd);
    expect(bars.slice(0, 2)).toEqual([1, 2]);
    expect(bars[2]).toMatchObject({ value: 3, itemStyle: { opacity: 0.55 } });
  });

  it("should draw the last complete month to the running month as a separate segment", () => {
    expect(splitMonthToDate([1, 2, 3], months, mtd)).toEqual({
      complete: [1, 2, null],
      partial: [null, 2, 3],
    });
  });

  it("should leave the series whole when the running month is not shown", () => {
    expect(splitMonthToDate([1, 2], months.slice(0, 2), mtd)).toEqual({ complete: [1, 2], partial: [] });
  });
});
