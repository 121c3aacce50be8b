import {
  type Account,
  buildMrrMatrix,
  buildScoringRows,
  calibrateRenewals,
  classifierFromJson,
  fitRiskExponent,
  forecastRenewals,
  historicalRenewalRates,
  type IsoDate,
  indexChurnInputs,
  lastDayOfMonth,
  MRR_EPSILON,
  type MrrMatrix,
  monthFromIndex,
  monthIndex,
  nextRenewalDate,
  type Principal,
  predictProbabilities,
  type RenewalBacktestSummary,
  type RenewalCalibration,
  type RenewalCalibrationBin,
  type RenewalFitPeriod,
  type RenewalForecast,
  type RenewalForecastRow,
  type RenewalOutcome,
  renewalCalibration,
  renewalProbability,
  renewalReference,
  renewedIn,
  runChurnPipeline,
  type Subscription,
  summarizeRenewalBacktest,
  TenureError,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { z } from "zod";
import { readableAccountIds } from "../access/book-scope";
import { addDays, dayNumber } from "../health/days";
import { modelInfo, UNKNOWN } from "./portfolio-data";
import { loadPredictionInputs } from "./prediction-inputs";
import { latestPredictions } from "./predictions-service";

/**
 * The renewal forecast (issue 14 point 2): every renewal, near or far, valued by one calibrated method
 * (core renewal-model.ts): the churn model's score against the segment's book, anchored on the
 * segment's past renewals; and its backtest over the last completed quarters.
 */

/** Last day of the n-th calendar quarter counted from the one holding `date` (n = 1: that quarter). */
function quarterEnd(date: IsoDate, n: number): IsoDate {
  const m = monthIndex(date);
  return lastDayOfMonth(monthFromIndex(m - (m % 3) + 3 * n - 1));
}

/** Churn probabilities are read over this horizon when no churn model says otherwise. */
const DEFAULT_HORIZON_DAYS = 90;

export interface RenewalForecastOptions {
  asOf: IsoDate;
  reportingCurrency: string;
  /** Renewals within this many days after asOf (default 90). */
  days?: number;
  /** Instead of days: renewals through the end of the n-th calendar quarter (1 = the current one). */
  quarters?: number;
  periodBy?: "month" | "quarter";
  /** Months of renewal history behind each segment's rate (default 12). */
  lookbackMonths?: number;
  /**
   * Who asks: a CSM limited to its book gets only its accounts' renewals (rows, periods and totals);
   * the calibration still learns from the whole workspace.
   */
  principal?: Principal;
}

export type RenewalForecastResult = Omit<RenewalForecast, "rows"> & {
  asOf: IsoDate;
  until: IsoDate;
  currency: string;
  /** Horizon of the churn model whose probabilities the rows used (null when none is trained). */
  modelHorizonDays: number | null;
  /** Days over which an account's own evidence fades into its segment's history (w = e^(−days/decay)). */
  decayDays: number;
  /** γ, how far the churn score separates renewals, fitted on the last four quarters' renewals. */
  riskExponent: RiskExponentFit;
  rows: (RenewalForecastRow & { name: string | null })[];
  /** Historical renewal rate per segment (tier) and overall, and the shrunk rate the model starts from. */
  history: {
    segment: string;
    due: number;
    renewed: number;
    rate: number | null;
    calibratedRate: number | null;
  }[];
  overallRenewalRate: number | null;
  /** Σ ARR × the segment's calibrated history rate: what history alone implies for the same renewals. */
  historyExpectedArr: number | null;
};

/** What a forecast at one date reads. */
interface ForecastData {
  subscriptions: readonly Subscription[];
  subsBy: Map<string, Subscription[]>;
  matrix: MrrMatrix;
  tierOf: Map<string, string>;
}

function forecastData(
  accounts: readonly Account[],
  subscriptions: readonly Subscription[],
  matrix: MrrMatrix,
): ForecastData {
  const subsBy = new Map<string, Subscription[]>();
  for (const s of subscriptions) {
    const list = subsBy.get(s.accountId) ?? [];
    list.push(s);
    subsBy.set(s.accountId, list);
  }
  return {
    subscriptions,
    subsBy,
    matrix,
    tierOf: new Map(accounts.map((a) => [a.id, a.tier?.trim() || UNKNOWN])),
  };
}

/** Renewals due in (asOf, until] of accounts paying at asOf, with the calibration in force at asOf. */
function forecastAt(
  d: ForecastData,
  churnById: ReadonlyMap<string, number>,
  opts: {
    asOf: IsoDate;
    until: IsoDate;
    horizonDays: number;
    riskExponent: number;
    /** Past renewals scored as of their forecast dates (empty: the current scored book stands in). */
    reference: ReturnType<typeof renewalReference>;
    lookbackMonths?: number;
    periodBy?: "month" | "quarter";
    /** Only these accounts' renewals are forecast (a CSM's book); null: every account's. */
    readable?: ReadonlySet<string> | null;
  },
) {
  const { matrix } = d;
  const n = matrix.months.length;
  const first = matrix.months[0];
  const col = first === undefined ? -1 : monthIndex(opts.asOf) - monthIndex(first);
  const segmentOf = (id: string) => d.tierOf.get(id) ?? UNKNOWN;
  const history = historicalRenewalRates(d.subscriptions, matrix, segmentOf, {
    asOf: opts.asOf,
    lookbackMonths: opts.lookbackMonths,
  });
  const candidates = [];
  const book = [];
  for (let a = 0; a < matrix.accountIds.length; a++) {
    const id = matrix.accountIds[a]!;
    const mrr = col >= 0 && col < n ? matrix.values[a * n + col]! : 0;
    if (mrr <= MRR_EPSILON) continue;
    const p = churnById.get(id);
    const date = nextRenewalDate(d.subsBy.get(id) ?? [], opts.asOf);
    if (p !== undefined) book.push({ segment: segmentOf(id), churnProbability: p, arr: 12 * mrr });
    if (date === null || date > opts.until) continue;
    if (opts.readable != null && !opts.readable.has(id)) continue;
    candidates.push({
      accountId: id,
      renewalDate: date,
      arr: 12 * mrr,
      segment: segmentOf(id),
      churnProbability: p ?? null,
    });
  }
  const calibration = calibrateRenewals(history, opts.reference.length > 0 ? opts.reference : book, {
    horizonDays: opts.horizonDays,
    riskExponent: opts.riskExponent,
  });
  const forecast = forecastRenewals(candidates, calibration, { asOf: opts.asOf, periodBy: opts.periodBy });
  return { history, calibration, forecast };
}

/** What a past forecast date knew and how its renewals turned out, for fitting γ. */
function fitPeriod(
  d: ForecastData,
  row: Map<string, number>,
  churnById: ReadonlyMap<string, number>,
  w: { forecastAsOf: IsoDate; to: IsoDate },
  horizonDays: number,
  lookbackMonths: number | undefined,
): RenewalFitPeriod {
  const { history, forecast } = forecastAt(d, churnById, {
    asOf: w.forecastAsOf,
    until: w.to,
    horizonDays,
    riskExponent: 0,
    reference: [],
    lookbackMonths,
  });
  const start = dayNumber(w.forecastAsOf);
  return {
    history,
    renewals: forecast.rows.map((r) => ({
      segment: r.segment,
      churnProbability: r.churnProbability,
      daysToRenewal: dayNumber(r.renewalDate) - start,
      arr: r.arr,
      renewed: renewedIn(d.matrix, row, r.accountId, r.renewalDate),
    })),
  };
}

/** The last `n` completed calendar quarters before asOf, oldest first, each with the day before it began. */
function completedQuarters(asOf: IsoDate, n: number) {
  const current = quarterEnd(asOf, 1);
  const lastDone = current === asOf ? current : quarterEnd(asOf, 0);
  return Array.from({ length: n }, (_, i) => {
    const to = quarterEnd(lastDone, -(n - 1 - i) + 1);
    const forecastAsOf = quarterEnd(lastDone, -(n - 1 - i));
    return { quarter: quarterName(to), from: addDays(forecastAsOf, 1), to, forecastAsOf };
  });
}

/** How long a fitted γ is reused per workspace, date and churn model (refitting rereads all usage). */
const GAMMA_CACHE_MS = 6 * 3600_000;
const gammas = new Map<string, { at: number; storage: Storage; value: Promise<LiveCalibration> }>();

const CALIBRATION_SETTING = "renewal-forecast-calibration";
/** The stored fit, under the key of what it was fitted on (quarters, currency, lookback, model). */
const StoredCalibration = z.object({
  key: z.string(),
  calibration: z.object({
    fit: z.object({ riskExponent: z.number(), renewals: z.number(), quarters: z.array(z.string()) }),
    reference: z.array(
      z.object({
        segment: z.string().nullable(),
        churnProbability: z.number(),
        arr: z.number(),
        daysToRenewal: z.number(),
      }),
    ),
  }),
});

/** γ and the reference renewals of today's forecast. */
interface LiveCalibration {
  fit: RiskExponentFit;
  reference: ReturnType<typeof renewalReference>;
}

/** γ of the live forecast and what it was fitted on. */
export interface RiskExponentFit {
  riskExponent: number;
  /** Scored past renewals behind it (0: no model or no history, γ = 0, history alone). */
  renewals: number;
  /** The quarters whose renewals were replayed. */
  quarters: string[];
}

/**
 * γ and the reference for today's forecast: the stored churn model scores each of the last four
 * completed quarters' starting books (features point in time; the model itself was trained on data
 * that includes those quarters, which the backtest avoids by retraining); their renewals are the
 * reference of relative risk and γ is fitted on how they turned out.
 */
async function liveRiskExponent(
  storage: Storage,
  ws: string,
  opts: { asOf: IsoDate; reportingCurrency: string; lookbackMonths?: number },
): Promise<LiveCalibration> {
  const stored = await storage.predictions.latestModel(ws, "churn");
  if (stored === null) return { fit: { riskExponent: 0, renewals: 0, quarters: [] }, reference: [] };
  const windows = completedQuarters(opts.asOf, 4);
  // Fitted on completed quarters only, so one fit serves every day of the running quarter (until the
  // churn model is retrained); it is stored because refitting rereads a year of usage (20 s and more).
  const key = `${windows.map((w) => w.quarter).join(",")}|${opts.reportingCurrency}|${opts.lookbackMonths ?? ""}|${stored.id}`;
  const memo = `${ws}|${key}`;
  const hit = gammas.get(memo);
  if (hit !== undefined && hit.storage === storage && Date.now() - hit.at < GAMMA_CACHE_MS) return hit.value;
  const value = (async (): Promise<LiveCalibration> => {
    const saved = await storage.workspaceSettings.get(ws, CALIBRATION_SETTING);
    const parsed = StoredCalibration.safeParse(saved?.value);
    if (parsed.success && parsed.data.key === key) return parsed.data.calibration;
    const inputs = await loadPredictionInputs(storage, ws, {
      asOf: opts.asOf,
      reportingCurrency: opts.reportingCurrency,
      from: addDays(windows[0]!.forecastAsOf, -90),
    });
    const model = classifierFromJson(stored.model);
    const index = indexChurnInputs(inputs);
    const data = forecastData(inputs.accounts, inputs.subscriptions, inputs.matrix);
    const row = new Map(inputs.matrix.accountIds.map((id, i) => [id, i]));
    const horizonDays =
      (stored.backtest as { horizonDays?: number } | null)?.horizonDays ?? DEFAULT_HORIZON_DAYS;
    const periods = windows.map((w) => {
      const rows = buildScoringRows(index, w.forecastAsOf);
      const p = predictProbabilities(
        model,
        rows.map((r) => r.features),
      );
      const churnById = new Map(rows.map((r, i) => [r.accountId, p[i]!]));
      return fitPeriod(data, row, churnById, w, horizonDays, opts.lookbackMonths);
    });
    const fit = fitRiskExponent(periods, { horizonDays });
    const calibration: LiveCalibration = {
      fit: {
        riskExponent: fit.riskExponent,
        renewals: fit.renewals,
        quarters: windows.map((w) => w.quarter),
      },
      reference: renewalReference(periods),
    };
    await storage.workspaceSettings.set(ws, CALIBRATION_SETTING, { key, calibration });
    return calibration;
  })();
  gammas.set(memo, { at: Date.now(), storage, value });
  value.catch(() => gammas.delete(memo));
  while (gammas.size > 8) gammas.delete(gammas.keys().next().value!);
  return value;
}

/** The probability history alone gives a row (its segment's calibrated rate), or null without history. */
const historyOnly = (cal: RenewalCalibration, segment: string | null) =>
  renewalProbability(cal, { segment, churnProbability: null, daysToRenewal: 0 }).probability;

/**
 * Upcoming renewals (each paying account's next renewal date within `days`, or through the n-th
 * quarter) with expected renewal ARR from the calibrated renewal model.
 */
export async function renewalForecast(
  storage: Storage,
  ws: string,
  opts: RenewalForecastOptions,
): Promise<RenewalForecastResult> {
  const days = opts.days ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > 3660)
    throw new TenureError("validation", `days must be a whole number from 1 to 3660, got ${days}`);
  const q = opts.quarters;
  if (q !== undefined && (!Number.isInteger(q) || q < 1 || q > 40))
    throw new TenureError("validation", `quarters must be a whole number from 1 to 40, got ${q}`);
  const [accounts, subscriptions, rates, churn, names, churnModel] = await Promise.all([
    storage.accounts.list(ws),
    storage.subscriptions.listUnordered(ws),
    storage.exchangeRates.list(ws),
    latestPredictions(storage, ws, "churn"),
    storage.accounts.names(ws),
    modelInfo(storage, ws, "churn"),
  ]);
  const matrix = buildMrrMatrix(subscriptions, rates, {
    reportingCurrency: opts.reportingCurrency,
    asOf: opts.asOf,
  });
  const until = q === undefined ? addDays(opts.asOf, days) : quarterEnd(opts.asOf, q);
  const gamma = await liveRiskExponent(storage, ws, opts);
  const readable = await readableAccountIds(storage, opts.principal);
  const {
    history,
    calibration,
    forecast: f,
  } = forecastAt(
    forecastData(accounts, subscriptions, matrix),
    new Map(churn.map((p) => [p.accountId, p.probability])),
    {
      asOf: opts.asOf,
      until,
      horizonDays: churnModel?.horizonDays ?? DEFAULT_HORIZON_DAYS,
      riskExponent: gamma.fit.riskExponent,
      reference: gamma.reference,
      lookbackMonths: opts.lookbackMonths,
      periodBy: opts.periodBy,
      readable,
    },
  );
  let historyExpectedArr: number | null = 0;
  for (const r of f.rows) {
    const h = historyOnly(calibration, r.segment);
    historyExpectedArr = h === null || historyExpectedArr === null ? null : historyExpectedArr + r.arr * h;
  }
  return {
    asOf: opts.asOf,
    until,
    currency: opts.reportingCurrency.toUpperCase(),
    modelHorizonDays: churnModel?.horizonDays ?? null,
    decayDays: calibration.decayDays,
    riskExponent: gamma.fit,
    rows: f.rows.map((r) => ({ ...r, name: names.get(r.accountId) ?? null })),
    periods: f.periods,
    totals: f.totals,
    history: [...history.bySegment]
      .map(([segment, h]) => ({
        segment,
        ...h,
        calibratedRate: calibration.bySegment.get(segment)?.rate ?? null,
      }))
      .sort((x, y) => (x.segment < y.segment ? -1 : 1)),
    overallRenewalRate: history.overall.rate,
    historyExpectedArr,
  };
}

export interface RenewalBacktestOptions {
  asOf: IsoDate;
  reportingCurrency: string;
  /** Completed quarters to replay, latest last (default 4). */
  quarters?: number;
  lookbackMonths?: number;
}

/** One replayed quarter: the forecast made the day before it began against what renewed. */
export interface RenewalBacktestQuarter extends RenewalBacktestSummary {
  quarter: string;
  /** The day the forecast is made as of (the previous quarter's last day). */
  forecastAsOf: IsoDate;
  from: IsoDate;
  to: IsoDate;
  /** The churn model trained as of forecastAsOf (null when its history was too short: history only). */
  churnModel: { model: string; auc: number } | null;
  /** γ fitted on the renewals of the quarters before this one. */
  riskExponent: number;
}

export interface RenewalBacktestResult {
  asOf: IsoDate;
  currency: string;
  quarters: RenewalBacktestQuarter[];
  /** All quarters' renewals together. */
  total: RenewalBacktestSummary;
  /** Forecast vs observed renewal, by forecast probability (all quarters). */
  calibration: RenewalCalibrationBin[];
}

function quarterName(lastDay: IsoDate) {
  return `${lastDay.slice(0, 4)}-Q${Math.floor((Number(lastDay.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * Replays the renewal forecast for each of the last `quarters` completed quarters before asOf: as of
 * the day before the quarter began, a churn model is trained on what was known then (the churn
 * pipeline, point in time), the renewal model calibrated on the renewals before then, and the
 * quarter's renewals forecast; then compared with the ARR that renewed (paying in the renewal month).
 */
export async function renewalBacktest(
  storage: Storage,
  ws: string,
  opts: RenewalBacktestOptions,
): Promise<RenewalBacktestResult> {
  const nq = opts.quarters ?? 4;
  if (!Number.isInteger(nq) || nq < 1 || nq > 12)
    throw new TenureError("validation", `quarters must be a whole number from 1 to 12, got ${nq}`);
  // One quarter more than reported: the first one's renewals fit γ for the first reported quarter.
  const windows = completedQuarters(opts.asOf, nq + 1);
  const inputs = await loadPredictionInputs(storage, ws, {
    asOf: opts.asOf,
    reportingCurrency: opts.reportingCurrency,
  });
  const data = forecastData(inputs.accounts, inputs.subscriptions, inputs.matrix);
  const row = new Map(inputs.matrix.accountIds.map((id, i) => [id, i]));
  const quarters: RenewalBacktestQuarter[] = [];
  const all: RenewalOutcome[] = [];
  const past: RenewalFitPeriod[] = [];
  for (const [i, w] of windows.entries()) {
    let churnById = new Map<string, number>();
    let churnModel: RenewalBacktestQuarter["churnModel"] = null;
    let horizonDays = DEFAULT_HORIZON_DAYS;
    try {
      const run = runChurnPipeline(inputs, { asOf: w.forecastAsOf, target: "churn" });
      churnById = new Map(run.scores.map((s) => [s.accountId, s.probability]));
      churnModel = { model: run.model.kind, auc: run.backtest.metrics.chosen.auc };
      horizonDays = run.backtest.horizonDays;
    } catch (e) {
      // Too little history before an early quarter: that quarter is forecast from history alone.
      if (!(e instanceof TenureError)) throw e;
    }
    // γ from the quarters already over at this forecast date, as a user would have had it then.
    const riskExponent = fitRiskExponent(past, { horizonDays }).riskExponent;
    const reference = renewalReference(past);
    past.push(fitPeriod(data, row, churnById, w, horizonDays, opts.lookbackMonths));
    if (i === 0) continue;
    const { calibration, forecast } = forecastAt(data, churnById, {
      asOf: w.forecastAsOf,
      until: w.to,
      horizonDays,
      riskExponent,
      reference,
      lookbackMonths: opts.lookbackMonths,
    });
    const outcomes: RenewalOutcome[] = [];
    for (const r of forecast.rows) {
      if (r.renewalProbability === null) continue;
      outcomes.push({
        arr: r.arr,
        probability: r.renewalProbability,
        historyProbability: historyOnly(calibration, r.segment),
        renewed: renewedIn(inputs.matrix, row, r.accountId, r.renewalDate),
      });
    }
    all.push(...outcomes);
    quarters.push({ ...w, churnModel, riskExponent, ...summarizeRenewalBacktest(outcomes) });
  }
  return {
    asOf: opts.asOf,
    currency: opts.reportingCurrency.toUpperCase(),
    quarters,
    total: summarizeRenewalBacktest(all),
    calibration: renewalCalibration(all),
  };
}

/**
 * The latest stored renewal backtest, or null when none was computed yet. Reads only: the backtest
 * retrains the churn model once per quarter (16-200 s of CPU), so it is computed when the churn model
 * is trained (`trainModel`), never in a request. It replays past quarters with models of its own, so
 * a later retrain from the web app (which does not replay) leaves it valid.
 */
export async function storedRenewalBacktest(
  storage: Storage,
  ws: string,
): Promise<(RenewalBacktestResult & { modelId: string; computedAt: string }) | null> {
  const stored = await storage.predictions.latestRenewalBacktest(ws);
  if (stored === null) return null;
  return {
    ...(stored.result as RenewalBacktestResult),
    modelId: stored.modelId,
    computedAt: stored.computedAt,
  };
}

/** Computes the renewal backtest as of the model's date and stores it with the churn model `modelId`. */
export async function computeRenewalBacktestFor(
  storage: Storage,
  ws: string,
  modelId: string,
  opts: RenewalBacktestOptions & { now?: () => string },
): Promise<RenewalBacktestResult> {
  const { now, ...options } = opts;
  const result = await renewalBacktest(storage, ws, options);
  // Off the request path: fit and store the live forecast's calibration for the new model.
  await liveRiskExponent(storage, ws, options);
  await storage.predictions.saveRenewalBacktest(ws, {
    modelId,
    asOf: opts.asOf,
    computedAt: now?.() ?? new Date().toISOString(),
    result,
  });
  return result;
}
