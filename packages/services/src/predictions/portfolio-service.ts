import {
  type Account,
  accountClv,
  arrAtRisk,
  buildMrrMatrix,
  currentTenureMonths,
  fitRetentionModel,
  forecastRenewals,
  highPotentialAccounts,
  historicalRenewalRates,
  type IsoDate,
  isTenureError,
  lastDayOfMonth,
  MRR_EPSILON,
  type MrrMatrix,
  monthFromIndex,
  monthIndex,
  nextRenewalDate,
  type PredictionReason,
  type RenewalForecast,
  type RenewalForecastRow,
  type RetentionModel,
  type Subscription,
  TenureError,
  UNKNOWN_CHANNEL,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { addDays } from "../health/days";
import { RevenueService } from "../revenue/revenue-service";
import { type AccountPrediction, latestBacktest, latestPredictions } from "./predictions-service";

/**
 * Portfolio views of the models (issue 4 point 4): CLV per account from a monthly sBG fitted on the
 * workspace's own survivor counts, ARR at risk, CLV by segment (tier) and channel, model LTV/CAC next
 * to the simple formula, high-potential small accounts and the renewal forecast.
 */

export interface PortfolioModelOptions {
  asOf: IsoDate;
  reportingCurrency: string;
  /** Gross margin in (0, 1] (config.grossMargin). */
  grossMargin: number;
  /** Annual discount rate of CLV (default 10%). */
  annualDiscountRate?: number;
}

/** Label of accounts without a tier or channel. */
const UNKNOWN = "unknown";

/** A fitted sBG group as reported: which accounts it covers and its parameters. */
export interface RetentionFit {
  /** "all", or the tier or channel value. */
  group: string;
  alpha: number;
  beta: number;
  /** Customers and start-month cohorts the fit used. */
  customers: number;
  cohorts: number;
  /** Discounted expected lifetime of a new customer, in months. */
  del: number;
  warnings: string[];
}

/** One paying account's model value. */
export interface AccountClv {
  accountId: string;
  tier: string;
  channel: string;
  mrr: number;
  arr: number;
  tenureMonths: number;
  /** Discounted expected residual lifetime in months, from the account's tier model (else the portfolio's). */
  derl: number;
  clv: number;
  /** The retention fit used (its tier's, or "all" when the tier could not be fitted). */
  model: RetentionFit;
}

interface Loaded {
  accounts: Account[];
  subscriptions: Subscription[];
  matrix: MrrMatrix;
  /** Column of asOf in the matrix (≥ months.length when the matrix ends before). */
  col: number;
  tierOf: Map<string, string>;
  channelOf: Map<string, string>;
  overall: { model: RetentionModel; fit: RetentionFit } | null;
  overallError: string | null;
  byTier: Map<string, { model: RetentionModel; fit: RetentionFit }>;
  byChannel: Map<string, { model: RetentionModel; fit: RetentionFit }>;
}

const fitInfo = (group: string, m: RetentionModel): RetentionFit => ({
  group,
  alpha: m.fit.alpha,
  beta: m.fit.beta,
  customers: m.fit.customers,
  cohorts: m.fit.cohorts,
  del: m.del,
  warnings: m.fit.warnings,
});

/** Fits one group; a group the data cannot identify (no churn, no history) is left out. */
function tryFit(
  matrix: MrrMatrix,
  group: string,
  accounts: ReadonlySet<string> | undefined,
  annualDiscountRate: number | undefined,
): { model: RetentionModel; fit: RetentionFit } | null {
  try {
    const model = fitRetentionModel(matrix, { accounts, annualDiscountRate, label: group });
    return { model, fit: fitInfo(group, model) };
  } catch (e) {
    if (isTenureError(e, "validation")) return null;
    throw e;
  }
}

function groupIds(accounts: readonly Account[], key: (a: Account) => string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const a of accounts) {
    const k = key(a);
    let s = out.get(k);
    if (s === undefined) {
      s = new Set();
      out.set(k, s);
    }
    s.add(a.id);
  }
  return out;
}

/** How long loaded data and fits are reused (ms), like the revenue reports' cache. */
const CACHE_MS = 30_000;
const MAX_CACHED = 16;
const cache = new Map<string, { at: number; storage: Storage; value: Promise<Loaded> }>();

/**
 * load() reused for CACHE_MS per storage, workspace and options: an account page view would otherwise
 * reread every subscription and refit every group (≈ 0.6 s at 20,000 accounts). A failed load is not kept.
 */
function loadCached(storage: Storage, ws: string, opts: PortfolioModelOptions): Promise<Loaded> {
  const key = `${ws}|${opts.asOf}|${opts.reportingCurrency}|${opts.grossMargin}|${opts.annualDiscountRate ?? ""}`;
  const hit = cache.get(key);
  if (hit !== undefined && hit.storage === storage && Date.now() - hit.at < CACHE_MS) return hit.value;
  const value = load(storage, ws, opts);
  cache.set(key, { at: Date.now(), storage, value });
  value.catch(() => cache.delete(key));
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return value;
}

/** Drops cached portfolio fits (after an import, or in tests that change data). */
export function clearPortfolioCache(): void {
  cache.clear();
}

async function load(storage: Storage, ws: string, opts: PortfolioModelOptions): Promise<Loaded> {
  if (!(opts.grossMargin > 0 && opts.grossMargin <= 1))
    throw new TenureError("validation", `grossMargin must be a fraction in (0, 1], got ${opts.grossMargin}`);
  const [accounts, subscriptions, rates] = await Promise.all([
    storage.accounts.list(ws),
    storage.subscriptions.listUnordered(ws),
    storage.exchangeRates.list(ws),
  ]);
  const matrix = buildMrrMatrix(subscriptions, rates, {
    reportingCurrency: opts.reportingCurrency,
    asOf: opts.asOf,
  });
  const first = matrix.months[0];
  const col = first === undefined ? 0 : monthIndex(opts.asOf) - monthIndex(first);
  const tierOf = new Map(accounts.map((a) => [a.id, a.tier?.trim() || UNKNOWN]));
  const channelOf = new Map(accounts.map((a) => [a.id, a.channel?.trim() || UNKNOWN_CHANNEL]));
  let overall: Loaded["overall"] = null;
  let overallError: string | null = null;
  try {
    const model = fitRetentionModel(matrix, { annualDiscountRate: opts.annualDiscountRate });
    overall = { model, fit: fitInfo("all", model) };
  } catch (e) {
    if (!isTenureError(e, "validation")) throw e;
    overallError = e.message;
  }
  const byTier = new Map<string, { model: RetentionModel; fit: RetentionFit }>();
  for (const [tier, ids] of groupIds(accounts, (a) => tierOf.get(a.id)!)) {
    const f = tryFit(matrix, tier, ids, opts.annualDiscountRate);
    if (f !== null) byTier.set(tier, f);
  }
  const byChannel = new Map<string, { model: RetentionModel; fit: RetentionFit }>();
  for (const [channel, ids] of groupIds(accounts, (a) => channelOf.get(a.id)!)) {
    const f = tryFit(matrix, channel, ids, opts.annualDiscountRate);
    if (f !== null) byChannel.set(channel, f);
  }
  return {
    accounts,
    subscriptions,
    matrix,
    col,
    tierOf,
    channelOf,
    overall,
    overallError,
    byTier,
    byChannel,
  };
}

/** CLV of every paying account at asOf (none when the portfolio's retention cannot be fitted). */
function valueAccounts(d: Loaded, margin: number, only?: string): AccountClv[] {
  const n = d.matrix.months.length;
  const out: AccountClv[] = [];
  if (d.col < 0 || d.col >= n) return out;
  for (let a = 0; a < d.matrix.accountIds.length; a++) {
    const mrr = d.matrix.values[a * n + d.col]!;
    if (mrr <= MRR_EPSILON) continue;
    const id = d.matrix.accountIds[a]!;
    if (only !== undefined && id !== only) continue;
    const tier = d.tierOf.get(id) ?? UNKNOWN;
    const chosen = d.byTier.get(tier) ?? d.overall;
    if (chosen === null) continue;
    const tenureMonths = currentTenureMonths(d.matrix, a, d.col);
    const v = accountClv(chosen.model, { mrr, tenureMonths, margin });
    out.push({
      accountId: id,
      tier,
      channel: d.channelOf.get(id) ?? UNKNOWN_CHANNEL,
      mrr,
      arr: 12 * mrr,
      tenureMonths,
      derl: v.derl,
      clv: v.clv,
      model: chosen.fit,
    });
  }
  return out;
}

/** One account's CLV, or null with the reason when it is not paying or retention cannot be fitted. */
export async function accountClvOf(
  storage: Storage,
  ws: string,
  accountId: string,
  opts: PortfolioModelOptions,
): Promise<{ clv: AccountClv | null; reason: string | null; annualDiscountRate: number; margin: number }> {
  const d = await loadCached(storage, ws, opts);
  const annualDiscountRate = opts.annualDiscountRate ?? 0.1;
  const base = { annualDiscountRate, margin: opts.grossMargin };
  if (d.overall === null)
    return { ...base, clv: null, reason: d.overallError ?? "retention cannot be fitted" };
  const row = valueAccounts(d, opts.grossMargin, accountId)[0] ?? null;
  return { ...base, clv: row, reason: row === null ? "the account is not paying at this date" : null };
}

export interface ChannelValue {
  channel: string;
  accounts: number;
  clvTotal: number;
  clvAverage: number;
  /** The channel's own retention fit (null when its cohorts cannot be fitted). */
  model: RetentionFit | null;
  /** MRR per paying customer-month over the unit-economics window. */
  arpa: number | null;
  cac: number | null;
  logoChurnRate: number | null;
  /** Simple LTV = ARPA × margin / monthly logo churn (the revenue page's figure). */
  simpleLtv: number | null;
  simpleLtvToCac: number | null;
  /** Model LTV = ARPA × margin × DEL of the channel's sBG fit (a new customer's discounted lifetime). */
  modelLtv: number | null;
  modelLtvToCac: number | null;
}

export interface SegmentValue {
  segment: string;
  accounts: number;
  arr: number;
  clvTotal: number;
  clvAverage: number;
  model: RetentionFit | null;
}

export interface PortfolioPredictions {
  asOf: IsoDate;
  currency: string;
  grossMargin: number;
  annualDiscountRate: number;
  models: {
    churn: { modelId: string; trainedAt: string; model: string; horizonDays: number } | null;
    expansion: { modelId: string; trainedAt: string; model: string; horizonDays: number } | null;
  };
  arrAtRisk: {
    total: number;
    /** ARR of the scored accounts. */
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
  /** Why there is no CLV (no churn yet, no history), when retention could not be fitted. */
  retentionError: string | null;
  clvTotal: number;
  bySegment: SegmentValue[];
  byChannel: ChannelValue[];
  unitEconomicsWindow: { from: string; to: string } | null;
  highPotential: {
    /** The tier taken as "small" (lowest median MRR), or null when accounts carry no tier. */
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Small accounts: the tier with the lowest median MRR; without tiers, accounts at or below the median MRR. */
function smallAccounts(values: readonly AccountClv[]): { segment: string | null; rows: AccountClv[] } {
  const byTier = new Map<string, AccountClv[]>();
  for (const v of values) {
    if (v.tier === UNKNOWN) continue;
    const list = byTier.get(v.tier) ?? [];
    list.push(v);
    byTier.set(v.tier, list);
  }
  if (byTier.size === 0) {
    if (values.length === 0) return { segment: null, rows: [] };
    const cut = median(values.map((v) => v.mrr));
    return { segment: null, rows: values.filter((v) => v.mrr <= cut) };
  }
  const [segment, rows] = [...byTier].sort(
    (a, b) => median(a[1].map((v) => v.mrr)) - median(b[1].map((v) => v.mrr)) || (a[0] < b[0] ? -1 : 1),
  )[0]!;
  return { segment, rows };
}

const modelInfo = async (storage: Storage, ws: string, target: "churn" | "expansion") => {
  const m = await latestBacktest(storage, ws, target);
  return m === null
    ? null
    : { modelId: m.modelId, trainedAt: m.trainedAt, model: m.model, horizonDays: m.backtest.horizonDays };
};

/**
 * The portfolio predictions page: ARR at risk from the latest churn scores, CLV by tier and channel,
 * model vs simple LTV/CAC per channel (over the revenue page's unit-economics window) and
 * high-potential small accounts (CLV ≥ `minMultiple` × the small-account average, default 3).
 */
export async function portfolioPredictions(
  storage: Storage,
  ws: string,
  opts: PortfolioModelOptions & { top?: number; minMultiple?: number },
): Promise<PortfolioPredictions> {
  const top = opts.top ?? 10;
  const minMultiple = opts.minMultiple ?? 3;
  const revenue = new RevenueService(storage, {
    workspaceId: ws,
    reportingCurrency: opts.reportingCurrency,
    grossMargin: opts.grossMargin,
    today: () => opts.asOf,
    cacheMs: 0,
  });
  const [d, churn, expansion, names, churnModel, expansionModel] = await Promise.all([
    loadCached(storage, ws, opts),
    latestPredictions(storage, ws, "churn"),
    latestPredictions(storage, ws, "expansion"),
    storage.accounts.names(ws),
    modelInfo(storage, ws, "churn"),
    modelInfo(storage, ws, "expansion"),
  ]);
  const values = valueAccounts(d, opts.grossMargin);
  const n = d.matrix.months.length;
  const rowOf = new Map(d.matrix.accountIds.map((id, i) => [id, i]));
  const mrrAt = (id: string) => {
    const r = rowOf.get(id);
    return r === undefined || d.col < 0 || d.col >= n ? 0 : d.matrix.values[r * n + d.col]!;
  };

  // ARR at risk: only accounts paying today carry ARR; a churned account's stale score adds nothing.
  const churnById = new Map<string, AccountPrediction>(churn.map((p) => [p.accountId, p]));
  const risk = arrAtRisk(
    churn.map((p) => ({
      accountId: p.accountId,
      arr: 12 * mrrAt(p.accountId),
      churnProbability: p.probability,
    })),
    top,
  );

  const bySegment = new Map<string, SegmentValue>();
  const byChannel = new Map<string, { accounts: number; clvTotal: number }>();
  let clvTotal = 0;
  for (const v of values) {
    clvTotal += v.clv;
    const s = bySegment.get(v.tier) ?? {
      segment: v.tier,
      accounts: 0,
      arr: 0,
      clvTotal: 0,
      clvAverage: 0,
      model: d.byTier.get(v.tier)?.fit ?? null,
    };
    s.accounts++;
    s.arr += v.arr;
    s.clvTotal += v.clv;
    bySegment.set(v.tier, s);
    const c = byChannel.get(v.channel) ?? { accounts: 0, clvTotal: 0 };
    c.accounts++;
    c.clvTotal += v.clv;
    byChannel.set(v.channel, c);
  }
  for (const s of bySegment.values()) s.clvAverage = s.clvTotal / s.accounts;

  const ue = d.matrix.months.length === 0 ? null : await revenue.unitEconomics();
  // ARPA per channel over the same window as the simple formula, so the two LTVs differ only by lifetime.
  const arpa = new Map<string, { sum: number; months: number }>();
  if (ue !== null) {
    const base = monthIndex(d.matrix.months[0]!);
    const from = Math.max(0, monthIndex(ue.from) - base);
    const to = Math.min(n - 1, monthIndex(ue.to) - base);
    for (let a = 0; a < d.matrix.accountIds.length; a++) {
      const ch = d.channelOf.get(d.matrix.accountIds[a]!) ?? UNKNOWN_CHANNEL;
      const acc = arpa.get(ch) ?? { sum: 0, months: 0 };
      for (let i = from; i <= to; i++) {
        const v = d.matrix.values[a * n + i]!;
        if (v > MRR_EPSILON) {
          acc.sum += v;
          acc.months++;
        }
      }
      arpa.set(ch, acc);
    }
  }
  const channels = new Set([...byChannel.keys(), ...(ue?.channels.map((c) => c.channel) ?? [])]);
  const channelRows: ChannelValue[] = [...channels].sort().map((channel) => {
    const c = byChannel.get(channel) ?? { accounts: 0, clvTotal: 0 };
    const econ = ue?.channels.find((x) => x.channel === channel);
    const fit = d.byChannel.get(channel)?.fit ?? null;
    const a = arpa.get(channel);
    const arpaValue = a !== undefined && a.months > 0 ? a.sum / a.months : null;
    const cac = econ?.cac ?? null;
    const modelLtv = arpaValue !== null && fit !== null ? arpaValue * opts.grossMargin * fit.del : null;
    return {
      channel,
      accounts: c.accounts,
      clvTotal: c.clvTotal,
      clvAverage: c.accounts > 0 ? c.clvTotal / c.accounts : 0,
      model: fit,
      arpa: arpaValue,
      cac,
      logoChurnRate: econ?.logoChurnRate ?? null,
      simpleLtv: econ?.ltv ?? null,
      simpleLtvToCac: econ?.ltvToCac ?? null,
      modelLtv,
      modelLtvToCac: modelLtv !== null && cac !== null && cac > 0 ? modelLtv / cac : null,
    };
  });

  const small = smallAccounts(values);
  const hp = highPotentialAccounts(
    small.rows.map((v) => ({ accountId: v.accountId, clv: v.clv })),
    minMultiple,
  );
  const expansionById = new Map(expansion.map((p) => [p.accountId, p.probability]));
  const valueById = new Map(values.map((v) => [v.accountId, v]));

  return {
    asOf: opts.asOf,
    currency: opts.reportingCurrency.toUpperCase(),
    grossMargin: opts.grossMargin,
    annualDiscountRate: opts.annualDiscountRate ?? 0.1,
    models: { churn: churnModel, expansion: expansionModel },
    arrAtRisk: {
      total: risk.total,
      arr: risk.arr,
      accounts: risk.accounts,
      largest: risk.largest.map((r) => ({
        accountId: r.accountId,
        name: names.get(r.accountId) ?? null,
        arr: r.arr,
        churnProbability: r.churnProbability,
        atRisk: r.atRisk,
        reasons: churnById.get(r.accountId)?.reasons ?? [],
      })),
    },
    retention: d.overall?.fit ?? null,
    retentionError: d.overallError,
    clvTotal,
    bySegment: [...bySegment.values()].sort((a, b) => b.clvTotal - a.clvTotal),
    byChannel: channelRows,
    unitEconomicsWindow: ue === null ? null : { from: ue.from, to: ue.to },
    highPotential: {
      smallSegment: small.segment,
      smallAccounts: small.rows.length,
      averageClv: hp.average,
      minMultiple,
      accounts: hp.accounts.slice(0, 50).map((h) => {
        const v = valueById.get(h.accountId)!;
        return {
          accountId: h.accountId,
          name: names.get(h.accountId) ?? null,
          tier: v.tier,
          mrr: v.mrr,
          clv: h.clv,
          multiple: h.multiple,
          expansionProbability: expansionById.get(h.accountId) ?? null,
        };
      }),
    },
  };
}

/** Last day of the n-th calendar quarter counted from the one holding `date` (n = 1: that quarter). */
function quarterEnd(date: IsoDate, n: number): IsoDate {
  const m = monthIndex(date);
  return lastDayOfMonth(monthFromIndex(m - (m % 3) + 3 * n - 1));
}

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
}

export type RenewalForecastResult = Omit<RenewalForecast, "rows"> & {
  asOf: IsoDate;
  until: IsoDate;
  currency: string;
  /** Horizon of the churn model whose probabilities the rows used (null when none is trained). */
  modelHorizonDays: number | null;
  rows: (RenewalForecastRow & { name: string | null })[];
  /** Historical renewal rate per segment (tier) and overall. */
  history: { segment: string; due: number; renewed: number; rate: number | null }[];
  overallRenewalRate: number | null;
};

/**
 * Upcoming renewals (each paying account's next renewal date within `days`) with expected renewal
 * ARR: ARR × (1 − churn probability) when the churn model scored the account and the renewal falls
 * within its horizon, else ARR × the tier's historical renewal rate (else the portfolio's).
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
  const n = matrix.months.length;
  const first = matrix.months[0];
  const col = first === undefined ? -1 : monthIndex(opts.asOf) - monthIndex(first);
  const tierOf = new Map(accounts.map((a) => [a.id, a.tier?.trim() || UNKNOWN]));
  const history = historicalRenewalRates(subscriptions, matrix, (id) => tierOf.get(id) ?? UNKNOWN, {
    asOf: opts.asOf,
    lookbackMonths: opts.lookbackMonths,
  });
  const until = q === undefined ? addDays(opts.asOf, days) : quarterEnd(opts.asOf, q);
  const subsBy = new Map<string, Subscription[]>();
  for (const s of subscriptions) {
    const list = subsBy.get(s.accountId) ?? [];
    list.push(s);
    subsBy.set(s.accountId, list);
  }
  const churnById = new Map(churn.map((p) => [p.accountId, p.probability]));
  const candidates = [];
  for (let a = 0; a < matrix.accountIds.length; a++) {
    const id = matrix.accountIds[a]!;
    const mrr = col >= 0 && col < n ? matrix.values[a * n + col]! : 0;
    if (mrr <= MRR_EPSILON) continue;
    const date = nextRenewalDate(subsBy.get(id) ?? [], opts.asOf);
    if (date === null || date > until) continue;
    candidates.push({
      accountId: id,
      renewalDate: date,
      arr: 12 * mrr,
      segment: tierOf.get(id) ?? UNKNOWN,
      churnProbability: churnById.get(id) ?? null,
    });
  }
  const f = forecastRenewals(candidates, history, {
    asOf: opts.asOf,
    modelHorizonDays: churnModel?.horizonDays,
    periodBy: opts.periodBy,
  });
  return {
    asOf: opts.asOf,
    until,
    currency: opts.reportingCurrency.toUpperCase(),
    modelHorizonDays: churnModel?.horizonDays ?? null,
    rows: f.rows.map((r) => ({ ...r, name: names.get(r.accountId) ?? null })),
    periods: f.periods,
    totals: f.totals,
    history: [...history.bySegment]
      .map(([segment, h]) => ({ segment, ...h }))
      .sort((x, y) => (x.segment < y.segment ? -1 : 1)),
    overallRenewalRate: history.overall.rate,
  };
}
