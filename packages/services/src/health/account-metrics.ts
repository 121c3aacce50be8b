import { type Account, type MetricValues, MRR_EPSILON, type Subscription } from "@tenure/core";
import { type AccountUsage, emptyUsage } from "./account-usage";
import { addMonthsToDate, dayNumber } from "./days";
import { type HealthInputs, USAGE_WEEKS } from "./health-inputs";

/** Roles whose coverage `keyRoleCoverage` measures. */
export const KEY_ROLES = ["champion", "decision_maker", "admin"] as const;

const CLOSED_TICKET = new Set(["closed", "solved", "resolved", "done"]);
const URGENT = new Set(["urgent", "high", "critical"]);

/** What the recompute knows about one account at asOf, besides its metric values. */
export interface AccountFacts {
  metrics: MetricValues;
  mrr: number;
  licensedSeats: number | null;
  renewalDate: string | null;
  contractEnd: string | null;
  firstPaidDate: string | null;
  /** Any MRR increase of a paying account in the last 3 months. */
  recentExpansion: boolean;
  everPaid: boolean;
  hasUsageData: boolean;
  lastActivityAt: string | null;
  weeklyActiveUsers: number[];
  weeklyActiveDepartments: number[];
  weeklyEvents: number[];
  ticketsPerWeek: number[];
  newStakeholders: AccountUsage["newStakeholders"];
  newDepartments: AccountUsage["newDepartments"];
}

const isPaying = (s: Subscription) => !s.trial && s.amount > 0;
const isCurrent = (s: Subscription, asOf: string) =>
  s.startDate <= asOf && (s.endDate === null || s.endDate > asOf);
const months = (interval: Subscription["interval"]) =>
  interval === "year" ? 12 : interval === "quarter" ? 3 : 1;

/** Next renewal of one current subscription: its end date, or the next yearly anniversary when open-ended. */
function renewalOf(s: Subscription, asOf: string): string | null {
  if (s.endDate !== null) return s.endDate;
  if (s.interval !== "year") return null;
  let k = 1;
  let next = addMonthsToDate(s.startDate, 12);
  while (next <= asOf && k < 200) next = addMonthsToDate(s.startDate, 12 * ++k);
  return next;
}

const dateOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * Metric values and facts of one account from preloaded inputs (see docs/health.md for each metric's
 * definition). Pure: reads only `inputs`.
 */
export function computeAccountFacts(inputs: HealthInputs, account: Account): AccountFacts {
  const { asOf, asOfDay } = inputs;
  const id = account.id;
  const metrics: MetricValues = {};

  // People: roles and touches.
  const contacts = inputs.contacts.get(id) ?? [];
  if (contacts.length > 0) {
    // Someone who has left the customer company no longer covers a role.
    const roles = new Set(
      contacts.filter((c) => c.leftAt === null || c.leftAt > inputs.asOf).map((c) => c.role),
    );
    metrics.keyRoleCoverage = KEY_ROLES.filter((r) => roles.has(r)).length / KEY_ROLES.length;
    metrics.championPresent = roles.has("champion") ? 1 : 0;
  }
  const touch = inputs.lastTouch.get(id);
  if (touch !== undefined) metrics.daysSinceLastTouch = Math.max(0, asOfDay - dayNumber(touch));

  // Product usage: folded per account from SQL aggregates when the inputs were loaded.
  const weeks = USAGE_WEEKS;
  const usage = inputs.usage.get(id) ?? emptyUsage(weeks);
  const {
    lastDay,
    weeklyActiveUsers,
    weeklyActiveDepartments,
    weeklyEvents,
    newStakeholders,
    newDepartments,
  } = usage;
  const hasUsageData = lastDay !== null;
  if (hasUsageData) {
    // "Active users" has one definition everywhere (health, seats, account page, models): 28 days.
    metrics.activeUsers30d = usage.recent28;
    metrics.activeUsersTrend = usage.previous28 > 0 ? usage.recent28 / usage.previous28 : null;
    metrics.activeDepartments = usage.departments > 0 ? usage.activeDepartments30 : null;
    metrics.daysSinceLastLogin = asOfDay - lastDay;
    if (inputs.keyEvents.length > 0)
      metrics.keyFeatureAdoption = usage.keyEventsUsed / inputs.keyEvents.length;
  }

  // Money: current paying subscriptions.
  const subs = inputs.subscriptions.get(id) ?? [];
  let seats = 0;
  let weightSum = 0;
  let discountSum = 0;
  let renewalDate: string | null = null;
  let contractEnd: string | null = null;
  let firstPaidDate: string | null = null;
  for (const s of subs) {
    if (!isPaying(s)) continue;
    if (firstPaidDate === null || s.startDate < firstPaidDate) firstPaidDate = s.startDate;
    if (!isCurrent(s, asOf)) continue;
    seats += s.quantity;
    const w = (s.amount * s.quantity) / months(s.interval);
    weightSum += w;
    discountSum += w * s.discountPct;
    const r = renewalOf(s, asOf);
    if (r !== null && (renewalDate === null || r < renewalDate)) renewalDate = r;
    if (s.endDate !== null && (contractEnd === null || s.endDate < contractEnd)) contractEnd = s.endDate;
  }
  if (firstPaidDate !== null && firstPaidDate > asOf) firstPaidDate = null;
  // A single unit is a flat plan, not a seat licence.
  const licensedSeats = seats > 1 ? seats : null;
  if (licensedSeats !== null && hasUsageData) metrics.seatUtilisation = usage.recent28 / licensedSeats;
  // Rounded: a weighted mean of whole percentages should not read 99.99999999999999.
  if (weightSum > 0) metrics.discountPct = Math.round((discountSum / weightSum) * 100) / 100;
  if (renewalDate !== null) metrics.daysToRenewal = dayNumber(renewalDate) - asOfDay;

  const row = inputs.matrixRow.get(id);
  const m = inputs.matrix.months.length;
  const at = (col: number): number => {
    if (row === undefined || col < 0) return 0;
    const c = Math.min(col, m - 1);
    return inputs.matrix.values[row * m + c] ?? 0;
  };
  const col = inputs.asOfColumn;
  const mrr = col >= m ? 0 : at(col);
  const mrr3 = at(col - 3);
  if (mrr3 > MRR_EPSILON) metrics.mrrTrend3m = mrr / mrr3;
  let recentExpansion = false;
  for (let c = col - 2; c <= col && c < m; c++) {
    if (c >= 1 && at(c - 1) > MRR_EPSILON && at(c) > at(c - 1) + 0.005) recentExpansion = true;
  }
  let everPaid = false;
  if (row !== undefined)
    for (let c = 0; c <= Math.min(col, m - 1); c++) if (at(c) > MRR_EPSILON) everPaid = true;

  // Tickets and NPS from the timeline.
  const tickets = inputs.tickets.get(id) ?? [];
  const ticketsPerWeek = new Array<number>(weeks).fill(0);
  let last30 = 0;
  let urgentOpen = 0;
  let billing90 = 0;
  for (const t of tickets) {
    const offset = asOfDay - dayNumber(t.occurredAt);
    if (offset < 0) continue;
    if (offset < 30) last30++;
    if (offset < weeks * 7) {
      const w = weeks - 1 - Math.floor(offset / 7);
      ticketsPerWeek[w] = (ticketsPerWeek[w] as number) + 1;
    }
    const status = String(t.data.status ?? "open").toLowerCase();
    if (!CLOSED_TICKET.has(status) && URGENT.has(String(t.data.priority ?? "").toLowerCase())) urgentOpen++;
    if (offset < 90 && String(t.data.category ?? "").toLowerCase() === "billing") billing90++;
  }
  if (inputs.hasTickets) {
    metrics.ticketsLast30d = last30;
    metrics.openUrgentTickets = urgentOpen;
    metrics.paymentIssues90d = billing90;
  }
  const nps = npsAnswers(inputs, id);
  if (nps.length > 0) {
    const latest = new Map<string, number>();
    for (const a of nps) latest.set(a.contactId ?? a.id, a.score); // oldest first: the last answer wins
    metrics.npsScore = [...latest.values()].reduce((s, x) => s + x, 0) / latest.size;
  }

  const touchDate = touch === undefined ? null : touch.slice(0, 10);
  const usageDate = lastDay === null ? null : dateOf(lastDay);
  // ISO dates compare as strings: the later of the last touch and the last usage day.
  const dates = [touchDate, usageDate].filter((d): d is string => d !== null).sort();
  const lastActivityAt = dates.at(-1) ?? null;

  return {
    metrics,
    mrr,
    licensedSeats,
    renewalDate,
    contractEnd,
    firstPaidDate,
    recentExpansion,
    everPaid,
    hasUsageData,
    lastActivityAt: lastActivityAt !== null && lastActivityAt > asOf ? asOf : lastActivityAt,
    weeklyActiveUsers,
    weeklyActiveDepartments,
    weeklyEvents,
    ticketsPerWeek,
    newStakeholders,
    newDepartments,
  };
}

/** The account's NPS answers (0-10) up to asOf, oldest first. */
export function npsAnswers(
  inputs: HealthInputs,
  accountId: string,
): { id: string; date: string; score: number; contactId: string | null }[] {
  const out: { id: string; date: string; score: number; contactId: string | null }[] = [];
  for (const e of inputs.nps.get(accountId) ?? []) {
    const score = Number(e.data.score);
    if (!Number.isFinite(score)) continue;
    out.push({
      id: e.id,
      date: e.occurredAt.slice(0, 10),
      score,
      contactId: typeof e.data.contactId === "string" ? e.data.contactId : null,
    });
  }
  return out;
}

/** Renewal date and licensed seats (null below 2) of an account's current paying subscriptions. */
export function subscriptionTerms(
  subs: readonly Subscription[],
  asOf: string,
): { renewalDate: string | null; licensedSeats: number | null } {
  let renewalDate: string | null = null;
  let seats = 0;
  for (const s of subs) {
    if (!isPaying(s) || !isCurrent(s, asOf)) continue;
    seats += s.quantity;
    const r = renewalOf(s, asOf);
    if (r !== null && (renewalDate === null || r < renewalDate)) renewalDate = r;
  }
  return { renewalDate, licensedSeats: seats > 1 ? seats : null };
}
