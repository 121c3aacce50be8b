import type { ApiResponse, Schema } from "../../api/schema";

/**
 * Response shapes of the prediction routes (packages/server/src/routes/predictions.ts and portfolio.ts):
 * names for the types generated from the server's OpenAPI document (`npm run gen:web-types`).
 */

/** GET /api/predictions/backtest */
export type BacktestResponse = Schema<"PredictionBacktest">;
export type PredictionTarget = BacktestResponse["target"];

/** A readable fact behind a prediction: i18n key predictions.reason.<key> with its parameters. */
export type PredictionReason = Schema<"PredictionReason">;
export type Prediction = Schema<"Prediction">;

/** Churn date, reason and last MRR of an account that no longer pays. */
export type ChurnedFacts = NonNullable<Schema<"ChurnedFacts">>;

/** sbg: the group's own fit; pooled_sbg: the all-accounts fit; observed_retention: observed monthly churn. */
export type RetentionFit = Schema<"RetentionFit">;
export type RetentionMethod = RetentionFit["method"];

/** GET /api/accounts/{id}/predictions; `churned` is set when the account no longer pays (then no predictions). */
export type AccountPredictionsResponse = ApiResponse<"/accounts/{id}/predictions", "get">;

/** GET/PUT /api/settings/clv: the margin and discount rate of every CLV. */
export type ClvSettings = Schema<"ClvSettings">;

/** GET /api/predictions/portfolio */
export type PortfolioResponse = Schema<"PortfolioPredictions">;

/** GET /api/predictions/renewals */
export type RenewalsResponse = Schema<"RenewalForecast">;
export type RenewalSource = RenewalsResponse["rows"][number]["source"];

/** GET /api/predictions/renewals/backtest: the stored backtest, being computed, or never computed. */
export type RenewalBacktestState = Schema<"RenewalBacktestState">;
/** The stored backtest (status ready). */
export type RenewalBacktestResponse = Schema<"RenewalBacktest">;
