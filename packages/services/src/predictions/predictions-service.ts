import { randomUUID } from "node:crypto";
import {
  type BacktestResult,
  buildMrrMatrix,
  CHURN_HORIZON_DAYS,
  churnProbabilityWithin,
  classifierToJson,
  earliestPredictionMonth,
  firstDayOfMonth,
  type IsoDate,
  type PredictionTarget,
  type ReasonFact,
  runChurnPipeline,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { refreshAccountRows } from "../accounts/account-list-store";
import { addDays } from "../health/days";
import { enforceStageGuards } from "../health/stage-guards";
import { type ChurnedFacts, churnedFacts, lastPositiveMrr } from "./churn-status";
import { loadPredictionInputs } from "./prediction-inputs";

export interface TrainPredictionOptions {
  asOf: IsoDate;
  target: PredictionTarget;
  reportingCurrency: string;
  /** Label horizon in days (default 90). */
  horizonDays?: number;
  /** Prediction months of history used (default 24). */
  historyMonths?: number;
  /** Months of labelled history held out as the test period (default 6, fewer on short histories). */
  testMonths?: number;
  seed?: number;
  /** Clock for trainedAt / created_at (default now). */
  now?: () => string;
}

/** The stored backtest report (the model itself is stored beside it). */
export type BacktestSummary = Omit<BacktestResult, "model"> & { asOf: IsoDate };

export interface TrainPredictionResult {
  modelId: string;
  target: PredictionTarget;
  asOf: IsoDate;
  trainedAt: string;
  /** Model used for scoring: the backtest's choice refitted on every labelled month (no second CV). */
  model: string;
  datasetRows: number;
  labelledRows: number;
  scored: number;
  backtest: BacktestSummary;
}

/**
 * Builds point-in-time rows from stored data, backtests logistic/GBT (train on earlier months, test on
 * later), refits the chosen model on all labelled rows, scores every paying account at asOf and
 * stores the model, its backtest and the predictions.
 */
export async function trainAndBacktest(
  storage: Storage,
  ws: string,
  opts: TrainPredictionOptions,
): Promise<TrainPredictionResult> {
  // Usage and health older than the first prediction date's windows (≤ 56 days) are never read.
  const from = addDays(firstDayOfMonth(earliestPredictionMonth(opts)), -60);
  const inputs = await loadPredictionInputs(storage, ws, { ...opts, from });
  const { dataset, backtest: result, model: final, scores } = runChurnPipeline(inputs, opts);

  const trainedAt = opts.now?.() ?? new Date().toISOString();
  const modelId = randomUUID();
  const { model: _backtestModel, ...report } = result;
  const summary: BacktestSummary = { ...report, asOf: opts.asOf };
  await storage.transaction(async (tx) => {
    await tx.predictions.saveModel(ws, {
      id: modelId,
      target: opts.target,
      kind: final.kind,
      asOf: opts.asOf,
      trainedAt,
      model: classifierToJson(final),
      backtest: summary,
    });
    await tx.predictions.replace(
      ws,
      opts.target,
      scores.map((s) => ({
        accountId: s.accountId,
        target: opts.target,
        modelId,
        probability: s.probability,
        reasons: s.reasons,
        createdAt: trainedAt,
      })),
    );
  });
  // New churn probabilities: no account they put at risk stays in expansion or advocacy until the next recompute.
  if (opts.target === "churn") {
    await enforceStageGuards(storage, ws, { asOf: opts.asOf });
    // Every row of the stored accounts list shows the churn probability.
    await refreshAccountRows(storage, ws, null);
  }
  return {
    modelId,
    target: opts.target,
    asOf: opts.asOf,
    trainedAt,
    model: final.kind,
    datasetRows: dataset.rows.length,
    labelledRows: dataset.rows.filter((r) => r.label !== null).length,
    scored: scores.length,
    backtest: summary,
  };
}

/** The latest stored backtest of a target, or null when no model was trained. */
export async function latestBacktest(
  storage: Storage,
  ws: string,
  target: PredictionTarget,
): Promise<{ modelId: string; trainedAt: string; model: string; backtest: BacktestSummary } | null> {
  const m = await storage.predictions.latestModel(ws, target);
  if (m === null) return null;
  return { modelId: m.id, trainedAt: m.trainedAt, model: m.kind, backtest: m.backtest as BacktestSummary };
}

/** One stored prediction. */
export interface AccountPrediction {
  accountId: string;
  target: PredictionTarget;
  probability: number;
  /** Readable facts (i18n key + parameters) with their push, strongest first. */
  reasons: ReasonFact[];
  modelId: string;
  createdAt: string;
}

const isFact = (r: unknown): r is ReasonFact =>
  typeof r === "object" && r !== null && typeof (r as ReasonFact).key === "string";

const toPrediction = (r: {
  accountId: string;
  target: string;
  probability: number;
  reasons: unknown;
  modelId: string;
  createdAt: string;
}): AccountPrediction => ({
  accountId: r.accountId,
  target: r.target as PredictionTarget,
  probability: r.probability,
  // Reasons stored before they were facts carry no key: they are left out until the next training.
  reasons: Array.isArray(r.reasons) ? r.reasons.filter(isFact) : [],
  modelId: r.modelId,
  createdAt: r.createdAt,
});

/** Latest predictions of a target, highest probability first. */
export async function latestPredictions(
  storage: Storage,
  ws: string,
  target: PredictionTarget = "churn",
  limit?: number,
  /** Only this member's accounts (a CSM's book, see `readableBook`); the limit applies after it. */
  ownerId?: string,
): Promise<AccountPrediction[]> {
  return (await storage.predictions.list(ws, target, limit, ownerId)).map(toPrediction);
}

/** One account's churn and expansion predictions (null when none is stored). */
export async function accountPredictions(
  storage: Storage,
  ws: string,
  accountId: string,
): Promise<Record<PredictionTarget, AccountPrediction | null>> {
  const rows = (await storage.predictions.forAccount(ws, accountId)).map(toPrediction);
  return {
    churn: rows.find((r) => r.target === "churn") ?? null,
    expansion: rows.find((r) => r.target === "expansion") ?? null,
  };
}

/**
 * An account's churn probability within `horizonDays` (default 90, the model's horizon), carried from
 * the stored 90-day probability at a constant hazard (`churnProbabilityWithin`); null when the account
 * has no stored churn prediction (it does not pay, or no model was trained since it started paying).
 * Stable for other services (renewal forecast, CLV): one churn figure everywhere.
 * Example: accountChurnProbability(storage, ws, "acc_01599", 365)
 */
export async function accountChurnProbability(
  storage: Storage,
  ws: string,
  accountId: string,
  horizonDays = CHURN_HORIZON_DAYS,
): Promise<{ probability: number; horizonDays: number; modelId: string } | null> {
  const p = (await accountPredictions(storage, ws, accountId)).churn;
  if (p === null) return null;
  return {
    probability: churnProbabilityWithin(p.probability, horizonDays),
    horizonDays,
    modelId: p.modelId,
  };
}

/** Churn date, reason and last MRR of an account that no longer pays (null when it pays or never paid). */
export async function accountChurnedFacts(
  storage: Storage,
  ws: string,
  accountId: string,
  opts: { asOf: IsoDate; reportingCurrency: string },
): Promise<ChurnedFacts | null> {
  const [account, subs, rates] = await Promise.all([
    storage.accounts.get(ws, accountId),
    storage.subscriptions.listByAccount(ws, accountId),
    storage.exchangeRates.list(ws),
  ]);
  if (account === null) return null;
  const matrix = buildMrrMatrix(subs, rates, { reportingCurrency: opts.reportingCurrency, asOf: opts.asOf });
  return churnedFacts(account, subs, opts.asOf, lastPositiveMrr(matrix).get(accountId) ?? 0);
}
