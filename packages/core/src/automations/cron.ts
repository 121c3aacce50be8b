/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week, UTC): parsed into sets and
 * stepped minute by minute on a calendar, so a schedule trigger is checked without a library or a clock.
 */

/** A parsed cron expression: the allowed values of each field. */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Day-of-month and day-of-week both restricted: cron then matches either (POSIX rule). */
  dayOr: boolean;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function atom(text: string, field: number): number {
  const lower = text.toLowerCase();
  if (field === 3 && MONTH_NAMES.includes(lower)) return MONTH_NAMES.indexOf(lower) + 1;
  if (field === 4 && DAY_NAMES.includes(lower)) return DAY_NAMES.indexOf(lower);
  if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a number`);
  return Number(text);
}

function parseField(text: string, field: number): Set<number> {
  const spec = FIELDS[field] as (typeof FIELDS)[number];
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : atom(stepText, -1);
    if (step < 1) throw new Error(`step "${stepText}" must be at least 1`);
    let lo: number;
    let hi: number;
    if (range === "*") {
      lo = spec.min;
      hi = spec.max;
    } else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      lo = atom(a, field);
      hi = atom(b, field);
    } else {
      lo = atom(range, field);
      hi = stepText === undefined ? lo : spec.max;
    }
    if (lo < spec.min || hi > spec.max || lo > hi)
      throw new Error(`"${part}" is outside ${spec.min}-${spec.max}`);
    for (let v = lo; v <= hi; v += step) out.add(field === 4 && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a cron expression; throws an Error naming the bad field, e.g. `hour: "25" is outside 0-23`. */
export function parseCron(expr: string): CronSchedule {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const sets = parts.map((p, i) => {
    try {
      return parseField(p, i);
    } catch (e) {
      throw new Error(`${FIELDS[i]?.name}: ${(e as Error).message}`);
    }
  });
  return {
    minutes: sets[0] as Set<number>,
    hours: sets[1] as Set<number>,
    days: sets[2] as Set<number>,
    months: sets[3] as Set<number>,
    weekdays: sets[4] as Set<number>,
    dayOr: parts[2] !== "*" && parts[4] !== "*",
  };
}

/** The problem with a cron expression, or null when it is valid. */
export function cronError(expr: string): string | null {
  try {
    parseCron(expr);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.days.has(d.getUTCDate());
  const dow = s.weekdays.has(d.getUTCDay());
  return s.dayOr ? dom || dow : dom && dow;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Slots of `s` strictly after `after` and at or before `until` (ISO timestamps), oldest first, at most
 * `limit` of them. Whole days that cannot match are skipped, so a year's window costs ~365 steps.
 */
export function cronSlots(s: CronSchedule, after: string, until: string, limit = 1000): string[] {
  const end = Date.parse(until);
  let t = Math.floor(Date.parse(after) / MINUTE) * MINUTE + MINUTE;
  const out: string[] = [];
  while (t <= end && out.length < limit) {
    const d = new Date(t);
    if (!s.months.has(d.getUTCMonth() + 1) || !dayMatches(s, d)) {
      t = Math.floor(t / DAY) * DAY + DAY;
      continue;
    }
    if (!s.hours.has(d.getUTCHours())) {
      t = Math.floor(t / 3_600_000) * 3_600_000 + 3_600_000;
      continue;
    }
    if (s.minutes.has(d.getUTCMinutes())) out.push(d.toISOString());
    t += MINUTE;
  }
  return out;
}
