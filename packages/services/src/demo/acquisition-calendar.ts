import { type DayKey, dayOf, makeKey, monthIndexOf } from "./calendar";
import type { Rng } from "./prng";

// Relative demand by calendar month: strong Q1 and autumn, soft summer and December.
const SEASONALITY = [1.05, 1.0, 1.1, 1.0, 0.98, 0.95, 0.88, 0.85, 1.08, 1.1, 1.05, 0.8] as const;
const ANNUAL_GROWTH = 1.45;

/**
 * Acquisition dates for `count` accounts between the first day of `firstMonth` and `asOf`,
 * growing year over year with seasonality, sorted ascending. Days stay ≤ 28 so monthly renewals never clamp.
 */
export function acquisitionDates(count: number, firstMonth: number, asOf: DayKey, rng: Rng): DayKey[] {
  const lastMonth = monthIndexOf(asOf);
  const lastDay = Math.min(28, dayOf(asOf));
  const weights: number[] = [];
  for (let mi = firstMonth; mi <= lastMonth; mi++) {
    const partial = mi === lastMonth ? lastDay / 28 : 1;
    const season = SEASONALITY[mi % 12] ?? 1;
    weights.push(ANNUAL_GROWTH ** ((mi - firstMonth) / 12) * season * partial * rng.float(0.92, 1.08));
  }
  const total = weights.reduce((a, b) => a + b, 0);
  // Largest-remainder allocation keeps the total exact.
  const exact = weights.map((w) => (w / total) * count);
  const counts = exact.map(Math.floor);
  let missing = count - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (missing <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    missing--;
  }
  const dates: DayKey[] = [];
  counts.forEach((n, i) => {
    const mi = firstMonth + i;
    const maxDay = mi === lastMonth ? lastDay : 28;
    const days: number[] = [];
    for (let j = 0; j < n; j++) days.push(rng.int(1, maxDay));
    days.sort((a, b) => a - b);
    for (const d of days) dates.push(makeKey(mi, d));
  });
  return dates;
}
