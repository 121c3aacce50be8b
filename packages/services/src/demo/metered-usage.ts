import { type DailyCount, type Entitlement, quotaPace } from "@tenure/core";
import { addDays } from "../health/days";

/** Share of eligible metered accounts (term 15-45% through) that burn their quota fast. */
const HEAVY_SHARE = 0.3;
/** Share of those that have already used it all up. */
const EXHAUSTED_SHARE = 0.15;

/**
 * Daily units of an allowance's metric from its term start through asOf, for the demo. Most accounts
 * use 25-95% of the pace that would exactly exhaust the allowance at the term end; some early in their
 * term (15-45% elapsed, so ≥ 6 months left) are heavy users at 72-92% (a few 100-110%) by asOf, seed
 * 004's expansion case. `quiet(day)` gives the usage pattern's dampening (0 = no data that day).
 */
export function meteredDailyUsage(
  e: Entitlement,
  asOf: string,
  rnd: () => number,
  opts: {
    heavyAllowed: boolean;
    /** Make an eligible account heavy without the draw: the demo plants one case at any size. */
    forceHeavy?: boolean;
    quiet: (day: string) => number;
  },
): { days: DailyCount[]; heavy: boolean } {
  const pace = quotaPace(e, 0, asOf);
  if (pace.status === "not_started" || pace.elapsedDays === 0) return { days: [], heavy: false };
  const elapsedShare = pace.elapsedDays / pace.termDays;
  const heavy =
    opts.heavyAllowed &&
    elapsedShare >= 0.15 &&
    elapsedShare <= 0.45 &&
    (opts.forceHeavy === true || rnd() < HEAVY_SHARE);
  const usedShare = heavy
    ? rnd() < EXHAUSTED_SHARE
      ? 1 + rnd() * 0.1
      : 0.72 + rnd() * 0.2
    : (0.25 + rnd() * 0.7) * elapsedShare;
  const perDay = (usedShare * e.quantity) / pace.elapsedDays;
  const out: DailyCount[] = [];
  let carry = 0;
  for (let d = pace.elapsedDays - 1; d >= 0; d--) {
    const day = addDays(asOf, -d);
    // Noise around the mean, carried over so the total lands on the planned share.
    const expected = perDay * (0.6 + rnd() * 0.8) * opts.quiet(day) + carry;
    const count = Math.max(0, Math.floor(expected));
    carry = expected - count;
    if (count > 0) out.push({ date: day, count });
  }
  return { days: out, heavy };
}
