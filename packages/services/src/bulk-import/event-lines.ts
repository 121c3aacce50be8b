import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { type NativeLineParser, nativeModule, RUN } from "@tenure/native";
import type { UsageEvent } from "@tenure/storage";
import { type EncodedEventBlock, EventBlockBuilder } from "@tenure/storage/event-log";
import { MAX_YEAR, MIN_YEAR } from "../import/calendar";
import {
  MAX_EVENT_BYTES,
  normalizeTimestamp,
  parseTrackingMessage,
  type TrackingMessage,
  toUsageEvent,
} from "../tracking/tracking-message";
import { CallScanner, ESCAPED, FIELD, KIND, NON_ASCII } from "./call-scanner";

/** One bad line of a piece of a JSON-lines file; `row` counts from 1 at the piece's first line. */
export interface LineIssue {
  row: number;
  column: string | null;
  reason: string;
}

/**
 * An encoded block of calls plus the identify/group messages among them (by index in the block).
 * `columns` hold ids of the parser's `names`, which hold across all the blocks it parses.
 */
export interface ParsedBlock extends EncodedEventBlock {
  describing: Array<[index: number, message: TrackingMessage]>;
}

/** What parsing a piece of a JSON-lines file (whole lines) found. */
export interface ParsedLines {
  /** Lines in the piece, blank ones included (its row numbers run 1..lines). */
  lines: number;
  /** Non-blank lines. */
  rowsRead: number;
  /** Bad lines, in order, at most `maxErrors`. */
  errors: LineIssue[];
  /** True (and nothing else) when the piece is not valid UTF-8. */
  invalidUtf8: boolean;
  /** The valid calls, in order, in blocks of at most `blockSize`. */
  blocks: ParsedBlock[];
  /** Calls read by the byte scanner, and calls that went through JSON.parse. */
  scanned: number;
  parsed: number;
}

export interface ParseLinesOptions {
  receivedAt: string;
  blockSize: number;
  maxErrors: number;
  /**
   * False: the native scanner leaves each block's messageId hashes out (`hashes` empty) for the caller
   * to compute from the block (`blockHashes` in import-parser.ts), off the parser's thread. The TypeScript scanner always
   * hashes. Default true.
   */
  hashIds?: boolean;
}

// Keeps a leading U+FEFF (a default TextDecoder drops it): it is part of the string.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
enum Ts {
  None = 0,
  Span = 1,
  Text = 2,
  Invalid = 3,
}

/**
 * Parses whole JSON lines into encoded blocks with exactly what `JSON.parse` + `parseTrackingMessage`
 * would give: common calls are read by a validating byte scanner and copied into the block as text;
 * any line it is unsure of goes through JSON.parse. The scanner is the native module's
 * (@tenure/native, C++) when it was built, else the TypeScript one below; both give the same calls.
 * One parser reads the pieces of one import in order (its string ids hold across them).
 */
export class EventLineParser {
  private readonly builder = new EventBlockBuilder();
  private native: NativeBlocks | null = null;
  private readonly useNative: boolean;

  /** `native: false` keeps to the TypeScript scanner (tests compare the two). */
  constructor(options: { native?: boolean } = {}) {
    this.useNative = options.native ?? true;
  }

  /** Strings by the ids blocks' `columns` use. */
  get names(): readonly string[] {
    return this.native === null ? this.builder.names : this.native.names;
  }

  /** True when the native scanner reads the lines. */
  get isNative(): boolean {
    return this.useNative && nativeModule() !== null;
  }

  /** Parses `bytes`: whole lines, without the last line's newline. */
  parse(bytes: Uint8Array, opts: ParseLinesOptions): ParsedLines {
    const out: ParsedLines = {
      lines: 0,
      rowsRead: 0,
      errors: [],
      invalidUtf8: false,
      blocks: [],
      scanned: 0,
      parsed: 0,
    };
    if (!isUtf8(bytes)) {
      out.invalidUtf8 = true;
      return out;
    }
    const module = this.useNative ? nativeModule() : null;
    if (module === null) {
      new LineReader(bytes, opts, this.builder).run(out);
      return out;
    }
    if (this.native === null)
      this.native = new NativeBlocks(
        new module.LineParser(opts.receivedAt, opts.blockSize, opts.hashIds ?? true),
        opts,
      );
    else this.native.check(opts);
    new LineReader(bytes, opts, this.builder, this.native).runNative(out, this.native.parser);
    this.native.syncNames();
    return out;
  }
}

/** The native parser's blocks, and a copy of its names on this side. */
class NativeBlocks {
  readonly names: string[] = [];

  constructor(
    readonly parser: NativeLineParser,
    private readonly opts: ParseLinesOptions,
  ) {}

  /** One native parser serves one import: its arrival time and block size are fixed. */
  check(opts: ParseLinesOptions): void {
    if (
      opts.receivedAt !== this.opts.receivedAt ||
      opts.blockSize !== this.opts.blockSize ||
      (opts.hashIds ?? true) !== (this.opts.hashIds ?? true)
    )
      throw new Error("EventLineParser: every piece of an import is parsed with the same options");
  }

  get count(): number {
    return this.parser.count();
  }

  addEvent(e: UsageEvent): void {
    this.parser.addEvent(
      e.type,
      e.event,
      e.userKey,
      e.userId,
      e.anonymousId,
      e.day,
      e.receivedAt,
      e.messageId,
      e.timestamp,
      JSON.stringify(e.properties),
    );
  }

  finish(): EncodedEventBlock {
    return this.parser.finish();
  }

  syncNames(): void {
    for (const name of this.parser.names(this.names.length)) this.names.push(name);
  }
}

class LineReader {
  private readonly scanner = new CallScanner();
  private describing: Array<[number, TrackingMessage]> = [];
  private readonly refs: BlockRefs;
  private tsText = "";

  /** Where calls go: the native parser's blocks when it reads the lines, else the builder. */
  private readonly sink: Pick<EventBlockBuilder, "count" | "addEvent" | "finish">;

  constructor(
    private readonly b: Uint8Array,
    private readonly opts: ParseLinesOptions,
    private readonly builder: EventBlockBuilder,
    native: NativeBlocks | null = null,
  ) {
    this.refs = new BlockRefs(builder, opts.receivedAt);
    this.sink = native ?? builder;
  }

  /** `run` with the native scanner (the one behind `sink`): it reads every line it can, this side the others. */
  runNative(out: ParsedLines, native: NativeLineParser): void {
    const b = this.b;
    const at = new Int32Array(3);
    let pos = 0;
    let row = 0;
    for (;;) {
      const status = native.run(b, pos, at);
      row += at[1] as number;
      out.rowsRead += at[2] as number;
      out.scanned += at[2] as number;
      pos = at[0] as number;
      if (status === RUN.full) {
        this.flush(out);
        continue;
      }
      if (status === RUN.end) break;
      row++;
      pos = this.otherLine(out, row, pos);
      if (pos < 0) break;
    }
    out.lines = row;
    if (this.sink.count > 0) this.flush(out);
  }

  run(out: ParsedLines): void {
    const b = this.b;
    const len = b.length;
    let pos = 0;
    let row = 0;
    for (;;) {
      row++;
      // The usual line: one object, read by the scanner, which also finds where the line ends.
      let s = pos;
      while (s < len && isTrimmed(b[s] as number)) s++;
      if (s < len && b[s] === 0x7b) {
        const e = this.scanner.scan(b, s, len);
        if (e > 0) {
          let q = e;
          while (q < len && isTrimmed(b[q] as number)) q++;
          if ((q === len || b[q] === 0x0a) && e - s <= MAX_EVENT_BYTES && this.fast(s, e)) {
            out.rowsRead++;
            out.scanned++;
            this.afterCall(out);
            if (q === len) break;
            pos = q + 1;
            continue;
          }
        }
      }
      pos = this.otherLine(out, row, pos);
      if (pos < 0) break;
    }
    out.lines = row;
    if (this.builder.count > 0) this.flush(out);
  }

  /**
   * The line at `pos` that the scanner left (blank, or through JSON.parse); returns where the next line
   * starts, or -1 when it was the last.
   */
  private otherLine(out: ParsedLines, row: number, pos: number): number {
    const b = this.b;
    const nl = b.indexOf(10, pos);
    const lineEnd = nl < 0 ? b.length : nl;
    let blank = true;
    for (let i = pos; i < lineEnd && blank; i++) blank = isTrimmed(b[i] as number);
    if (!blank) this.slow(out, row, pos, lineEnd);
    return nl < 0 ? -1 : nl + 1;
  }

  private afterCall(out: ParsedLines): void {
    if (this.sink.count >= this.opts.blockSize) this.flush(out);
  }

  private flush(out: ParsedLines): void {
    out.blocks.push({ ...this.sink.finish(), describing: this.describing });
    this.describing = [];
  }

  /** The line through JSON.parse and parseTrackingMessage, as the import always read it. */
  private slow(out: ParsedLines, row: number, start: number, end: number): void {
    const line = decoder.decode(this.b.subarray(start, end)).trim();
    if (line === "") return;
    out.rowsRead++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.issue(out, row, null, `invalid JSON: ${(error as Error).message}`);
      return;
    }
    const r = parseTrackingMessage(value, `line ${row}`, {
      receivedAt: this.opts.receivedAt,
      serialized: line,
    });
    if (!r.ok) {
      this.issue(out, row, r.issue.field === "" ? null : r.issue.field, r.issue.message);
      return;
    }
    out.parsed++;
    const m = r.message;
    if (m.type === "identify" || m.type === "group") this.describing.push([this.sink.count, m]);
    this.sink.addEvent(toUsageEvent(m, this.opts.receivedAt));
    this.afterCall(out);
  }

  private issue(out: ParsedLines, row: number, column: string | null, reason: string): void {
    if (out.errors.length < this.opts.maxErrors) out.errors.push({ row, column, reason });
  }

  /**
   * A track, page or screen call the scanner read (`b[s..e)`, trimmed), added to the block when every
   * field is one this path handles exactly; false (and nothing added) otherwise.
   */
  private fast(s: number, e: number): boolean {
    const b = this.b;
    const { kind, start, end, flags } = this.scanner;

    // type: only usage calls (identify, group and alias carry traits: JSON.parse reads those).
    if (kind[FIELD.type] !== KIND.string) return false;
    const t0 = start[FIELD.type] as number;
    const tLen = (end[FIELD.type] as number) - t0 - 2;
    let type: 0 | 1 | 2;
    if (tLen === 5 && same(b, t0 + 1, TRACK)) type = 0;
    else if (tLen === 4 && same(b, t0 + 1, PAGE)) type = 1;
    else if (tLen === 6 && same(b, t0 + 1, SCREEN)) type = 2;
    else return false;

    const uid = this.id(FIELD.userId, 512);
    if (uid === BAD) return false;
    const anon = this.id(FIELD.anonymousId, 512);
    if (anon === BAD) return false;
    if (uid === NONE && anon === NONE) return false;
    if (this.id(FIELD.groupId, 512) === BAD) return false;

    // messageId: a string of at most 512 characters; absent, null or "" → derived from the line.
    const mk = kind[FIELD.messageId];
    let derived = false;
    if (mk === KIND.absent || mk === KIND.null) derived = true;
    else if (mk !== KIND.string || (flags[FIELD.messageId] as number) & ESCAPED) return false;
    else {
      const len = this.textLength(FIELD.messageId);
      if (len > 512) return false;
      derived = len === 0;
    }

    // The usage event name.
    if (type === 0) {
      if (kind[FIELD.event] !== KIND.string || (flags[FIELD.event] as number) & ESCAPED) return false;
      const len = this.textLength(FIELD.event);
      if (len === 0 || len > 200) return false;
    } else {
      const nk = kind[FIELD.name];
      if (nk !== KIND.absent && nk !== KIND.null && nk !== KIND.string) return false;
    }

    for (const f of OBJECT_FIELDS) {
      const k = kind[f];
      if (k !== KIND.absent && k !== KIND.null && k !== KIND.object) return false;
    }
    const named = type !== 0 && kind[FIELD.name] === KIND.string;
    if (named && kind[FIELD.properties] === KIND.object && this.scanner.propertiesKeyEscaped) return false;

    // timestamp, else originalTimestamp (read only when timestamp is absent); sentAt is checked.
    let tsField: number = FIELD.timestamp;
    let ts = this.timestamp(FIELD.timestamp);
    if (ts === Ts.Invalid) return false;
    if (ts === Ts.None) {
      tsField = FIELD.originalTimestamp;
      ts = this.timestamp(FIELD.originalTimestamp);
      if (ts === Ts.Invalid) return false;
    }
    const tsText = this.tsText;
    if (this.timestamp(FIELD.sentAt) === Ts.Invalid) return false;

    // Every check passed: add the call.
    const builder = this.builder;
    const refs = this.refs;
    const receivedAt = this.opts.receivedAt;
    let day: number;
    if (ts === Ts.Span) {
      const t = start[tsField] as number;
      day = builder.refBytes(b, t + 1, t + 11, false, true);
    } else day = builder.ref((ts === Ts.Text ? tsText : receivedAt).slice(0, 10));
    let userKey: number;
    let userId = -1;
    let anonymousId = -1;
    if (uid !== NONE) userId = userKey = this.ref(FIELD.userId, uid, false);
    if (anon !== NONE) anonymousId = this.ref(FIELD.anonymousId, anon, false);
    if (uid === NONE) userKey = this.ref(FIELD.anonymousId, anon, true);
    else userKey = userId;
    let event: number;
    if (type === 0) {
      const ev = start[FIELD.event] as number;
      event = builder.refBytes(
        b,
        ev + 1,
        (end[FIELD.event] as number) - 1,
        false,
        !((flags[FIELD.event] as number) & NON_ASCII),
      );
    } else event = type === 1 ? refs.page : refs.screen;
    builder.begin(type === 0 ? refs.track : event, event, userKey, userId, anonymousId, day, refs.receivedAt);

    if (derived) {
      const hash = createHash("sha256").update(b.subarray(s, e));
      if (ts === Ts.None) hash.update(`\u0000${receivedAt}`);
      builder.messageId(`h_${hash.digest("hex").slice(0, 40)}`);
    } else
      builder.messageIdBytes(
        b,
        start[FIELD.messageId] as number,
        end[FIELD.messageId] as number,
        !((flags[FIELD.messageId] as number) & NON_ASCII),
      );

    if (ts === Ts.Span) builder.timestampBytes(b, start[tsField] as number);
    else builder.timestamp(ts === Ts.Text ? tsText : receivedAt);

    const pk = kind[FIELD.properties];
    const ps = pk === KIND.object ? (start[FIELD.properties] as number) : 0;
    const pe = pk === KIND.object ? (end[FIELD.properties] as number) : 0;
    if (named && !(pk === KIND.object && this.scanner.propertiesHasName))
      builder.propertiesWithName(
        b,
        ps,
        pe,
        pk !== KIND.object || this.scanner.propertiesEmpty,
        start[FIELD.name] as number,
        end[FIELD.name] as number,
      );
    else builder.propertiesBytes(b, ps, pe);
    return true;
  }

  /** Characters (UTF-16 units) of a string field without escapes. */
  private textLength(field: number): number {
    const s = (this.scanner.start[field] as number) + 1;
    const e = (this.scanner.end[field] as number) - 1;
    if (!((this.scanner.flags[field] as number) & NON_ASCII)) return e - s;
    return decoder.decode(this.b.subarray(s, e)).length;
  }

  /**
   * An id field (`optionalId`): NONE when absent, null or "", STRING for a string of at most `max`
   * characters without escapes, NUMBER for a number, BAD for anything JSON.parse must decide.
   */
  private id(field: number, max: number): number {
    const k = this.scanner.kind[field];
    if (k === KIND.absent || k === KIND.null) return NONE;
    if (k === KIND.number) return NUMBER;
    if (k !== KIND.string || (this.scanner.flags[field] as number) & ESCAPED) return BAD;
    const len = this.textLength(field);
    if (len === 0) return NONE;
    return len > max ? BAD : STRING;
  }

  /** Dictionary index of an id field's string (`anon`: as the user key "anon:<id>"). */
  private ref(field: number, how: number, anon: boolean): number {
    const { start, end, flags } = this.scanner;
    const s = start[field] as number;
    const e = end[field] as number;
    if (how === NUMBER) {
      let text = "";
      for (let i = s; i < e; i++) text += String.fromCharCode(this.b[i] as number);
      const id = String(Number(text));
      return this.builder.ref(anon ? `anon:${id}` : id);
    }
    return this.builder.refBytes(this.b, s + 1, e - 1, anon, !((flags[field] as number) & NON_ASCII));
  }

  /**
   * A timestamp field (`optionalTimestamp`): None when absent or null; Span when its text is already
   * the canonical UTC form of a real date; Text (in `tsText`) when it parses as a date; else Invalid.
   */
  private timestamp(field: number): Ts {
    const { kind, start, end, flags } = this.scanner;
    const k = kind[field];
    if (k === KIND.absent || k === KIND.null) return Ts.None;
    if (k !== KIND.string || (flags[field] as number) & ESCAPED) return Ts.Invalid;
    const s = (start[field] as number) + 1;
    const e = (end[field] as number) - 1;
    if (e - s === 24 && canonical(this.b, s)) return Ts.Span;
    const text = decoder.decode(this.b.subarray(s, e));
    const normal = normalizeTimestamp(text);
    if (normal === null) return Ts.Invalid;
    this.tsText = normal;
    return Ts.Text;
  }
}

const ascii = (text: string) => new TextEncoder().encode(text);
const TRACK = ascii("track");
const PAGE = ascii("page");
const SCREEN = ascii("screen");
const same = (b: Uint8Array, at: number, word: Uint8Array) => {
  for (let i = 0; i < word.length; i++) if (b[at + i] !== word[i]) return false;
  return true;
};
/** Fields that must be objects when present. */
const OBJECT_FIELDS = [FIELD.properties, FIELD.traits, FIELD.context];

/** `fast` outcomes for id fields. */
const NONE = 0;
const STRING = 1;
const NUMBER = 2;
const BAD = 3;

/** Bytes `String.prototype.trim` removes that the scanner can skip (others make the line go slow). */
const isTrimmed = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d;

/** Ids most calls use. */
class BlockRefs {
  readonly track: number;
  readonly page: number;
  readonly screen: number;
  readonly receivedAt: number;

  constructor(builder: EventBlockBuilder, receivedAt: string) {
    this.track = builder.ref("track");
    this.page = builder.ref("page");
    this.screen = builder.ref("screen");
    this.receivedAt = builder.ref(receivedAt);
  }
}

const d = (b: Uint8Array, i: number) => (b[i] as number) - 0x30;
const digit = (b: Uint8Array, i: number) => (b[i] as number) >= 0x30 && (b[i] as number) <= 0x39;

/**
 * `YYYY-MM-DDTHH:MM:SS.mmmZ` at `b[s..s+24)` naming a real date in MIN_YEAR..MAX_YEAR, i.e. a string
 * `normalizeTimestamp` gives back unchanged.
 */
function canonical(b: Uint8Array, s: number): boolean {
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22])
    if (!digit(b, s + i)) return false;
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || b[s + 10] !== 0x54 || b[s + 13] !== 0x3a) return false;
  if (b[s + 16] !== 0x3a || b[s + 19] !== 0x2e || b[s + 23] !== 0x5a) return false;
  const month = d(b, s + 5) * 10 + d(b, s + 6);
  const day = d(b, s + 8) * 10 + d(b, s + 9);
  if (month < 1 || month > 12 || day < 1) return false;
  if (d(b, s + 11) * 10 + d(b, s + 12) > 23 || d(b, s + 14) > 5 || d(b, s + 17) > 5) return false;
  const year = d(b, s) * 1000 + d(b, s + 1) * 100 + d(b, s + 2) * 10 + d(b, s + 3);
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  if (day <= 28) return true;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}
