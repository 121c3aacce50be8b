import {
  type AccountUsageDay,
  type AccountUserDay,
  buildMrrMatrix,
  type ChurnHealthDetail,
  type ChurnInputs,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { addDays } from "../health/days";
import { TOUCH_TYPES } from "../health/health-inputs";
import { readBreakdowns } from "../health/stored-breakdown";

/** Timeline types the churn features read (tickets, NPS answers, touches). */
const TIMELINE_TYPES = ["ticket", "nps", ...TOUCH_TYPES];

export interface LoadPredictionInputsOptions {
  asOf: string;
  reportingCurrency: string;
  /** First day of usage and health history to read (default: everything). */
  from?: string;
}

/**
 * Loads every churn-model input in a fixed number of bulk queries (same repositories as the health
 * recompute, over the whole history): usage per user and day is folded into account-days.
 */
export async function loadPredictionInputs(
  storage: Storage,
  ws: string,
  opts: LoadPredictionInputsOptions,
): Promise<ChurnInputs> {
  const { asOf } = opts;
  const from = opts.from ?? "0000-01-01";
  const [accounts, contacts, subscriptions, rates, users, userDays, timeline, health, signals] =
    await Promise.all([
      storage.accounts.list(ws),
      storage.contacts.list(ws),
      storage.subscriptions.listUnordered(ws),
      storage.exchangeRates.list(ws),
      storage.usageUsers.list(ws),
      storage.healthScores.userDays(ws, from, asOf),
      storage.timeline.listByTypes(ws, TIMELINE_TYPES, null),
      storage.healthScores.points(ws, from, asOf),
      storage.signals.list(ws),
    ]);
  const healthDetails = await loadHealthDetails(storage, ws, from, asOf);
  const matrix = buildMrrMatrix(subscriptions, rates, { reportingCurrency: opts.reportingCurrency, asOf });
  const owner = new Map<string, { accountId: string; department: string | null }>();
  for (const u of users)
    if (u.accountId !== null)
      owner.set(u.userKey, {
        accountId: u.accountId,
        department: u.department?.trim().toLowerCase() || null,
      });
  // account|day → users, events, departments.
  const days = new Map<
    string,
    { accountId: string; day: string; users: number; events: number; depts: Set<string> }
  >();
  const active: AccountUserDay[] = [];
  for (const d of userDays) {
    const o = owner.get(d.userKey);
    if (o === undefined) continue;
    active.push({ accountId: o.accountId, userKey: d.userKey, day: d.day });
    const key = `${o.accountId}|${d.day}`;
    let agg = days.get(key);
    if (agg === undefined) {
      agg = { accountId: o.accountId, day: d.day, users: 0, events: 0, depts: new Set() };
      days.set(key, agg);
    }
    agg.users++;
    agg.events += d.count;
    if (o.department !== null) agg.depts.add(o.department);
  }
  const usage: AccountUsageDay[] = [];
  for (const a of days.values())
    usage.push({
      accountId: a.accountId,
      day: a.day,
      activeUsers: a.users,
      events: a.events,
      departments: a.depts.size,
    });
  return {
    accounts,
    subscriptions,
    matrix,
    contacts,
    usage,
    timeline: timeline.map((e) => ({
      accountId: e.accountId,
      type: e.type,
      occurredAt: e.occurredAt,
      data: e.data,
    })),
    health: health.map((h) => ({ accountId: h.accountId, date: h.date, score: h.score })),
    userDays: active,
    healthDetails,
    signals: signals.map((x) => ({
      accountId: x.accountId,
      kind: x.kind,
      openedAt: x.openedAt,
      resolvedAt: x.resolvedAt,
    })),
  };
}

/**
 * The default scorecard's dimension scores on each month's last day in
 * [from, asOf] and on the latest scored day: the breakdowns are read whole, so one day a month keeps
 * this to a few thousand rows per month while every monthly prediction date sees the month before.
 */
async function loadHealthDetails(
  storage: Storage,
  ws: string,
  from: string,
  asOf: string,
): Promise<ChurnHealthDetail[]> {
  const dates = new Set<string>();
  for (let d = from < "1970-01-01" ? "1970-01-01" : from; d <= asOf; d = addDays(d, 1)) {
    if (addDays(d, 1).endsWith("-01")) dates.add(d);
    // Jump to the month's last days quickly: only the last day of each month is wanted.
    if (d.slice(8) === "01") d = addDays(d, 26);
  }
  const latest = await storage.healthScores.latestDate(ws, asOf);
  if (latest !== null && latest >= from) dates.add(latest);
  const out: ChurnHealthDetail[] = [];
  for (const date of [...dates].sort()) {
    const records = await storage.healthScores.onDate(ws, date);
    if (records.length === 0) continue;
    const read = await readBreakdowns(
      storage,
      ws,
      records.map((r) => r.breakdown),
    );
    records.forEach((r, i) => {
      const b = read[i];
      const dim = (key: string) => b?.score.dimensions.find((d) => d.key === key)?.score ?? null;
      out.push({
        accountId: r.accountId,
        date: r.date,
        people: dim("people"),
        product: dim("product"),
        money: dim("money"),
      });
    });
  }
  return out;
}
