/**
 * The one date rule of every input (CSV/JSON import, the tracking API, the events import): a real
 * calendar date, YYYY-MM-DD, with a year in MIN_YEAR..MAX_YEAR. Dates outside that range are typos
 * (9999-12-31 "never ends", 0202 for 2020) that would otherwise stretch every chart and model window.
 */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why `text` (YYYY-MM-DD) is not an accepted date, or null when it is. */
export function dateProblem(text: string): string | null {
  const m = DATE.exec(text);
  if (m === null) return "must be a date in the form YYYY-MM-DD";
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return "is not a real calendar date";
  if (year < MIN_YEAR || year > MAX_YEAR) return `must be a year from ${MIN_YEAR} to ${MAX_YEAR}`;
  return null;
}

/** True when `text` is YYYY-MM-DD, a real calendar date (2026-02-30 is not), in the accepted years. */
export const isCalendarDate = (text: string): boolean => dateProblem(text) === null;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
