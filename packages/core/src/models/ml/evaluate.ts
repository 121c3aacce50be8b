import { TenureError } from "../../errors";
import { type ModelKind, predictProbabilities, type TrainOptions, trainClassifier } from "./classifier";
import { featureImportance } from "./explain";
import {
  accuracy,
  averagePrecision,
  type CalibrationBin,
  calibrationCurve,
  liftAtTop,
  logLoss,
  rocAuc,
} from "./metrics";
import { stratifiedSplit } from "./prng";
import { type DataTable, isBlank } from "./table";

const POSITIVE = new Set(["yes", "true", "1", "y", "t"]);
const NEGATIVE = new Set(["no", "false", "0", "n", "f"]);

/** Reads a binary label column (Yes/No, true/false, 1/0, any case) into 0/1; anything else is an error. */
export function parseBinaryLabels(table: DataTable, column: string): number[] {
  if (!table.columns.includes(column))
    throw new TenureError(
      "validation",
      `label column "${column}" not found (columns: ${table.columns.join(", ")})`,
      {
        column,
      },
    );
  const seen = new Set<string>();
  return table.rows.map((r, i) => {
    const raw = r[column];
    const text = isBlank(raw) ? "" : String(raw).trim();
    seen.add(text);
    const v = text.toLowerCase();
    if (POSITIVE.has(v)) return 1;
    if (NEGATIVE.has(v)) return 0;
    const values = [...seen].map((s) => (s === "" ? "(blank)" : s)).join(", ");
    throw new TenureError(
      "validation",
      `label column "${column}" must be binary (Yes/No, true/false or 1/0); row ${i + 1} has "${text || "(blank)"}" (values seen: ${values})`,
      { column, row: i + 1, value: text },
    );
  });
}

/** What `evaluateTable` needs. `split` maps every id to train or test; without it, a seeded stratified split. */
export interface EvaluateInput {
  table: DataTable;
  label: string;
  id: string;
  split?: ReadonlyMap<string, "train" | "test">;
  seed?: number;
  /** Test share for the built-in split. Default 0.2. */
  testShare?: number;
  train?: Omit<TrainOptions, "features" | "seed">;
}

/** Test-set metrics of the model chosen on the training rows. */
export interface EvaluationReport {
  auc: number;
  prAuc: number;
  logLoss: number;
  accuracy: number;
  liftTopDecile: number;
  calibration: CalibrationBin[];
  model: ModelKind;
  /** Weight of the logistic model in the output probability. */
  logisticWeight: number;
  lambda: number;
  trees: number;
  cv: { folds: number; candidates: { kind: ModelKind; logisticWeight: number; auc: number }[] };
  trainSize: number;
  testSize: number;
  testPositiveRate: number;
  splitSource: "file" | "stratified-80-20";
  features: string[];
  topFeatures: { feature: string; importance: number }[];
}

/**
 * Trains on the train part of a labelled table and reports test metrics. The model, λ and tree count
 * are chosen by cross-validation on the train part only.
 */
export function evaluateTable(input: EvaluateInput): EvaluationReport {
  const { table, label, id, seed = 42 } = input;
  if (!table.columns.includes(id))
    throw new TenureError(
      "validation",
      `id column "${id}" not found (columns: ${table.columns.join(", ")})`,
      {
        column: id,
      },
    );
  const labels = parseBinaryLabels(table, label);
  const classes = new Set(labels);
  if (classes.size < 2)
    throw new TenureError("validation", `label column "${label}" has a single class; need both`, {
      column: label,
    });
  const isTest = input.split
    ? splitFromMap(table, id, input.split)
    : stratifiedSplit(labels, input.testShare ?? 0.2, seed);
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  isTest.forEach((t, i) => {
    (t ? testIdx : trainIdx).push(i);
  });
  if (trainIdx.length === 0) throw new TenureError("validation", "the train split is empty");
  if (testIdx.length === 0) throw new TenureError("validation", "the test split is empty");
  const features = table.columns.filter((c) => c !== label && c !== id);
  const trainRows = trainIdx.map((i) => table.rows[i]!);
  const testRows = testIdx.map((i) => table.rows[i]!);
  const yTest = testIdx.map((i) => labels[i]!);
  const model = trainClassifier(
    trainRows,
    trainIdx.map((i) => labels[i]!),
    { ...input.train, features, seed },
  );
  const p = predictProbabilities(model, testRows);
  return {
    auc: rocAuc(yTest, p),
    prAuc: averagePrecision(yTest, p),
    logLoss: logLoss(yTest, p),
    accuracy: accuracy(yTest, p),
    liftTopDecile: liftAtTop(yTest, p, 0.1),
    calibration: calibrationCurve(yTest, p, 10),
    model: model.kind,
    logisticWeight: model.gbt ? model.logisticWeight : 1,
    lambda: model.cv.chosenLambda,
    trees: model.gbt ? model.cv.chosenTrees : 0,
    cv: {
      folds: model.cv.folds,
      candidates: model.cv.candidates.map(({ kind, logisticWeight, auc }) => ({ kind, logisticWeight, auc })),
    },
    trainSize: trainIdx.length,
    testSize: testIdx.length,
    testPositiveRate: yTest.reduce((a, b) => a + b, 0) / yTest.length,
    splitSource: input.split ? "file" : "stratified-80-20",
    features,
    topFeatures: featureImportance(model, testRows, 10),
  };
}

function splitFromMap(table: DataTable, id: string, split: ReadonlyMap<string, "train" | "test">): boolean[] {
  const ids = new Set<string>();
  const isTest = table.rows.map((r, i) => {
    const key = isBlank(r[id]) ? "" : String(r[id]).trim();
    if (key === "")
      throw new TenureError("validation", `row ${i + 1} has a blank ${id}`, { column: id, row: i + 1 });
    if (ids.has(key))
      throw new TenureError("validation", `${id} "${key}" appears twice (row ${i + 1})`, {
        column: id,
        row: i + 1,
      });
    ids.add(key);
    const s = split.get(key);
    if (!s)
      throw new TenureError("validation", `${id} "${key}" (row ${i + 1}) is not in the split file`, {
        column: id,
        row: i + 1,
      });
    return s === "test";
  });
  for (const key of split.keys()) {
    if (!ids.has(key))
      throw new TenureError("validation", `the split file names ${id} "${key}", which is not in the table`, {
        column: id,
        id: key,
      });
  }
  return isTest;
}
