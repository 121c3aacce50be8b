export {
  type AccountPrediction,
  type BacktestOptions,
  type BacktestResult,
  backtest,
  CHURN_GBT_OPTIONS,
  CHURN_LAMBDAS,
  CHURN_MAX_TRAIN_ROWS,
  type ChurnTrainOptions,
  type ModelMetrics,
  refitChurnModel,
  rocCurve,
  sampleRows,
  scoreAccounts,
  trainChurnModel,
} from "./backtest";
export {
  buildChurnDataset,
  buildScoringRows,
  CHURN_FEATURES,
  type ChurnIndex,
  horizonMonthsOf,
  indexChurnInputs,
} from "./features";
export { classifierFromJson, classifierToJson } from "./model-json";
export {
  type ChurnPipelineOptions,
  type ChurnPipelineResult,
  earliestPredictionMonth,
  lastCompleteMonth,
  runChurnPipeline,
} from "./pipeline";
export type {
  AccountUsageDay,
  ChurnDataset,
  ChurnDatasetOptions,
  ChurnHealthPoint,
  ChurnInputs,
  ChurnRow,
  ChurnTimelineEntry,
  PredictionTarget,
} from "./types";
