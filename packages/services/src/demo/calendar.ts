import type { IsoDate, Month } from "@tenure/core";

/**
 * Dates inside the generator are integer keys `monthIndex * 32 + day` (monthIndex = year * 12 + month - 1):
 * they compare like dates and step by whole months cheaply, which keeps 100k-account runs fast.
 */
export type DayKey = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when `s` is a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

export function toKey(iso: IsoDate): DayKey {
  const m = ISO_DATE.exec(iso);
  if (!m || !isIsoDate(iso)) throw new RangeError(`not a calendar date: ${iso}`);
  return (Number(m[1]) * 12 + Number(m[2]) - 1) * 32 + Number(m[3]);
}

export function makeKey(monthIndex: number, day: number): DayKey {
  return monthIndex * 32 + day;
}

export function monthIndexOf(key: DayKey): number {
  return Math.floor(key / 32);
}

export function dayOf(key: DayKey): number {
  return key % 32;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function monthOfIndex(monthIndex: number): Month {
  return `${Math.floor(monthIndex / 12)}-${pad2((monthIndex % 12) + 1)}`;
}

export function keyToIso(key: DayKey): IsoDate {
  return `${monthOfIndex(monthIndexOf(key))}-${pad2(dayOf(key))}`;
}

/** Adds whole months, clamping the day to the target month's length. */
export function addMonths(key: DayKey, months: number): DayKey {
  const mi = monthIndexOf(key) + months;
  const dim = daysInMonth(Math.floor(mi / 12), (mi % 12) + 1);
  return makeKey(mi, Math.min(dayOf(key), dim));
}

/** Days since 1970-01-01 (Hinnant's days_from_civil). */
export function keyToDays(key: DayKey): number {
  const mi = monthIndexOf(key);
  let y = Math.floor(mi / 12);
  const m = (mi % 12) + 1;
  const d = dayOf(key);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of keyToDays (Hinnant's civil_from_days). */
export function daysToKey(days: number): DayKey {
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
  return makeKey(y * 12 + m - 1, d);
}

export function addDays(key: DayKey, days: number): DayKey {
  return daysToKey(keyToDays(key) + days);
}
