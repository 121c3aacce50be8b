/** Binary-classification metrics over predicted probabilities; labels are 0/1. */

/** Order of indices by descending score (stable on index for equal scores). */
function byScoreDesc(scores: ArrayLike<number>): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

function countPositives(labels: ArrayLike<number>): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > 0.5) p++;
  return p;
}

/**
 * ROC-AUC as the Mann-Whitney statistic: P(score of a positive > score of a negative), ties count 1/2.
 * NaN when one class is absent.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = byScoreDesc(scores);
  const nPos = countPositives(labels);
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  // Walk from the highest score down; for each tie group count negatives ranked strictly below.
  let negBelow = nNeg;
  let sum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    let pos = 0;
    let neg = 0;
    const s = scores[order[i]!]!;
    while (j < n && scores[order[j]!]! === s) {
      if (labels[order[j]!]! > 0.5) pos++;
      else neg++;
      j++;
    }
    negBelow -= neg;
    sum += pos * (negBelow + neg / 2);
    i = j;
  }
  return sum / (nPos * nNeg);
}

/** PR-AUC as average precision (scikit-learn's definition: Σ (R_k − R_{k−1}) P_k over score thresholds). */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const nPos = countPositives(labels);
  if (nPos === 0) return Number.NaN;
  const order = byScoreDesc(scores);
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  let i = 0;
  while (i < n) {
    const s = scores[order[i]!]!;
    while (i < n && scores[order[i]!]! === s) {
      if (labels[order[i]!]! > 0.5) tp++;
      seen++;
      i++;
    }
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
  }
  return ap;
}

/** Mean binary cross-entropy, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probs[i]!));
    sum -= labels[i]! > 0.5 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/** Share of rows whose thresholded prediction equals the label. */
export function accuracy(labels: ArrayLike<number>, probs: ArrayLike<number>, threshold = 0.5): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (probs[i]! >= threshold === labels[i]! > 0.5) ok++;
  return ok / labels.length;
}

/** Positive rate among the top `share` of rows by score, divided by the overall positive rate. */
export function liftAtTop(labels: ArrayLike<number>, scores: ArrayLike<number>, share = 0.1): number {
  const n = labels.length;
  const nPos = countPositives(labels);
  if (n === 0 || nPos === 0) return Number.NaN;
  const k = Math.max(1, Math.ceil(n * share));
  const order = byScoreDesc(scores);
  let hits = 0;
  for (let i = 0; i < k; i++) if (labels[order[i]!]! > 0.5) hits++;
  return hits / k / (nPos / n);
}

/** One bin of a calibration curve. */
export interface CalibrationBin {
  /** Inclusive lower and exclusive upper edge of predicted probability (the last bin includes 1). */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin (null when empty). */
  meanPredicted: number | null;
  /** Observed positive rate in the bin (null when empty). */
  observedRate: number | null;
}

/** Calibration curve over `bins` equal-width bins of predicted probability. */
export function calibrationCurve(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const p = probs[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b]!++;
    sumP[b]! += p;
    sumY[b]! += labels[i]! > 0.5 ? 1 : 0;
  }
  return count.map((c, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: c,
    meanPredicted: c > 0 ? sumP[b]! / c : null,
    observedRate: c > 0 ? sumY[b]! / c : null,
  }));
}
