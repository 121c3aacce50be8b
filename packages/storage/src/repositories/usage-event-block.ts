import type { TrackingCallType, UsageEvent } from "./usage-event-repository";

/**
 * The JSON text of one block of stored calls. Version 2 is columnar: the repeated strings of a
 * block (types, event names, users, days, arrival times) are written once in a dictionary and each
 * call refers to them by number, so a block is about a third smaller and much cheaper to serialise
 * than version 1 (one positional array per call), which is still read.
 */
interface BlockV2 {
  v: 2;
  /** Dictionary of repeated strings. */
  s: string[];
  /** Per call, COLUMNS dictionary indexes (-1 = null): type, event, userKey, userId, anonymousId, day, receivedAt. */
  c: number[];
  m: string[];
  ts: string[];
  p: Array<Record<string, unknown>>;
}

/** Dictionary indexes per call in `c`. */
export const COLUMNS = 7;

/** Version 1: one positional array per call. */
type EventTuple = [
  messageId: string,
  type: TrackingCallType,
  event: string | null,
  userKey: string,
  userId: string | null,
  anonymousId: string | null,
  timestamp: string,
  day: string,
  properties: Record<string, unknown>,
  receivedAt: string,
];

/** Serialises calls as a version 2 block. */
export function encodeEventBlock(events: readonly UsageEvent[]): string {
  const ids = new Map<string, number>();
  const s: string[] = [];
  const ref = (v: string | null): number => {
    if (v === null) return -1;
    let id = ids.get(v);
    if (id === undefined) {
      id = s.length;
      ids.set(v, id);
      s.push(v);
    }
    return id;
  };
  const n = events.length;
  const c: number[] = new Array(n * COLUMNS);
  const m: string[] = new Array(n);
  const ts: string[] = new Array(n);
  const p: Array<Record<string, unknown>> = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = events[i] as UsageEvent;
    const at = i * COLUMNS;
    c[at] = ref(e.type);
    c[at + 1] = ref(e.event);
    c[at + 2] = ref(e.userKey);
    c[at + 3] = ref(e.userId);
    c[at + 4] = ref(e.anonymousId);
    c[at + 5] = ref(e.day);
    c[at + 6] = ref(e.receivedAt);
    m[i] = e.messageId;
    ts[i] = e.timestamp;
    p[i] = e.properties;
  }
  const block: BlockV2 = { v: 2, s, c, m, ts, p };
  return JSON.stringify(block);
}

/**
 * Reads a block of either version, given as text or as its UTF-8 bytes (bulk imports store the
 * bytes they built, see EventBlockBuilder).
 */
export function decodeEventBlock(payload: string | Uint8Array): UsageEvent[] {
  const text =
    typeof payload === "string"
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");
  const parsed = JSON.parse(text) as BlockV2 | EventTuple[];
  if (Array.isArray(parsed)) return parsed.map(fromTuple);
  const { s, c, m, ts, p } = parsed;
  const str = (i: number) => (i === -1 ? null : (s[i] as string));
  const out: UsageEvent[] = new Array(m.length);
  for (let i = 0; i < m.length; i++) {
    const at = i * COLUMNS;
    out[i] = {
      messageId: m[i] as string,
      type: str(c[at] as number) as TrackingCallType,
      event: str(c[at + 1] as number),
      userKey: str(c[at + 2] as number) as string,
      userId: str(c[at + 3] as number),
      anonymousId: str(c[at + 4] as number),
      timestamp: ts[i] as string,
      day: str(c[at + 5] as number) as string,
      properties: p[i] as Record<string, unknown>,
      receivedAt: str(c[at + 6] as number) as string,
    };
  }
  return out;
}

const fromTuple = (t: EventTuple): UsageEvent => ({
  messageId: t[0],
  type: t[1],
  event: t[2],
  userKey: t[3],
  userId: t[4],
  anonymousId: t[5],
  timestamp: t[6],
  day: t[7],
  properties: t[8],
  receivedAt: t[9],
});
