/** UTC calendar-day arithmetic on YYYY-MM-DD strings (the services read no clock). */

export { addDays, dayNumber, daysBetween } from "@tenure/core";

/** The ISO date `n` calendar months after `date`, clamped to the month's last day. */
export function addMonthsToDate(date: string, n: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const d = Number(date.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}
