import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { isCalendarDate } from "../import/fields";
import { catchUpRollups } from "./deferred-rollups";
import type { RollupSources } from "./rollup-sources";

/** One day of an account's usage. */
export interface UsageDay {
  date: string;
  /** Event counts by usage name (track: the event, page: "page", screen: "screen"). */
  events: Record<string, number>;
  /** Distinct users of the account with any usage event that day. */
  activeUsers: number;
}

/** `tenure report usage --json` and GET /api/accounts/{id}/usage. */
export interface UsageReport {
  days: UsageDay[];
}

/** Longest range a usage report covers (ten years of days). */
const MAX_DAYS = 3660;
const DAY_MS = 86_400_000;

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Every day from `from` to `to`, checked: YYYY-MM-DD, from <= to, at most ten years. */
export function usageDays(from: string, to: string): string[] {
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (!isCalendarDate(value))
      throw new TenureError("validation", `${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
  if (from > to) throw new TenureError("validation", `from (${from}) is after to (${to})`);
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > MAX_DAYS)
      throw new TenureError("validation", `the range is longer than ${MAX_DAYS} days`);
  }
  return days;
}

/**
 * Usage of one account per day in [from, to] (UTC days, zero-filled). Users count for the account
 * of their latest `group` call, including usage sent before that call.
 */
export async function usageReport(
  storage: Storage,
  workspaceId: string,
  input: { accountId: string; from: string; to: string },
  rollupSources?: RollupSources,
): Promise<UsageReport> {
  const days = usageDays(input.from, input.to);
  await catchUpRollups(storage, rollupSources);
  if ((await storage.accounts.get(workspaceId, input.accountId)) === null)
    throw new TenureError("not_found", `No account with id "${input.accountId}"`);
  const [counts, active] = await Promise.all([
    storage.usageRollups.accountEventCounts(workspaceId, input.accountId, input.from, input.to),
    storage.usageRollups.accountDailyActiveUsers(workspaceId, input.accountId, input.from, input.to),
  ]);
  const byDay = new Map<string, UsageDay>(days.map((date) => [date, { date, events: {}, activeUsers: 0 }]));
  for (const c of counts) {
    const day = byDay.get(c.day);
    if (day) day.events[c.event] = c.count;
  }
  for (const a of active) {
    const day = byDay.get(a.day);
    if (day) day.activeUsers = a.users;
  }
  return { days: [...byDay.values()] };
}

/** Daily, weekly (7 days) and monthly (30 days) active users of an account, windows ending on `asOf`. */
export interface ActiveUsers {
  asOf: string;
  dau: number;
  wau: number;
  mau: number;
}

/** DAU/WAU/MAU of one account as of a day (pass `asOf`: the service reads no clock). */
export async function activeUsers(
  storage: Storage,
  workspaceId: string,
  input: { accountId: string; asOf: string },
): Promise<ActiveUsers> {
  usageDays(input.asOf, input.asOf);
  const count = (days: number) =>
    storage.usageRollups.accountActiveUsers(
      workspaceId,
      input.accountId,
      addDays(input.asOf, 1 - days),
      input.asOf,
    );
  const [dau, wau, mau] = await Promise.all([count(1), count(7), count(30)]);
  return { asOf: input.asOf, dau, wau, mau };
}
