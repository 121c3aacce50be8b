export { compareSegments, type SegmentHealth } from "./compare-segments";
export { DEFAULT_SCORECARD } from "./default-scorecard";
export { EXPLAIN_MESSAGES_EN, EXPLAIN_MESSAGES_ZH } from "./explain-messages";
export {
  describeMetricValue,
  dimensionName,
  explainScore,
  explainScoreText,
  measureName,
  metricValueMessage,
  profileName,
} from "./explain-score";
export { compileMeasureScoring, scoreMeasureValue } from "./measure-scoring";
export {
  type HealthDimensionKey,
  isMetricKey,
  METRIC_CATALOG,
  METRIC_KEYS,
  type MetricInfo,
  type MetricKey,
  type MetricUnit,
  type MetricValues,
} from "./metric-catalog";
export {
  type AccountScorer,
  type AccountScoreSummary,
  bandOf,
  compileScorecard,
  type PackedScore,
  scoreAccount,
  scorecardVersion,
  selectProfile,
  unpackScore,
} from "./score-account";
export { type ScoreTrend, type ScoreTrendOptions, scoreTrend } from "./score-trend";
export { describeScoring, diffScorecards, type ScorecardChange, scorecardChanged } from "./scorecard-diff";
export {
  type BandMove,
  type BandTotals,
  type PreviewAccount,
  previewScorecard,
  type ScorecardPreview,
} from "./scorecard-preview";
export {
  formatIssuePath,
  parseScorecard,
  type ScorecardIssue,
  scorecardSchema,
  validateScorecard,
} from "./scorecard-schema";
export type {
  AccountScore,
  Dimension,
  DimensionScore,
  HealthBand,
  LinearScoring,
  Measure,
  MeasureScore,
  MeasureScoring,
  Profile,
  Scorecard,
  ScoringStep,
  StepScoring,
} from "./scorecard-types";
