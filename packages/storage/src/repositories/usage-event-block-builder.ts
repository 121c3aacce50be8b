import { BLOCK_V3, COLUMNS, isPackableUuid, msOfCanonical, packUuid } from "./usage-event-block";
import type { UsageEvent } from "./usage-event-repository";
import { HASH_WORDS, hashMessageId, hashMessageIdBytes } from "./usage-id-index";

/** Columns of a call in `EncodedEventBlock.columns` (the order of a block's column numbers). */
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

/** A version 3 block built by `EventBlockBuilder`, with what a writer needs besides its bytes. */
export interface EncodedEventBlock {
  count: number;
  /** The block (version 3, binary); decodes like `encodeEventBlock` of the same calls. */
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

  /** A non-negative integer below 2^53 as a varint (7 bits a byte, low bits first). */
  varint(v: number): void {
    this.ensure(8);
    const buf = this.buf;
    let x = v;
    while (x >= 0x80) {
      buf[this.len++] = (x & 0x7f) | 0x80;
      x = x >= 0x80000000 ? Math.floor(x / 128) : x >>> 7;
    }
    buf[this.len++] = x;
  }
}

const ascii = (s: string) => encoder.encode(s);
const PARTS = {
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
 * Builds version 3 blocks from pieces of the calls' JSON text (bulk import): strings that need no
 * escaping are copied and interned by their bytes, properties are copied as JSON text instead of
 * being parsed and re-serialised, messageIds are hashed from their bytes, UUID messageIds and
 * canonical timestamps are packed (16 bytes, a varint of milliseconds from the previous call's). Calls already parsed into
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

  private readonly dict = new ByteSink(1 << 14);
  private readonly c = new ByteSink(1 << 16);
  private readonly m = new ByteSink(1 << 16);
  private readonly ts = new ByteSink(1 << 16);
  private readonly p = new ByteSink(1 << 16);
  private columns = new Int32Array(COLUMNS * 1024);
  private hashes = new Uint32Array(HASH_WORDS * 1024);
  private n = 0;
  /** The previous call's timestamp in milliseconds (packed timestamps are deltas from it). */
  private lastMs = 0;

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
    const d = this.dict;
    const at = this.tokenAt[id] as number;
    if (at < 0) {
      const bytes = encoder.encode(this.names[id] as string);
      d.varint(bytes.length);
      d.bytes(bytes, 0, bytes.length);
    } else {
      const len = this.tokenLen[id] as number;
      d.varint(len);
      d.bytes(this.tokenText.buf, at, at + len);
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
    for (let k = 0; k < COLUMNS; k++) c.varint(this.inBlock(cols[at + k] as number) + 1);
  }

  /** The messageId as its JSON string token `src[start..end)` (quotes included, no escapes). */
  messageIdBytes(src: Uint8Array, start: number, end: number, isAscii: boolean): void {
    const m = this.m;
    if (end - start === 38 && isPackableUuid(src, start + 1)) {
      m.ensure(17);
      m.buf[m.len] = 1;
      packUuid(src, start + 1, m.buf, m.len + 1);
      m.len += 17;
    } else {
      m.varint((end - start - 2) * 2);
      m.bytes(src, start + 1, end - 1);
    }
    const at = (this.n - 1) * HASH_WORDS;
    if (isAscii) hashMessageIdBytes(src, start + 1, end - 1, this.hashes, at);
    else hashMessageId(utf8.decode(src.subarray(start + 1, end - 1)), this.hashes, at);
  }

  /** The messageId as a string. */
  messageId(id: string): void {
    const bytes = encoder.encode(id);
    const m = this.m;
    if (bytes.length === 36 && isPackableUuid(bytes, 0)) {
      m.ensure(17);
      m.buf[m.len] = 1;
      packUuid(bytes, 0, m.buf, m.len + 1);
      m.len += 17;
    } else {
      m.varint(bytes.length * 2);
      m.bytes(bytes, 0, bytes.length);
    }
    hashMessageId(id, this.hashes, (this.n - 1) * HASH_WORDS);
  }

  /**
   * The timestamp as the JSON string token starting at `src[start]` (its quote), which must hold the
   * canonical UTC form `toISOString` gives (`YYYY-MM-DDTHH:MM:SS.mmmZ`) of a real date.
   */
  timestampBytes(src: Uint8Array, start: number): void {
    this.packedTimestamp(msOfCanonical(src, start + 1));
  }

  timestamp(value: string): void {
    const ms = value.length === 24 ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(ms) && new Date(ms).toISOString() === value) {
      this.packedTimestamp(ms);
      return;
    }
    const bytes = encoder.encode(value);
    this.ts.varint(bytes.length * 2 + 1);
    this.ts.bytes(bytes, 0, bytes.length);
  }

  private packedTimestamp(ms: number): void {
    const delta = ms - this.lastMs;
    this.lastMs = ms;
    // Zigzag (small negatives stay small), then the low bit 0 says "packed".
    this.ts.varint((delta >= 0 ? delta * 2 : -delta * 2 - 1) * 2);
  }

  /** Properties as JSON text of an object (`src[start..end)`), or `{}` when start === end. */
  propertiesBytes(src: Uint8Array, start: number, end: number): void {
    const p = this.p;
    if (start === end) {
      p.varint(2);
      p.byte(0x7b);
      p.byte(0x7d);
    } else {
      p.varint(end - start);
      p.bytes(src, start, end);
    }
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
    const bare = start === end || empty;
    p.varint((bare ? 1 : end - start) + PARTS.name.length + (nameEnd - nameStart) + 1);
    if (bare) p.byte(0x7b);
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
    const bytes = encoder.encode(JSON.stringify(value));
    this.p.varint(bytes.length);
    this.p.bytes(bytes, 0, bytes.length);
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
    const head = new ByteSink(24);
    head.byte(BLOCK_V3);
    head.varint(this.n);
    head.varint(this.locals);
    const parts = [head, this.dict, this.c, this.m, this.ts, this.p];
    let size = 0;
    for (const part of parts) size += part.len;
    const payload = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      payload.set(part.buf.subarray(0, part.len), at);
      at += part.len;
    }
    const block = {
      count: this.n,
      payload,
      hashes: this.hashes.slice(0, this.n * HASH_WORDS),
      columns: this.columns.slice(0, this.n * COLUMNS),
    };
    this.dict.len = 0;
    this.c.len = 0;
    this.m.len = 0;
    this.ts.len = 0;
    this.p.len = 0;
    this.n = 0;
    this.locals = 0;
    this.lastMs = 0;
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
