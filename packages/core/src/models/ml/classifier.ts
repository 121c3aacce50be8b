import { TenureError } from "../../errors";
import {
  type EncoderOptions,
  encodeRows,
  type FeatureEncoder,
  featureSigns,
  fitEncoder,
  type Matrix,
  selectColumns,
} from "./encoder";
import {
  binMatrix,
  DEFAULT_GBT_OPTIONS,
  finalizeThresholds,
  fitGbt,
  type GbtModel,
  type GbtOptions,
  gbtMargin,
} from "./gbt";
import { fitLogistic, type LogisticModel, logisticMargins, sigmoid } from "./logistic";
import { logLoss, rocAuc } from "./metrics";
import { stratifiedFolds } from "./prng";
import type { DataRow } from "./table";

/** Which model a trained classifier uses; "blend" mixes the two models' probabilities. */
export type ModelKind = "logistic" | "gbt" | "blend";

export interface TrainOptions {
  /** Columns to use as features, in order. */
  features: readonly string[];
  seed?: number;
  /** Cross-validation folds on the training rows (for λ, tree count and model choice). Default 5. */
  folds?: number;
  /** λ grid for the logistic model (penalty λ/2‖w‖² on summed log loss). */
  lambdas?: readonly number[];
  /** Tree settings; `trees` is the maximum, CV picks the count. */
  gbt?: Partial<GbtOptions>;
  /** Models to consider (default all three). */
  candidates?: readonly ModelKind[];
  encoder?: EncoderOptions;
  /**
   * Columns the probability may only rise with (+1) or only fall with (−1), all else equal: the
   * logistic coefficients keep that sign, the trees are monotone in them, so every blend is too.
   */
  monotone?: Readonly<Record<string, number>>;
}

/** What cross-validation on the training rows measured. */
export interface CvSummary {
  folds: number;
  /** Out-of-fold mean log loss for each λ. */
  lambdas: { lambda: number; logLoss: number; auc: number }[];
  chosenLambda: number;
  /** Tree count chosen by out-of-fold log loss. */
  chosenTrees: number;
  /** Out-of-fold AUC of each candidate. */
  candidates: { kind: ModelKind; auc: number; logLoss: number; logisticWeight: number }[];
}

/** A trained binary classifier: the encoder, both models and the chosen mix. */
export interface TrainedClassifier {
  kind: ModelKind;
  encoder: FeatureEncoder;
  logistic: LogisticModel;
  gbt: GbtModel | null;
  /** Weight of the logistic probability in the output (1 = logistic only, 0 = trees only). */
  logisticWeight: number;
  cv: CvSummary;
  /** The monotone constraints it was trained under (column → +1 / −1); refits keep them. */
  monotone?: Record<string, number>;
}

/** Logistic coefficient signs and tree constraints of an encoder's features under `monotone`. */
export function monotoneSigns(
  encoder: FeatureEncoder,
  monotone: Readonly<Record<string, number>> | undefined,
): { logistic: Int8Array | undefined; trees: Int8Array | undefined } {
  if (monotone === undefined || Object.keys(monotone).length === 0)
    return { logistic: undefined, trees: undefined };
  const signs = featureSigns(encoder, monotone);
  return { logistic: signs, trees: Int8Array.from(encoder.base, (j) => signs[j]!) };
}

export const DEFAULT_LAMBDAS = [0.01, 0.1, 1, 10, 100, 1000] as const;

const foldRows = (folds: Int32Array, k: number, inFold: boolean) => {
  const out: number[] = [];
  for (let i = 0; i < folds.length; i++) if ((folds[i] === k) === inFold) out.push(i);
  return Int32Array.from(out);
};

/** Chooses λ by k-fold CV (out-of-fold log loss); returns the OOF probabilities at the chosen λ. */
export function crossValidateLambda(
  x: Matrix,
  y: Float64Array,
  folds: Int32Array,
  k: number,
  lambdas: readonly number[],
  signs?: ArrayLike<number>,
): { chosen: number; table: CvSummary["lambdas"]; oof: Float64Array } {
  const oofByLambda = lambdas.map(() => new Float64Array(x.n));
  for (let f = 0; f < k; f++) {
    const tr = foldRows(folds, f, false);
    const va = foldRows(folds, f, true);
    // Warm start from the most regularised fit down the path: few Newton steps each.
    let init: LogisticModel | undefined;
    const order = lambdas.map((l, i) => ({ l, i })).sort((a, b) => b.l - a.l);
    for (const { l, i } of order) {
      const m = fitLogistic(x, y, l, { rows: tr, init, signs });
      init = m;
      const z = logisticMargins(m, x, va);
      for (let r = 0; r < va.length; r++) oofByLambda[i]![va[r]!] = sigmoid(z[r]!);
    }
  }
  const table = lambdas.map((lambda, i) => ({
    lambda,
    logLoss: logLoss(y, oofByLambda[i]!),
    auc: rocAuc(y, oofByLambda[i]!),
  }));
  let best = 0;
  for (let i = 1; i < table.length; i++) if (table[i]!.logLoss < table[best]!.logLoss) best = i;
  return { chosen: table[best]!.lambda, table, oof: oofByLambda[best]! };
}

/** Chooses the tree count by k-fold CV (mean out-of-fold log loss over checkpoints). */
function crossValidateTrees(
  x: Matrix,
  y: Float64Array,
  folds: Int32Array,
  k: number,
  o: GbtOptions,
): { chosen: number; oof: Float64Array } {
  const step = Math.max(1, Math.round(o.trees / 40));
  const checkpoints: number[] = [];
  for (let t = step; t <= o.trees; t += step) checkpoints.push(t);
  const oofAt = checkpoints.map(() => new Float64Array(x.n));
  for (let f = 0; f < k; f++) {
    const tr = foldRows(folds, f, false);
    const va = foldRows(folds, f, true);
    const bm = binMatrix(x, o.bins, tr);
    fitGbt(bm, y, o, tr, (t, margins) => {
      const c = checkpoints.indexOf(t);
      if (c < 0) return;
      for (const i of va) oofAt[c]![i] = sigmoid(margins[i]!);
    });
  }
  let best = 0;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let c = 0; c < checkpoints.length; c++) {
    const l = logLoss(y, oofAt[c]!);
    if (l < bestLoss) {
      bestLoss = l;
      best = c;
    }
  }
  return { chosen: checkpoints[best]!, oof: oofAt[best]! };
}

/**
 * Trains a binary classifier on labelled rows (labels 0/1): L2 logistic regression with λ chosen by
 * k-fold CV, histogram gradient-boosted trees with the tree count chosen by CV, and the model or blend
 * with the best out-of-fold AUC. Only the rows given are used: pass training rows, never the test split.
 */
export function trainClassifier(
  rows: readonly DataRow[],
  labels: ArrayLike<number>,
  options: TrainOptions,
): TrainedClassifier {
  if (rows.length !== labels.length) throw new TenureError("validation", "rows and labels differ in length");
  const y = Float64Array.from(labels, (v) => (v > 0.5 ? 1 : 0));
  let pos = 0;
  for (const v of y) pos += v;
  if (pos === 0 || pos === y.length)
    throw new TenureError("validation", "training rows need both classes (positives and negatives)");
  const k = Math.max(2, Math.min(options.folds ?? 5, pos, y.length - pos));
  const seed = options.seed ?? 42;
  const candidates = options.candidates ?? ["logistic", "gbt", "blend"];
  const encoder = fitEncoder(rows, options.features, y, { ...options.encoder, monotone: options.monotone });
  const x = encodeRows(encoder, rows);
  const signs = monotoneSigns(encoder, options.monotone);
  const folds = stratifiedFolds(y, k, seed);
  const lr = crossValidateLambda(x, y, folds, k, options.lambdas ?? DEFAULT_LAMBDAS, signs.logistic);
  const useTrees = candidates.includes("gbt") || candidates.includes("blend");
  const gbtOptions: GbtOptions = { ...DEFAULT_GBT_OPTIONS, seed, ...options.gbt, monotone: signs.trees };
  const xb = selectColumns(x, encoder.base);
  const trees = useTrees ? crossValidateTrees(xb, y, folds, k, gbtOptions) : null;

  const scored: CvSummary["candidates"] = [];
  const score = (kind: ModelKind, w: number) => {
    const p = trees ? lr.oof.map((v, i) => w * v + (1 - w) * trees.oof[i]!) : lr.oof;
    scored.push({ kind, auc: rocAuc(y, p), logLoss: logLoss(y, p), logisticWeight: w });
  };
  if (candidates.includes("logistic")) score("logistic", 1);
  if (trees && candidates.includes("gbt")) score("gbt", 0);
  if (trees && candidates.includes("blend"))
    for (let w = 0.1; w < 0.95; w += 0.1) score("blend", Math.round(w * 10) / 10);
  const best = scored.reduce((a, b) => (b.auc > a.auc + 1e-9 ? b : a));

  const logistic = fitLogistic(x, y, lr.chosen, { signs: signs.logistic });
  let gbt: GbtModel | null = null;
  if (trees && best.kind !== "logistic") {
    const bm = binMatrix(xb, gbtOptions.bins);
    gbt = finalizeThresholds(fitGbt(bm, y, { ...gbtOptions, trees: trees.chosen }), bm);
  }
  return {
    kind: best.kind,
    encoder,
    logistic,
    gbt,
    logisticWeight: best.logisticWeight,
    ...(options.monotone ? { monotone: { ...options.monotone } } : {}),
    cv: {
      folds: k,
      lambdas: lr.table,
      chosenLambda: lr.chosen,
      chosenTrees: trees?.chosen ?? 0,
      candidates: scored,
    },
  };
}

/** Probability of the positive class for each row. */
export function predictProbabilities(model: TrainedClassifier, rows: readonly DataRow[]): Float64Array {
  const x = encodeRows(model.encoder, rows);
  return predictFromMatrix(model, x);
}

/** Probabilities from an already encoded design matrix (full linear layout). */
export function predictFromMatrix(model: TrainedClassifier, x: Matrix): Float64Array {
  const z = logisticMargins(model.logistic, x);
  const out = new Float64Array(x.n);
  const w = model.gbt ? model.logisticWeight : 1;
  const base = model.encoder.base;
  const xb = new Float64Array(base.length);
  for (let i = 0; i < x.n; i++) {
    let p = w * sigmoid(z[i]!);
    if (model.gbt && w < 1) {
      for (let j = 0; j < base.length; j++) xb[j] = x.data[i * x.p + base[j]!]!;
      p += (1 - w) * sigmoid(gbtMargin(model.gbt, xb));
    }
    out[i] = p;
  }
  return out;
}
