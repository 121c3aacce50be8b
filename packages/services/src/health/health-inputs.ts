import {
  type Account,
  buildMrrMatrix,
  type Contact,
  type MrrMatrix,
  monthIndex,
  type Subscription,
} from "@tenure/core";
import type {
  AccountRange,
  EntitlementConsumption,
  HealthScorePoint,
  ReconcileSignal,
  Storage,
  TimelineEntryRecord,
  UsageWindow,
  UserUsageColumns,
} from "@tenure/storage";
import { type AccountUsage, foldAccountUsage } from "./account-usage";
import { addDays, dayNumber } from "./days";
import { afterTurns, nextTurn } from "./turns";

/** Timeline types that count as a touch (an interaction with the customer). */
export const TOUCH_TYPES = ["note", "call", "meeting", "email"] as const;

/** Weeks of usage history the metrics and signals read (12: two 4-week windows plus slack). */
export const USAGE_WEEKS = 12;

/** Events excluded when key events are inferred (navigation, not features). */
const NOT_FEATURES = new Set(["page", "screen", "login", "logged in", "signed in", "session started"]);

/** Everything a recompute needs, loaded once and indexed by account. */
export interface HealthInputs {
  asOf: string;
  asOfDay: number;
  accounts: Account[];
  contacts: Map<string, Contact[]>;
  subscriptions: Map<string, Subscription[]>;
  matrix: MrrMatrix;
  /** Row of each account in the matrix. */
  matrixRow: Map<string, number>;
  /** Column of the asOf month in the matrix (may be past the last column). */
  asOfColumn: number;
  /** Product usage per account with tracked users (absent: no tracked user). */
  usage: Map<string, AccountUsage>;
  keyEvents: string[];
  /** Latest touch (contact lastTouchAt or a touch entry) per account, ISO date or timestamp. */
  lastTouch: Map<string, string>;
  tickets: Map<string, TimelineEntryRecord[]>;
  nps: Map<string, TimelineEntryRecord[]>;
  /** True when the workspace has any ticket: then "no tickets" is 0, not "no data". */
  hasTickets: boolean;
  /** Latest manual stage change per account (ISO timestamp). */
  lastManualStage: Map<string, string>;
  /** Stored health points of the last 14 days through asOf, oldest first. */
  history: Map<string, HealthScorePoint[]>;
  /** Live and recently resolved signals per account. */
  signals: Map<string, ReconcileSignal[]>;
  /** Entitlements whose term contains asOf, with their consumption, per account. */
  entitlements: Map<string, EntitlementConsumption[]>;
}

export interface LoadInputsOptions {
  asOf: string;
  reportingCurrency: string;
  /** Key feature events; default: the 5 most used non-navigation events of the last 30 days. */
  keyEvents?: readonly string[];
  /** Resolved signals younger than this are loaded for reconciliation (default 30 days). */
  resolvedLookbackDays?: number;
  /** Only the accounts in this id range (default: every account of the workspace). */
  range?: AccountRange;
  /** The workspace's current allowances with their consumption, when already loaded (else read here). */
  entitlements?: readonly EntitlementConsumption[];
  /** Whether the workspace has any ticket (default: read from the loaded tickets, right only unranged). */
  hasTickets?: boolean;
  /** The range's usage read for `usageWindow(asOf, keyEvents)`, when already started (else read here). */
  usage?: Promise<UserUsageColumns>;
}

/** The usage window a recompute at `asOf` reads: USAGE_WEEKS weekly buckets ending on asOf, 30 recent days. */
export function usageWindow(asOf: string, keyEvents: readonly string[]): UsageWindow {
  const weekStarts = Array.from({ length: USAGE_WEEKS }, (_, w) =>
    addDays(asOf, -7 * (USAGE_WEEKS - 1 - w) - 6),
  );
  return { to: asOf, weekStarts, recentFrom: addDays(asOf, -29), keyEvents: [...keyEvents] };
}

/**
 * The workspace's key feature events at asOf: the 5 most used non-navigation events of the last 30 days,
 * summed one day at a time so that no single query holds the database (or the event loop) for long.
 */
export async function inferKeyEvents(storage: Storage, ws: string, asOf: string): Promise<string[]> {
  const totals = new Map<string, number>();
  for (let d = -29; d <= 0; d++) {
    const day = addDays(asOf, d);
    for (const e of await storage.healthScores.eventTotals(ws, day, day))
      totals.set(e.event, (totals.get(e.event) ?? 0) + e.count);
    await nextTurn();
  }
  return [...totals]
    .map(([event, count]) => ({ event, count }))
    .sort((a, b) => b.count - a.count || a.event.localeCompare(b.event))
    .filter((e) => !NOT_FEATURES.has(e.event.toLowerCase()))
    .slice(0, 5)
    .map((e) => e.event);
}

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

/**
 * Loads every input of a health recompute for the accounts in `opts.range` (all by default) in a fixed
 * number of bulk queries on account_id indexes (no per-account reads).
 */
export async function loadHealthInputs(
  storage: Storage,
  ws: string,
  opts: LoadInputsOptions,
): Promise<HealthInputs> {
  const { asOf, range } = opts;
  const asOfDay = dayNumber(asOf);
  const keyEventsPromise = opts.keyEvents
    ? Promise.resolve([...opts.keyEvents])
    : inferKeyEvents(storage, ws, asOf);
  const [
    accounts,
    contacts,
    subscriptions,
    rates,
    keyEvents,
    lastTouchEntries,
    ticketEntries,
    npsEntries,
    stageEntries,
    points,
    signals,
    entitlements,
  ] = await Promise.all([
    storage.accounts.list(ws, range),
    afterTurns(1, () => storage.contacts.list(ws, range)),
    afterTurns(2, () => storage.subscriptions.listUnordered(ws, range)),
    afterTurns(3, () => storage.exchangeRates.list(ws)),
    keyEventsPromise,
    afterTurns(4, () => storage.timeline.lastByAccount(ws, TOUCH_TYPES, range)),
    afterTurns(5, () => storage.timeline.listByTypes(ws, ["ticket"], null, range)),
    afterTurns(6, () => storage.timeline.listByTypes(ws, ["nps"], null, range)),
    afterTurns(7, () =>
      storage.timeline.listByTypes(ws, ["stage_change"], `${addDays(asOf, -90)}T00:00:00.000Z`, range),
    ),
    afterTurns(8, () => storage.healthScores.points(ws, addDays(asOf, -14), asOf, range)),
    afterTurns(9, () =>
      storage.signals.listForReconcile(ws, addDays(asOf, -(opts.resolvedLookbackDays ?? 30)), range),
    ),
    opts.entitlements
      ? Promise.resolve([...opts.entitlements])
      : afterTurns(10, () => storage.entitlements.currentConsumption(ws, asOf)),
  ]);
  await nextTurn();
  const usageColumns = await (opts.usage ??
    storage.healthUsage.userUsage(ws, usageWindow(asOf, keyEvents), range));
  const usage = foldAccountUsage(usageColumns, asOf, USAGE_WEEKS);

  const matrix = buildMrrMatrix(subscriptions, rates, { reportingCurrency: opts.reportingCurrency, asOf });
  const matrixRow = new Map(matrix.accountIds.map((id, i) => [id, i]));
  const first = matrix.months[0];
  const asOfColumn = first === undefined ? -1 : monthIndex(asOf) - monthIndex(first);

  const lastTouch = new Map(lastTouchEntries);
  for (const c of contacts) {
    if (c.lastTouchAt === null) continue;
    const prev = lastTouch.get(c.accountId);
    if (prev === undefined || c.lastTouchAt.slice(0, 10) > prev.slice(0, 10))
      lastTouch.set(c.accountId, c.lastTouchAt);
  }
  const lastManualStage = new Map<string, string>();
  for (const e of stageEntries) {
    if (e.data.source === "manual" && e.occurredAt.slice(0, 10) <= asOf)
      lastManualStage.set(e.accountId, e.occurredAt);
  }
  const asOfEnd = `${asOf}T23:59:59.999Z`;
  const upTo = (e: TimelineEntryRecord) => e.occurredAt <= asOfEnd;

  return {
    asOf,
    asOfDay,
    accounts,
    contacts: group(contacts, (c) => c.accountId),
    subscriptions: group(subscriptions, (s) => s.accountId),
    matrix,
    matrixRow,
    asOfColumn,
    usage,
    keyEvents,
    lastTouch,
    tickets: group(ticketEntries.filter(upTo), (e) => e.accountId),
    nps: group(npsEntries.filter(upTo), (e) => e.accountId),
    hasTickets: opts.hasTickets ?? ticketEntries.length > 0,
    lastManualStage,
    history: group(points, (p) => p.accountId),
    signals: group(signals, (s) => s.accountId),
    entitlements: group(entitlements, (e) => e.accountId),
  };
}
