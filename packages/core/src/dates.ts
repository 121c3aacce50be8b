import type { IsoDate } from "./types";

/**
 * Day arithmetic on "YYYY-MM-DD" strings, the one home for it (signals, playbooks, success plans, services): integer day numbers computed from
 * character codes (no Date objects, no clock) because detectors run over every account on each pass.
 */

function d2(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
}

/** Days since 1970-01-01 of an ISO date (no validation). Howard Hinnant's days_from_civil. */
export function dayNumber(date: IsoDate): number {
  let y = d2(date, 0) * 100 + d2(date, 2);
  const m = d2(date, 5);
  const d = d2(date, 8);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The ISO date of a day number (inverse of dayNumber). Howard Hinnant's civil_from_days. */
export function dateOfDayNumber(days: number): IsoDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
}

/** The ISO date `days` days after `date`. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfDayNumber(dayNumber(date) + Math.round(days));
}
