export {
  type CvSummary,
  crossValidateLambda,
  DEFAULT_LAMBDAS,
  type ModelKind,
  predictFromMatrix,
  predictProbabilities,
  type TrainedClassifier,
  type TrainOptions,
  trainClassifier,
} from "./classifier";
export {
  type EncoderOptions,
  encodeRow,
  encodeRows,
  type FeatureDef,
  type FeatureEncoder,
  fitEncoder,
  type Matrix as DesignMatrix,
} from "./encoder";
export { type EvaluateInput, type EvaluationReport, evaluateTable, parseBinaryLabels } from "./evaluate";
export { explainPrediction, featureImportance, type PredictionReason } from "./explain";
export {
  binMatrix,
  DEFAULT_GBT_OPTIONS,
  finalizeThresholds,
  fitGbt,
  type GbtModel,
  type GbtOptions,
  gbtContributions,
  gbtMargin,
} from "./gbt";
export { fitLogistic, type LogisticModel, logisticMargins } from "./logistic";
export {
  accuracy as accuracyAtThreshold,
  averagePrecision,
  type CalibrationBin,
  calibrationCurve,
  liftAtTop,
  logLoss,
  rocAuc,
} from "./metrics";
export { createRng as createSeededRng, stratifiedFolds, stratifiedSplit } from "./prng";
export type { Cell as TableCell, DataRow, DataTable } from "./table";
