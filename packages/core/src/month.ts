import { TenureError } from "./errors";
import type { IsoDate, Month } from "./types";

/**
 * Month and date helpers on ISO strings ("YYYY-MM", "YYYY-MM-DD").
 * No Date objects: hot loops parse by character codes, and a month is also an integer index
 * (year × 12 + month − 1) so month arithmetic is plain integer arithmetic.
 */

const MONTH_RE = /^(\d{4})-(\d{2})$/;

function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** True for a leap year of the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days of month `m1` (1-12) of `year`. */
export function daysInMonth(year: number, m1: number): number {
  if (m1 === 2) return isLeapYear(year) ? 29 : 28;
  return m1 === 4 || m1 === 6 || m1 === 9 || m1 === 11 ? 30 : 31;
}

/** True when `s` is a real calendar date "YYYY-MM-DD" (e.g. not "2021-02-30"). */
export function isValidIsoDate(s: string): boolean {
  // Character checks instead of a regex: this runs once per subscription row on large imports.
  if (typeof s !== "string" || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return false;
  if (!isDigit(s, 0) || !isDigit(s, 1) || !isDigit(s, 2) || !isDigit(s, 3)) return false;
  if (!isDigit(s, 5) || !isDigit(s, 6) || !isDigit(s, 8) || !isDigit(s, 9)) return false;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True when `s` is a month "YYYY-MM". */
export function isValidMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  if (!m) return false;
  const month = Number(m[2]);
  return month >= 1 && month <= 12;
}

/** Throws a validation TenureError unless `s` is a month "YYYY-MM". */
export function assertMonth(s: string, what = "month"): Month {
  if (!isValidMonth(s)) throw new TenureError("validation", `Invalid ${what} "${s}": expected YYYY-MM`);
  return s;
}

/** Throws a validation TenureError unless `s` is a date "YYYY-MM-DD". */
export function assertIsoDate(s: string, what = "date"): IsoDate {
  if (!isValidIsoDate(s)) throw new TenureError("validation", `Invalid ${what} "${s}": expected YYYY-MM-DD`);
  return s;
}

/** Integer index of the month of a "YYYY-MM" or "YYYY-MM-DD" string (year × 12 + month − 1). No validation. */
export function monthIndex(s: string): number {
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  return year * 12 + month - 1;
}

/** The month "YYYY-MM" of an integer month index. */
export function monthFromIndex(index: number): Month {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}`;
}

/** The month "YYYY-MM" of a date "YYYY-MM-DD". */
export function monthOf(date: IsoDate): Month {
  return date.slice(0, 7);
}

/** `m` shifted by `n` months (n may be negative): addMonths("2024-11", 3) = "2025-02". */
export function addMonths(m: Month, n: number): Month {
  return monthFromIndex(monthIndex(m) + n);
}

/** Months from `a` to `b` (b − a): monthDiff("2024-01", "2025-03") = 14. */
export function monthDiff(a: Month, b: Month): number {
  return monthIndex(b) - monthIndex(a);
}

/** First day "YYYY-MM-01" of month `m`. */
export function firstDayOfMonth(m: Month): IsoDate {
  return `${m.slice(0, 7)}-01`;
}

/** Last day "YYYY-MM-DD" of month `m`: lastDayOfMonth("2024-02") = "2024-02-29". */
export function lastDayOfMonth(m: Month): IsoDate {
  const year = Number(m.slice(0, 4));
  const month = Number(m.slice(5, 7));
  return `${m.slice(0, 7)}-${daysInMonth(year, month)}`;
}

/** All months from `from` to `to`, both included; empty when `from` is after `to`. */
export function monthRange(from: Month, to: Month): Month[] {
  const a = monthIndex(from);
  const b = monthIndex(to);
  const out: Month[] = [];
  for (let i = a; i <= b; i++) out.push(monthFromIndex(i));
  return out;
}
