export { type PlantedChurnOptions, seedPlantedChurn } from "./planted-seed";
export {
  type AccountClv,
  accountClvOf,
  type ChannelValue,
  clearPortfolioCache,
  type PortfolioModelOptions,
  type PortfolioPredictions,
  portfolioPredictions,
  type RenewalForecastOptions,
  type RenewalForecastResult,
  type RetentionFit,
  renewalForecast,
  type SegmentValue,
} from "./portfolio-service";
export { type LoadPredictionInputsOptions, loadPredictionInputs } from "./prediction-inputs";
export {
  type AccountPrediction,
  accountPredictions,
  type BacktestSummary,
  latestBacktest,
  latestPredictions,
  type TrainPredictionOptions,
  type TrainPredictionResult,
  trainAndBacktest,
} from "./predictions-service";
