export { type ChurnedFacts, churnedFacts, lastPositiveMrr } from "./churn-status";
export {
  type ClvSettings,
  clvSettings,
  DEFAULT_ANNUAL_DISCOUNT_RATE,
  setClvSettings,
} from "./clv-settings";
export { type PlantedChurnOptions, seedPlantedChurn } from "./planted-seed";
export {
  type AccountClv,
  accountClvOf,
  clearPortfolioCache,
  type PortfolioModelOptions,
  type RetentionFit,
} from "./portfolio-data";
export {
  type ChannelValue,
  type PortfolioPredictions,
  portfolioPredictions,
  type SegmentValue,
} from "./portfolio-service";
export { type LoadPredictionInputsOptions, loadPredictionInputs } from "./prediction-inputs";
export {
  type AccountStatus,
  type PredictionList,
  type PredictionListRow,
  predictionList,
  type ReasonOut,
  reasonOut,
} from "./prediction-list";
export {
  type AccountPrediction,
  accountChurnedFacts,
  accountChurnProbability,
  accountPredictions,
  type BacktestSummary,
  latestBacktest,
  latestPredictions,
  type TrainPredictionOptions,
  type TrainPredictionResult,
  trainAndBacktest,
} from "./predictions-service";
export {
  RENEWAL_BACKTEST_COMMAND,
  RENEWAL_BACKTEST_LEASE_MS,
  type RenewalBacktestStatus,
  renewalBacktestLease,
  renewalBacktestStatus,
} from "./renewal-backtest-job";
export { RenewalBacktestRunner, type RenewalBacktestRunnerOptions } from "./renewal-backtest-runner";
export {
  type RenewalBacktestOptions,
  type RenewalBacktestQuarter,
  type RenewalBacktestResult,
  type RenewalForecastOptions,
  type RenewalForecastResult,
  renewalBacktest,
  renewalForecast,
  storedRenewalBacktest,
} from "./renewal-forecast-service";
export { type TrainModelResult, trainModel } from "./train";
