import { isTenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import {
  type TrainPredictionOptions,
  type TrainPredictionResult,
  trainAndBacktest,
} from "./predictions-service";
import { computeRenewalBacktestFor, type RenewalBacktestResult } from "./renewal-forecast-service";

export interface TrainModelResult extends TrainPredictionResult {
  /** Churn only: the renewal backtest stored with the model (null when the data cannot replay it). */
  renewalBacktest: RenewalBacktestResult | null;
  /** Why no renewal backtest was stored (churn only). */
  renewalBacktestError?: string;
}

/**
 * Trains and stores a model as `tenure predict train` does; for churn, also computes the renewal
 * backtest (the churn model retrained as of each of the last four quarters) and stores it with the
 * model, so that the server only reads it.
 */
export async function trainModel(
  storage: Storage,
  ws: string,
  opts: TrainPredictionOptions,
): Promise<TrainModelResult> {
  const r = await trainAndBacktest(storage, ws, opts);
  if (opts.target !== "churn") return { ...r, renewalBacktest: null };
  try {
    const renewalBacktest = await computeRenewalBacktestFor(storage, ws, r.modelId, {
      asOf: opts.asOf,
      reportingCurrency: opts.reportingCurrency,
      now: opts.now,
    });
    return { ...r, renewalBacktest };
  } catch (e) {
    // The model is stored and usable; only the replay failed (e.g. no completed quarter to replay).
    if (!isTenureError(e)) throw e;
    return { ...r, renewalBacktest: null, renewalBacktestError: e.message };
  }
}
