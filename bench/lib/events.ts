/**
 * Deterministic Segment calls for the ingest bench: the first calls map every user to an account
 * (group), the rest are usage (90 % track over 24 event names, 10 % page) over 90 days, in time order
 * (messageIds are random, like SDK UUIDs).
 * Event i is a pure function of i, so the JSON-lines file, the HTTP batches and the PostgreSQL
 * baseline's TSV all hold the same events.
 */

const EVENT_NAMES = [
  "Report Run",
  "Dashboard Viewed",
  "Export Created",
  "Query Saved",
  "Alert Created",
  "Alert Triggered",
  "Chart Edited",
  "Filter Applied",
  "Data Source Added",
  "Invite Sent",
  "Comment Added",
  "Notebook Opened",
  "Notebook Run",
  "Schedule Created",
  "Share Link Copied",
  "API Token Created",
  "Search Performed",
  "Template Used",
  "Workspace Switched",
  "Settings Changed",
  "Integration Connected",
  "File Uploaded",
  "Model Trained",
  "Help Opened",
];
const FIRST_DAY_MS = Date.UTC(2026, 7, 1);
const DAYS = 90;

/** Sizes derived from the number of events. */
export interface EventShape {
  events: number;
  accounts: number;
  users: number;
}

export function eventShape(events: number): EventShape {
  const accounts = Math.max(2, Math.min(2_000, Math.floor(events / 2_500)));
  const users = Math.min(events, accounts * 10);
  return { events, accounts, users };
}

/** 32-bit integer hash (murmur3 finaliser): scatters messageIds like random UUIDs. */
function mix(x: number): number {
  let h = x ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const hex8 = (n: number) => n.toString(16).padStart(8, "0");

/** A UUID-looking, unique messageId for event i (random order, like real SDK ids). */
export function messageIdOf(i: number): string {
  const a = hex8(mix(i));
  const b = hex8(mix(i + 0x5bd1e995));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${a.slice(1, 4)}-${hex8(i)}${b.slice(0, 4)}`;
}

/** The fields of event i (what the line says), for the baseline's TSV and for checks. */
export interface BenchEvent {
  messageId: string;
  type: "group" | "track" | "page";
  userId: string;
  accountId: string;
  /** Usage event name; null for group calls. */
  event: string | null;
  timestamp: string;
  day: string;
  properties: string;
}

export function benchEvent(shape: EventShape, i: number): BenchEvent {
  const messageId = messageIdOf(i);
  const h = mix(i * 7 + 3);
  const user = i < shape.users ? i : h % shape.users;
  const userId = `u${user}`;
  const accountId = `acct-${user % shape.accounts}`;
  // Time-ordered like live traffic and exports: event i falls on day floor(i * DAYS / events).
  const ms = FIRST_DAY_MS + Math.floor((i * DAYS) / shape.events) * 86_400_000 + (h % 86_400) * 1000;
  const timestamp = new Date(ms).toISOString();
  const day = timestamp.slice(0, 10);
  if (i < shape.users)
    return { messageId, type: "group", userId, accountId, event: null, timestamp, day, properties: "{}" };
  if (h % 10 === 0)
    return {
      messageId,
      type: "page",
      userId,
      accountId,
      event: "page",
      timestamp,
      day,
      properties: `{"path":"/p/${h % 50}"}`,
    };
  const event = EVENT_NAMES[h % EVENT_NAMES.length] as string;
  return {
    messageId,
    type: "track",
    userId,
    accountId,
    event,
    timestamp,
    day,
    properties: `{"n":${h % 1000}}`,
  };
}

/** Event i as one JSON line (a Segment call), without the trailing newline. */
export function eventLine(shape: EventShape, i: number): string {
  const e = benchEvent(shape, i);
  const head = `{"type":"${e.type}","messageId":"${e.messageId}","userId":"${e.userId}","timestamp":"${e.timestamp}"`;
  if (e.type === "group")
    return `${head},"groupId":"${e.accountId}","traits":{"name":"Account ${e.accountId}"}}`;
  if (e.type === "page") return `${head},"name":"Page","properties":${e.properties}}`;
  return `${head},"event":"${e.event}","properties":${e.properties}}`;
}

/** Usage events (track + page) per event name, for checking what was stored. */
export function expectedCounts(shape: EventShape): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = shape.users; i < shape.events; i++) {
    const e = benchEvent(shape, i);
    if (e.event !== null) out.set(e.event, (out.get(e.event) ?? 0) + 1);
  }
  return out;
}
