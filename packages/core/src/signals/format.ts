import type { SignalType } from "./types";

/** Shared helpers for signal titles, summaries and keys. */

/** Stable dedup key: type + account + subject ("account" when the account itself is the subject). */
export function signalDedupKey(type: SignalType, accountId: string, subject = "account"): string {
  return `${type}|${accountId}|${subject}`;
}

/** Rounds to `digits` decimals for evidence (avoids 0.30000000000000004 in stored figures). */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** "42%" from a ratio 0.42. */
export function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** Sum of a slice of a series. */
export function sum(values: readonly number[], from = 0, to = values.length): number {
  let s = 0;
  for (let i = Math.max(0, from); i < to; i++) s += values[i] ?? 0;
  return s;
}

/** Max of a slice of a series (0 when empty). */
export function max(values: readonly number[], from = 0, to = values.length): number {
  let m = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const v = values[i] ?? 0;
    if (v > m) m = v;
  }
  return m;
}

/** "1 user" / "3 users". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * True when the account had active users before the last `windowDays`: only then is a person or department
 * "new". Without it, an account's first weeks of tracking would raise one signal per user.
 */
export function hadUsageBefore(weeklyActiveUsers: readonly number[], windowDays: number): boolean {
  const recentWeeks = Math.ceil(windowDays / 7) + 1;
  return weeklyActiveUsers.slice(0, Math.max(0, weeklyActiveUsers.length - recentWeeks)).some((n) => n > 0);
}
