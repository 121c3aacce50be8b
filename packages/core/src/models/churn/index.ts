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
  type AccountFacts,
  accountFactsAt,
  buildChurnDataset,
  buildScoringRows,
  CHURN_FEATURES,
  type ChurnIndex,
  horizonMonthsOf,
  indexChurnInputs,
  MONOTONE_FEATURES,
} from "./features";
export { CHURN_HORIZON_DAYS, churnHazard, churnProbabilityWithin } from "./horizon";
export { classifierFromJson, classifierToJson } from "./model-json";
export {
  type ChurnPipelineOptions,
  type ChurnPipelineResult,
  earliestPredictionMonth,
  lastCompleteMonth,
  runChurnPipeline,
} from "./pipeline";
export { REASON_MESSAGES_EN, REASON_MESSAGES_ZH, reasonText } from "./reason-messages";
export { describeReason, REASON_KEYS, type ReasonFact, type ReasonKey, type ReasonParams } from "./reasons";
export type {
  AccountUsageDay,
  AccountUserDay,
  ChurnDataset,
  ChurnDatasetOptions,
  ChurnHealthDetail,
  ChurnHealthPoint,
  ChurnInputs,
  ChurnRow,
  ChurnSignal,
  ChurnTimelineEntry,
  PredictionTarget,
} from "./types";
