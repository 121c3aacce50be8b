import { createHash } from "node:crypto";
import type { TrackingCallType, UsageEvent } from "@tenure/storage";
import { dateProblem, MAX_YEAR, MIN_YEAR } from "../import/calendar";

/** Segment's limit for one call (and one event inside a batch). */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Segment's limit for one batch request. */
export const MAX_BATCH_BYTES = 500 * 1024;

export const TRACKING_CALL_TYPES: readonly TrackingCallType[] = [
  "track",
  "page",
  "screen",
  "identify",
  "group",
  "alias",
];

/** Calls that count as product usage; identify, group and alias only describe users. */
export const USAGE_CALL_TYPES: ReadonlySet<TrackingCallType> = new Set(["track", "page", "screen"]);

/** A validated Segment call, normalised. */
export interface TrackingMessage {
  type: TrackingCallType;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  /** `userId`, or `anon:<anonymousId>` when there is no userId. */
  userKey: string;
  /** Usage event name: track → `event`, page → "page", screen → "screen"; null for other calls. */
  event: string | null;
  timestamp: string;
  day: string;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  /** group: the account's external id. */
  groupId: string | null;
}

/** One problem with one call: `path` locates the call (e.g. "batch[3]", "line 7"), `field` the field. */
export interface TrackingIssue {
  path: string;
  field: string;
  message: string;
}

export type ParseResult = { ok: true; message: TrackingMessage } | { ok: false; issue: TrackingIssue };

/** "batch[3].userId: userId or anonymousId is required" (no prefix for a single call). */
export function formatIssue(issue: TrackingIssue): string {
  const where =
    issue.path === "" ? issue.field : issue.field === "" ? issue.path : `${issue.path}.${issue.field}`;
  return `${where}: ${issue.message}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

class Invalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A string or a number (SDKs of typed languages send numeric ids); empty and null mean absent. */
function optionalId(raw: Record<string, unknown>, field: string): string | null {
  const v = raw[field];
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "string") {
    if (v.length > 512) throw new Invalid(field, `${field} must be at most 512 characters`);
    refuseNul(v, field);
    return v;
  }
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new Invalid(field, `${field} must be a string, got ${typeName(v)}`);
}

const NUL_MESSAGE = "must not contain a NUL character (\\u0000)";

/** NUL is refused in every string of a call (PostgreSQL text cannot hold it; SQLite could). */
function refuseNul(v: string, field: string): void {
  if (v.includes("\u0000")) throw new Invalid(field, `${field} ${NUL_MESSAGE}`);
}

/** Bound on the values `checkValues` visits per call (a 32 KB call holds fewer). */
const MAX_VALUES = 100_000;

/**
 * Text that may hold what `isClean` refuses: a NUL escape, or a number that can overflow (an exponent of
 * 3 digits or more, or 309 digits). JSON text without either cannot: a raw NUL byte is not valid JSON.
 */
const maybeUnsafe = (text: string): boolean =>
  text.includes("\\u0000") || BIG_EXPONENT.test(text) || LONG_DIGITS.test(text);
// Separate patterns: one alternation of all three costs 5x more per call.
const BIG_EXPONENT = /\d[eE]\+?\d{3}/;
const LONG_DIGITS = /\d{309}/;

/**
 * Whether a free-form value (properties, traits, context) is free of a NUL in any key or string and
 * of numbers that are not finite (JSON.parse reads 1e309 as Infinity, which JSON.stringify would
 * store as null). Iterative, so deep nesting cannot overflow the stack; builds no paths (hot path).
 */
function isClean(root: unknown): boolean {
  const stack: unknown[] = [root];
  let visited = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++visited > MAX_VALUES) return false;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return false;
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return false;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (typeof v === "object" && v !== null) {
      for (const k in v) {
        if (k.includes("\u0000")) return false;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return true;
}

/**
 * Throws for the first value `isClean` refuses, naming its exact key, e.g. `properties.items[2].price`
 * (`field` names the object). Only called once `isClean` said no.
 */
function checkValues(root: Record<string, unknown>, field: string): void {
  const stack: Array<[unknown, string]> = [[root, field]];
  let visited = 0;
  while (stack.length > 0) {
    const [value, at] = stack.pop() as [unknown, string];
    if (++visited > MAX_VALUES) throw new Invalid(field, `${field} holds too many values`);
    if (typeof value === "string") refuseNul(value, at);
    else if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new Invalid(at, `${at} must be a finite number`);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${at}[${i}]`]);
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        refuseNul(k, `${at} key`);
        stack.push([v, `${at}.${k}`]);
      }
    }
  }
}

/** Shared stand-in for an absent object field (never mutated: callers copy before changing). */
const NONE: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function optionalObject(raw: Record<string, unknown>, field: string): Record<string, unknown> {
  const v = raw[field];
  if (v === undefined || v === null) return NONE;
  if (!isObject(v)) throw new Invalid(field, `${field} must be an object, got ${typeName(v)}`);
  return v;
}

function optionalTimestamp(raw: Record<string, unknown>, field: string): string | null {
  const v = raw[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string")
    throw new Invalid(field, `${field} must be an ISO-8601 date string, got ${typeName(v)}`);
  const normal = normalizeTimestamp(v);
  if (normal === null)
    throw new Invalid(field, `${field} ${timestampProblem(v)}, got ${JSON.stringify(v.slice(0, 40))}`);
  return normal;
}

/**
 * The canonical UTC form of an ISO-8601 timestamp (`toISOString`), or null when it is not one: its
 * date must be a real calendar date (2024-02-30 is refused, not rolled over to March 1) and its UTC
 * year within MIN_YEAR..MAX_YEAR, the rule CSV imports follow (import/calendar.ts).
 */
export function normalizeTimestamp(v: string): string | null {
  // Most SDKs already send the canonical UTC form: no Date round trip for it, only the calendar and
  // range checks (a day up to the 28th exists in every month).
  if (CANONICAL_UTC.test(v)) {
    if (v < FIRST || v >= AFTER_LAST) return null;
    return v.slice(8, 10) <= "28" || dateProblem(v.slice(0, 10)) === null ? v : null;
  }
  const date = ISO_DATE.exec(v);
  if (date === null || dateProblem(date[1] as string) !== null) return null;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return null;
  const normal = new Date(ms).toISOString();
  // An offset can move a date across the range's ends (2100-12-31T23:00-05:00 is in 2101 UTC).
  return normal >= FIRST && normal < AFTER_LAST ? normal : null;
}

/** Why `v` is not a timestamp `normalizeTimestamp` accepts (for messages). */
function timestampProblem(v: string): string {
  const date = ISO_DATE.exec(v);
  const problem = date === null ? null : dateProblem(date[1] as string);
  if (problem === "is not a real calendar date") return problem;
  if (date !== null && (problem !== null || !Number.isNaN(Date.parse(v))))
    return `must be a date from ${MIN_YEAR} to ${MAX_YEAR}`;
  return "must be an ISO-8601 date (YYYY-MM-DDTHH:MM:SSZ)";
}

/** An ISO-8601 date at the start of a timestamp: the date alone, or followed by its time. */
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:$|T)/;
const FIRST = `${MIN_YEAR}-01-01`;
const AFTER_LAST = `${MAX_YEAR + 1}-01-01`;

const CANONICAL_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Validates one call as the Segment HTTP spec describes it. `type` is the endpoint's type for
 * /v1/track etc.; inside a batch the call's own `type` field is required. `serialized` is the call's
 * JSON when the caller already has it (for the 32 KB check).
 */
export function parseTrackingMessage(
  raw: unknown,
  path: string,
  opts: { type?: TrackingCallType; receivedAt: string; serialized?: string },
): ParseResult {
  try {
    return { ok: true, message: parseOrThrow(raw, opts) };
  } catch (error) {
    if (error instanceof Invalid)
      return { ok: false, issue: { path, field: error.field, message: error.message } };
    throw error;
  }
}

function parseOrThrow(
  raw: unknown,
  opts: { type?: TrackingCallType; receivedAt: string; serialized?: string },
): TrackingMessage {
  if (!isObject(raw)) throw new Invalid("", `each call must be a JSON object, got ${typeName(raw)}`);
  const serialized = opts.serialized ?? JSON.stringify(raw);
  if (Buffer.byteLength(serialized) > MAX_EVENT_BYTES)
    throw new Invalid("", `call is larger than ${MAX_EVENT_BYTES / 1024} KB`);

  let type = opts.type;
  if (type === undefined) {
    const t = raw.type;
    if (t === undefined || t === null)
      throw new Invalid("type", `type is required (${TRACKING_CALL_TYPES.join(", ")})`);
    if (typeof t !== "string" || !TRACKING_CALL_TYPES.includes(t as TrackingCallType))
      throw new Invalid(
        "type",
        `type must be one of ${TRACKING_CALL_TYPES.join(", ")}, got ${JSON.stringify(t)}`,
      );
    type = t as TrackingCallType;
  }

  const userId = optionalId(raw, "userId");
  const anonymousId = optionalId(raw, "anonymousId");
  if (userId === null && anonymousId === null)
    throw new Invalid("userId", "userId or anonymousId is required");

  const mid = raw.messageId;
  if (mid !== undefined && mid !== null && (typeof mid !== "string" || mid.length > 512))
    throw new Invalid(
      "messageId",
      `messageId must be a string of at most 512 characters, got ${typeName(mid)}`,
    );
  if (typeof mid === "string") refuseNul(mid, "messageId");

  let event: string | null = null;
  if (type === "track") {
    const e = raw.event;
    if (e === undefined || e === null || e === "")
      throw new Invalid("event", "event is required for track calls");
    if (typeof e !== "string") throw new Invalid("event", `event must be a string, got ${typeName(e)}`);
    if (e.length > 200) throw new Invalid("event", "event must be at most 200 characters");
    refuseNul(e, "event");
    event = e;
  } else if (type === "page" || type === "screen") {
    const n = raw.name;
    if (n !== undefined && n !== null && typeof n !== "string")
      throw new Invalid("name", `name must be a string, got ${typeName(n)}`);
    if (typeof n === "string") refuseNul(n, "name");
    event = type;
  }

  const groupId = optionalId(raw, "groupId");
  if (type === "group" && groupId === null)
    throw new Invalid("groupId", "groupId is required for group calls");

  const properties = optionalObject(raw, "properties");
  const traits = optionalObject(raw, "traits");
  const context = optionalObject(raw, "context");
  // The call's own text rules most calls out at once; without it (a value built in code) walk them all.
  if (opts.serialized === undefined || maybeUnsafe(serialized))
    for (const [value, name] of [
      [properties, "properties"],
      [traits, "traits"],
      [context, "context"],
    ] as const)
      if (value !== NONE && !isClean(value)) checkValues(value, name);
  const contextTraits = isObject(context.traits) ? context.traits : NONE;

  const given = optionalTimestamp(raw, "timestamp") ?? optionalTimestamp(raw, "originalTimestamp");
  optionalTimestamp(raw, "sentAt");
  const timestamp = given ?? opts.receivedAt;
  // Without a messageId, the call's content names it, so a retried import line is still counted once.
  const messageId =
    typeof mid === "string" && mid !== ""
      ? mid
      : `h_${createHash("sha256")
          .update(given === null ? `${serialized}\u0000${opts.receivedAt}` : serialized)
          .digest("hex")
          .slice(0, 40)}`;

  return {
    type,
    messageId,
    userId,
    anonymousId,
    userKey: userId ?? `anon:${anonymousId}`,
    event,
    timestamp,
    day: timestamp.slice(0, 10),
    properties: type === "page" || type === "screen" ? withName(properties, raw.name) : properties,
    traits: contextTraits === NONE ? traits : { ...contextTraits, ...traits },
    groupId,
  };
}

function withName(properties: Record<string, unknown>, name: unknown): Record<string, unknown> {
  return typeof name === "string" && properties.name === undefined ? { ...properties, name } : properties;
}

/** The stored form of a call (identify and group calls keep their traits as properties). */
export function toUsageEvent(m: TrackingMessage, receivedAt: string): UsageEvent {
  return {
    messageId: m.messageId,
    type: m.type,
    event: m.event,
    userKey: m.userKey,
    userId: m.userId,
    anonymousId: m.anonymousId,
    timestamp: m.timestamp,
    day: m.day,
    properties: m.type === "identify" || m.type === "group" ? m.traits : m.properties,
    receivedAt,
  };
}
