import { COLUMNS } from "./usage-event-block";
import type { UsageEvent } from "./usage-event-repository";
import { HASH_WORDS, hashMessageId, hashMessageIdBytes } from "./usage-id-index";

/** Columns of a call in `EncodedEventBlock.columns` (the order of a version 2 block's `c`). */
export const BLOCK_COLUMN = {
  type: 0,
  event: 1,
  userKey: 2,
  userId: 3,
  anonymousId: 4,
  day: 5,
  receivedAt: 6,
} as const;
/** Columns per call. */
export const BLOCK_COLUMNS = COLUMNS;

/** A version 2 block built by `EventBlockBuilder`, with what a writer needs besides its text. */
export interface EncodedEventBlock {
  count: number;
  /** The block's JSON text (version 2) as UTF-8; decodes like `encodeEventBlock` of the same calls. */
  payload: Uint8Array;
  /** `HASH_WORDS` words per call: `hashMessageId` of its messageId. */
  hashes: Uint32Array;
  /** `BLOCK_COLUMNS` per call: ids of the builder's `names` (-1 = null), across all its blocks. */
  columns: Int32Array;
}

const encoder = new TextEncoder();
// Keeps a leading U+FEFF (a default TextDecoder drops it): it is part of the string.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

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

  /** A non-negative integer in decimal, or -1. */
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

const grown = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, min: number, fill = 0): T => {
  let size = a.length * 2;
  while (size < min) size *= 2;
  const next = new (a.constructor as new (n: number) => T)(size);
  if (fill !== 0) next.fill(fill as never);
  next.set(a);
  return next;
};

/**
 * Builds version 2 blocks from pieces of the calls' JSON text (bulk import): strings that need no
 * escaping are copied and interned by their bytes, properties are copied as JSON text instead of
 * being parsed and re-serialised, messageIds are hashed from their bytes. Calls already parsed into
 * values go through `addEvent`. Per call: `begin` (its columns), a messageId, a timestamp and
 * properties, in that order; `finish` hands out the block and starts the next.
 *
 * Strings get ids (`names`) that hold across all the builder's blocks, so each distinct string is
 * decoded once and callers can count by id; each block still carries its own dictionary.
 */
export class EventBlockBuilder {
  /** Every string with an id, by id. */
  readonly names: string[] = [];
  private readonly byString = new Map<string, number>();
  /** Byte-interned names: where their text (inside the quotes) is in `tokenText`, -1 for others. */
  private readonly tokenText = new ByteSink(1 << 16);
  private tokenAt = new Int32Array(1 << 10);
  private tokenLen = new Int32Array(1 << 10);
  private tokenAnon = new Uint8Array(1 << 10);
  /** Open-addressing table of byte-interned id + 1 (0 = empty). */
  private table = new Int32Array(1 << 11);
  private tokens = 0;
  /** Per id: its index in the current block's dictionary, valid when `stamp` is the block number. */
  private local = new Int32Array(1 << 10);
  private stamp = new Int32Array(1 << 10);
  private blockNo = 1;
  private locals = 0;

  private readonly dictText = new ByteSink(1 << 14);
  private readonly c = new ByteSink(1 << 16);
  private readonly m = new ByteSink(1 << 16);
  private readonly ts = new ByteSink(1 << 16);
  private readonly p = new ByteSink(1 << 16);
  private columns = new Int32Array(COLUMNS * 1024);
  private hashes = new Uint32Array(HASH_WORDS * 1024);
  private n = 0;

  /** Calls begun in the current block. */
  get count(): number {
    return this.n;
  }

  /** The id of a string (-1 for null). */
  ref(value: string | null): number {
    if (value === null) return -1;
    let id = this.byString.get(value);
    if (id === undefined) {
      id = this.newName(value, -1, 0, false);
      this.byString.set(value, id);
    }
    return id;
  }

  /**
   * The id of the string whose JSON text is `src[start..end)` without its quotes and with no escapes;
   * `anon` prefixes it with "anon:" (a user key made from an anonymousId). `isAscii`: every byte is
   * below 0x80. (The same string may also have an id from `ref`: ids are per text, not per value.)
   */
  refBytes(src: Uint8Array, start: number, end: number, anon: boolean, isAscii: boolean): number {
    let h = anon ? ANON_SEED : SEED;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (src[i] as number), 0x01000193);
    const len = end - start + (anon ? 5 : 0);
    const mask = this.table.length - 1;
    const text = this.tokenText.buf;
    const from = anon ? 5 : 0;
    let slot = h & mask;
    for (let v = this.table[slot] as number; v !== 0; v = this.table[slot] as number) {
      const id = v - 1;
      if (this.tokenLen[id] === len && this.tokenAnon[id] === (anon ? 1 : 0)) {
        let k = (this.tokenAt[id] as number) + from;
        let i = start;
        while (i < end && text[k] === src[i]) {
          k++;
          i++;
        }
        if (i === end) return id;
      }
      slot = (slot + 1) & mask;
    }
    const value =
      (anon ? "anon:" : "") + (isAscii ? latin1(src, start, end) : utf8.decode(src.subarray(start, end)));
    const sink = this.tokenText;
    const at = sink.len;
    if (anon) sink.bytes(PARTS.anon, 0, 5);
    sink.bytes(src, start, end);
    const id = this.newName(value, at, len, anon);
    this.table[slot] = id + 1;
    this.tokens++;
    if (this.tokens * 2 > this.table.length) this.rehash();
    return id;
  }

  private newName(value: string, at: number, len: number, anon: boolean): number {
    const id = this.names.length;
    this.names.push(value);
    if (id >= this.tokenAt.length) {
      this.tokenAt = grown(this.tokenAt, id + 1);
      this.tokenLen = grown(this.tokenLen, id + 1);
      this.tokenAnon = grown(this.tokenAnon, id + 1);
      this.local = grown(this.local, id + 1);
      this.stamp = grown(this.stamp, id + 1);
    }
    this.tokenAt[id] = at;
    this.tokenLen[id] = len;
    this.tokenAnon[id] = anon ? 1 : 0;
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const text = this.tokenText.buf;
    for (let id = 0; id < this.names.length; id++) {
      const at = this.tokenAt[id] as number;
      if (at < 0) continue;
      const anon = this.tokenAnon[id] === 1;
      const end = at + (this.tokenLen[id] as number);
      let h = anon ? ANON_SEED : SEED;
      for (let i = anon ? at + 5 : at; i < end; i++) h = Math.imul(h ^ (text[i] as number), 0x01000193);
      let slot = h & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
  }

  /** The current block's dictionary index of an id, adding the string to the block's dictionary. */
  private inBlock(id: number): number {
    if (id < 0) return -1;
    if (this.stamp[id] === this.blockNo) return this.local[id] as number;
    this.stamp[id] = this.blockNo;
    const index = this.locals++;
    this.local[id] = index;
    const d = this.dictText;
    if (index > 0) d.byte(0x2c);
    const at = this.tokenAt[id] as number;
    if (at < 0) d.text(JSON.stringify(this.names[id]));
    else {
      d.byte(0x22);
      d.bytes(this.tokenText.buf, at, at + (this.tokenLen[id] as number));
      d.byte(0x22);
    }
    return index;
  }

  /** Starts a call with its columns (ids from `ref`/`refBytes`, -1 = null). */
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
      c.int(this.inBlock(cols[at + k] as number));
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

  /** The block of the calls added since the last `finish`; the builder starts an empty one. */
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
    const payload = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      payload.set(part, at);
      at += part.length;
    }
    const block = {
      count: this.n,
      payload,
      hashes: this.hashes.slice(0, this.n * HASH_WORDS),
      columns: this.columns.slice(0, this.n * COLUMNS),
    };
    this.dictText.len = 0;
    this.c.len = 0;
    this.m.len = 0;
    this.ts.len = 0;
    this.p.len = 0;
    this.n = 0;
    this.locals = 0;
    this.blockNo++;
    return block;
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
