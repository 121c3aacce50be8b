import { TenureError } from "../../errors";
import { addMonths, lastDayOfMonth, monthDiff, monthOf, monthRange } from "../../month";
import type { IsoDate, Month } from "../../types";
import type { TrainedClassifier } from "../ml/classifier";
import {
  type AccountPrediction,
  type BacktestResult,
  backtest,
  refitChurnModel,
  scoreAccounts,
} from "./backtest";
import { buildChurnDataset, buildScoringRows, horizonMonthsOf, indexChurnInputs } from "./features";
import type { ChurnDataset, ChurnInputs, PredictionTarget } from "./types";

export interface ChurnPipelineOptions {
  asOf: IsoDate;
  target: PredictionTarget;
  /** Label horizon in days (default 90). */
  horizonDays?: number;
  /** Prediction months of history used (default 24). */
  historyMonths?: number;
  /** Months of labelled history held out as the test period (default 6, fewer on short histories). */
  testMonths?: number;
  seed?: number;
}

/** Last month whose MRR snapshot is final at asOf (asOf's month only when asOf is its last day). */
export function lastCompleteMonth(asOf: IsoDate): Month {
  const m = monthOf(asOf);
  return lastDayOfMonth(m) === asOf ? m : addMonths(m, -1);
}

/** The first prediction month a pipeline at asOf reads (its features look back ≤ 60 days before it). */
export function earliestPredictionMonth(
  opts: Pick<ChurnPipelineOptions, "asOf" | "horizonDays" | "historyMonths">,
): Month {
  const h = horizonMonthsOf(opts.horizonDays ?? 90);
  const lastLabelled = addMonths(lastCompleteMonth(opts.asOf), 1 - h);
  return addMonths(lastLabelled, 1 - (opts.historyMonths ?? 24));
}

export interface ChurnPipelineResult {
  dataset: ChurnDataset;
  backtest: BacktestResult;
  /** The backtest's choice refitted on every labelled month (no second CV). */
  model: TrainedClassifier;
  scores: AccountPrediction[];
}

/**
 * Point-in-time rows → time-based backtest (train on earlier months, a gap of one horizon, test on
 * later) → refit on all labelled rows → score every paying account at asOf. Pure: `inputs` are loaded.
 */
export function runChurnPipeline(inputs: ChurnInputs, opts: ChurnPipelineOptions): ChurnPipelineResult {
  const horizonDays = opts.horizonDays ?? 90;
  const h = horizonMonthsOf(horizonDays);
  const labelUntil = lastCompleteMonth(opts.asOf);
  const lastLabelled = addMonths(labelUntil, 1 - h);
  const earliest = earliestPredictionMonth(opts);
  const first = inputs.matrix.months[0];
  if (first === undefined) throw new TenureError("validation", "no subscriptions: nothing to predict");
  const start = [addMonths(first, 1), earliest].sort().at(-1)!;
  const labelledMonths = monthDiff(start, lastLabelled) + 1;
  // Need room for a training period, a gap of h months (no label overlap) and a test period.
  if (labelledMonths < h + 2)
    throw new TenureError(
      "validation",
      `not enough history: ${labelledMonths} labelled months, need ${h + 2}`,
    );
  const testMonths = Math.max(1, Math.min(opts.testMonths ?? 6, Math.floor((labelledMonths - h) / 2)));
  const testFrom = addMonths(lastLabelled, 1 - testMonths);
  const trainUntil = addMonths(testFrom, -h);
  const index = indexChurnInputs(inputs);
  const dataset = buildChurnDataset(index, {
    months: monthRange(start, lastLabelled),
    horizonDays,
    target: opts.target,
    labelUntil,
  });
  const result = backtest(dataset, { trainUntil, testFrom, seed: opts.seed });
  const model = refitChurnModel(result.model, dataset.rows, dataset.features, { seed: opts.seed });
  const scores = scoreAccounts(model, buildScoringRows(index, opts.asOf), 5);
  return { dataset, backtest: result, model, scores };
}
