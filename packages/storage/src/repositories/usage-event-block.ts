import type { TrackingCallType, UsageEvent } from "./usage-event-repository";

/**
 * One block of stored calls. Version 2 (JSON text, written by the tracking API) is columnar: the
 * repeated strings of a block (types, event names, users, days, arrival times) are written once in
 * a dictionary and each call refers to them by number, so a block is about a third smaller and much
 * cheaper to serialise than version 1 (one positional array per call), which is still read.
 * Version 3 (binary, written by the bulk import's EventBlockBuilder) keeps the same columns in
 * varints and packs UUID messageIds and timestamps: 40-50 bytes a call instead of about 107.
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
 * Reads a block of any version, given as text or as bytes (version 3, or the UTF-8 of a JSON one).
 */
export function decodeEventBlock(payload: string | Uint8Array): UsageEvent[] {
  if (typeof payload !== "string" && payload[0] === BLOCK_V3) return decodeV3(payload);
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

/**
 * First byte of a version 3 block. JSON text starts with "{" or "[" (or whitespace), so one byte
 * tells the versions apart.
 *
 * Layout (varints: 7 bits a byte, low bits first):
 * - 0x03, calls n, dictionary size s; s strings (byte length, UTF-8);
 * - n × 7 column numbers: dictionary index + 1 (0 = null), in the order of `COLUMNS`;
 * - n messageIds: 1 then 16 bytes (a lowercase UUID), or 2 × byte length then UTF-8;
 * - n timestamps: 4 × zigzag(ms − previous call's ms) (first call: from 0) for a canonical UTC
 *   timestamp, or 2 × byte length + 1 then UTF-8;
 * - n properties: byte length, then JSON text of an object.
 */
export const BLOCK_V3 = 0x03;

const HEX = "0123456789abcdef";
/** Per byte: its value as a lowercase hex digit, or 255. */
const HEX_VALUE = new Uint8Array(256).fill(255);
for (let i = 0; i < 16; i++) HEX_VALUE[HEX.charCodeAt(i)] = i;
/** Where the hex digit pairs of a UUID's 16 bytes start. */
const UUID_PAIRS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** True when `b[at..at+36)` is a UUID in lowercase hex (8-4-4-4-12), so 16 bytes hold it exactly. */
export function isPackableUuid(b: Uint8Array, at: number): boolean {
  if (b[at + 8] !== 0x2d || b[at + 13] !== 0x2d || b[at + 18] !== 0x2d || b[at + 23] !== 0x2d) return false;
  for (const k of UUID_PAIRS)
    if (HEX_VALUE[b[at + k] as number] === 255 || HEX_VALUE[b[at + k + 1] as number] === 255) return false;
  return true;
}

/** Writes the 16 bytes of the UUID `src[at..at+36)` (see isPackableUuid) to `out[to..to+16)`. */
export function packUuid(src: Uint8Array, at: number, out: Uint8Array, to: number): void {
  for (let i = 0; i < 16; i++) {
    const k = at + (UUID_PAIRS[i] as number);
    out[to + i] =
      ((HEX_VALUE[src[k] as number] as number) << 4) | (HEX_VALUE[src[k + 1] as number] as number);
  }
}

function unpackUuid(b: Uint8Array, at: number): string {
  let s = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
    const v = b[at + i] as number;
    s += HEX[v >> 4] + (HEX[v & 15] as string);
  }
  return s;
}

const digits = (b: Uint8Array, at: number, n: number): number => {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 10 + ((b[at + i] as number) - 0x30);
  return v;
};

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Milliseconds since the epoch of the canonical UTC timestamp `YYYY-MM-DDTHH:MM:SS.mmmZ` at `b[at..)`. */
export function msOfCanonical(b: Uint8Array, at: number): number {
  const days = daysFromCivil(digits(b, at, 4), digits(b, at + 5, 2), digits(b, at + 8, 2));
  const seconds = digits(b, at + 11, 2) * 3600 + digits(b, at + 14, 2) * 60 + digits(b, at + 17, 2);
  return (days * 86_400 + seconds) * 1000 + digits(b, at + 20, 3);
}

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });

function decodeV3(b: Uint8Array): UsageEvent[] {
  let at = 1;
  const corrupt = () => new Error(`corrupt event block (byte ${at} of ${b.length})`);
  const varint = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (at >= b.length) throw corrupt();
      const c = b[at++] as number;
      v += (c & 0x7f) * scale;
      if (c < 0x80) return v;
      scale *= 128;
    }
  };
  const text = (len: number): string => {
    if (at + len > b.length) throw corrupt();
    const s = utf8.decode(b.subarray(at, at + len));
    at += len;
    return s;
  };
  const n = varint();
  const s: string[] = new Array(varint());
  for (let i = 0; i < s.length; i++) s[i] = text(varint());
  const str = (v: number): string | null => {
    if (v === 0) return null;
    const value = s[v - 1];
    if (value === undefined) throw corrupt();
    return value;
  };
  const out: UsageEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const type = str(varint());
    const event = str(varint());
    const userKey = str(varint());
    const userId = str(varint());
    const anonymousId = str(varint());
    const day = str(varint());
    const receivedAt = str(varint());
    if (type === null || userKey === null || day === null || receivedAt === null) throw corrupt();
    out[i] = {
      messageId: "",
      type: type as TrackingCallType,
      event,
      userKey,
      userId,
      anonymousId,
      timestamp: "",
      day,
      properties: {},
      receivedAt,
    };
  }
  for (const e of out) {
    const h = varint();
    if (h === 1) {
      if (at + 16 > b.length) throw corrupt();
      e.messageId = unpackUuid(b, at);
      at += 16;
    } else e.messageId = text(h / 2);
  }
  let ms = 0;
  for (const e of out) {
    const h = varint();
    if (h % 2 === 1) {
      e.timestamp = text((h - 1) / 2);
      continue;
    }
    const zig = h / 2;
    ms += zig % 2 === 0 ? zig / 2 : -(zig + 1) / 2;
    e.timestamp = new Date(ms).toISOString();
  }
  // One JSON.parse for all the properties.
  const props: string[] = new Array(n);
  for (let i = 0; i < n; i++) props[i] = text(varint());
  if (at !== b.length) throw corrupt();
  const values = JSON.parse(`[${props.join(",")}]`) as Array<Record<string, unknown>>;
  for (let i = 0; i < n; i++) (out[i] as UsageEvent).properties = values[i] as Record<string, unknown>;
  return out;
}
