import type { Formatters } from "../../lib/use-formatters";

/**
 * How charts mark the running month: its figures are month to date, so its bars are hatched, its line
 * segment dashed, its axis label carries a second line and its tooltip says so.
 */
export interface MonthToDate {
  /** The running month ("YYYY-MM") or null. */
  month: string | null;
  /** Short axis tag, e.g. "MTD". */
  short: string;
  /** Long form for tooltips, e.g. "month to date". */
  long: string;
}

/** Category labels: the running month gets the short tag on a second line (never cut). */
export function monthAxisLabels(months: readonly string[], fmt: Formatters, mtd: MonthToDate): string[] {
  return months.map((m) => (m === mtd.month ? `${fmt.monthShort(m)}\n${mtd.short}` : fmt.monthShort(m)));
}

/** The tooltip's month line, with "(month to date)" for the running month. */
export function monthTitle(month: string, fmt: Formatters, mtd: MonthToDate): string {
  return month === mtd.month ? `${fmt.month(month)} (${mtd.long})` : fmt.month(month);
}

/** Bar data with the running month's bar hatched and faded. */
export function monthToDateBars(
  values: readonly number[],
  months: readonly string[],
  mtd: MonthToDate,
): (number | { value: number; itemStyle: Record<string, unknown> })[] {
  return values.map((value, i) =>
    months[i] === mtd.month
      ? {
          value,
          itemStyle: {
            opacity: 0.55,
            decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 4], rotation: -Math.PI / 4 },
          },
        }
      : value,
  );
}

/**
 * Splits a line series' values in two: complete months (solid), and the last complete month joined to
 * the running month (drawn dashed). Without a running month at the end, the second part is empty.
 */
export function splitMonthToDate(
  values: readonly number[],
  months: readonly string[],
  mtd: MonthToDate,
): { complete: (number | null)[]; partial: (number | null)[] } {
  const last = months.length - 1;
  if (last < 1 || months[last] !== mtd.month) return { complete: [...values], partial: [] };
  return {
    complete: values.map((v, i) => (i === last ? null : v)),
    partial: values.map((v, i) => (i >= last - 1 ? v : null)),
  };
}
