import { TenureError } from "@tenure/core";
import { CronExpressionParser } from "cron-parser";

/** True when `tz` is an IANA time zone this runtime knows ("UTC", "Asia/Shanghai"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The first time after `after` that the five-field cron expression (minute hour day-of-month month
 * day-of-week, e.g. "0 9 * * 1-5") fires in `timezone`. Throws a validation TenureError naming the
 * schedule when the expression or time zone is invalid.
 * @example nextCronRun("nightly", "0 2 * * *", "Asia/Shanghai", new Date("2026-12-07T00:00:00Z")) // 2026-12-07T18:00:00.000Z
 */
export function nextCronRun(name: string, cron: string, timezone: string, after: Date): Date {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new TenureError(
      "validation",
      `schedule "${name}": cron "${cron}" must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`,
    );
  }
  if (!isTimeZone(timezone)) {
    throw new TenureError("validation", `schedule "${name}": unknown time zone "${timezone}"`);
  }
  try {
    return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone, strict: false })
      .next()
      .toDate();
  } catch (error) {
    throw new TenureError(
      "validation",
      `schedule "${name}": invalid cron "${cron}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
