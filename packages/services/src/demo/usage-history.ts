import type { Subscription } from "@tenure/core";
import type { TimelineEntryRecord, UsageRollup } from "@tenure/storage";
import { addDays, dayNumber } from "../health/days";

/** A demo product user: the same key in the history and in the recent tracking calls. */
export interface DemoUser {
  key: string;
  department: string;
  /** Chance of using the product on a weekday when the account is fully engaged. */
  activity: number;
  /** The day the person left the customer company (no usage from then on). */
  leftAt: string | null;
}

/** A stretch of paid subscription; `end` is exclusive, null while it runs. */
export interface PaidSpan {
  start: string;
  end: string | null;
}

/** The account's paid stretches (overlapping or touching subscriptions merged), oldest first. */
export function paidSpans(subs: readonly Subscription[]): PaidSpan[] {
  const paid = subs
    .filter((s) => !s.trial && s.amount > 0)
    .map((s) => ({ start: s.startDate, end: s.endDate }))
    .sort((a, b) => a.start.localeCompare(b.start));
  const out: PaidSpan[] = [];
  for (const s of paid) {
    const last = out.at(-1);
    if (last && (last.end === null || s.start <= last.end)) {
      if (last.end !== null && (s.end === null || s.end > last.end)) last.end = s.end;
    } else out.push({ ...s });
  }
  return out;
}

/** How a paid stretch that ends before asOf ends: most customers fade out first (seed 004). */
interface Ending {
  /** Days before the end when usage starts to fall. */
  declineDays: number;
  /** Days before the end with no usage at all. */
  quietDays: number;
}

const EVENTS = ["Report Run", "Dashboard Viewed", "Export", "Invite Sent", "Alert Created"] as const;

/**
 * Usage rollups of one account over [from, until): each user is active on a weekday with their own
 * chance while the account pays. Before a paid stretch ends (a churn), usage fades in most cases:
 * users stop one by one over 40-120 days and the last 10-45 days are silent, as in real SaaS; about
 * one churn in seven comes without warning (a budget cut, an acquisition). Some accounts that stay
 * have a dip of a month or two and recover, so a fall in usage is a strong sign, not a certainty.
 */
export function accountUsageHistory(
  users: readonly DemoUser[],
  spans: readonly PaidSpan[],
  window: { from: string; until: string; asOf: string },
  rnd: () => number,
): UsageRollup[] {
  const out: UsageRollup[] = [];
  const from = dayNumber(window.from);
  const until = dayNumber(window.until);
  const asOf = dayNumber(window.asOf);
  for (const span of spans) {
    const start = dayNumber(span.start);
    const end = span.end === null ? Number.POSITIVE_INFINITY : dayNumber(span.end);
    const lo = Math.max(start, from);
    const hi = Math.min(end, until);
    // Draws happen for every span (even outside the window) so the stream does not depend on it.
    const ending: Ending | null =
      span.end !== null && end <= asOf && rnd() < 6 / 7
        ? { declineDays: 40 + Math.floor(rnd() * 81), quietDays: 10 + Math.floor(rnd() * 36) }
        : null;
    const dipStart = rnd() < 0.25 ? start + 60 + Math.floor(rnd() * 600) : Number.NaN;
    const dipDays = 25 + Math.floor(rnd() * 40);
    // Each user's last day of use in a fading ending: spread over the decline, the last ones first.
    const stopAt = users.map(() =>
      ending === null
        ? Number.POSITIVE_INFINITY
        : end - ending.quietDays - Math.floor(rnd() * (ending.declineDays - ending.quietDays)),
    );
    if (lo >= hi) continue;
    for (let d = lo; d < hi; d++) {
      const weekday = (d + 4) % 7 !== 0 && (d + 4) % 7 !== 6; // day 0 (1970-01-01) was a Thursday
      let engaged = weekday ? 1 : 0.15;
      if (d - start < 30) engaged *= 0.4 + (0.6 * (d - start)) / 30;
      if (d >= dipStart && d < dipStart + dipDays) engaged *= 0.3;
      if (ending !== null && d >= end - ending.declineDays)
        engaged *= Math.max(0, (end - ending.quietDays - d) / (ending.declineDays - ending.quietDays));
      if (engaged <= 0) continue;
      const day = addDays(window.from, d - from);
      users.forEach((u, i) => {
        if (d >= stopAt[i]! || (u.leftAt !== null && day >= u.leftAt)) return;
        if (rnd() >= u.activity * engaged) return;
        out.push({
          userKey: u.key,
          day,
          event: EVENTS[Math.floor(rnd() * EVENTS.length)]!,
          count: 1 + Math.floor(rnd() * 3),
        });
      });
    }
  }
  return out;
}

const TICKETS = ["Login issue", "Export fails", "Invoice question", "Slow dashboard", "SSO setup"];
const NOTES = [
  "Quarterly check-in",
  "Discussed roadmap",
  "Training session",
  "Renewal prep",
  "Feature request",
];

/**
 * Tickets, NPS answers and CSM touches over the history window: a steady background for every paying
 * account, and before most churns the trouble that comes with fading usage (tickets pile up, NPS turns
 * detractor, touches thin out).
 */
export function accountTimelineHistory(
  account: { id: string; owner: string | null },
  contactIds: readonly string[],
  spans: readonly PaidSpan[],
  window: { from: string; until: string; asOf: string },
  rnd: () => number,
  nextId: () => string,
): TimelineEntryRecord[] {
  const out: TimelineEntryRecord[] = [];
  const from = dayNumber(window.from);
  const until = dayNumber(window.until);
  const asOf = dayNumber(window.asOf);
  const at = (d: number) =>
    `${addDays(window.from, d - from)}T${String(8 + Math.floor(rnd() * 10)).padStart(2, "0")}:00:00.000Z`;
  const entry = (
    type: TimelineEntryRecord["type"],
    d: number,
    title: string,
    data: Record<string, unknown>,
    author: string | null,
  ) =>
    out.push({
      id: nextId(),
      accountId: account.id,
      type,
      occurredAt: at(d),
      author,
      title,
      body: null,
      data,
    });
  for (const span of spans) {
    const start = dayNumber(span.start);
    const end = span.end === null ? Number.POSITIVE_INFINITY : dayNumber(span.end);
    const lo = Math.max(start, from);
    const hi = Math.min(end, until);
    const troubled = span.end !== null && end <= asOf && rnd() < 0.7;
    if (lo >= hi) continue;
    // Background: a touch about every 40 days, a ticket every ~120, an NPS answer every ~200.
    for (let d = lo; d < hi; d++) {
      const late = troubled && d >= end - 90;
      if (rnd() < (late ? 1 / 90 : 1 / 40))
        entry(
          ["note", "call", "meeting", "email"][Math.floor(rnd() * 4)] as TimelineEntryRecord["type"],
          d,
          NOTES[Math.floor(rnd() * NOTES.length)]!,
          {},
          account.owner,
        );
      if (rnd() < (late ? 1 / 25 : 1 / 120))
        entry(
          "ticket",
          d,
          TICKETS[Math.floor(rnd() * TICKETS.length)]!,
          {
            status: d < asOf - 30 ? "closed" : "open",
            priority: rnd() < (late ? 0.4 : 0.15) ? "urgent" : "normal",
          },
          null,
        );
      if (contactIds.length > 0 && rnd() < (late ? 1 / 60 : 1 / 200)) {
        const score = late ? Math.floor(rnd() * 7) : Math.min(10, 6 + Math.floor(rnd() * 5));
        entry(
          "nps",
          d,
          `NPS ${score}`,
          { score, contactId: contactIds[Math.floor(rnd() * contactIds.length)]! },
          null,
        );
      }
    }
  }
  return out;
}
