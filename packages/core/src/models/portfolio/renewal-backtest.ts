import { TenureError } from "../../errors";
import { monthIndex, monthOf } from "../../month";
import { MRR_EPSILON, type MrrMatrix } from "../../revenue/mrr-matrix";
import type { IsoDate } from "../../types";

/**
 * Scoring a past renewal forecast against what happened (issue 14 point 2): the same definition of
 * "renewed" as the segment history (historicalRenewalRates): the account still pays in the MRR
 * snapshot of its renewal month.
 */

/** Whether the account pays in the snapshot of `renewalDate`'s month (false when the matrix has no such month). */
export function renewedIn(
  m: MrrMatrix,
  row: Map<string, number>,
  accountId: string,
  renewalDate: IsoDate,
): boolean {
  const r = row.get(accountId);
  const first = m.months[0];
  if (r === undefined || first === undefined) return false;
  const n = m.months.length;
  const col = monthIndex(monthOf(renewalDate)) - monthIndex(first);
  return col >= 0 && col < n && m.values[r * n + col]! > MRR_EPSILON;
}

/** One forecast renewal with its outcome. */
export interface RenewalOutcome {
  arr: number;
  /** Forecast probability of renewal (the method under test). */
  probability: number;
  /** The segment-history-only probability, for comparison (null without history). */
  historyProbability: number | null;
  renewed: boolean;
}

/** One bin of the calibration chart: forecast vs observed renewal, by forecast probability. */
export interface RenewalCalibrationBin {
  /** Lower edge of the forecast probability bin (0, 0.1, …, 0.9). */
  from: number;
  to: number;
  renewals: number;
  arr: number;
  /** ARR-weighted mean forecast probability in the bin. */
  forecast: number;
  /** Share of the bin's ARR that renewed. */
  observed: number;
}

export interface RenewalBacktestSummary {
  renewals: number;
  arr: number;
  /** Σ ARR × forecast probability. */
  expectedArr: number;
  /** ARR of the renewals that renewed. */
  renewedArr: number;
  /** expectedArr − renewedArr (positive: the forecast was too optimistic). */
  error: number;
  /** error / renewedArr (null when nothing renewed). */
  relativeError: number | null;
  /** The same with segment history only (null when a row had no history). */
  historyExpectedArr: number | null;
  historyError: number | null;
  /** Mean squared error of the probabilities against the outcomes (Brier score), or null with no rows. */
  brier: number | null;
  historyBrier: number | null;
}

/** Sums a past forecast's rows against their outcomes. Example: ARR 100 at 0.9, renewed → error −10. */
export function summarizeRenewalBacktest(rows: readonly RenewalOutcome[]): RenewalBacktestSummary {
  let arr = 0;
  let expectedArr = 0;
  let renewedArr = 0;
  let hist: number | null = 0;
  let brier = 0;
  let histBrier: number | null = 0;
  for (const [i, r] of rows.entries()) {
    if (!(r.arr >= 0) || !Number.isFinite(r.arr))
      throw new TenureError("validation", `row ${i + 1}: arr must be a number ≥ 0, got ${r.arr}`);
    if (!(r.probability >= 0 && r.probability <= 1))
      throw new TenureError(
        "validation",
        `row ${i + 1}: probability must be in [0, 1], got ${r.probability}`,
      );
    const y = r.renewed ? 1 : 0;
    arr += r.arr;
    expectedArr += r.arr * r.probability;
    renewedArr += r.arr * y;
    brier += (r.probability - y) ** 2;
    if (r.historyProbability === null || hist === null || histBrier === null) {
      hist = null;
      histBrier = null;
    } else {
      hist += r.arr * r.historyProbability;
      histBrier += (r.historyProbability - y) ** 2;
    }
  }
  const n = rows.length;
  return {
    renewals: n,
    arr,
    expectedArr,
    renewedArr,
    error: expectedArr - renewedArr,
    relativeError: renewedArr > 0 ? (expectedArr - renewedArr) / renewedArr : null,
    historyExpectedArr: hist,
    historyError: hist === null ? null : hist - renewedArr,
    brier: n > 0 ? brier / n : null,
    historyBrier: n > 0 && histBrier !== null ? histBrier / n : null,
  };
}

/**
 * Calibration bins of ten forecast-probability deciles (empty bins left out), ARR-weighted so the chart
 * reads as "of the ARR we gave 70-80%, how much renewed". A row with ARR 0 counts once with weight 1.
 */
export function renewalCalibration(rows: readonly RenewalOutcome[]): RenewalCalibrationBin[] {
  const bins = Array.from({ length: 10 }, (_, i) => ({ i, n: 0, arr: 0, w: 0, f: 0, o: 0 }));
  for (const r of rows) {
    const b = bins[Math.min(9, Math.floor(r.probability * 10))]!;
    const w = r.arr > 0 ? r.arr : 1;
    b.n++;
    b.arr += r.arr;
    b.w += w;
    b.f += w * r.probability;
    if (r.renewed) b.o += w;
  }
  return bins
    .filter((b) => b.n > 0)
    .map((b) => ({
      from: b.i / 10,
      to: (b.i + 1) / 10,
      renewals: b.n,
      arr: b.arr,
      forecast: b.f / b.w,
      observed: b.o / b.w,
    }));
}
