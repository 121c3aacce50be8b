import {
  type Account,
  type Contact,
  createSeededRng,
  type Entitlement,
  type Subscription,
} from "@tenure/core";
import { bareUsageUser, type Storage, type TimelineEntryRecord, type UsageRollup } from "@tenure/storage";
import { addDays, dayNumber } from "../health/days";
import { recomputeHealth } from "../health/recompute-health";
import { ingestBatch } from "../tracking/ingest";
import type { TrackingMessage } from "../tracking/tracking-message";
import { meteredDailyUsage } from "./metered-usage";
import { accountTimelineHistory, accountUsageHistory, type DemoUser, paidSpans } from "./usage-history";

const EVENTS = ["Report Run", "Dashboard Viewed", "Export", "Invite Sent", "Alert Created"] as const;
const DEPARTMENTS = ["Sales", "Marketing", "Finance", "Operations", "Support", "Engineering"] as const;
const NOTES = [
  "Quarterly check-in",
  "Discussed roadmap",
  "Training session",
  "Renewal prep",
  "Feature request",
];
const TICKETS = ["Login issue", "Export fails", "Invoice question", "Slow dashboard", "SSO setup"];

type Pattern = "healthy" | "growing" | "drop" | "breadth" | "seats" | "dormant";

export interface SeedActivityOptions {
  asOf: string;
  seed: number;
  /** Days of usage history (default 90). */
  days?: number;
  /** Accounts that get usage (default: every paying account). */
  maxUsageAccounts?: number;
  /**
   * Days of simulated history before the recent usage, for every account that paid in them (default
   * 870: the churn model's 24 prediction months, their 90-day horizon and 60-day look-back). Health is
   * recomputed at each month's end over it, and every 21 days over the last 84.
   */
  historyDays?: number;
  onProgress?: (step: string) => void;
}

export interface SeedActivityResult {
  users: number;
  events: number;
  timelineEntries: number;
  recomputes: number;
}

/**
 * Accounts going quiet rarely have only a usage problem (seed 004): support tickets pile up, NPS turns
 * detractor, the relationship cools and invoices go unpaid. A separate random stream, so every other
 * demo draw stays as it was. Dormant accounts get the most, dropping ones some, collapsing ones a little.
 */
function troubleEntries(
  accounts: readonly Account[],
  patterns: ReadonlyMap<string, Pattern>,
  contactsBy: ReadonlyMap<string, Contact[]>,
  asOf: string,
  seed: number,
  nextId: () => string,
): TimelineEntryRecord[] {
  const rnd = createSeededRng(seed ^ 0x7b0b1e);
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const at = (minDaysAgo: number, maxDaysAgo: number) =>
    `${addDays(asOf, -int(minDaysAgo, maxDaysAgo))}T${String(int(8, 17)).padStart(2, "0")}:00:00.000Z`;
  const intensity: Partial<Record<Pattern, number>> = { dormant: 1, drop: 0.7, breadth: 0.4 };
  const out: TimelineEntryRecord[] = [];
  for (const a of accounts) {
    const level = intensity[patterns.get(a.id) ?? "healthy"];
    if (level === undefined || rnd() >= 0.4 + 0.5 * level) continue;
    for (let i = int(1, 1 + Math.round(3 * level)); i > 0; i--) {
      const title = TICKETS[int(0, TICKETS.length - 1)] as string;
      out.push({
        id: nextId(),
        accountId: a.id,
        type: "ticket",
        occurredAt: at(0, 28),
        author: null,
        title,
        body: null,
        data: {
          status: rnd() < 0.6 ? "open" : "closed",
          priority: rnd() < 0.5 * level ? "urgent" : "normal",
          ...(title === "Invoice question" ? { category: "billing" } : {}),
        },
      });
    }
    if (rnd() < 0.5 * level)
      out.push({
        id: nextId(),
        accountId: a.id,
        type: "ticket",
        occurredAt: at(5, 80),
        author: null,
        title: "Payment failed",
        body: null,
        data: { status: "open", priority: "normal", category: "billing" },
      });
    const contacts = contactsBy.get(a.id) ?? [];
    const respondent = contacts[int(0, Math.max(0, contacts.length - 1))];
    if (respondent && rnd() < 0.7) {
      const score = int(1, 6);
      out.push({
        id: nextId(),
        accountId: a.id,
        type: "nps",
        occurredAt: at(0, 45),
        author: null,
        title: `NPS ${score}`,
        body: null,
        data: { score, contactId: respondent.id },
      });
    }
    if (rnd() < 0.6) {
      const w = int(1, 2);
      out.push({
        id: nextId(),
        accountId: a.id,
        type: "observation",
        occurredAt: at(0, 30),
        author: a.owner,
        title: "Relationship observation",
        body: "Hard to get time with the team; replies are slow.",
        data: { cooperationWillingness: w, executiveSponsorEngaged: false, sentiment: "negative" },
      });
    }
  }
  return out;
}

const current = (s: Subscription, asOf: string) =>
  !s.trial && s.amount > 0 && s.startDate <= asOf && (s.endDate === null || s.endDate > asOf);

/**
 * Demo usage (Segment-style identify/group/track calls through the ingest service), timeline entries
 * and health history for an already seeded company. Deterministic for a seed.
 */
export async function seedDemoActivity(
  storage: Storage,
  ws: string,
  data: {
    accounts: Account[];
    contacts: Contact[];
    subscriptions: Subscription[];
    entitlements?: Entitlement[];
  },
  opts: SeedActivityOptions,
): Promise<SeedActivityResult> {
  const rnd = createSeededRng(opts.seed ^ 0x5eed);
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const { asOf } = opts;
  const days = opts.days ?? 90;
  const seats = new Map<string, number>();
  for (const s of data.subscriptions)
    if (current(s, asOf)) seats.set(s.accountId, (seats.get(s.accountId) ?? 0) + s.quantity);
  const contactsBy = new Map<string, Contact[]>();
  for (const c of data.contacts) {
    const l = contactsBy.get(c.accountId);
    if (l) l.push(c);
    else contactsBy.set(c.accountId, [c]);
  }
  const live = data.accounts.filter((a) => seats.has(a.id)).slice(0, opts.maxUsageAccounts);
  const allowances = new Map<string, Entitlement[]>();
  for (const e of data.entitlements ?? []) {
    if (e.periodStart > asOf || e.periodEnd <= asOf) continue;
    const l = allowances.get(e.accountId);
    if (l) l.push(e);
    else allowances.set(e.accountId, [e]);
  }
  // Metered usage draws from its own stream so the other usage patterns stay as they were.
  const meteredRnd = createSeededRng(opts.seed ^ 0x9007a);

  opts.onProgress?.("usage");
  let messages: TrackingMessage[] = [];
  let events = 0;
  let users = 0;
  let n = 0;
  const flush = async () => {
    if (messages.length === 0) return;
    await ingestBatch(storage, ws, messages);
    messages = [];
  };
  const msg = (
    m: Partial<TrackingMessage> & Pick<TrackingMessage, "type" | "userKey" | "timestamp">,
  ): TrackingMessage => ({
    messageId: `demo-${++n}`,
    userId: m.userKey,
    anonymousId: null,
    event: null,
    day: m.timestamp.slice(0, 10),
    properties: {},
    traits: {},
    groupId: null,
    ...m,
  });
  const patterns = new Map<string, Pattern>();
  const rosters = new Map<string, DemoUser[]>();
  // Whether some account already burns its quota fast (seed 004's expansion case, planted at any size).
  let plantedHeavy = false;
  for (const a of live) {
    const r = rnd();
    // Shares of a book a CS team would recognise: most accounts steady or growing, about one in seven
    // in usage trouble (dropping, collapsing to one team, or gone quiet), one in ten near its seat limit.
    const pattern: Pattern =
      r < 0.55
        ? "healthy"
        : r < 0.7
          ? "growing"
          : r < 0.77
            ? "drop"
            : r < 0.83
              ? "breadth"
              : r < 0.94
                ? "seats"
                : "dormant";
    patterns.set(a.id, pattern);
    const licensed = seats.get(a.id) ?? 1;
    const people = (contactsBy.get(a.id) ?? []).filter(
      (c) => c.role === "user" || c.role === "admin" || c.role === "champion",
    );
    // Seat-bound accounts use every seat; the others about 60% of them (a breadth collapse needs three
    // teams, so at least three users), their contacts first: not every contact uses the product.
    const target =
      pattern === "seats" && licensed > 1
        ? Math.min(licensed, 40)
        : Math.min(Math.max(pattern === "breadth" ? 3 : 1, Math.round(licensed * 0.6)), 15);
    const start = addDays(asOf, -days);
    const size = pattern === "seats" ? Math.max(target, people.length) : target;
    const roster = Array.from({ length: size }, (_, i) => {
      const c = people[i];
      return {
        key: c ? `${a.id}-${c.id}` : `${a.id}-user${i}`,
        name: c?.name ?? `User ${i + 1}`,
        email: c?.email ?? null,
        // A contact who left the customer company stops using the product that day.
        leftAt: c?.leftAt ?? null,
        department: (pattern === "breadth" && i > 0
          ? DEPARTMENTS[1 + (i % 4)]
          : DEPARTMENTS[i % 3]) as string,
        activity: 0.25 + rnd() * 0.5,
      };
    });
    users += roster.length;
    rosters.set(a.id, roster);
    for (const u of roster) {
      const ts = `${start}T08:00:00.000Z`;
      messages.push(
        msg({
          type: "identify",
          userKey: u.key,
          timestamp: ts,
          traits: { name: u.name, email: u.email, department: u.department },
        }),
      );
      messages.push(
        msg({ type: "group", userKey: u.key, timestamp: ts, groupId: a.id, traits: { name: a.name } }),
      );
    }
    for (let d = days; d >= 0; d--) {
      const day = addDays(asOf, -d);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay() % 6 !== 0;
      roster.forEach((u, i) => {
        let p = u.activity * (weekday ? 1 : 0.2);
        if (pattern === "growing") p *= 0.6 + (0.6 * (days - d)) / days;
        if (pattern === "drop" && d < 30) p *= 0.2;
        if (pattern === "breadth" && d < 35 && i > 0 && u.department !== DEPARTMENTS[1]) p = 0;
        // Quiet for longer than the 30-day windows, so a dormant account reads as dormant.
        if (pattern === "dormant" && d < 40) p = 0;
        if (rnd() >= p) return;
        if (u.leftAt !== null && day >= u.leftAt) return;
        const k = int(1, 2);
        for (let e = 0; e < k; e++) {
          messages.push(
            msg({
              type: "track",
              userKey: u.key,
              timestamp: `${day}T${10 + e}:00:00.000Z`,
              event: pick(EVENTS),
            }),
          );
          events++;
        }
      });
    }
    // Syncs run as the first user still at the company (an admin's integration, typically).
    const syncUser = roster.find((u) => u.leftAt === null) ?? roster[0];
    for (const e of allowances.get(a.id) ?? []) {
      if (!syncUser) break;
      const metered = meteredDailyUsage(e, asOf, meteredRnd, {
        heavyAllowed: pattern === "healthy" || pattern === "growing",
        forceHeavy: !plantedHeavy,
        quiet: (day) => {
          const d = dayNumber(asOf) - dayNumber(day);
          if (pattern === "dormant" && d < 40) return 0;
          if (pattern === "drop" && d < 30) return 0.2;
          return 1;
        },
      });
      plantedHeavy ||= metered.heavy;
      for (const { date, count } of metered.days) {
        for (let k = 0; k < count; k++) {
          messages.push(
            msg({
              type: "track",
              userKey: syncUser.key,
              timestamp: `${date}T02:${String(k % 60).padStart(2, "0")}:00.000Z`,
              event: e.metric,
            }),
          );
        }
        events += count;
      }
    }
    if (messages.length > 5000) await flush();
  }
  await flush();

  opts.onProgress?.("timeline");
  const entries: TimelineEntryRecord[] = [];
  let id = 0;
  const at = (maxDaysAgo: number) =>
    `${addDays(asOf, -int(0, maxDaysAgo))}T${String(int(8, 17)).padStart(2, "0")}:00:00.000Z`;
  for (const a of data.accounts.filter((x) => seats.has(x.id))) {
    const contacts = contactsBy.get(a.id) ?? [];
    const author = a.owner;
    for (let i = int(1, 4); i > 0; i--) {
      const type = pick(["note", "call", "meeting", "email"] as const);
      entries.push({
        id: `demo-t${++id}`,
        accountId: a.id,
        type,
        occurredAt: at(150),
        author,
        title: pick(NOTES),
        body: null,
        data: {},
      });
    }
    if (rnd() < 0.25) {
      for (let i = int(1, 3); i > 0; i--) {
        const title = pick(TICKETS);
        entries.push({
          id: `demo-t${++id}`,
          accountId: a.id,
          type: "ticket",
          occurredAt: at(60),
          author: null,
          title,
          body: null,
          data: {
            status: rnd() < 0.3 ? "open" : "closed",
            priority: rnd() < 0.2 ? "urgent" : "normal",
            ...(title === "Invoice question" ? { category: "billing" } : {}),
          },
        });
      }
    }
    if (rnd() < 0.4 && contacts.length > 0) {
      const c = pick(contacts);
      const score = Math.min(10, Math.max(0, Math.round(5 + rnd() * 6 - (rnd() < 0.2 ? 4 : 0))));
      entries.push({
        id: `demo-t${++id}`,
        accountId: a.id,
        type: "nps",
        occurredAt: at(120),
        author: null,
        title: `NPS ${score}`,
        body: null,
        data: { score, contactId: c.id },
      });
    }
    if (rnd() < 0.3) {
      const w = int(1, 5);
      entries.push({
        id: `demo-t${++id}`,
        accountId: a.id,
        type: "observation",
        occurredAt: at(90),
        author,
        title: "Relationship observation",
        body: null,
        data: {
          cooperationWillingness: w,
          executiveSponsorEngaged: rnd() < 0.5,
          sentiment: w >= 4 ? "positive" : w <= 2 ? "negative" : "neutral",
        },
      });
    }
  }
  entries.push(
    ...troubleEntries(data.accounts, patterns, contactsBy, asOf, opts.seed, () => `demo-t${++id}`),
  );
  await storage.timeline.insertMany(ws, entries);

  opts.onProgress?.("usage history");
  const history = opts.historyDays ?? 870;
  const past = await seedHistory(
    storage,
    ws,
    data,
    { asOf, seed: opts.seed, days, historyDays: history },
    rosters,
    contactsBy,
  );
  users += past.users;
  events += past.events;

  opts.onProgress?.("health history");
  let recomputes = 0;
  const dates = new Set<string>();
  for (let d = history; d > 0; d--) {
    const day = addDays(asOf, -d);
    // Each month's last day: the score the model reads at the next month's prediction date.
    if (addDays(day, 1).endsWith("-01") || (d <= 84 && d % 21 === 0)) dates.add(day);
  }
  for (const day of [...dates].sort()) {
    await recomputeHealth(storage, ws, { asOf: day });
    recomputes++;
  }
  await recomputeHealth(storage, ws, { asOf });
  recomputes++;
  return { users, events, timelineEntries: entries.length + past.timelineEntries, recomputes };
}

/**
 * The simulated past of every account that paid during the history window: usage (as rollups, the
 * way a bulk import of old events lands), tickets, NPS answers and touches. Accounts in the recent
 * usage keep their users; the others get users drawn from their contacts. A separate random stream.
 */
async function seedHistory(
  storage: Storage,
  ws: string,
  data: { accounts: Account[]; subscriptions: Subscription[] },
  o: { asOf: string; seed: number; days: number; historyDays: number },
  rosters: ReadonlyMap<string, DemoUser[]>,
  contactsBy: ReadonlyMap<string, Contact[]>,
): Promise<{ users: number; events: number; timelineEntries: number }> {
  const rnd = createSeededRng(o.seed ^ 0x415702);
  const from = addDays(o.asOf, -(o.days + o.historyDays));
  const subsBy = new Map<string, Subscription[]>();
  for (const s of data.subscriptions) {
    const l = subsBy.get(s.accountId);
    if (l) l.push(s);
    else subsBy.set(s.accountId, [s]);
  }
  let users = 0;
  let events = 0;
  let timelineEntries = 0;
  let id = 0;
  let rollups: UsageRollup[] = [];
  let entries: TimelineEntryRecord[] = [];
  const flush = async () => {
    await storage.usageRollups.addCounts(ws, rollups);
    await storage.timeline.insertMany(ws, entries);
    rollups = [];
    entries = [];
  };
  for (const a of data.accounts) {
    const subs = subsBy.get(a.id) ?? [];
    const spans = paidSpans(subs).filter((s) => s.end === null || s.end > from);
    if (spans.length === 0) continue;
    const recent = rosters.get(a.id);
    let roster = recent;
    if (roster === undefined) {
      const seats = Math.max(1, ...subs.map((s) => s.quantity));
      const people = (contactsBy.get(a.id) ?? []).filter(
        (c) => c.role === "user" || c.role === "admin" || c.role === "champion",
      );
      roster = Array.from({ length: Math.min(Math.max(1, Math.round(seats * 0.6)), 15) }, (_, i) => ({
        key: people[i] ? `${a.id}-${people[i].id}` : `${a.id}-user${i}`,
        department: DEPARTMENTS[i % 3]!,
        activity: 0.25 + rnd() * 0.5,
        leftAt: people[i]?.leftAt ?? null,
      }));
      await storage.usageUsers.upsertMany(
        ws,
        roster.map((u, i) => ({
          ...bareUsageUser(u.key, u.key, null),
          accountId: a.id,
          name: people[i]?.name ?? `User ${i + 1}`,
          email: people[i]?.email ?? null,
          department: u.department,
        })),
      );
      users += roster.length;
    }
    // Accounts in the recent usage get their last `days` days from the tracking calls above.
    const until = recent === undefined ? o.asOf : addDays(o.asOf, -o.days);
    const window = { from, until, asOf: o.asOf };
    const usage = accountUsageHistory(roster, spans, window, rnd);
    for (const r of usage) {
      rollups.push(r);
      events += r.count;
    }
    const timeline = accountTimelineHistory(
      a,
      (contactsBy.get(a.id) ?? []).map((c) => c.id),
      spans,
      // The recent timeline above covers live accounts' last 150 days.
      {
        from,
        until: recent === undefined && !subs.some((s) => current(s, o.asOf)) ? o.asOf : addDays(o.asOf, -150),
        asOf: o.asOf,
      },
      rnd,
      () => `demo-h${++id}`,
    );
    entries.push(...timeline);
    timelineEntries += timeline.length;
    if (rollups.length > 200_000) await flush();
  }
  await flush();
  return { users, events, timelineEntries };
}
