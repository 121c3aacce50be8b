import {
  type Account,
  accountAttributeValues,
  buildMrrMatrix,
  type ExchangeRate,
  type HealthBand,
  monthIndex,
  type ReasonFact,
  reasonText,
  renderCoreMessage,
  type ScoreTrend,
  type SignalType,
  type Subscription,
  scoreTrend,
  signalText,
  TenureError,
  type TextMessage,
} from "@tenure/core";
import type { HealthScorePoint, SignalRecord, Storage } from "@tenure/storage";
import { subscriptionTerms } from "../health/account-metrics";
import { addDays } from "../health/days";
import { type ChurnedFacts, churnedFacts, lastPositiveMrr } from "../predictions/churn-status";

/** One row of the accounts list (issue 3 point 7). */
export interface AccountListRow {
  id: string;
  name: string;
  tier: string | null;
  segment: string | null;
  industry: string | null;
  region: string | null;
  owner: string | null;
  lifecycleStage: string | null;
  mrr: number;
  arr: number;
  renewalDate: string | null;
  score: number | null;
  band: HealthBand;
  trend: ScoreTrend;
  openSignals: number;
  riskSignals: number;
  opportunitySignals: number;
  lastActivityAt: string | null;
  /**
   * The churn model's probability of churning within 90 days (the one churn figure everywhere); null
   * when the account does not pay or no model has scored it. Worklist priority = this × ARR.
   */
  churnProbability: number | null;
  /** Churn date, reason and last MRR of an account that paid before and no longer does. */
  churned: ChurnedFacts | null;
}

export const ACCOUNT_SORTS = [
  "score",
  "arr",
  "renewalDate",
  "openSignals",
  "name",
  "churnProbability",
] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

export interface AccountListQuery {
  search?: string;
  owner?: string;
  /** Comma-separated team ids: those teams' books (members' accounts and pools). */
  team?: string;
  stage?: string;
  band?: string;
  tier?: string;
  /** "attr=value", e.g. "industry=retail" or "custom.plan=pro". */
  segment?: string;
  sort?: AccountSort;
  order?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

/** Rows of every account plus the live signals behind them. */
export interface AccountRowsData {
  rows: AccountListRow[];
  accounts: Map<string, Account>;
  liveSignals: Map<string, SignalRecord[]>;
  /** The churn probability's top reason of each scored paying account. */
  churnReasons: Map<string, ReasonFact>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function groupSubs(subs: readonly Subscription[]): Map<string, Subscription[]> {
  const out = new Map<string, Subscription[]>();
  for (const s of subs) {
    const l = out.get(s.accountId);
    if (l) l.push(s);
    else out.set(s.accountId, [s]);
  }
  return out;
}

/** What a batch of list rows is built from: a whole workspace, or a range of its accounts. */
export interface AccountRowSources {
  accounts: readonly Account[];
  subs: readonly Subscription[];
  rates: readonly ExchangeRate[];
  /** Health scores of the 14 days up to asOf, by account then date. */
  points: readonly HealthScorePoint[];
  /** Open and acknowledged signals. */
  signals: readonly Pick<SignalRecord, "accountId" | "kind">[];
  /** Stored churn probabilities. */
  churn: readonly { accountId: string; probability: number }[];
}

/** The first day of the health scores a row at `asOf` reads (its trend looks two weeks back). */
export const rowPointsFrom = (asOf: string) => addDays(asOf, -14);

/**
 * Builds the list row of every account in `src` at `asOf`: MRR from the revenue matrix, health from the
 * stored scores. The single definition of a row: the stored list (account-list-store.ts) stores its output.
 */
export function buildAccountRows(
  src: AccountRowSources,
  opts: { asOf: string; reportingCurrency: string },
): AccountListRow[] {
  const { asOf } = opts;
  const churnOf = new Map(src.churn.map((p) => [p.accountId, p.probability]));
  const matrix = buildMrrMatrix(src.subs, src.rates, { reportingCurrency: opts.reportingCurrency, asOf });
  const n = matrix.months.length;
  const first = matrix.months[0];
  const col = first === undefined ? -1 : monthIndex(asOf.slice(0, 7)) - monthIndex(first);
  const mrrOf = new Map<string, number>();
  if (col >= 0 && col < n) {
    matrix.accountIds.forEach((id, a) => {
      mrrOf.set(id, matrix.values[a * n + col] ?? 0);
    });
  }
  const subsBy = groupSubs(src.subs);
  const lastMrr = lastPositiveMrr(matrix);
  const pointsBy = new Map<string, HealthScorePoint[]>();
  for (const p of src.points) {
    const l = pointsBy.get(p.accountId);
    if (l) l.push(p);
    else pointsBy.set(p.accountId, [p]);
  }
  const live = new Map<string, { open: number; risks: number }>();
  for (const s of src.signals) {
    const c = live.get(s.accountId) ?? { open: 0, risks: 0 };
    c.open++;
    if (s.kind === "risk") c.risks++;
    live.set(s.accountId, c);
  }
  return src.accounts.map((a) => {
    const ps = pointsBy.get(a.id) ?? [];
    const latest = ps.at(-1);
    const history: { date: string; score: number }[] = [];
    for (const p of ps) if (p.score !== null) history.push({ date: p.date, score: p.score });
    const sigs = live.get(a.id) ?? { open: 0, risks: 0 };
    const mrr = round2(mrrOf.get(a.id) ?? 0);
    const score = latest?.score ?? null;
    const churned = mrr > 0 ? null : churnedFacts(a, subsBy.get(a.id) ?? [], asOf, lastMrr.get(a.id) ?? 0);
    return {
      id: a.id,
      name: a.name,
      tier: a.tier,
      segment: a.segment,
      industry: a.industry,
      region: a.region,
      owner: a.owner,
      lifecycleStage: a.lifecycleStage,
      mrr,
      arr: round2(mrr * 12),
      renewalDate: subscriptionTerms(subsBy.get(a.id) ?? [], asOf).renewalDate,
      score,
      band: (latest?.band ?? "none") as HealthBand,
      // Against the latest score's own date: the arrow the account page and the stored score show.
      trend: history.length > 0 && latest ? scoreTrend(history, latest.date) : "same",
      openSignals: sigs.open,
      riskSignals: sigs.risks,
      opportunitySignals: sigs.open - sigs.risks,
      lastActivityAt: latest?.lastActivityAt ?? null,
      // Only paying accounts are scored: a stored score of an account that has since churned is stale.
      churnProbability: mrr > 0 ? (churnOf.get(a.id) ?? null) : null,
      churned,
    };
  });
}

/** The first reason of a stored prediction's reasons (JSON), if any. */
export function topReason(reasons: unknown): ReasonFact | undefined {
  return Array.isArray(reasons)
    ? (reasons as ReasonFact[]).find((r) => typeof r?.key === "string")
    : undefined;
}

/** Builds every account's list row at `asOf` from the whole workspace, with the live signals behind them. */
export async function loadAccountRows(
  storage: Storage,
  ws: string,
  opts: { asOf: string; reportingCurrency: string },
): Promise<AccountRowsData> {
  const { asOf } = opts;
  const [accounts, subs, rates, points, signals, predictions] = await Promise.all([
    storage.accounts.list(ws),
    storage.subscriptions.listUnordered(ws),
    storage.exchangeRates.list(ws),
    storage.healthScores.points(ws, rowPointsFrom(asOf), asOf),
    storage.signals.list(ws, { statuses: ["open", "acknowledged"] }),
    storage.predictions.list(ws, "churn"),
  ]);
  const churnReasons = new Map<string, ReasonFact>();
  for (const p of predictions) {
    const top = topReason(p.reasons);
    if (top) churnReasons.set(p.accountId, top);
  }
  const rows = buildAccountRows({ accounts, subs, rates, points, signals, churn: predictions }, opts);
  const live = new Map<string, SignalRecord[]>();
  for (const s of signals) {
    const l = live.get(s.accountId);
    if (l) l.push(s);
    else live.set(s.accountId, [s]);
  }
  return { rows, accounts: new Map(accounts.map((a) => [a.id, a])), liveSignals: live, churnReasons };
}

// Ties by id in the databases' binary order, the order the stored list pages in.
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const eq = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/** Filters, sorts and pages list rows (see AccountListQuery). */
export function queryAccountRows(
  data: AccountRowsData,
  q: AccountListQuery,
): { total: number; accounts: AccountListRow[] } {
  let seg: { attribute: string; value: string } | null = null;
  if (q.segment) {
    const i = q.segment.indexOf("=");
    if (i <= 0) throw new TenureError("validation", `segment must be attr=value, got "${q.segment}"`);
    seg = { attribute: q.segment.slice(0, i).trim(), value: q.segment.slice(i + 1).trim() };
  }
  const search = q.search?.trim().toLowerCase();
  const rows = data.rows.filter((r) => {
    if (search && !r.name.toLowerCase().includes(search) && !r.id.toLowerCase().includes(search))
      return false;
    if (q.owner && !eq(r.owner, q.owner)) return false;
    if (q.stage && !eq(r.lifecycleStage, q.stage)) return false;
    if (q.band && r.band !== q.band) return false;
    if (q.tier && !eq(r.tier, q.tier)) return false;
    if (seg) {
      const account = data.accounts.get(r.id);
      const values = account ? accountAttributeValues(account, seg.attribute) : [];
      if (!values.some((v) => eq(v, seg.value))) return false;
    }
    return true;
  });
  const sort = q.sort ?? "name";
  const dir = (q.order ?? (sort === "name" || sort === "renewalDate" ? "asc" : "desc")) === "asc" ? 1 : -1;
  const key = (r: AccountListRow): number | string | null =>
    sort === "name" ? r.name.toLowerCase() : sort === "renewalDate" ? r.renewalDate : r[sort];
  rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    // missing values sort last in either direction
    if (x === null || y === null) return x === y ? byId(a, b) : x === null ? 1 : -1;
    if (x < y) return -dir;
    if (x > y) return dir;
    return byId(a, b);
  });
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 100;
  return { total: rows.length, accounts: rows.slice(offset, offset + limit) };
}

/** A worklist row: why it needs attention and how urgent it is. */
export type WorklistRow = AccountListRow & { priority: number; reasons: (TextMessage & { text: string })[] };

const withText = (m: TextMessage): TextMessage & { text: string } => ({
  ...m,
  text: renderCoreMessage("en", m),
});

/** The churn probability from which an account is on the worklist whatever its health. */
export const WORKLIST_CHURN = 0.3;

/**
 * "My accounts that need attention": red/yellow health band, an open risk signal or a churn probability
 * of at least 30%, ranked by churn probability × ARR (the ARR at risk).
 */
export function worklistRows(data: AccountRowsData, owner?: string): WorklistRow[] {
  const out: WorklistRow[] = [];
  for (const r of data.rows) {
    if (owner && !eq(r.owner, owner)) continue;
    const risks = (data.liveSignals.get(r.id) ?? []).filter((s) => s.kind === "risk");
    const likely = r.churnProbability !== null && r.churnProbability >= WORKLIST_CHURN;
    if (r.band !== "red" && r.band !== "yellow" && risks.length === 0 && !likely) continue;
    const reasons: TextMessage[] = [];
    if (r.band === "red" || r.band === "yellow")
      reasons.push({
        key: "explain.why.health",
        params: { band: { key: `explain.band.${r.band}`, params: {} }, score: r.score },
      });
    if (r.trend === "down") reasons.push({ key: "explain.why.trendDown", params: {} });
    for (const s of risks) reasons.push(signalText(s.type as SignalType, s.evidence, s.title).title);
    // The churn model's strongest push, as a fact (the web renders predictions.reason.* in its language).
    const top = likely ? data.churnReasons.get(r.id) : undefined;
    const modelReason =
      top && top.contribution > 0
        ? [{ key: `predictions.reason.${top.key}`, params: top.params, text: reasonText(top) }]
        : [];
    out.push({
      ...r,
      priority: round2((r.churnProbability ?? 0) * r.arr),
      reasons: [...modelReason, ...reasons.map(withText)],
    });
  }
  return out.sort(
    (a, b) =>
      b.priority - a.priority ||
      (b.churnProbability ?? 0) - (a.churnProbability ?? 0) ||
      (a.score ?? 101) - (b.score ?? 101) ||
      a.id.localeCompare(b.id),
  );
}
