import {
  arrAtRisk,
  highPotentialAccounts,
  type IsoDate,
  MRR_EPSILON,
  monthIndex,
  type Principal,
  type ReasonFact,
  UNKNOWN_CHANNEL,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { readableAccountIds } from "../access/book-scope";
import { RevenueService } from "../revenue/revenue-service";
import {
  type AccountClv,
  loadCached,
  modelInfo,
  type PortfolioModelOptions,
  type RetentionFit,
  UNKNOWN,
  valueAccounts,
} from "./portfolio-data";
import { type AccountPrediction, latestPredictions } from "./predictions-service";

/**
 * Portfolio views of the models (issue 4 point 4): CLV per account from a monthly sBG fitted on the
 * workspace's own survivor counts, ARR at risk, CLV by segment (tier) and channel, model LTV/CAC next
 * to the simple formula and high-potential small accounts (the renewal forecast: renewal-forecast-service.ts).
 */

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
      reasons: ReasonFact[];
    }[];
  };
  retention: RetentionFit | null;
  /** Why there is no CLV (no churn yet, no history), when retention could not be fitted. */
  retentionError: string | null;
  clvTotal: number;
  /** ARR of the paying accounts valued, to read clvTotal against. */
  arrTotal: number;
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

/**
 * The portfolio predictions page: ARR at risk from the latest churn scores, CLV by tier and channel,
 * model vs simple LTV/CAC per channel (over the revenue page's unit-economics window) and
 * high-potential small accounts (CLV ≥ `minMultiple` × the small-account average, default 3).
 */
export async function portfolioPredictions(
  storage: Storage,
  ws: string,
  opts: PortfolioModelOptions & {
    top?: number;
    minMultiple?: number;
    /** Who asks: a CSM limited to its book sees ARR at risk over its own accounts only. */
    principal?: Principal;
  },
): Promise<PortfolioPredictions> {
  const readable = await readableAccountIds(storage, opts.principal);
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
    churn
      .filter((p) => readable === null || readable.has(p.accountId))
      .map((p) => ({
        accountId: p.accountId,
        arr: 12 * mrrAt(p.accountId),
        churnProbability: p.probability,
      })),
    top,
  );

  const bySegment = new Map<string, SegmentValue>();
  const byChannel = new Map<string, { accounts: number; clvTotal: number }>();
  let clvTotal = 0;
  let arrTotal = 0;
  for (const v of values) {
    clvTotal += v.clv;
    arrTotal += v.arr;
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
  // The average is the segment's; the accounts named are the reader's own when it is kept to its book.
  const hp = highPotentialAccounts(
    small.rows.map((v) => ({ accountId: v.accountId, clv: v.clv })),
    minMultiple,
  );
  hp.accounts = hp.accounts.filter((h) => readable === null || readable.has(h.accountId));
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
    arrTotal,
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
