import type { RollupCells, UsageRollup } from "@tenure/storage";

const DAY_SPACE = 2 ** 14;
const EVENT_SPACE = 2 ** 14;
const MAX_USERS = 2 ** 25;

/** Interns strings as small integers, in arrival order. */
class Dictionary {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** Our id + 1 of each id of a caller's string table (0 = not seen yet), see `idOf`. */
  private external = new Int32Array(256);

  /** The id of `names[ref]`: an array read once the caller's id was seen (no string hashing). */
  idOf(names: readonly string[], ref: number): number {
    const known = ref < this.external.length ? (this.external[ref] as number) : 0;
    if (known !== 0) return known - 1;
    const id = this.id(names[ref] as string);
    if (ref >= this.external.length) {
      let size = this.external.length * 2;
      while (size <= ref) size *= 2;
      const next = new Int32Array(size);
      next.set(this.external);
      this.external = next;
    }
    this.external[ref] = id + 1;
    return id;
  }

  /** rank[id] = position of the name in sorted order; `sorted` the names in that order. */
  ranks(): { rank: Int32Array; sorted: string[] } {
    return rankStrings(this.names);
  }
}

/** rank[i] = the place of `strings[i]` in code-unit order; `sorted` the strings in that order. */
export function rankStrings(strings: readonly string[]): { rank: Int32Array; sorted: string[] } {
  const order = strings.map((_, i) => i).sort((a, b) => compare(strings[a], strings[b]));
  const rank = new Int32Array(strings.length);
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
  return { rank, sorted: order.map((i) => strings[i] as string) };
}

const compare = (a: string | undefined, b: string | undefined) =>
  (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;

/** Most distinct days for the per-user day sort (its counters are reset once per user). */
const MAX_DAYS_PER_PASS = 2_048;

/**
 * Counts keyed by a packed (user, day, event) number, in an open-addressing table of typed arrays:
 * no Map entries or boxed keys per cell, which kept the garbage collector busy on large imports.
 */
class CountTable {
  keys = new Float64Array(1 << 12).fill(-1);
  counts = new Uint32Array(1 << 12);
  size = 0;

  increment(key: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    this.put(key, 1);
  }

  private put(key: number, n: number): void {
    const mask = this.keys.length - 1;
    // Multiplicative hash of the key's low and high 32 bits.
    let i = (Math.imul(key | 0, 0x9e3779b1) ^ Math.imul((key / 4294967296) | 0, 0x85ebca6b)) & mask;
    for (;;) {
      const k = this.keys[i] as number;
      if (k === key) {
        this.counts[i] = (this.counts[i] as number) + n;
        return;
      }
      if (k === -1) {
        this.keys[i] = key;
        this.counts[i] = n;
        this.size++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const keys = this.keys;
    const counts = this.counts;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.counts = new Uint32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++)
      if (keys[i] !== -1) this.put(keys[i] as number, counts[i] as number);
  }
}

/**
 * Event counts per (user, day, event), accumulated in memory over many calls and handed out once,
 * sorted in the rollup table's key order. Users, days and events are interned so each call costs
 * three small-map lookups and one typed-array update instead of building and hashing a joined key.
 */
export class RollupCounter {
  private readonly users = new Dictionary();
  private readonly days = new Dictionary();
  private readonly events = new Dictionary();
  private readonly counts = new CountTable();
  /** Keys beyond the numeric packing (over 16,384 days or event names, or 33M users in one flush). */
  private readonly overflow = new Map<string, UsageRollup>();

  /** Counts one usage call. */
  add(userKey: string, day: string, event: string): void {
    this.count(this.users.id(userKey), this.days.id(day), this.events.id(event), userKey, day, event);
  }

  /**
   * Counts one usage call named by ids into `names`, a string table the caller keeps for all its calls
   * (the bulk import's parser): array reads instead of three string-map lookups per call. One
   * counter takes ids of one table only.
   */
  addNamed(names: readonly string[], user: number, day: number, event: number): void {
    const u = this.users.idOf(names, user);
    const d = this.days.idOf(names, day);
    const e = this.events.idOf(names, event);
    this.count(u, d, e, names[user] as string, names[day] as string, names[event] as string);
  }

  private count(u: number, d: number, e: number, userKey: string, day: string, event: string): void {
    if (u < MAX_USERS && d < DAY_SPACE && e < EVENT_SPACE) {
      this.counts.increment((u * DAY_SPACE + d) * EVENT_SPACE + e);
      return;
    }
    const key = `${userKey}\u0000${day}\u0000${event}`;
    const r = this.overflow.get(key);
    if (r === undefined) this.overflow.set(key, { userKey, day, event, count: 1 });
    else r.count++;
  }

  get size(): number {
    return this.counts.size + this.overflow.size;
  }

  /**
   * The counts as columns (no object per cell), unique and sorted by (user, day) when nothing
   * overflowed (events in any order within a day): what `UsageRollupRepository.addCells` takes.
   */
  cells(): RollupCells {
    const users = this.users.ranks();
    const days = this.days.ranks();
    const events = this.events.ranks();
    const { keys, counts, size } = this.counts;
    const nd = Math.max(1, days.sorted.length);
    const ne = Math.max(1, events.sorted.length);
    const total = size + this.overflow.size;
    const out: RollupCells = {
      userKeys: users.sorted,
      days: days.sorted,
      events: events.sorted,
      user: new Int32Array(total),
      day: new Int32Array(total),
      event: new Int32Array(total),
      count: new Float64Array(total),
      size: total,
    };
    // Sort keys from the ranks, dense (users × days × events), each followed by its slot so one
    // typed-array sort orders the cells and still finds their counts.
    const slots = keys.length;
    const dense = users.sorted.length * nd * ne;
    const rank = (key: number) => {
      const e = key % EVENT_SPACE;
      const d = Math.floor(key / EVENT_SPACE) % DAY_SPACE;
      const u = Math.floor(key / (EVENT_SPACE * DAY_SPACE));
      return ((users.rank[u] as number) * nd + (days.rank[d] as number)) * ne + (events.rank[e] as number);
    };
    const put = (k: number, r: number, count: number) => {
      out.user[k] = Math.floor(r / (nd * ne));
      out.day[k] = Math.floor(r / ne) % nd;
      out.event[k] = r % ne;
      out.count[k] = count;
    };
    const nu = users.sorted.length;
    if (nd <= MAX_DAYS_PER_PASS) {
      // Counting sorts, cache-sized: by user over the table (a user-sized counter array, one output
      // stream per user), then by day inside each user's block (a day-sized counter array). Events stay
      // in any order within a day. A global sort, or one counter per (user, day), costs several times
      // more in cache misses on millions of cells.
      const E = 1 / EVENT_SPACE;
      const D = 1 / DAY_SPACE;
      const userStart = new Int32Array(nu + 1);
      for (let i = 0; i < slots; i++) {
        const key = keys[i] as number;
        if (key === -1) continue;
        // Floors of products by exact power-of-two reciprocals split a key: no floating-point `%` (slow).
        const u = Math.floor(Math.floor(key * E) * D);
        const b = (users.rank[u] as number) + 1;
        userStart[b] = (userStart[b] as number) + 1;
      }
      for (let b = 0; b < nu; b++) userStart[b + 1] = (userStart[b + 1] as number) + (userStart[b] as number);
      const blockDay = new Int32Array(size);
      const blockEvent = new Int32Array(size);
      const blockCount = new Float64Array(size);
      const next = userStart.slice(0, nu);
      for (let i = 0; i < slots; i++) {
        const key = keys[i] as number;
        if (key === -1) continue;
        const rest = Math.floor(key * E);
        const u = Math.floor(rest * D);
        const ur = users.rank[u] as number;
        const k = next[ur] as number;
        next[ur] = k + 1;
        blockDay[k] = days.rank[rest - u * DAY_SPACE] as number;
        blockEvent[k] = events.rank[key - rest * EVENT_SPACE] as number;
        blockCount[k] = counts[i] as number;
      }
      const dayStart = new Int32Array(nd + 1);
      for (let ur = 0; ur < nu; ur++) {
        const from = userStart[ur] as number;
        const to = userStart[ur + 1] as number;
        dayStart.fill(0);
        for (let k = from; k < to; k++) {
          const b = (blockDay[k] as number) + 1;
          dayStart[b] = (dayStart[b] as number) + 1;
        }
        dayStart[0] = from;
        for (let b = 0; b < nd; b++) dayStart[b + 1] = (dayStart[b + 1] as number) + (dayStart[b] as number);
        for (let k = from; k < to; k++) {
          const d = blockDay[k] as number;
          const o = dayStart[d] as number;
          dayStart[d] = o + 1;
          out.user[o] = ur;
          out.day[o] = d;
          out.event[o] = blockEvent[k] as number;
          out.count[o] = blockCount[k] as number;
        }
      }
    } else if (dense * slots < Number.MAX_SAFE_INTEGER) {
      const packed = new Float64Array(size);
      let n = 0;
      for (let i = 0; i < slots; i++) {
        const key = keys[i] as number;
        if (key !== -1) packed[n++] = rank(key) * slots + i;
      }
      packed.sort();
      for (let k = 0; k < size; k++) {
        const p = packed[k] as number;
        put(k, Math.floor(p / slots), counts[p % slots] as number);
      }
    } else {
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < slots; i++) {
        const key = keys[i] as number;
        if (key !== -1) pairs.push([rank(key), counts[i] as number]);
      }
      pairs.sort((a, b) => a[0] - b[0]);
      for (let k = 0; k < pairs.length; k++) {
        const [r, count] = pairs[k] as [number, number];
        put(k, r, count);
      }
    }
    // Overflowed cells go last, with their names appended (the repository orders them).
    let k = size;
    for (const r of this.overflow.values()) {
      out.user[k] = users.sorted.push(r.userKey) - 1;
      out.day[k] = days.sorted.push(r.day) - 1;
      out.event[k] = events.sorted.push(r.event) - 1;
      out.count[k] = r.count;
      k++;
    }
    return out;
  }

  /** The counts as rows, unique and sorted by (user, day, event) when nothing overflowed. */
  rows(): UsageRollup[] {
    const c = this.cells();
    // cells() orders events only by (user, day): order each run by event here.
    for (let k = 0; k < c.size; ) {
      let end = k + 1;
      while (end < c.size && c.user[end] === c.user[k] && c.day[end] === c.day[k]) end++;
      const run = Array.from({ length: end - k }, (_, j) => [
        c.event[k + j] as number,
        c.count[k + j] as number,
      ]);
      run.sort((x, y) => (x[0] as number) - (y[0] as number));
      run.forEach(([e, n], j) => {
        c.event[k + j] = e as number;
        c.count[k + j] = n as number;
      });
      k = end;
    }
    const out: UsageRollup[] = new Array(c.size);
    for (let k = 0; k < c.size; k++)
      out[k] = {
        userKey: c.userKeys[c.user[k] as number] as string,
        day: c.days[c.day[k] as number] as string,
        event: c.events[c.event[k] as number] as string,
        count: c.count[k] as number,
      };
    return out;
  }
}
