import {
  type Account,
  type AccountScore,
  accountMrrHistory,
  buildMrrMatrix,
  type Contact,
  computeMovements,
  explainScore,
  type HealthBand,
  type Principal,
  renderCoreMessage,
  type ScoreTrend,
  scoreTrend,
  TenureError,
  type TextMessage,
} from "@tenure/core";
import type { StageHistoryEntry, Storage } from "@tenure/storage";
import { assertCanReadBook } from "../access/book-scope";
import { subscriptionTerms } from "../health/account-metrics";
import { addDays, dayNumber } from "../health/days";
import { readBreakdowns } from "../health/stored-breakdown";
import { type SignalView, signalActorNames, signalView } from "../signals/signal-service";
import { type AccountQuotas, accountQuotas } from "./account-quota";

export type HealthBreakdown = AccountScore & {
  trend: ScoreTrend;
  /** Sentences as keys and parameters (rendered by the reader's language) with their English text. */
  explanation: (TextMessage & { text: string })[];
  metrics: Record<string, number | null>;
  date: string;
};

/** GET /api/accounts/{id}/overview. */
export interface AccountOverview {
  account: Account;
  mrr: number;
  arr: number;
  renewalDate: string | null;
  health: HealthBreakdown | null;
  scoreHistory: { date: string; score: number | null; band: HealthBand }[];
  revenue: {
    months: { month: string; mrr: number }[];
    movements: { month: string; kind: string; amount: number }[];
    /** The running month (asOf's): its MRR is at asOf and its movements so far, month to date. */
    monthToDate: string;
  };
  contacts: Contact[];
  signals: SignalView[];
  stageHistory: Omit<StageHistoryEntry, "accountId">[];
  /** Who owns the account: a member (ownerId, with their team), or a team's pool (teamId only), or nobody. */
  ownership: { ownerId: string | null; teamId: string | null };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The not_found error of an account id the workspace does not have. */
const noAccount = (id: string) => new TenureError("not_found", `No account with id "${id}"`);

/** Loads an account or throws not_found. */
export async function requireAccount(storage: Storage, ws: string, id: string): Promise<Account> {
  const account = await storage.accounts.get(ws, id);
  if (account === null) throw noAccount(id);
  return account;
}

/**
 * Everything the account page shows above the timeline; forbidden when `principal` may not read the
 * account (checked on the page's own read of the account and its book: no read more per page).
 */
export async function accountOverview(
  storage: Storage,
  ws: string,
  id: string,
  opts: { asOf: string; reportingCurrency: string },
  principal?: Principal,
): Promise<AccountOverview> {
  const { asOf } = opts;
  // Every read is by account on an index: the page must not scan the workspace (100,000 accounts).
  // Few reads, all at once, because on PostgreSQL each is a round trip: exchange rates only after,
  // when one of the account's subscriptions is billed in another currency (an unknown id costs the
  // empty reads of a 404).
  const [owned, mine, contacts, recent, signals, stages] = await Promise.all([
    storage.accounts.getOwned(ws, id),
    storage.subscriptions.listByAccount(ws, id),
    storage.contacts.listByAccount(ws, id),
    storage.healthScores.recent(ws, id, addDays(asOf, -180), asOf),
    storage.signals.list(ws, { accountId: id }),
    storage.stageHistory.list(ws, id),
  ]);
  if (owned === null) throw noAccount(id);
  if (principal !== undefined) await assertCanReadBook(storage, principal, { accountId: id, ...owned.book });
  const { account } = owned;
  const reporting = opts.reportingCurrency.toUpperCase();
  const rates = mine.some((s) => s.currency.toUpperCase() !== reporting)
    ? await storage.exchangeRates.list(ws)
    : [];
  const { latest, history: points } = recent;
  const matrix = buildMrrMatrix(mine, rates, {
    reportingCurrency: opts.reportingCurrency,
    asOf,
    accountIds: new Set([id]),
  });
  const months = matrix.accountIds.length > 0 ? accountMrrHistory(matrix, id) : [];
  const current = months.find((m) => m.month === asOf.slice(0, 7))?.mrr ?? 0;
  let health: HealthBreakdown | null = null;
  if (latest !== null) {
    const [b] = await readBreakdowns(storage, ws, [latest.breakdown]);
    const trendPoints: { date: string; score: number }[] = [];
    for (const p of points) if (p.score !== null) trendPoints.push({ date: p.date, score: p.score });
    const score: AccountScore = (b as NonNullable<typeof b>).score;
    health = {
      ...score,
      trend: trendPoints.length > 0 ? scoreTrend(trendPoints, latest.date) : "same",
      explanation: explainScore(score).map((m) => ({ ...m, text: renderCoreMessage("en", m) })),
      metrics: (b as NonNullable<typeof b>).metrics,
      date: latest.date,
    };
  }
  const names = new Map([[id, account.name]]);
  const live = signals.filter((s) => s.status !== "resolved");
  const resolved = signals.filter((s) => s.status === "resolved").slice(0, 20);
  const actors = await signalActorNames(storage, ws, [...live, ...resolved]);
  return {
    account,
    mrr: round2(current),
    arr: round2(current * 12),
    renewalDate: subscriptionTerms(mine, asOf).renewalDate,
    health,
    scoreHistory: points.map((p) => ({ date: p.date, score: p.score, band: p.band as HealthBand })),
    revenue: {
      months: months.map((m) => ({ month: m.month, mrr: round2(m.mrr) })),
      movements: computeMovements(matrix).map((m) => ({
        month: m.month,
        kind: m.kind,
        amount: round2(m.amount),
      })),
      monthToDate: asOf.slice(0, 7),
    },
    contacts,
    signals: [...live, ...resolved].map((s) => signalView(s, names, actors)),
    stageHistory: stages.map(({ accountId: _, ...rest }) => rest),
    ownership: { ownerId: owned.book.ownerId, teamId: owned.book.poolTeamId },
  };
}

/** GET /api/accounts/{id}/usage/summary. */
export interface UsageSummary {
  dau: number;
  wau: number;
  /** Active users (28 days): distinct users with an event in the 28 days ending asOf (the health metric's definition). */
  mau: number;
  seats: { used: number; licensed: number } | null;
  activeDepartments: number;
  keyFeatures: { event: string; adoption: number }[];
  /** Most pressing current allowance with its pace and cumulative series (see account-quota.ts). */
  quota: AccountQuotas["quota"];
  /** Every current allowance, most pressing first. */
  quotas: AccountQuotas["quotas"];
  weekly: { weekStart: string; activeUsers: number; events: number }[];
}

const NAVIGATION = new Set(["page", "screen", "login", "logged in", "signed in", "session started"]);

/** Active users, seats, departments, key feature adoption and 26 weeks of usage of one account. */
export async function accountUsageSummary(
  storage: Storage,
  ws: string,
  id: string,
  opts: { asOf: string; keyEvents?: readonly string[] },
): Promise<UsageSummary> {
  await requireAccount(storage, ws, id);
  const { asOf } = opts;
  const weeks = 26;
  const from = addDays(asOf, 1 - weeks * 7);
  const [rows, subs, totals, quotas] = await Promise.all([
    storage.healthScores.accountUserEvents(ws, id, from, asOf),
    storage.subscriptions.listByAccount(ws, id),
    opts.keyEvents ? Promise.resolve(null) : storage.healthScores.eventTotals(ws, addDays(asOf, -29), asOf),
    accountQuotas(storage, ws, id, asOf),
  ]);
  const keyEvents =
    opts.keyEvents ??
    (totals ?? [])
      .filter((e) => !NAVIGATION.has(e.event.toLowerCase()))
      .slice(0, 5)
      .map((e) => e.event);
  const asOfDay = dayNumber(asOf);
  const dau = new Set<string>();
  const wau = new Set<string>();
  // One definition of "active users" everywhere: 28 days, as the health metric, seats and models count them.
  const mau = new Set<string>();
  const depts = new Set<string>();
  const featureUsers = new Map<string, Set<string>>(keyEvents.map((e) => [e, new Set<string>()]));
  const weekUsers = Array.from({ length: weeks }, () => new Set<string>());
  const weekEvents = new Array<number>(weeks).fill(0);
  for (const r of rows) {
    const offset = asOfDay - dayNumber(r.day);
    if (offset < 0 || offset >= weeks * 7) continue;
    const w = weeks - 1 - Math.floor(offset / 7);
    weekUsers[w]?.add(r.userKey);
    weekEvents[w] = (weekEvents[w] as number) + r.count;
    if (offset < 1) dau.add(r.userKey);
    if (offset < 7) wau.add(r.userKey);
    if (offset < 28) mau.add(r.userKey);
    if (offset < 30) {
      if (r.department) depts.add(r.department.trim().toLowerCase());
      featureUsers.get(r.event)?.add(r.userKey);
    }
  }
  const licensed = subscriptionTerms(subs, asOf).licensedSeats;
  return {
    dau: dau.size,
    wau: wau.size,
    mau: mau.size,
    seats: licensed === null ? null : { used: mau.size, licensed },
    activeDepartments: depts.size,
    keyFeatures: keyEvents.map((event) => ({
      event,
      adoption:
        mau.size === 0 ? 0 : Math.round(((featureUsers.get(event)?.size ?? 0) / mau.size) * 1000) / 1000,
    })),
    ...quotas,
    weekly: weekUsers.map((users, w) => ({
      weekStart: addDays(asOf, 1 - (weeks - w) * 7),
      activeUsers: users.size,
      events: weekEvents[w] as number,
    })),
  };
}
