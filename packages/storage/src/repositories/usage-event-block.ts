import type { TrackingCallType, UsageEvent } from "./usage-event-repository";
import { HASH_WORDS, hashMessageId, hashMessageIdBytes } from "./usage-id-index";

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

const COLUMNS = 7;

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

/** Reads a block of either version. */
export function decodeEventBlock(payload: string): UsageEvent[] {
  const parsed = JSON.parse(payload) as BlockV2 | EventTuple[];
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

/** Dictionary columns of a block, per call, in `EncodedEventBlock.columns` (the order of `c`). */
export const BLOCK_COLUMN = {
  type: 0,
  event: 1,
  userKey: 2,
  userId: 3,
  anonymousId: 4,
  day: 5,
  receivedAt: 6,
} as const;
/** Dictionary indexes per call. */
export const BLOCK_COLUMNS = COLUMNS;

/** A version 2 block built by `EventBlockBuilder`, with what a writer needs besides its text. */
export interface EncodedEventBlock {
  count: number;
  /** The block's JSON text (version 2); decodes like `encodeEventBlock` of the same calls. */
  payload: string;
  /** `HASH_WORDS` words per call: `hashMessageId` of its messageId. */
  hashes: Uint32Array;
  /** The block's dictionary (`s`). */
  strings: string[];
  /** `BLOCK_COLUMNS` dictionary indexes per call (-1 = null), as in `c`. */
  columns: Int32Array;
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/** A growable byte buffer. */
class ByteSink {
  buf: Uint8Array;
  len = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(c: number): void {
    this.ensure(1);
    this.buf[this.len++] = c;
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    if (n < 48) {
      // Short copies (ids, days, small properties) are cheaper in a loop than through `set`.
      const buf = this.buf;
      let at = this.len;
      for (let i = start; i < end; i++) buf[at++] = src[i] as number;
    } else this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
  }

  /** UTF-8 of a string. */
  text(s: string): void {
    this.ensure(s.length * 3);
    this.len += encoder.encodeInto(s, this.buf.subarray(this.len)).written;
  }

  /** An integer >= -1 in decimal. */
  int(v: number): void {
    this.ensure(11);
    const buf = this.buf;
    if (v < 10) {
      if (v < 0) buf[this.len++] = 0x2d;
      buf[this.len++] = 0x30 + (v < 0 ? 1 : v);
      return;
    }
    let digits = 1;
    for (let x = v; x >= 10; x = (x / 10) | 0) digits++;
    let at = this.len + digits;
    this.len = at;
    for (let x = v; x > 0; x = (x / 10) | 0) buf[--at] = 0x30 + (x % 10);
  }
}

const ascii = (s: string) => encoder.encode(s);
const PARTS = {
  open: ascii('{"v":2,"s":['),
  c: ascii('],"c":['),
  m: ascii('],"m":['),
  ts: ascii('],"ts":['),
  p: ascii('],"p":['),
  close: ascii("]}"),
  anon: ascii("anon:"),
  name: ascii('"name":'),
};

const SEED = 0x811c9dc5;
const ANON_SEED = 0x2c9277b5;

const grown = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, min: number): T => {
  let size = a.length * 2;
  while (size < min) size *= 2;
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
};

/**
 * Builds one version 2 block from pieces of the calls' JSON text (bulk import): strings that need
 * no escaping are copied and interned by their bytes, properties are copied as JSON text instead of
 * being parsed and re-serialised, messageIds are hashed from their bytes. Calls already parsed into
 * values go through `addEvent`. Per call: `begin` (its dictionary columns), a messageId, a timestamp
 * and properties, in that order.
 */
export class EventBlockBuilder {
  private readonly dictText = new ByteSink(1 << 14);
  private readonly c = new ByteSink(1 << 16);
  private readonly m = new ByteSink(1 << 16);
  private readonly ts = new ByteSink(1 << 16);
  private readonly p = new ByteSink(1 << 16);
  private strings: string[] = [];
  private readonly byString = new Map<string, number>();
  /** Byte-interned entries: where their text (inside the quotes) is in `dictText`, and their index. */
  private tokenAt = new Int32Array(1 << 10);
  private tokenLen = new Int32Array(1 << 10);
  private tokenAnon = new Uint8Array(1 << 10);
  private tokenId = new Int32Array(1 << 10);
  private tokens = 0;
  /** Open-addressing table of token + 1 (0 = empty). */
  private table = new Int32Array(1 << 11);
  private columns = new Int32Array(COLUMNS * 1024);
  private hashes = new Uint32Array(HASH_WORDS * 1024);
  private n = 0;

  /** Empties the builder for the next block (after `finish`), keeping its buffers. */
  reset(): void {
    this.dictText.len = 0;
    this.c.len = 0;
    this.m.len = 0;
    this.ts.len = 0;
    this.p.len = 0;
    this.strings = [];
    this.byString.clear();
    this.table.fill(0);
    this.tokens = 0;
    this.n = 0;
  }

  /** Calls begun so far. */
  get count(): number {
    return this.n;
  }

  /** Dictionary index of a string (-1 for null). */
  ref(value: string | null): number {
    if (value === null) return -1;
    let id = this.byString.get(value);
    if (id === undefined) {
      id = this.newEntry(value);
      this.byString.set(value, id);
      this.dictText.text(JSON.stringify(value));
    }
    return id;
  }

  /**
   * Dictionary index of the string whose JSON text is `src[start..end)` without its quotes and with
   * no escapes; `anon` prefixes it with "anon:" (a user key made from an anonymousId). `isAscii`:
   * every byte is below 0x80.
   */
  refBytes(src: Uint8Array, start: number, end: number, anon: boolean, isAscii: boolean): number {
    let h = anon ? ANON_SEED : SEED;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (src[i] as number), 0x01000193);
    const len = end - start + (anon ? 5 : 0);
    const mask = this.table.length - 1;
    const text = this.dictText.buf;
    let slot = h & mask;
    for (let v = this.table[slot] as number; v !== 0; v = this.table[slot] as number) {
      const t = v - 1;
      if (this.tokenLen[t] === len && this.tokenAnon[t] === (anon ? 1 : 0)) {
        let k = (this.tokenAt[t] as number) + (anon ? 5 : 0);
        let i = start;
        while (i < end && text[k] === src[i]) {
          k++;
          i++;
        }
        if (i === end) return this.tokenId[t] as number;
      }
      slot = (slot + 1) & mask;
    }
    const value =
      (anon ? "anon:" : "") + (isAscii ? latin1(src, start, end) : utf8.decode(src.subarray(start, end)));
    const id = this.newEntry(value);
    const sink = this.dictText;
    sink.ensure(len + 3);
    sink.buf[sink.len++] = 0x22;
    const t = this.tokens++;
    if (t >= this.tokenAt.length) {
      this.tokenAt = grown(this.tokenAt, t + 1);
      this.tokenLen = grown(this.tokenLen, t + 1);
      this.tokenAnon = grown(this.tokenAnon, t + 1);
      this.tokenId = grown(this.tokenId, t + 1);
    }
    this.tokenAt[t] = sink.len;
    this.tokenLen[t] = len;
    this.tokenAnon[t] = anon ? 1 : 0;
    this.tokenId[t] = id;
    if (anon) sink.bytes(PARTS.anon, 0, 5);
    sink.bytes(src, start, end);
    sink.byte(0x22);
    this.table[slot] = t + 1;
    if (this.tokens * 2 > this.table.length) this.rehash();
    return id;
  }

  private newEntry(value: string): number {
    const id = this.strings.length;
    this.strings.push(value);
    if (id > 0) this.dictText.byte(0x2c);
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const text = this.dictText.buf;
    for (let t = 0; t < this.tokens; t++) {
      const anon = this.tokenAnon[t] === 1;
      const at = this.tokenAt[t] as number;
      const end = at + (this.tokenLen[t] as number);
      let h = anon ? ANON_SEED : SEED;
      for (let i = anon ? at + 5 : at; i < end; i++) h = Math.imul(h ^ (text[i] as number), 0x01000193);
      let slot = h & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = t + 1;
    }
    this.table = table;
  }

  /** Starts a call with its dictionary columns (indexes from `ref`/`refBytes`, -1 = null). */
  begin(
    type: number,
    event: number,
    userKey: number,
    userId: number,
    anonymousId: number,
    day: number,
    receivedAt: number,
  ): void {
    const i = this.n++;
    if ((i + 1) * COLUMNS > this.columns.length) {
      this.columns = grown(this.columns, (i + 1) * COLUMNS);
      this.hashes = grown(this.hashes, (i + 1) * HASH_WORDS);
    }
    const cols = this.columns;
    const at = i * COLUMNS;
    cols[at] = type;
    cols[at + 1] = event;
    cols[at + 2] = userKey;
    cols[at + 3] = userId;
    cols[at + 4] = anonymousId;
    cols[at + 5] = day;
    cols[at + 6] = receivedAt;
    const c = this.c;
    for (let k = 0; k < COLUMNS; k++) {
      if (at + k > 0) c.byte(0x2c);
      c.int(cols[at + k] as number);
    }
    if (i > 0) {
      this.m.byte(0x2c);
      this.ts.byte(0x2c);
      this.p.byte(0x2c);
    }
  }

  /** The messageId as its JSON string token `src[start..end)` (quotes included, no escapes). */
  messageIdBytes(src: Uint8Array, start: number, end: number, isAscii: boolean): void {
    this.m.bytes(src, start, end);
    const at = (this.n - 1) * HASH_WORDS;
    if (isAscii) hashMessageIdBytes(src, start + 1, end - 1, this.hashes, at);
    else hashMessageId(utf8.decode(src.subarray(start + 1, end - 1)), this.hashes, at);
  }

  /** The messageId as a string. */
  messageId(id: string): void {
    this.m.text(JSON.stringify(id));
    hashMessageId(id, this.hashes, (this.n - 1) * HASH_WORDS);
  }

  /** The timestamp as its JSON string token (quotes included, no escapes). */
  timestampBytes(src: Uint8Array, start: number, end: number): void {
    this.ts.bytes(src, start, end);
  }

  timestamp(value: string): void {
    this.ts.text(JSON.stringify(value));
  }

  /** Properties as JSON text of an object (`src[start..end)`), or `{}` when start === end. */
  propertiesBytes(src: Uint8Array, start: number, end: number): void {
    if (start === end) {
      this.p.byte(0x7b);
      this.p.byte(0x7d);
    } else this.p.bytes(src, start, end);
  }

  /**
   * Properties (JSON text of an object, or none when start === end) with a "name" member added last,
   * whose value is the JSON text `src[nameStart..nameEnd)`; `empty` says the object has no members.
   * The properties must not have a "name" member already.
   */
  propertiesWithName(
    src: Uint8Array,
    start: number,
    end: number,
    empty: boolean,
    nameStart: number,
    nameEnd: number,
  ): void {
    const p = this.p;
    if (start === end || empty) p.byte(0x7b);
    else {
      // Everything up to the closing brace, then the new member.
      p.bytes(src, start, end - 1);
      p.byte(0x2c);
    }
    p.bytes(PARTS.name, 0, PARTS.name.length);
    p.bytes(src, nameStart, nameEnd);
    p.byte(0x7d);
  }

  properties(value: Record<string, unknown>): void {
    this.p.text(JSON.stringify(value));
  }

  /** A whole call given as values (identify and group calls, lines the fast scanner passed on). */
  addEvent(e: UsageEvent): void {
    this.begin(
      this.ref(e.type),
      this.ref(e.event),
      this.ref(e.userKey),
      this.ref(e.userId),
      this.ref(e.anonymousId),
      this.ref(e.day),
      this.ref(e.receivedAt),
    );
    this.messageId(e.messageId);
    this.timestamp(e.timestamp);
    this.properties(e.properties);
  }

  /** The block of every call added. */
  finish(): EncodedEventBlock {
    const parts = [
      PARTS.open,
      this.dictText.buf.subarray(0, this.dictText.len),
      PARTS.c,
      this.c.buf.subarray(0, this.c.len),
      PARTS.m,
      this.m.buf.subarray(0, this.m.len),
      PARTS.ts,
      this.ts.buf.subarray(0, this.ts.len),
      PARTS.p,
      this.p.buf.subarray(0, this.p.len),
      PARTS.close,
    ];
    let size = 0;
    for (const part of parts) size += part.length;
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return {
      count: this.n,
      payload: out.toString("utf8"),
      hashes: this.hashes.slice(0, this.n * HASH_WORDS),
      strings: this.strings,
      columns: this.columns.slice(0, this.n * COLUMNS),
    };
  }
}

/** Bytes below 0x80 as a string. */
function latin1(src: Uint8Array, start: number, end: number): string {
  if (end - start < 16) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(src[i] as number);
    return s;
  }
  return Buffer.from(src.buffer, src.byteOffset + start, end - start).toString("latin1");
}
