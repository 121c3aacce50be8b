/** Quiet hours: a daily window of local wall-clock time ("22:00" to "08:00") in an IANA time zone. */
export interface QuietHours {
  timeZone: string;
  /** "HH:MM", local time; the window may cross midnight (start > end). */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string) => {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (m === null) throw new RangeError(`quiet hours time must be HH:MM, got "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
};

interface Wall {
  y: number;
  mo: number;
  d: number;
  minute: number;
}

/** The local wall-clock date and minute of `at` in `timeZone` (Intl does the DST arithmetic). */
function wallClock(at: Date, timeZone: string): Wall {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get("year"), mo: get("month"), d: get("day"), minute: get("hour") * 60 + get("minute") };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Asia/Shanghai: +8 h). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(new Date(ms), timeZone);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, Math.floor(w.minute / 60), w.minute % 60);
  return asUtc - Math.floor(ms / 60_000) * 60_000;
}

/**
 * The instant of a local wall-clock time. A time skipped by a DST jump (02:30 on a spring-forward
 * night) is moved forward by the jump (03:30), as Temporal's "compatible" disambiguation does.
 */
function instantOf(y: number, mo: number, d: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(y, mo - 1, d, Math.floor(minute / 60), minute % 60);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return new Date(Math.max(first, second));
}

/** Throws a RangeError when the time zone is not one Intl knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}" (use an IANA name such as Asia/Shanghai)`);
  }
}

/**
 * When `now` falls inside the quiet hours, the instant they end (when a held delivery may go);
 * otherwise null. Equal start and end means no quiet hours.
 *
 * @example quietHoursEnd(new Date("2026-12-08T15:00:00Z"), { timeZone: "Asia/Shanghai", start: "22:00", end: "08:00" })
 *   // 23:00 in Shanghai → 2026-12-09T00:00:00Z (08:00 local)
 */
export function quietHoursEnd(now: Date, q: QuietHours): Date | null {
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  if (start === end) return null;
  const w = wallClock(now, q.timeZone);
  const crossesMidnight = start > end;
  const inside = crossesMidnight ? w.minute >= start || w.minute < end : w.minute >= start && w.minute < end;
  if (!inside) return null;
  // The window ends today unless it started today and crosses midnight.
  const endsTomorrow = crossesMidnight && w.minute >= start;
  const day = new Date(Date.UTC(w.y, w.mo - 1, w.d + (endsTomorrow ? 1 : 0)));
  return instantOf(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), end, q.timeZone);
}
