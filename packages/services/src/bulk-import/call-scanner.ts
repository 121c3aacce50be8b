/**
 * A validating scanner for one JSON-lines call: checks the bytes against the JSON grammar (as
 * `JSON.parse` accepts it) without building values, and records where the top-level fields the
 * tracking message reads are. It answers "not sure" (false) for anything it does not handle
 * exactly (escaped or repeated top-level keys, -0 or overflowing numbers, deep nesting, bytes outside
 * strings that are not JSON, a NUL escape \u0000 that a call must not carry), so the caller can let
 * `JSON.parse` and `parseTrackingMessage` decide.
 */

/** Kinds of a scanned value. */
export const KIND = {
  absent: 0,
  string: 1,
  number: 2,
  object: 3,
  array: 4,
  true: 5,
  false: 6,
  null: 7,
} as const;

/** String flags. */
export const ESCAPED = 1;
export const NON_ASCII = 2;

/** The top-level fields `parseTrackingMessage` reads, as indexes into the scanner's arrays. */
export const FIELD = {
  type: 0,
  userId: 1,
  anonymousId: 2,
  messageId: 3,
  event: 4,
  name: 5,
  groupId: 6,
  properties: 7,
  traits: 8,
  context: 9,
  timestamp: 10,
  originalTimestamp: 11,
  sentAt: 12,
} as const;
const FIELDS = 13;

const NAMES: Uint8Array[] = Object.keys(FIELD).map((k) => new TextEncoder().encode(k));

/** Nesting beyond this is left to JSON.parse (keeps the recursion shallow). */
const MAX_DEPTH = 64;

/** JSON whitespace within one line (a newline ends the line, so it is never inside a call). */
const isWhite = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

export class CallScanner {
  /**
   * Per field: kind, value span `[start, end)` (strings include their quotes), string flags. Valid for
   * the fields whose bit is set in `present`; `kind` is KIND.absent for the others.
   */
  readonly kind = new Uint8Array(FIELDS);
  readonly start = new Int32Array(FIELDS);
  readonly end = new Int32Array(FIELDS);
  readonly flags = new Uint8Array(FIELDS);
  present = 0;
  /** About `properties` when it is an object: no members; a top-level "name" key; an escaped top-level key. */
  propertiesEmpty = false;
  propertiesHasName = false;
  propertiesKeyEscaped = false;

  private b: Uint8Array = new Uint8Array(0);
  private lim = 0;
  private stringFlags = 0;
  private valueKind = 0;

  /**
   * Scans the object starting at `b[start]` (which must be "{"), reading no further than `limit`.
   * Returns the position after its closing brace when it is one JSON object whose known fields were
   * recorded, or -1 when JSON.parse must decide.
   */
  scan(b: Uint8Array, start: number, limit: number): number {
    this.b = b;
    this.lim = limit;
    const kind = this.kind;
    for (let f = 0; f < FIELDS; f++) kind[f] = KIND.absent;
    this.present = 0;
    this.propertiesEmpty = false;
    this.propertiesHasName = false;
    this.propertiesKeyEscaped = false;
    let pos = this.white(start + 1);
    if (pos >= limit) return -1;
    if (b[pos] === 0x7d) return pos + 1;
    for (;;) {
      if (b[pos] !== 0x22) return -1;
      const keyEnd = this.string(pos);
      if (keyEnd < 0 || (this.stringFlags & ESCAPED) !== 0) return -1;
      const field = this.field(pos + 1, keyEnd - 1);
      pos = b[keyEnd] === 0x3a ? keyEnd : this.white(keyEnd);
      if (pos >= limit || b[pos] !== 0x3a) return -1;
      pos++;
      if (pos < limit && isWhite(b[pos] as number)) pos = this.white(pos);
      if (pos >= limit) return -1;
      const valueStart = pos;
      if (field >= 0) {
        if ((this.present & (1 << field)) !== 0) return -1;
        this.present |= 1 << field;
      }
      pos = this.value(pos, 1, field === FIELD.properties);
      if (pos < 0) return -1;
      if (field >= 0) {
        kind[field] = this.valueKind;
        this.start[field] = valueStart;
        this.end[field] = pos;
        this.flags[field] = this.valueKind === KIND.string ? this.stringFlags : 0;
      }
      if (pos < limit && isWhite(b[pos] as number)) pos = this.white(pos);
      if (pos >= limit) return -1;
      const c = b[pos];
      if (c === 0x7d) return pos + 1;
      if (c !== 0x2c) return -1;
      pos++;
      if (pos < limit && isWhite(b[pos] as number)) pos = this.white(pos);
      if (pos >= limit) return -1;
    }
  }

  /** The field index of the key `b[start..end)`, or -1. */
  private field(start: number, end: number): number {
    const b = this.b;
    const c = b[start];
    let f: number;
    switch (end - start) {
      case 4:
        f = c === 0x74 ? FIELD.type : c === 0x6e ? FIELD.name : -1;
        break;
      case 5:
        f = FIELD.event;
        break;
      case 6:
        f = c === 0x75 ? FIELD.userId : c === 0x74 ? FIELD.traits : c === 0x73 ? FIELD.sentAt : -1;
        break;
      case 7:
        f = c === 0x67 ? FIELD.groupId : c === 0x63 ? FIELD.context : -1;
        break;
      case 9:
        f = c === 0x6d ? FIELD.messageId : c === 0x74 ? FIELD.timestamp : -1;
        break;
      case 10:
        f = FIELD.properties;
        break;
      case 11:
        f = FIELD.anonymousId;
        break;
      case 17:
        f = FIELD.originalTimestamp;
        break;
      default:
        return -1;
    }
    if (f < 0) return -1;
    const name = NAMES[f] as Uint8Array;
    for (let i = 1; i < name.length; i++) if (b[start + i] !== name[i]) return -1;
    return f;
  }

  private white(pos: number): number {
    let p = pos;
    while (p < this.lim && isWhite(this.b[p] as number)) p++;
    return p;
  }

  /** Scans one value at `pos`; returns the position after it, or -1. Sets `valueKind`. */
  private value(pos: number, depth: number, watchName: boolean): number {
    const b = this.b;
    const c = b[pos] as number;
    if (c === 0x22) {
      this.valueKind = KIND.string;
      return this.string(pos);
    }
    if (c === 0x7b) {
      this.valueKind = KIND.object;
      return depth > MAX_DEPTH ? -1 : this.object(pos, depth, watchName);
    }
    if (c === 0x5b) {
      this.valueKind = KIND.array;
      return depth > MAX_DEPTH ? -1 : this.array(pos, depth);
    }
    if (c === 0x2d || isDigit(c)) {
      this.valueKind = KIND.number;
      return this.number(pos);
    }
    if (c === 0x74) {
      this.valueKind = KIND.true;
      return this.literal(pos, TRUE);
    }
    if (c === 0x66) {
      this.valueKind = KIND.false;
      return this.literal(pos, FALSE);
    }
    if (c === 0x6e) {
      this.valueKind = KIND.null;
      return this.literal(pos, NULL);
    }
    return -1;
  }

  private literal(pos: number, word: Uint8Array): number {
    if (pos + word.length > this.lim) return -1;
    for (let i = 0; i < word.length; i++) if (this.b[pos + i] !== word[i]) return -1;
    return pos + word.length;
  }

  /** A string token at `pos` (the opening quote); returns the position after the closing quote. */
  private string(pos: number): number {
    const b = this.b;
    const lim = this.lim;
    let flags = 0;
    let i = pos + 1;
    while (i < lim) {
      // Most bytes of a string are plain ASCII: one table read skips them.
      if (PLAIN[b[i] as number] === 1) {
        i++;
        continue;
      }
      const c = b[i] as number;
      if (c === 0x22) {
        this.stringFlags = flags;
        return i + 1;
      }
      if (c === 0x5c) {
        flags |= ESCAPED;
        const e = b[i + 1];
        if (
          e === 0x22 ||
          e === 0x5c ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        )
          i += 2;
        else if (e === 0x75) {
          if (i + 6 > lim) return -1;
          for (let k = 2; k < 6; k++) if (!isHex(b[i + k] as number)) return -1;
          // \u0000: parseTrackingMessage refuses it, naming the field.
          if (b[i + 2] === 0x30 && b[i + 3] === 0x30 && b[i + 4] === 0x30 && b[i + 5] === 0x30) return -1;
          i += 6;
        } else return -1;
        continue;
      }
      if (c < 0x20) return -1;
      if (c >= 0x80) flags |= NON_ASCII;
      i++;
    }
    return -1;
  }

  /**
   * A number token. -0 (which a JSON round trip turns into 0), overflowing values (Infinity, which
   * JSON.stringify writes as null) and underflows to -0 are refused, so copying the text of a number
   * keeps its value exactly.
   */
  private number(pos: number): number {
    const b = this.b;
    const lim = this.lim;
    let i = pos;
    const negative = b[i] === 0x2d;
    if (negative) i++;
    if (i >= lim) return -1;
    const intStart = i;
    if (b[i] === 0x30) i++;
    else if (isDigit(b[i] as number)) while (i < lim && isDigit(b[i] as number)) i++;
    else return -1;
    const intDigits = i - intStart;
    let exponent = false;
    if (i < lim && b[i] === 0x2e) {
      i++;
      if (i >= lim || !isDigit(b[i] as number)) return -1;
      while (i < lim && isDigit(b[i] as number)) i++;
    }
    if (i < lim && (b[i] === 0x65 || b[i] === 0x45)) {
      exponent = true;
      i++;
      if (i < lim && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (i >= lim || !isDigit(b[i] as number)) return -1;
      while (i < lim && isDigit(b[i] as number)) i++;
    }
    if (exponent || intDigits > 300 || (negative && b[intStart] === 0x30)) {
      let text = "";
      for (let k = pos; k < i; k++) text += String.fromCharCode(b[k] as number);
      const v = Number(text);
      if (!Number.isFinite(v) || Object.is(v, -0)) return -1;
    }
    return i;
  }

  private object(pos: number, depth: number, watchName: boolean): number {
    const b = this.b;
    const lim = this.lim;
    let p = this.white(pos + 1);
    if (p >= lim) return -1;
    if (b[p] === 0x7d) {
      if (watchName) this.propertiesEmpty = true;
      this.valueKind = KIND.object;
      return p + 1;
    }
    for (;;) {
      if (b[p] !== 0x22) return -1;
      const keyEnd = this.string(p);
      if (keyEnd < 0) return -1;
      if (watchName) {
        if ((this.stringFlags & ESCAPED) !== 0) this.propertiesKeyEscaped = true;
        else if (
          keyEnd - p === 6 &&
          b[p + 1] === 0x6e &&
          b[p + 2] === 0x61 &&
          b[p + 3] === 0x6d &&
          b[p + 4] === 0x65
        )
          this.propertiesHasName = true;
      }
      p = this.white(keyEnd);
      if (p >= lim || b[p] !== 0x3a) return -1;
      p = this.white(p + 1);
      if (p >= lim) return -1;
      p = this.value(p, depth + 1, false);
      if (p < 0) return -1;
      p = this.white(p);
      if (p >= lim) return -1;
      const c = b[p];
      if (c === 0x7d) {
        this.valueKind = KIND.object;
        return p + 1;
      }
      if (c !== 0x2c) return -1;
      p = this.white(p + 1);
      if (p >= lim) return -1;
    }
  }

  private array(pos: number, depth: number): number {
    const b = this.b;
    const lim = this.lim;
    let p = this.white(pos + 1);
    if (p >= lim) return -1;
    if (b[p] === 0x5d) {
      this.valueKind = KIND.array;
      return p + 1;
    }
    for (;;) {
      p = this.value(p, depth + 1, false);
      if (p < 0) return -1;
      p = this.white(p);
      if (p >= lim) return -1;
      const c = b[p];
      if (c === 0x5d) {
        this.valueKind = KIND.array;
        return p + 1;
      }
      if (c !== 0x2c) return -1;
      p = this.white(p + 1);
      if (p >= lim) return -1;
    }
  }
}

/** 1 for bytes a string holds as they are: ASCII from 0x20, but for the quote and the backslash. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = c === 0x22 || c === 0x5c ? 0 : 1;

const TRUE = new TextEncoder().encode("true");
const FALSE = new TextEncoder().encode("false");
const NULL = new TextEncoder().encode("null");
