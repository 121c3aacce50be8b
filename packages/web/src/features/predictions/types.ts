/** Response shapes of the prediction routes (packages/server/src/routes/predictions.ts and portfolio.ts). */

export type PredictionTarget = "churn" | "expansion";

/** A readable fact behind a prediction: i18n key predictions.reason.<key> with its parameters. */
export interface PredictionReason {
  key: string;
  params: Record<string, string | number>;
  /** The fact in English (for API readers; the app renders `key`). */
  text: string;
  effect: "raises" | "lowers";
  feature: string;
  contribution: number;
}

export interface Prediction {
  probability: number;
  reasons: PredictionReason[];
  modelId: string;
  createdAt: string;
}

/** Churn date, reason and last MRR of an account that no longer pays. */
export interface ChurnedFacts {
  churnedAt: string;
  reason: string | null;
  lastMrr: number;
}

/** sbg: the group's own fit; pooled_sbg: the all-accounts fit; observed_retention: observed monthly churn. */
export type RetentionMethod = "sbg" | "pooled_sbg" | "observed_retention";

export interface RetentionFit {
  group: string;
  method: RetentionMethod;
  fallbackReason: string | null;
  alpha: number | null;
  beta: number | null;
  monthlyChurn: number;
  customers: number;
  cohorts: number;
  del: number;
  warnings: string[];
}

/** GET /api/accounts/{id}/predictions */
export interface AccountPredictionsResponse {
  churn: Prediction | null;
  expansion: Prediction | null;
  /** Set when the account no longer pays: then it has no churn or expansion prediction. */
  churned: ChurnedFacts | null;
  clv: {
    clv: {
      mrr: number;
      arr: number;
      tenureMonths: number;
      derl: number;
      clv: number;
      tier: string;
      churnProbability: number | null;
      monthlyChurn: number | null;
      model: RetentionFit;
    } | null;
    reason: string | null;
    margin: number;
    annualDiscountRate: number;
    settings: ClvSettings;
  };
}

/** GET/PUT /api/settings/clv: the margin and discount rate of every CLV. */
export interface ClvSettings {
  grossMargin: number;
  annualDiscountRate: number;
  source: "workspace" | "default";
  revenueLtv: boolean;
  updatedAt: string | null;
}

interface ModelRef {
  modelId: string;
  trainedAt: string;
  model: string;
  horizonDays: number;
}

/** GET /api/predictions/portfolio */
export interface PortfolioResponse {
  asOf: string;
  currency: string;
  grossMargin: number;
  annualDiscountRate: number;
  clvSettings: ClvSettings;
  models: { churn: ModelRef | null; expansion: ModelRef | null };
  arrAtRisk: {
    total: number;
    arr: number;
    accounts: number;
    largest: {
      accountId: string;
      name: string | null;
      arr: number;
      churnProbability: number;
      atRisk: number;
      reasons: PredictionReason[];
    }[];
  };
  retention: RetentionFit | null;
  retentionError: string | null;
  clvTotal: number;
  arrTotal: number;
  bySegment: {
    segment: string;
    accounts: number;
    arr: number;
    clvTotal: number;
    clvAverage: number;
    model: RetentionFit | null;
  }[];
  byChannel: {
    channel: string;
    accounts: number;
    clvTotal: number;
    clvAverage: number;
    model: RetentionFit | null;
    arpa: number | null;
    cac: number | null;
    logoChurnRate: number | null;
    simpleLtv: number | null;
    simpleLtvToCac: number | null;
    modelLtv: number | null;
    modelLtvToCac: number | null;
  }[];
  unitEconomicsWindow: { from: string; to: string } | null;
  highPotential: {
    smallSegment: string | null;
    smallAccounts: number;
    averageClv: number | null;
    minMultiple: number;
    accounts: {
      accountId: string;
      name: string | null;
      tier: string;
      mrr: number;
      clv: number;
      multiple: number;
      expansionProbability: number | null;
    }[];
  };
}

export type RenewalSource = "model" | "segment_history" | "portfolio_history" | "none";

/** GET /api/predictions/renewals */
export interface RenewalsResponse {
  asOf: string;
  until: string;
  currency: string;
  modelHorizonDays: number | null;
  rows: {
    accountId: string;
    name: string | null;
    renewalDate: string;
    arr: number;
    segment: string | null;
    churnProbability: number | null;
    renewalProbability: number | null;
    expectedArr: number | null;
    source: RenewalSource;
    historicalRate: number | null;
    relativeRisk: number | null;
    modelWeight: number;
  }[];
  periods: { period: string; renewals: number; arr: number; expectedArr: number }[];
  totals: { renewals: number; arr: number; expectedArr: number; unforecast: number };
  history: {
    segment: string;
    due: number;
    renewed: number;
    rate: number | null;
    calibratedRate: number | null;
  }[];
  overallRenewalRate: number | null;
  decayDays: number;
  riskExponent: { riskExponent: number; renewals: number; quarters: string[] };
  historyExpectedArr: number | null;
}

interface RenewalBacktestSummary {
  renewals: number;
  arr: number;
  expectedArr: number;
  renewedArr: number;
  error: number;
  relativeError: number | null;
  historyExpectedArr: number | null;
  historyError: number | null;
  brier: number | null;
  historyBrier: number | null;
}

/** GET /api/predictions/renewals/backtest */
export interface RenewalBacktestResponse {
  asOf: string;
  currency: string;
  quarters: (RenewalBacktestSummary & {
    quarter: string;
    forecastAsOf: string;
    from: string;
    to: string;
    churnModel: { model: string; auc: number } | null;
    riskExponent: number;
  })[];
  total: RenewalBacktestSummary;
  calibration: {
    from: number;
    to: number;
    renewals: number;
    arr: number;
    forecast: number;
    observed: number;
  }[];
}

interface Metrics {
  auc: number;
  prAuc: number;
  liftTopDecile: number;
}

/** GET /api/predictions/backtest */
export interface BacktestResponse {
  target: PredictionTarget;
  trainedAt: string;
  asOf: string;
  modelId: string;
  model: string;
  horizonDays: number;
  trainUntil: string;
  testFrom: string;
  trainRows: number;
  testRows: number;
  testPositiveRate: number;
  metrics: Metrics;
  models: { logistic: Metrics; gbt: Metrics };
  roc: { fpr: number; tpr: number }[];
  calibration: {
    lower: number;
    upper: number;
    count: number;
    meanPredicted: number | null;
    observedRate: number | null;
  }[];
  lift: { share: number; lift: number }[];
  topFeatures: { feature: string; importance: number }[];
}
