export { type AccountFacts, computeAccountFacts, KEY_ROLES, subscriptionTerms } from "./account-metrics";
export { type HealthInputs, loadHealthInputs, TOUCH_TYPES } from "./health-inputs";
export { HealthScheduler, type HealthSchedulerOptions } from "./health-scheduler";
export {
  loadSignalRules,
  type RecomputeOptions,
  type RecomputeResult,
  recomputeHealth,
  SIGNAL_RULE_METRICS,
} from "./recompute-health";
export { previewScorecardChange, type ScorecardPreviewResult } from "./scorecard-preview";
export { activeScorecard, type SavedScorecard, saveScorecard } from "./scorecard-store";
export { enforceStageGuards } from "./stage-guards";
export {
  advocacyBlocked,
  expansionBlocked,
  MANUAL_STAGE_DAYS,
  ruleStage,
  STAGE_GUARDS,
  type StageRuleInput,
} from "./stage-rules";
export { type ReadBreakdown, readBreakdowns, type StoredBreakdown } from "./stored-breakdown";
