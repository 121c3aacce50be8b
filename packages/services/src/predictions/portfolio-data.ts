import {
  type Account,
  accountClv,
  buildMrrMatrix,
  currentTenureMonths,
  fitRetentionModel,
  type IsoDate,
  isTenureError,
  MRR_EPSILON,
  type MrrMatrix,
  monthIndex,
  type RetentionModel,
  type Subscription,
  TenureError,
  UNKNOWN_CHANNEL,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { latestBacktest } from "./predictions-service";

/**
 * What the portfolio views share: each workspace's paying accounts with a monthly sBG fitted on its own
 * survivor counts (overall, per tier and per channel), cached briefly, and CLV per account from it.
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
export const UNKNOWN = "unknown";

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

export interface Loaded {
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
export function loadCached(storage: Storage, ws: string, opts: PortfolioModelOptions): Promise<Loaded> {
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
export function valueAccounts(d: Loaded, margin: number, only?: string): AccountClv[] {
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

export const modelInfo = async (storage: Storage, ws: string, target: "churn" | "expansion") => {
  const m = await latestBacktest(storage, ws, target);
  return m === null
    ? null
    : { modelId: m.modelId, trainedAt: m.trainedAt, model: m.model, horizonDays: m.backtest.horizonDays };
};
