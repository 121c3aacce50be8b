export { type PlantedChurnOptions, seedPlantedChurn } from "./planted-seed";
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
