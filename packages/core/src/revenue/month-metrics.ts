import type { Month } from "../types";
import {
  classifyMovement,
  MOVE_CHURN,
  MOVE_CONTRACTION,
  MOVE_EXPANSION,
  MOVE_NEW,
  MOVE_NONE,
  MOVE_REACTIVATION,
} from "./movements";
import { type MrrMatrix, resolveWindow } from "./mrr-matrix";
import type { MonthMetrics } from "./report-types";

/**
 * Portfolio metrics per month. "Start" means the previous month (MRR 0 before the first matrix month).
 * - mrr = Σ account MRR; arr = 12 × mrr; customers = accounts with MRR > 0; arpa = mrr / customers.
 * - new/expansion/contraction/churn/reactivation = sums of the movements (signed) and their account counts;
 *   netMovement = their sum = mrr − previous mrr.
 * - logoChurnRate = churned customers / customers at start.
 * - grossMrrChurnRate = (|churn| + |contraction|) / MRR at start;
 *   netMrrChurnRate = (|churn| + |contraction| − expansion − reactivation) / MRR at start
 *   (start 100, churn 10, contraction 10, expansion 10 → gross 0.20, net 0.10; ChartMogul).
 * - ndr (trailing 12 months) = Σ MRR now of the accounts paying 12 months earlier / Σ their MRR then;
 *   grr = Σ min(now, then) / Σ then.
 * - quickRatio = (new + expansion + reactivation) / |churn + contraction|.
 * Undefined ratios (zero base, or fewer than 12 earlier months for ndr/grr) are null, never NaN/Infinity.
 */

function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

/** Portfolio metrics for each month of the window (default: all matrix months). One pass over the matrix. */
export function computeMonthMetrics(m: MrrMatrix, window?: { from?: Month; to?: Month }): MonthMetrics[] {
  const { start, end } = resolveWindow(m, window);
  const n = m.months.length;
  const values = m.values;
  const mrr = new Float64Array(n);
  const customers = new Int32Array(n);
  // Per month, per movement code: summed amount and account count.
  const moveSum = new Float64Array(n * 5);
  const moveCount = new Int32Array(n * 5);
  const ndrThen = new Float64Array(n);
  const ndrNow = new Float64Array(n);
  const grrNow = new Float64Array(n);

  for (let a = 0; a < m.accountIds.length; a++) {
    const base = a * n;
    let paidBefore = false;
    let prev = 0;
    for (let i = 0; i <= end; i++) {
      const cur = values[base + i]!;
      mrr[i]! += cur;
      if (cur > 0) customers[i]!++;
      if (i >= start) {
        const code = classifyMovement(prev, cur, paidBefore);
        if (code !== MOVE_NONE) {
          moveSum[i * 5 + code]! += cur - prev;
          moveCount[i * 5 + code]!++;
        }
        if (i >= 12) {
          const then = values[base + i - 12]!;
          if (then > 0) {
            ndrThen[i]! += then;
            ndrNow[i]! += cur;
            grrNow[i]! += Math.min(cur, then);
          }
        }
      }
      if (cur > 0) paidBefore = true;
      prev = cur;
    }
  }

  const out: MonthMetrics[] = [];
  for (let i = start; i <= end; i++) {
    const s = i * 5;
    const prevMrr = i > 0 ? mrr[i - 1]! : 0;
    const prevCustomers = i > 0 ? customers[i - 1]! : 0;
    const newMrr = moveSum[s + MOVE_NEW]!;
    const expansion = moveSum[s + MOVE_EXPANSION]!;
    const contraction = moveSum[s + MOVE_CONTRACTION]!;
    const churn = moveSum[s + MOVE_CHURN]!;
    const reactivation = moveSum[s + MOVE_REACTIVATION]!;
    const lost = -(churn + contraction);
    const cur = mrr[i]!;
    const cust = customers[i]!;
    out.push({
      month: m.months[i]!,
      mrr: cur,
      arr: cur * 12,
      customers: cust,
      new: newMrr,
      expansion,
      contraction,
      churn,
      reactivation,
      netMovement: newMrr + expansion + contraction + churn + reactivation,
      newCustomers: moveCount[s + MOVE_NEW]!,
      expansionCustomers: moveCount[s + MOVE_EXPANSION]!,
      contractionCustomers: moveCount[s + MOVE_CONTRACTION]!,
      churnedCustomers: moveCount[s + MOVE_CHURN]!,
      reactivatedCustomers: moveCount[s + MOVE_REACTIVATION]!,
      arpa: ratio(cur, cust),
      logoChurnRate: ratio(moveCount[s + MOVE_CHURN]!, prevCustomers),
      grossMrrChurnRate: ratio(lost, prevMrr),
      netMrrChurnRate: ratio(lost - expansion - reactivation, prevMrr),
      ndr: i >= 12 ? ratio(ndrNow[i]!, ndrThen[i]!) : null,
      grr: i >= 12 ? ratio(grrNow[i]!, ndrThen[i]!) : null,
      quickRatio: lost > 0 ? (newMrr + expansion + reactivation) / lost : null,
    });
  }
  return out;
}
