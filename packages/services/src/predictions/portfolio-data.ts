import {
  type Account,
  buildMrrMatrix,
  currentTenureMonths,
  fitAtBound,
  fitRetentionModel,
  type IsoDate,
  isTenureError,
  MRR_EPSILON,
  type MrrMatrix,
  monthIndex,
  monthlyChurnOf,
  monthlyDiscountRate,
  observedMonthlyChurn,
  type RetentionCurve,
  type RetentionMethod,
  riskAdjustedDerl,
  type Subscription,
  survivalCohorts,
  TenureError,
  UNKNOWN_CHANNEL,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { latestBacktest, latestPredictions } from "./predictions-service";

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

/** A group's retention model as reported: how it was modelled, on which accounts, and its parameters. */
export interface RetentionFit {
  /** "all", or the tier or channel value. */
  group: string;
  /** sbg: the group's own fit; pooled_sbg: the all-accounts fit; observed_retention: observed monthly churn. */
  method: RetentionMethod;
  /** Why the group's own sBG fit was not used (null when it was). */
  fallbackReason: string | null;
  /** sBG parameters of the curve used (null with observed retention). */
  alpha: number | null;
  beta: number | null;
  /** Monthly churn of a new customer under the curve used (α/(α+β), or the observed rate). */
  monthlyChurn: number;
  /** Customers and start-month cohorts of the group. */
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
  /** Discounted expected residual lifetime in months: its own churn first, fading into its tier's curve. */
  derl: number;
  clv: number;
  /** The churn model's 90-day probability for the account (null: not scored, the tier's average risk). */
  churnProbability: number | null;
  /** The churn model's probability as a monthly churn (null: not scored), leading the first months of DERL. */
  monthlyChurn: number | null;
  /** The retention model used (its tier's, or "all" when the tier has none). */
  model: RetentionFit;
}

/** A group's retention curve with its discounting, ready to value accounts. */
export interface GroupModel {
  curve: RetentionCurve;
  /** Monthly discount rate. */
  discountRate: number;
  fit: RetentionFit;
}

export interface Loaded {
  accounts: Account[];
  subscriptions: Subscription[];
  matrix: MrrMatrix;
  /** Column of asOf in the matrix (≥ months.length when the matrix ends before). */
  col: number;
  tierOf: Map<string, string>;
  channelOf: Map<string, string>;
  overall: GroupModel | null;
  overallError: string | null;
  byTier: Map<string, GroupModel>;
  byChannel: Map<string, GroupModel>;
  /** The churn model's latest probability per account. */
  churn: Map<string, number>;
  /** Horizon in days of those probabilities. */
  churnHorizonDays: number;
}

/** Churned accounts a group needs for its observed churn to replace a failed sBG fit (else the pooled fit). */
const MIN_OWN_CHURNS = 30;

/** DEL of a new customer under a geometric curve: Σ_{t≥0} (1−θ)^t/(1+d)^t = (1+d)/(d+θ). */
const geometricDel = (churn: number, d: number) => (1 + d) / (d + churn);

/**
 * A group's retention model: its own sBG fit when the data identify it; when the fit runs to a bound
 * or cannot be made, the group's observed monthly churn when it saw at least MIN_OWN_CHURNS churns
 * (the bound is the geometric limit: churn the same for every customer), else the pooled fit when
 * that one is clean, else the observed churn however little there is.
 * Null when the group has no cohort or no churn at all (nothing to value lifetimes with).
 */
function groupModel(
  matrix: MrrMatrix,
  group: string,
  accounts: ReadonlySet<string> | undefined,
  annualDiscountRate: number,
  pooled: GroupModel | null,
): GroupModel | null {
  const discountRate = monthlyDiscountRate(annualDiscountRate);
  const cohorts = survivalCohorts(matrix, { accounts });
  const customers = cohorts.reduce((s, c) => s + (c.survivors[0] ?? 0), 0);
  let reason: string;
  let warnings: string[] = [];
  try {
    const m = fitRetentionModel(matrix, { accounts, annualDiscountRate, label: group });
    if (!fitAtBound(m.fit)) {
      const { alpha, beta } = m.fit;
      return {
        curve: { kind: "sbg", alpha, beta },
        discountRate,
        fit: {
          group,
          method: "sbg",
          fallbackReason: null,
          alpha,
          beta,
          monthlyChurn: alpha / (alpha + beta),
          customers: m.fit.customers,
          cohorts: m.fit.cohorts,
          del: m.del,
          warnings: m.fit.warnings,
        },
      };
    }
    warnings = m.fit.warnings;
    reason = `the sBG fit of ${group} hit a parameter bound (α ${m.fit.alpha.toPrecision(3)}, β ${m.fit.beta.toPrecision(3)})`;
  } catch (e) {
    if (!isTenureError(e, "validation")) throw e;
    reason = e.message;
  }
  const churn = observedMonthlyChurn(cohorts);
  const lost = cohorts.reduce((t, c) => t + c.survivors[0]! - c.survivors[c.survivors.length - 1]!, 0);
  // The group's own churn when it has enough of it to stand on; else the pooled curve's shape.
  if (
    (lost < MIN_OWN_CHURNS || churn === null || churn <= 0) &&
    pooled !== null &&
    pooled.fit.method === "sbg"
  )
    return {
      curve: pooled.curve,
      discountRate,
      fit: {
        ...pooled.fit,
        group,
        method: "pooled_sbg",
        fallbackReason: reason,
        customers,
        cohorts: cohorts.length,
        warnings,
      },
    };
  if (churn === null || churn <= 0) return null;
  return {
    curve: { kind: "geometric", churn },
    discountRate,
    fit: {
      group,
      method: "observed_retention",
      fallbackReason: reason,
      alpha: null,
      beta: null,
      monthlyChurn: churn,
      customers,
      cohorts: cohorts.length,
      del: geometricDel(churn, discountRate),
      warnings,
    },
  };
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
  const [accounts, subscriptions, rates, churn, churnModel] = await Promise.all([
    storage.accounts.list(ws),
    storage.subscriptions.listUnordered(ws),
    storage.exchangeRates.list(ws),
    latestPredictions(storage, ws, "churn"),
    latestBacktest(storage, ws, "churn"),
  ]);
  const matrix = buildMrrMatrix(subscriptions, rates, {
    reportingCurrency: opts.reportingCurrency,
    asOf: opts.asOf,
  });
  const first = matrix.months[0];
  const col = first === undefined ? 0 : monthIndex(opts.asOf) - monthIndex(first);
  const tierOf = new Map(accounts.map((a) => [a.id, a.tier?.trim() || UNKNOWN]));
  const channelOf = new Map(accounts.map((a) => [a.id, a.channel?.trim() || UNKNOWN_CHANNEL]));
  const annual = opts.annualDiscountRate ?? 0.1;
  const overall = groupModel(matrix, "all", undefined, annual, null);
  const overallError =
    overall === null ? "no cohort with a month of history and churn: retention cannot be modelled" : null;
  const byTier = new Map<string, GroupModel>();
  for (const [tier, ids] of groupIds(accounts, (a) => tierOf.get(a.id)!)) {
    const f = groupModel(matrix, tier, ids, annual, overall);
    if (f !== null) byTier.set(tier, f);
  }
  const byChannel = new Map<string, GroupModel>();
  for (const [channel, ids] of groupIds(accounts, (a) => channelOf.get(a.id)!)) {
    const f = groupModel(matrix, channel, ids, annual, overall);
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
    churn: new Map(churn.map((p) => [p.accountId, p.probability])),
    churnHorizonDays: churnModel?.backtest.horizonDays ?? 90,
  };
}

/**
 * CLV of every paying account at asOf (none when retention cannot be modelled) = margin × MRR × DERL,
 * the DERL with the account's own churn (the churn model's 90-day probability as a monthly rate)
 * leading its first months and fading over a year into its tier's curve (core riskAdjustedDerl), so an
 * at-risk account is worth less than a healthy twin.
 */
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
    const p = d.churn.get(id) ?? null;
    const monthlyChurn = p === null ? null : monthlyChurnOf(p, d.churnHorizonDays);
    const derl = riskAdjustedDerl(chosen.curve, {
      renewals: tenureMonths - 1,
      monthlyDiscountRate: chosen.discountRate,
      monthlyChurn,
    });
    out.push({
      accountId: id,
      tier,
      channel: d.channelOf.get(id) ?? UNKNOWN_CHANNEL,
      mrr,
      arr: 12 * mrr,
      tenureMonths,
      derl,
      clv: margin * mrr * derl,
      churnProbability: p,
      monthlyChurn,
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
