import { TenureError } from "../../errors";
import { firstDayOfMonth, monthFromIndex, monthIndex } from "../../month";
import { classifyMovement, MOVE_EXPANSION } from "../../revenue/movements";
import { MRR_EPSILON } from "../../revenue/mrr-matrix";
import type { IsoDate, Month, Subscription } from "../../types";
import type { DataRow } from "../ml/table";
import type {
  AccountUserDay,
  ChurnDataset,
  ChurnDatasetOptions,
  ChurnInputs,
  ChurnRow,
  ChurnTimelineEntry,
  PredictionTarget,
} from "./types";

/** Feature columns, in model order (see docs in `featuresAt`). */
export const CHURN_FEATURES = [
  "mrr",
  "mrrTrend3m",
  "tenureMonths",
  "plan",
  "billingInterval",
  "discountPct",
  "seats",
  "products",
  "tier",
  "segment",
  "activeUsers28d",
  "activeUsersPrev28d",
  "activeUsersTrend",
  "usageTrend",
  "breadth",
  "seatUtilisation",
  "quotaPace",
  "daysSinceLastUsage",
  "healthScore",
  "healthScoreChange30d",
  "healthPeople",
  "healthProduct",
  "healthMoney",
  "openRiskSignals",
  "tickets90d",
  "npsScore",
  "contacts",
  "keyRoleCoverage",
  "touches90d",
  "daysSinceLastTouch",
] as const;

/**
 * Features whose push may only go one way, all else equal (+1: a higher value never lowers the
 * probability; −1: never raises it). The models are trained under these constraints, so e.g. more
 * days without use can never make an account look safer.
 */
export const MONOTONE_FEATURES: Record<PredictionTarget, Readonly<Record<string, number>>> = {
  churn: {
    daysSinceLastUsage: 1,
    activeUsers28d: -1,
    activeUsersTrend: -1,
    usageTrend: -1,
    breadth: -1,
    healthScore: -1,
    healthPeople: -1,
    healthProduct: -1,
    healthMoney: -1,
    npsScore: -1,
    openRiskSignals: 1,
  },
  expansion: { daysSinceLastUsage: -1, seatUtilisation: 1 },
};

const KEY_ROLES = ["champion", "decision_maker", "admin"];
const TOUCHES = new Set(["note", "call", "meeting", "email"]);
const DAY_MS = 86_400_000;
const USAGE_WINDOW = 28;

/** Days since 1970-01-01 of an ISO date or timestamp (its UTC day). */
const dayNumber = (date: string) => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);

/** Sorted day numbers with parallel values, for window sums by binary search. */
interface Series {
  days: Int32Array;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

/** Index of the first element ≥ day. */
function lowerBound(days: Int32Array, day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toSeries<T>(items: T[], day: (t: T) => number, a: (t: T) => number, b = a, c = a): Series {
  const keyed = items.map((t) => ({ t, d: day(t) })).sort((x, y) => x.d - y.d);
  return {
    days: Int32Array.from(keyed, (k) => k.d),
    a: Float64Array.from(keyed, (k) => a(k.t)),
    b: Float64Array.from(keyed, (k) => b(k.t)),
    c: Float64Array.from(keyed, (k) => c(k.t)),
  };
}

const EMPTY: Series = {
  days: new Int32Array(0),
  a: new Float64Array(0),
  b: new Float64Array(0),
  c: new Float64Array(0),
};

function group<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const USER_BITS = 2 ** 21;

/**
 * Active user-days grouped by account into day-sorted series (`a` = the user's index in the account),
 * in one pass over millions of rows: no object per row, each distinct day string parsed once.
 */
function indexUserDays(rows: readonly AccountUserDay[]): Map<string, { series: Series; users: number }> {
  const days = new Map<string, number>();
  const byAccount = new Map<string, { keys: Map<string, number>; packed: number[] }>();
  for (const u of rows) {
    let e = byAccount.get(u.accountId);
    if (e === undefined) {
      e = { keys: new Map(), packed: [] };
      byAccount.set(u.accountId, e);
    }
    let k = e.keys.get(u.userKey);
    if (k === undefined) {
      k = e.keys.size;
      e.keys.set(u.userKey, k);
    }
    let d = days.get(u.day);
    if (d === undefined) {
      d = dayNumber(u.day);
      days.set(u.day, d);
    }
    // Day and user packed in one float (exact below 2^53), so a typed sort orders by day.
    e.packed.push(d * USER_BITS + k);
  }
  const out = new Map<string, { series: Series; users: number }>();
  for (const [id, e] of byAccount) {
    const packed = Float64Array.from(e.packed).sort();
    const n = packed.length;
    const series: Series = {
      days: new Int32Array(n),
      a: new Float64Array(n),
      b: new Float64Array(0),
      c: new Float64Array(0),
    };
    for (let i = 0; i < n; i++) {
      const d = Math.floor(packed[i]! / USER_BITS);
      series.days[i] = d;
      series.a[i] = packed[i]! - d * USER_BITS;
    }
    out.set(id, { series, users: e.keys.size });
  }
  return out;
}

interface AccountContext {
  id: string;
  tier: string | null;
  segment: string | null;
  row: number | undefined;
  subs: Subscription[];
  usage: Series;
  tickets: Series;
  touches: Series;
  nps: Series;
  health: Series;
  /** Dimension scores (a people, b product, c money) by scored day. */
  dims: Series;
  /** Active users by day (`a` = index of the user within the account), for distinct counts. */
  users: Series;
  userCount: number;
  signals: { opened: number; resolved: number }[];
  contacts: number;
  keyRoleCoverage: number | null;
}

/** Per-account indexes of the inputs, built once for every prediction date. */
export interface ChurnIndex {
  inputs: ChurnInputs;
  accounts: AccountContext[];
  firstMonth: number;
}

/** Groups and sorts the inputs by account (one pass each). */
export function indexChurnInputs(inputs: ChurnInputs): ChurnIndex {
  const matrixRow = new Map(inputs.matrix.accountIds.map((id, i) => [id, i]));
  const subs = group(inputs.subscriptions, (s) => s.accountId);
  const usage = group(inputs.usage, (u) => u.accountId);
  const timeline = group(inputs.timeline, (e) => e.accountId);
  const health = group(
    inputs.health.filter((h) => h.score !== null),
    (h) => h.accountId,
  );
  const contacts = group(inputs.contacts, (c) => c.accountId);
  const userDays = indexUserDays(inputs.userDays ?? []);
  const details = group(inputs.healthDetails ?? [], (d) => d.accountId);
  const signals = group(
    (inputs.signals ?? []).filter((s) => s.kind === "risk"),
    (s) => s.accountId,
  );
  const ofType = (list: ChurnTimelineEntry[] | undefined, pick: (e: ChurnTimelineEntry) => boolean) =>
    (list ?? []).filter(pick);
  const accounts = inputs.accounts.map((acc): AccountContext => {
    const tl = timeline.get(acc.id);
    const cs = contacts.get(acc.id) ?? [];
    const roles = new Set(cs.map((c) => c.role));
    const nps = ofType(tl, (e) => e.type === "nps" && Number.isFinite(Number(e.data.score)));
    const ud = userDays.get(acc.id);
    return {
      id: acc.id,
      tier: acc.tier,
      segment: acc.segment,
      row: matrixRow.get(acc.id),
      subs: (subs.get(acc.id) ?? []).filter((s) => !s.trial && s.amount > 0),
      usage: toSeries(
        usage.get(acc.id) ?? [],
        (u) => dayNumber(u.day),
        (u) => u.activeUsers,
        (u) => u.events,
        (u) => u.departments,
      ),
      tickets: toSeries(
        ofType(tl, (e) => e.type === "ticket"),
        (e) => dayNumber(e.occurredAt),
        () => 1,
      ),
      touches: toSeries(
        ofType(tl, (e) => TOUCHES.has(e.type)),
        (e) => dayNumber(e.occurredAt),
        () => 1,
      ),
      nps: nps.length
        ? toSeries(
            nps,
            (e) => dayNumber(e.occurredAt),
            (e) => Number(e.data.score),
          )
        : EMPTY,
      health: toSeries(
        health.get(acc.id) ?? [],
        (h) => dayNumber(h.date),
        (h) => h.score ?? 0,
      ),
      users: ud?.series ?? EMPTY,
      userCount: ud?.users ?? 0,
      dims: toSeries(
        details.get(acc.id) ?? [],
        (d) => dayNumber(d.date),
        (d) => d.people ?? Number.NaN,
        (d) => d.product ?? Number.NaN,
        (d) => d.money ?? Number.NaN,
      ),
      signals: (signals.get(acc.id) ?? []).map((x) => ({
        opened: dayNumber(x.openedAt),
        resolved: x.resolvedAt === null ? Number.POSITIVE_INFINITY : dayNumber(x.resolvedAt),
      })),
      contacts: cs.length,
      keyRoleCoverage: cs.length
        ? KEY_ROLES.filter((r) => roles.has(r as never)).length / KEY_ROLES.length
        : null,
    };
  });
  const first = inputs.matrix.months[0];
  return { inputs, accounts, firstMonth: first === undefined ? 0 : monthIndex(first) };
}

const monthsOf = (interval: Subscription["interval"]) =>
  interval === "year" ? 12 : interval === "quarter" ? 3 : 1;

/** Matrix MRR of an account at a month index (0 outside the matrix). */
function mrrAt(index: ChurnIndex, ctx: AccountContext, month: number): number {
  const m = index.inputs.matrix.months.length;
  const col = month - index.firstMonth;
  if (ctx.row === undefined || col < 0 || col >= m) return 0;
  return index.inputs.matrix.values[ctx.row * m + col] ?? 0;
}

function sumIn(s: Series, from: number, to: number, which: "a" | "b" | "c" = "a"): number {
  const i0 = lowerBound(s.days, from);
  const i1 = lowerBound(s.days, to);
  let sum = 0;
  const v = s[which];
  for (let i = i0; i < i1; i++) sum += v[i]!;
  return sum;
}

function maxIn(s: Series, from: number, to: number, which: "a" | "c"): number {
  const i0 = lowerBound(s.days, from);
  const i1 = lowerBound(s.days, to);
  let max = 0;
  const v = s[which];
  for (let i = i0; i < i1; i++) if (v[i]! > max) max = v[i]!;
  return max;
}

/** Distinct users active in [from, to) (each entry's `a` is a user index below `count`). */
function distinctUsers(s: Series, count: number, from: number, to: number, seen: Int32Array, stamp: number) {
  const i0 = lowerBound(s.days, from);
  const i1 = lowerBound(s.days, to);
  let n = 0;
  for (let i = i0; i < i1; i++) {
    const u = s.a[i]!;
    if (u < count && seen[u] !== stamp) {
      seen[u] = stamp;
      n++;
    }
  }
  return n;
}

let seenUsers = new Int32Array(1024);
let seenStamp = 0;

/** Distinct active users in [from, to): from user-days when loaded, else the window's busiest day. */
function activeUsersIn(ctx: AccountContext, from: number, to: number): number {
  if (ctx.userCount === 0) return maxIn(ctx.usage, from, to, "a");
  if (seenUsers.length < ctx.userCount) seenUsers = new Int32Array(ctx.userCount * 2);
  if (++seenStamp > 2_000_000_000) {
    seenUsers.fill(0);
    seenStamp = 1;
  }
  return distinctUsers(ctx.users, ctx.userCount, from, to, seenUsers, seenStamp);
}

/** The last value strictly before `day`, and its day; null when none. */
function lastBefore(s: Series, day: number): { day: number; value: number } | null {
  const i = lowerBound(s.days, day) - 1;
  return i < 0 ? null : { day: s.days[i]!, value: s.a[i]! };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * Features of one account at prediction date `day` (a day number): every input dated on or after it is
 * ignored. MRR comes from the matrix month of day − 1 (its snapshot is that month's last day, or asOf).
 */
function featuresAt(index: ChurnIndex, ctx: AccountContext, day: number, prevMonth: number): DataRow {
  const before = day - 1;
  const beforeIso = new Date(before * DAY_MS).toISOString().slice(0, 10);
  const mrr = mrrAt(index, ctx, prevMonth);
  const mrr3 = mrrAt(index, ctx, prevMonth - 3);
  let firstPaid = -1;
  for (let m = index.firstMonth; m <= prevMonth; m++) {
    if (mrrAt(index, ctx, m) > MRR_EPSILON) {
      firstPaid = m;
      break;
    }
  }
  // Current paying subscriptions at the day before the prediction date.
  let seats = 0;
  let weight = 0;
  let discount = 0;
  let top: Subscription | null = null;
  let topWeight = -1;
  const plans = new Set<string>();
  for (const s of ctx.subs) {
    if (s.startDate > beforeIso || (s.endDate !== null && s.endDate <= beforeIso)) continue;
    const w = (s.amount * s.quantity) / monthsOf(s.interval);
    seats += s.quantity;
    weight += w;
    discount += w * s.discountPct;
    plans.add(s.plan);
    if (w > topWeight) {
      topWeight = w;
      top = s;
    }
  }
  const licensed = seats > 1 ? seats : null;
  const u = ctx.usage;
  const from = day - USAGE_WINDOW;
  const prevFrom = day - 2 * USAGE_WINDOW;
  const hasUsage = u.days.length > 0 && u.days[0]! < day;
  const users28 = hasUsage ? activeUsersIn(ctx, from, day) : null;
  const usersPrev = hasUsage ? activeUsersIn(ctx, prevFrom, from) : null;
  const events28 = hasUsage ? sumIn(u, from, day, "b") : null;
  const eventsPrev = hasUsage ? sumIn(u, prevFrom, from, "b") : null;
  // The latest scored day before the prediction date (NaN: the dimension had no data that day).
  const di = lowerBound(ctx.dims.days, day) - 1;
  const dim = (v: Float64Array) => (di < 0 || Number.isNaN(v[di]!) ? null : v[di]!);
  let openSignals = 0;
  for (const x of ctx.signals) if (x.opened < day && x.resolved >= day) openSignals++;
  const lastUsage = lastBefore(u, day);
  const health = lastBefore(ctx.health, day);
  const health30 = lastBefore(ctx.health, day - 30);
  const nps = lastBefore(ctx.nps, day);
  const touch = lastBefore(ctx.touches, day);
  return {
    mrr,
    mrrTrend3m: ratio(mrr, mrr3),
    tenureMonths: firstPaid < 0 ? 0 : prevMonth - firstPaid + 1,
    plan: top?.plan ?? null,
    billingInterval: top?.interval ?? null,
    discountPct: weight > 0 ? discount / weight : null,
    seats: licensed,
    products: plans.size,
    tier: ctx.tier,
    segment: ctx.segment,
    activeUsers28d: users28,
    activeUsersPrev28d: usersPrev,
    activeUsersTrend: users28 !== null && usersPrev !== null ? ratio(users28, usersPrev) : null,
    usageTrend: events28 !== null && eventsPrev !== null ? ratio(events28, eventsPrev) : null,
    breadth: hasUsage ? maxIn(u, from, day, "c") : null,
    seatUtilisation: licensed !== null && users28 !== null ? users28 / licensed : null,
    quotaPace: licensed !== null && events28 !== null ? events28 / licensed : null,
    daysSinceLastUsage: lastUsage === null ? null : day - lastUsage.day,
    healthScore: health?.value ?? null,
    healthScoreChange30d: health !== null && health30 !== null ? health.value - health30.value : null,
    healthPeople: dim(ctx.dims.a),
    healthProduct: dim(ctx.dims.b),
    healthMoney: dim(ctx.dims.c),
    openRiskSignals: openSignals,
    tickets90d: sumIn(ctx.tickets, day - 90, day),
    npsScore: nps?.value ?? null,
    contacts: ctx.contacts,
    keyRoleCoverage: ctx.keyRoleCoverage,
    touches90d: sumIn(ctx.touches, day - 90, day),
    daysSinceLastTouch: touch === null ? null : day - touch.day,
  };
}

/** Label of an account predicted at `month`: churn = MRR reaches 0, expansion = an expansion movement. */
function labelOf(
  index: ChurnIndex,
  ctx: AccountContext,
  month: number,
  horizonMonths: number,
  target: PredictionTarget,
): number {
  let prev = mrrAt(index, ctx, month - 1);
  for (let m = month; m < month + horizonMonths; m++) {
    const cur = mrrAt(index, ctx, m);
    if (target === "churn" && cur <= MRR_EPSILON) return 1;
    if (target === "expansion" && classifyMovement(prev, cur, true) === MOVE_EXPANSION) return 1;
    prev = cur;
  }
  return 0;
}

/** Whole matrix months a horizon in days covers (90 → 3). */
export const horizonMonthsOf = (days: number) => Math.max(1, Math.ceil(days / 30));

/**
 * One row per account paying on the day before each prediction month's first day, with features from
 * data strictly before that day and the label from the MRR matrix (null when the horizon passes
 * `labelUntil`). Pass an index from `indexChurnInputs` to reuse it across calls.
 */
export function buildChurnDataset(
  inputs: ChurnInputs | ChurnIndex,
  options: ChurnDatasetOptions,
): ChurnDataset {
  const index = "accounts" in inputs && "firstMonth" in inputs ? inputs : indexChurnInputs(inputs);
  const horizonDays = options.horizonDays ?? 90;
  if (!(horizonDays > 0)) throw new TenureError("validation", "horizonDays must be positive");
  const horizonMonths = horizonMonthsOf(horizonDays);
  const last = index.inputs.matrix.months.at(-1);
  const labelUntil = options.labelUntil ?? last;
  const labelEnd = labelUntil === undefined ? -1 : monthIndex(labelUntil);
  const rows: ChurnRow[] = [];
  for (const month of options.months) {
    const mi = monthIndex(month);
    const day = dayNumber(firstDayOfMonth(month));
    const known = mi + horizonMonths - 1 <= labelEnd;
    for (const ctx of index.accounts) {
      if (mrrAt(index, ctx, mi - 1) <= MRR_EPSILON) continue;
      rows.push({
        accountId: ctx.id,
        month,
        features: featuresAt(index, ctx, day, mi - 1),
        label: known ? labelOf(index, ctx, mi, horizonMonths, options.target) : null,
      });
    }
  }
  return { target: options.target, horizonDays, horizonMonths, features: [...CHURN_FEATURES], rows };
}

/**
 * Unlabelled rows for scoring at `asOf`: every account paying at asOf, features from data through
 * asOf (the prediction date is the day after).
 */
export function buildScoringRows(inputs: ChurnInputs | ChurnIndex, asOf: IsoDate): ChurnRow[] {
  const index = "accounts" in inputs && "firstMonth" in inputs ? inputs : indexChurnInputs(inputs);
  const day = dayNumber(asOf) + 1;
  const prevMonth = monthIndex(asOf);
  const month: Month = monthFromIndex(prevMonth);
  const rows: ChurnRow[] = [];
  for (const ctx of index.accounts) {
    if (mrrAt(index, ctx, prevMonth) <= MRR_EPSILON) continue;
    rows.push({ accountId: ctx.id, month, features: featuresAt(index, ctx, day, prevMonth), label: null });
  }
  return rows;
}

/** What a CSM watches of one account at asOf, from the same definitions as the model's features. */
export interface AccountFacts {
  accountId: string;
  /** MRR of asOf's month in the matrix (0 when the account does not pay). */
  mrr: number;
  /** Distinct users active in the 28 days through asOf (null without any usage before). */
  activeUsers28d: number | null;
  /** Days from the last day with usage to the day after asOf (null without any usage). */
  daysSinceLastActivity: number | null;
  /** The latest stored health score on or before asOf. */
  healthScore: number | null;
}

/** Facts of every account at asOf (paying or not), e.g. for `tenure predict list`. */
export function accountFactsAt(inputs: ChurnInputs | ChurnIndex, asOf: IsoDate): AccountFacts[] {
  const index = "accounts" in inputs && "firstMonth" in inputs ? inputs : indexChurnInputs(inputs);
  const day = dayNumber(asOf) + 1;
  const prevMonth = monthIndex(asOf);
  return index.accounts.map((ctx) => {
    const f = featuresAt(index, ctx, day, prevMonth);
    const n = (v: unknown) => (typeof v === "number" ? v : null);
    return {
      accountId: ctx.id,
      mrr: mrrAt(index, ctx, prevMonth),
      activeUsers28d: n(f.activeUsers28d),
      daysSinceLastActivity: n(f.daysSinceLastUsage),
      healthScore: n(f.healthScore),
    };
  });
}
