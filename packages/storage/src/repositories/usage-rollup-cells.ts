/**
 * The packed rollup layout (migration 0401): one `usage_rollup_weeks` row per (workspace, user, ISO week),
 * keyed by the week's Monday, holding that week's (day-of-week, event, count) cells packed as text. Event names
 * are interned per workspace in `usage_event_names`.
 *
 * Cells are text, not bytes: a driver hands back a short string several times faster than a Buffer
 * (an ArrayBuffer per row kept the garbage collector busy on the health recompute's 700k weeks). For
 * each cell, in ascending `key` order, two varints: `key` = eventId * 8 + dayOfWeek (Monday = 0) and
 * `count` (>= 1), each as little-endian base-32 digits, digit v written as the character 0x30 + v
 * (+ 32 when more digits follow): printable ASCII from '0' to 'o', never ','. Counts up to 2^53.
 */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' day. */
export const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
/** The 'YYYY-MM-DD' of a day number. */
export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday). */
export const dayOfWeek = (n: number): number => (((n + 3) % 7) + 7) % 7;
/** The Monday of the ISO week holding `day`, 'YYYY-MM-DD'. */
export const weekOf = (day: string): string => {
  const n = dayNumber(day);
  return dayString(n - dayOfWeek(n));
};

/** First character of the alphabet: digit v (0-63) of a varint is the character CELL_BASE + v. */
const CELL_BASE = 0x30;
/** Scratch for encoding (grown as needed); one latin1 decode turns it into the stored text. */
let scratch = Buffer.allocUnsafe(1 << 12);

/** Encoded cells of one week, from parallel sorted `keys` and `counts` (first `n` entries). */
export function encodeCells(keys: ArrayLike<number>, counts: ArrayLike<number>, n: number): string {
  // A cell takes at most 2 × 11 characters (values below 2^53).
  if (scratch.length < n * 22) scratch = Buffer.allocUnsafe(n * 22 * 2);
  let p = 0;
  for (let i = 0; i < n; i++) {
    p = writeVarint(scratch, p, keys[i] as number);
    p = writeVarint(scratch, p, counts[i] as number);
  }
  return scratch.toString("latin1", 0, p);
}

/** Little-endian base-32 digits; a digit with bit 5 set is followed by more. */
function writeVarint(out: Uint8Array, p: number, v: number): number {
  while (v >= 32) {
    out[p++] = CELL_BASE + 32 + (v % 32);
    v = Math.floor(v / 32);
  }
  out[p++] = CELL_BASE + v;
  return p;
}

/**
 * Decodes the cells of `text` from character `start` to `end` (default: all) into `keys`/`counts`
 * (grown as needed) and returns how many there are. Keys come out ascending, as they were written.
 */
export function decodeCells(text: string, into: CellBuffer, start = 0, end = text.length): number {
  let n = 0;
  let p = start;
  while (p < end) {
    let key = 0;
    let scale = 1;
    let c: number;
    do {
      c = text.charCodeAt(p++) - CELL_BASE;
      key += (c & 31) * scale;
      scale *= 32;
    } while (c >= 32);
    let count = 0;
    scale = 1;
    do {
      c = text.charCodeAt(p++) - CELL_BASE;
      count += (c & 31) * scale;
      scale *= 32;
    } while (c >= 32);
    if (n === into.keys.length) into.grow();
    into.keys[n] = key;
    into.counts[n] = count;
    n++;
  }
  return n;
}

/** Reusable decode target, so reading millions of weeks allocates no per-row arrays. */
export class CellBuffer {
  keys = new Float64Array(64);
  counts = new Float64Array(64);

  grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const counts = new Float64Array(this.counts.length * 2);
    keys.set(this.keys);
    counts.set(this.counts);
    this.keys = keys;
    this.counts = counts;
  }
}

// A cell's key is `eventId * 8 + dayOfWeek`; readers split it inline (hot loops) as `key % 8` and
// `Math.floor(key / 8)`.

/**
 * Calls `visit(day, event, count)` for each cell of one week row whose day is in [from, to] (either
 * bound may be null), with event names from `names` (id -> name). Days are strings from a small cache.
 */
export class WeekDecoder {
  private readonly buffer = new CellBuffer();
  private readonly weeks = new Map<string, number>();

  constructor(private readonly names: readonly string[]) {}

  /** Day number of a week's Monday, cached (a few hundred distinct weeks). */
  weekDay(week: string): number {
    let n = this.weeks.get(week);
    if (n === undefined) {
      n = dayNumber(week);
      this.weeks.set(week, n);
    }
    return n;
  }

  /** The event name of an id (a missing id is a bug in the writer, never silently skipped). */
  name(id: number): string {
    const name = this.names[id];
    if (name === undefined) throw new Error(`usage rollups: unknown event id ${id}`);
    return name;
  }

  /** Visits the cells of `week` with day numbers in [fromDay, toDay]. */
  each(
    week: string,
    cells: string,
    fromDay: number,
    toDay: number,
    visit: (day: number, eventId: number, count: number) => void,
  ): void {
    const monday = this.weekDay(week);
    const n = decodeCells(cells, this.buffer);
    const { keys, counts } = this.buffer;
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      const day = monday + (key % 8);
      if (day < fromDay || day > toDay) continue;
      visit(day, Math.floor(key / 8), counts[i] as number);
    }
  }
}

/** Cells to add, columnar: cell i is (userKeys[user[i]], days[day[i]], events[event[i]]) += count[i]. */
export interface RollupCells {
  userKeys: readonly string[];
  days: readonly string[];
  events: readonly string[];
  user: Int32Array;
  day: Int32Array;
  event: Int32Array;
  count: Float64Array;
  /** Number of cells (the typed arrays may be longer). */
  size: number;
}
