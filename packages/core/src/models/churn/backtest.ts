import { TenureError } from "../../errors";
import { monthIndex } from "../../month";
import type { Month } from "../../types";
import {
  type ModelKind,
  monotoneSigns,
  predictFromMatrix,
  predictProbabilities,
  type TrainedClassifier,
  trainClassifier,
} from "../ml/classifier";
import { encodeRows, fitEncoder, selectColumns } from "../ml/encoder";
import { explainPrediction, featureImportance } from "../ml/explain";
import { binMatrix, DEFAULT_GBT_OPTIONS, finalizeThresholds, fitGbt, type GbtOptions } from "../ml/gbt";
import { fitLogistic } from "../ml/logistic";
import {
  averagePrecision,
  type CalibrationBin,
  calibrationCurve,
  liftAtTop,
  logLoss,
  rocAuc,
} from "../ml/metrics";
import { createRng } from "../ml/prng";
import type { DataRow } from "../ml/table";
import { MONOTONE_FEATURES } from "./features";
import { describeReason, type ReasonFact } from "./reasons";
import type { ChurnDataset, ChurnRow } from "./types";

/** Tree settings that keep 20k accounts × 24 months fast (ml author's recommendation). */
export const CHURN_GBT_OPTIONS: Partial<GbtOptions> = { trees: 100, subsample: 0.4, depth: 3 };

/** λ grid for churn models: standardised features on tens of thousands of rows never want less. */
export const CHURN_LAMBDAS = [0.1, 1, 10, 100, 1000] as const;

/** Training rows beyond this are sampled (seeded, uniform): CV cost grows with rows, AUC barely does. */
export const CHURN_MAX_TRAIN_ROWS = 25_000;

export interface ChurnTrainOptions {
  seed?: number;
  /** Cross-validation folds inside the training rows (default 3). */
  folds?: number;
  gbt?: Partial<GbtOptions>;
  /** Cap on training rows (default CHURN_MAX_TRAIN_ROWS). */
  maxTrainRows?: number;
  /** Monotone constraints (column → +1 / −1); `backtest` defaults to the target's MONOTONE_FEATURES. */
  monotone?: Readonly<Record<string, number>>;
}

/** At most `max` rows, a seeded uniform sample in the original order. */
export function sampleRows<T>(rows: readonly T[], max: number, seed = 42): T[] {
  if (rows.length <= max) return [...rows];
  const rng = createRng(seed);
  const idx = Int32Array.from({ length: rows.length }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(rng() * (rows.length - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return Array.from(idx.subarray(0, max).sort(), (i) => rows[i]!);
}

export interface BacktestOptions extends ChurnTrainOptions {
  /** Last prediction month used for training (its horizon must end before testFrom). */
  trainUntil: Month;
  /** First prediction month of the test period. */
  testFrom: Month;
}

/** Test metrics of one model. */
export interface ModelMetrics {
  auc: number;
  prAuc: number;
  liftTopDecile: number;
  logLoss: number;
}

export interface BacktestResult {
  target: ChurnDataset["target"];
  horizonDays: number;
  trainUntil: Month;
  testFrom: Month;
  trainRows: number;
  testRows: number;
  trainPositiveRate: number;
  testPositiveRate: number;
  /** The model chosen by cross-validation inside the training period. */
  chosen: ModelKind;
  logisticWeight: number;
  metrics: { logistic: ModelMetrics; gbt: ModelMetrics; chosen: ModelMetrics };
  /** ROC curve of the chosen model on the test rows (at most ~100 points). */
  roc: { fpr: number; tpr: number }[];
  calibration: CalibrationBin[];
  /** Cumulative lift of the chosen model at the top 10%, 20% … 100% of test rows. */
  lift: { share: number; lift: number }[];
  cv: { folds: number; candidates: { kind: ModelKind; logisticWeight: number; auc: number }[] };
  topFeatures: { feature: string; importance: number }[];
  model: TrainedClassifier;
}

const positiveRate = (y: number[]) => (y.length ? y.reduce((a, b) => a + b, 0) / y.length : 0);

/** Fits the chosen model on labelled rows: logistic, trees and blend compared by CV on those rows only. */
export function trainChurnModel(
  rows: readonly ChurnRow[],
  features: readonly string[],
  o: ChurnTrainOptions = {},
): TrainedClassifier {
  const labelled = sampleRows(
    rows.filter((r) => r.label !== null),
    o.maxTrainRows ?? CHURN_MAX_TRAIN_ROWS,
    o.seed,
  );
  return trainClassifier(
    labelled.map((r) => r.features),
    labelled.map((r) => r.label as number),
    {
      features,
      seed: o.seed ?? 42,
      folds: o.folds ?? 3,
      lambdas: CHURN_LAMBDAS,
      gbt: { ...CHURN_GBT_OPTIONS, ...o.gbt },
      monotone: o.monotone,
    },
  );
}

/**
 * Refits a chosen model on other rows (e.g. every labelled month) with its CV choices kept: same kind,
 * blend weight, λ and tree count, so no second cross-validation is needed.
 */
export function refitChurnModel(
  chosen: TrainedClassifier,
  rows: readonly ChurnRow[],
  features: readonly string[],
  o: ChurnTrainOptions = {},
): TrainedClassifier {
  const labelled = sampleRows(
    rows.filter((r) => r.label !== null),
    o.maxTrainRows ?? CHURN_MAX_TRAIN_ROWS,
    o.seed,
  );
  const y = Float64Array.from(labelled, (r) => r.label as number);
  if (!y.includes(1) || !y.includes(0))
    throw new TenureError("validation", "training rows need both outcomes (positives and negatives)");
  const data = labelled.map((r) => r.features);
  const encoder = fitEncoder(data, features, y, { monotone: chosen.monotone });
  const x = encodeRows(encoder, data);
  const logistic = fitLogistic(x, y, chosen.cv.chosenLambda, {
    signs: monotoneSigns(encoder, chosen.monotone).logistic,
  });
  const refit: TrainedClassifier = { ...chosen, encoder, logistic, gbt: null };
  return chosen.gbt
    ? treesOnly(refit, labelled, o, { kind: chosen.kind, logisticWeight: chosen.logisticWeight })
    : refit;
}

/** The trees of `model` alone; fitted with the CV tree count when the chosen model has none. */
function treesOnly(
  model: TrainedClassifier,
  rows: readonly ChurnRow[],
  o: ChurnTrainOptions,
  as: Pick<TrainedClassifier, "kind" | "logisticWeight"> = { kind: "gbt", logisticWeight: 0 },
): TrainedClassifier {
  if (model.gbt) return { ...model, ...as };
  const y = Float64Array.from(rows, (r) => r.label as number);
  const xb = selectColumns(
    encodeRows(
      model.encoder,
      rows.map((r) => r.features),
    ),
    model.encoder.base,
  );
  const opts: GbtOptions = {
    ...DEFAULT_GBT_OPTIONS,
    seed: o.seed ?? 42,
    ...CHURN_GBT_OPTIONS,
    ...o.gbt,
    monotone: monotoneSigns(model.encoder, model.monotone).trees,
  };
  const bm = binMatrix(xb, opts.bins);
  const gbt = finalizeThresholds(fitGbt(bm, y, { ...opts, trees: Math.max(1, model.cv.chosenTrees) }), bm);
  return { ...model, gbt, kind: as.kind, logisticWeight: as.logisticWeight };
}

function metricsOf(y: number[], p: Float64Array): ModelMetrics {
  return {
    auc: rocAuc(y, p),
    prAuc: averagePrecision(y, p),
    liftTopDecile: liftAtTop(y, p, 0.1),
    logLoss: logLoss(y, p),
  };
}

/** ROC points (false/true positive rate) at each distinct score, thinned to about `max` points. */
export function rocCurve(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  max = 100,
): { fpr: number; tpr: number }[] {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  let pos = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! > 0.5) pos++;
  const neg = y.length - pos;
  const pts = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (y[order[i]!]! > 0.5) tp++;
    else fp++;
    const next = order[i + 1];
    if (next === undefined || p[next]! !== p[order[i]!]!)
      pts.push({ fpr: neg ? fp / neg : 0, tpr: pos ? tp / pos : 0 });
  }
  if (pts.length <= max) return pts;
  const step = (pts.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => pts[Math.round(k * step)]!);
}

/**
 * Time-based backtest: trains on rows predicted up to `trainUntil` whose horizon ends before `testFrom`
 * (so no training label overlaps the test period), tests on labelled rows from `testFrom` on.
 */
export function backtest(dataset: ChurnDataset, o: BacktestOptions): BacktestResult {
  const testStart = monthIndex(o.testFrom);
  const trainEnd = Math.min(monthIndex(o.trainUntil), testStart - dataset.horizonMonths);
  const train = dataset.rows.filter((r) => r.label !== null && monthIndex(r.month) <= trainEnd);
  const test = dataset.rows.filter((r) => r.label !== null && monthIndex(r.month) >= testStart);
  if (train.length === 0)
    throw new TenureError("validation", "no labelled training rows before the test period");
  if (test.length === 0)
    throw new TenureError("validation", "no labelled test rows (the horizon may pass the data)");
  const yTrain = train.map((r) => r.label as number);
  const yTest = test.map((r) => r.label as number);
  if (!yTest.includes(1) || !yTest.includes(0))
    throw new TenureError("validation", "the test period needs both outcomes to measure a model");
  const model = trainChurnModel(train, dataset.features, {
    ...o,
    monotone: o.monotone ?? MONOTONE_FEATURES[dataset.target],
  });
  const xTest = encodeRows(
    model.encoder,
    test.map((r) => r.features),
  );
  const pChosen = predictFromMatrix(model, xTest);
  const pLogistic = predictFromMatrix({ ...model, logisticWeight: 1, gbt: null }, xTest);
  const pGbt = predictFromMatrix(
    treesOnly(model, sampleRows(train, o.maxTrainRows ?? CHURN_MAX_TRAIN_ROWS, o.seed), o),
    xTest,
  );
  return {
    target: dataset.target,
    horizonDays: dataset.horizonDays,
    trainUntil: o.trainUntil,
    testFrom: o.testFrom,
    trainRows: train.length,
    testRows: test.length,
    trainPositiveRate: positiveRate(yTrain),
    testPositiveRate: positiveRate(yTest),
    chosen: model.kind,
    logisticWeight: model.gbt ? model.logisticWeight : 1,
    metrics: {
      logistic: metricsOf(yTest, pLogistic),
      gbt: metricsOf(yTest, pGbt),
      chosen: metricsOf(yTest, pChosen),
    },
    roc: rocCurve(yTest, pChosen),
    calibration: calibrationCurve(yTest, pChosen, 10),
    lift: Array.from({ length: 10 }, (_, k) => {
      const share = (k + 1) / 10;
      return { share, lift: liftAtTop(yTest, pChosen, share) };
    }),
    cv: {
      folds: model.cv.folds,
      candidates: model.cv.candidates.map(({ kind, logisticWeight, auc }) => ({ kind, logisticWeight, auc })),
    },
    topFeatures: featureImportance(
      model,
      sampleRows(test, 1000, o.seed).map((r) => r.features),
      10,
    ),
    model,
  };
}

/** One account's predicted probability and the facts that pushed it most (see `describeReason`). */
export interface AccountPrediction {
  accountId: string;
  probability: number;
  reasons: ReasonFact[];
}

/**
 * The row's top reasons as readable facts: columns that tell the same fact (active users now, four
 * weeks before, and their ratio) are merged into one reason, their pushes summed.
 */
function explainReasons(model: TrainedClassifier, features: DataRow, top: number): ReasonFact[] {
  const merged = new Map<string, ReasonFact>();
  for (const r of explainPrediction(model, features, Number.POSITIVE_INFINITY)) {
    const fact = describeReason(r, features);
    const id = `${fact.key}|${JSON.stringify(fact.params)}`;
    const seen = merged.get(id);
    if (seen) seen.contribution += r.contribution;
    else merged.set(id, fact);
  }
  return [...merged.values()]
    .filter((r) => r.key !== "other" && Math.abs(r.contribution) > 1e-6)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.key.localeCompare(b.key))
    .slice(0, top);
}

/** Probability and top reasons (facts with their push in log-odds) for each row. */
export function scoreAccounts(
  model: TrainedClassifier,
  rows: readonly ChurnRow[],
  topReasons = 5,
): AccountPrediction[] {
  const p = predictProbabilities(
    model,
    rows.map((r) => r.features),
  );
  return rows.map((r, i) => ({
    accountId: r.accountId,
    probability: p[i]!,
    reasons: explainReasons(model, r.features, topReasons),
  }));
}
