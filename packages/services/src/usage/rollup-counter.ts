import type { UsageRollup } from "@tenure/storage";

const DAY_BITS = 2 ** 14;
const EVENT_BITS = 2 ** 14;
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

  /** rank[id] = position of the name in sorted order; `sorted` the names in that order. */
  ranks(): { rank: Int32Array; sorted: string[] } {
    const order = this.names.map((_, i) => i).sort((a, b) => compare(this.names[a], this.names[b]));
    const rank = new Int32Array(this.names.length);
    for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
    return { rank, sorted: order.map((i) => this.names[i] as string) };
  }
}

const compare = (a: string | undefined, b: string | undefined) =>
  (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;

/**
 * Event counts per (user, day, event), accumulated in memory over many calls and handed out once,
 * sorted in the rollup table's key order. Users, days and events are interned so each call costs
 * three small-map lookups and one numeric-key update instead of building and hashing a joined key.
 */
export class RollupCounter {
  private readonly users = new Dictionary();
  private readonly days = new Dictionary();
  private readonly events = new Dictionary();
  private readonly counts = new Map<number, number>();
  /** Keys beyond the numeric packing (over 16,384 days or event names, or 33M users in one flush). */
  private readonly overflow = new Map<string, UsageRollup>();

  /** Counts one usage call. */
  add(userKey: string, day: string, event: string): void {
    const u = this.users.id(userKey);
    const d = this.days.id(day);
    const e = this.events.id(event);
    if (u < MAX_USERS && d < DAY_BITS && e < EVENT_BITS) {
      const key = (u * DAY_BITS + d) * EVENT_BITS + e;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
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

  /** The counts, unique and sorted by (user, day, event) when nothing overflowed. */
  rows(): UsageRollup[] {
    const users = this.users.ranks();
    const days = this.days.ranks();
    const events = this.events.ranks();
    const keys = new Float64Array(this.counts.size);
    const bySortKey = new Map<number, number>();
    let i = 0;
    for (const [key, count] of this.counts) {
      const e = key % EVENT_BITS;
      const d = Math.floor(key / EVENT_BITS) % DAY_BITS;
      const u = Math.floor(key / (EVENT_BITS * DAY_BITS));
      const sortKey =
        ((users.rank[u] as number) * DAY_BITS + (days.rank[d] as number)) * EVENT_BITS +
        (events.rank[e] as number);
      keys[i++] = sortKey;
      bySortKey.set(sortKey, count);
    }
    keys.sort();
    const out: UsageRollup[] = new Array(keys.length);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as number;
      out[k] = {
        userKey: users.sorted[Math.floor(key / (EVENT_BITS * DAY_BITS))] as string,
        day: days.sorted[Math.floor(key / EVENT_BITS) % DAY_BITS] as string,
        event: events.sorted[key % EVENT_BITS] as string,
        count: bySortKey.get(key) as number,
      };
    }
    for (const r of this.overflow.values()) out.push(r);
    return out;
  }
}
