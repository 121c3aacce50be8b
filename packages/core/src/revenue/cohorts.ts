import type { Month } from "../types";
import { firstPaidMonths, type MrrMatrix, resolveWindow } from "./mrr-matrix";
import type { CohortRow, CohortTable } from "./report-types";

/**
 * Cohort retention by start month (an account's first month with MRR > 0), for cohorts starting in the
 * window. At age k (months since start): logo[k] = share of the cohort's accounts paying (reactivated
 * accounts count again), revenue[k] = cohort MRR / cohort MRR at age 0 (can exceed 1 with expansion).
 * Ages past the window's last month are null. Cohorts without accounts are omitted.
 */

/** Logo and revenue retention tables of the cohorts that start within the window (default: all months). */
export function computeCohorts(m: MrrMatrix, window?: { from?: Month; to?: Month }): CohortTable {
  const { start, end } = resolveWindow(m, window);
  if (end < start) return { cohorts: [], maxAge: 0 };
  const n = m.months.length;
  const width = end - start + 1;
  const first = firstPaidMonths(m);
  const size = new Int32Array(width);
  // [cohort * width + age]
  const paying = new Int32Array(width * width);
  const revenue = new Float64Array(width * width);
  for (let a = 0; a < m.accountIds.length; a++) {
    const f = first[a]!;
    if (f < start || f > end) continue;
    const c = f - start;
    size[c]!++;
    const base = a * n;
    const row = c * width;
    for (let k = 0; f + k <= end; k++) {
      const v = m.values[base + f + k]!;
      if (v > 0) {
        paying[row + k]!++;
        revenue[row + k]! += v;
      }
    }
  }
  const cohorts: CohortRow[] = [];
  for (let c = 0; c < width; c++) {
    const sz = size[c]!;
    if (sz === 0) continue;
    const row = c * width;
    const startMrr = revenue[row]!;
    const ages = end - (start + c);
    const logo: (number | null)[] = new Array(width).fill(null);
    const rev: (number | null)[] = new Array(width).fill(null);
    for (let k = 0; k <= ages; k++) {
      logo[k] = paying[row + k]! / sz;
      rev[k] = startMrr > 0 ? revenue[row + k]! / startMrr : null;
    }
    cohorts.push({ cohort: m.months[start + c]!, size: sz, startMrr, logo, revenue: rev });
  }
  return { cohorts, maxAge: width - 1 };
}
