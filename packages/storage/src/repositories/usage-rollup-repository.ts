import { type Kysely, sql } from "kysely";
import { ROLLUP_WEEKS_PER_UPSERT } from "../dialects/row-writes";
import type { Database } from "../schema";
import { atomically, chunksFor, excluded, type RepositoryContext } from "./repository-context";
import {
  CellBuffer,
  dayNumber,
  dayOfWeek,
  dayString,
  decodeCells,
  encodeCells,
  type RollupCells,
  WeekDecoder,
  weekOf,
} from "./usage-rollup-cells";

/** Number of usage events of one user, day and event name. */
export interface UsageRollup {
  userKey: string;
  day: string;
  event: string;
  count: number;
}

/** Events of one account, day and event name (users attributed through their current account). */
export interface AccountEventCount {
  day: string;
  event: string;
  count: number;
}

/** An event block whose rollup counts are still to be added. */
export interface PendingRollupBlock {
  blockId: number;
  workspaceId: string;
}

/** The table of migration 0102, typed here because only this repository uses it. */
type PendingTables = { usage_rollup_pending: { block_id: number; workspace_id: string } };

export interface UsageRollupRepository {
  /** Adds `count` to each (user, day, event) rollup, creating the ones that do not exist. */
  addCounts(workspaceId: string, rows: readonly UsageRollup[]): Promise<void>;
  /** `addCounts` for columnar cells (a RollupCounter's output): no object per cell. */
  addCells(workspaceId: string, cells: RollupCells): Promise<void>;
  /** Every rollup of the workspace, by (user, day, event). */
  list(workspaceId: string): Promise<UsageRollup[]>;
  /**
   * Event blocks whose rollup counts are not yet added (see migration 0102), in block order. Inside a
   * transaction on PostgreSQL the rows are locked, so two catch-ups never add the same block twice.
   */
  pendingBlocks(): Promise<PendingRollupBlock[]>;
  /** Marks blocks as rolled up; call in the transaction that adds their counts. */
  clearPending(blockIds: readonly number[]): Promise<void>;
  /** Event counts per day and event name of the account's users, days in [from, to]. */
  accountEventCounts(
    workspaceId: string,
    accountId: string,
    from: string,
    to: string,
  ): Promise<AccountEventCount[]>;
  /** Distinct active users per day of the account, days in [from, to]; days without activity are absent. */
  accountDailyActiveUsers(
    workspaceId: string,
    accountId: string,
    from: string,
    to: string,
  ): Promise<Array<{ day: string; users: number }>>;
  /** Distinct users of the account active on any day in [from, to] (WAU/MAU windows). */
  accountActiveUsers(workspaceId: string, accountId: string, from: string, to: string): Promise<number>;
}

/** One stored week row as read back: user, Monday, packed cells. */
export type WeekRow = [userKey: string, week: string, cells: string];

/** Event names of a workspace by id (index = event_id), read in the caller's transaction if any. */
export async function eventNames(db: Kysely<Database>, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("usage_event_names")
    .select(["event_id", "name"])
    .where("workspace_id", "=", workspaceId)
    .execute();
  const names: string[] = [];
  for (const r of rows) names[Number(r.event_id)] = r.name;
  return names;
}

/** Day strings of day numbers, cached (a few hundred distinct days per read). */
export class DayNames {
  private readonly cache = new Map<number, string>();
  of(n: number): string {
    let s = this.cache.get(n);
    if (s === undefined) {
      s = dayString(n);
      this.cache.set(n, s);
    }
    return s;
  }
}

/**
 * Week rows of the account's users whose week overlaps [from, to]. Attribution happens here, at read
 * time: a user's rollups belong to the account of its latest `group` call, so usage that arrived before
 * the mapping is counted once the mapping exists.
 */
export async function accountWeekRows(
  ctx: RepositoryContext,
  workspaceId: string,
  accountId: string,
  from: string,
  to: string,
): Promise<{
  rows: WeekRow[];
  /** Each row's user's department (rows[i] ↔ departments[i]), read in the same join. */
  departments: (string | null)[];
  decoder: WeekDecoder;
  fromDay: number;
  toDay: number;
}> {
  const fromDay = dayNumber(from);
  const weekFrom = weekOf(from);
  const [names, rows] = await Promise.all([
    eventNames(ctx.db, workspaceId),
    ctx.db
      .selectFrom("usage_users as u")
      .innerJoin("usage_rollup_weeks as r", (j) =>
        j.onRef("r.workspace_id", "=", "u.workspace_id").onRef("r.user_key", "=", "u.user_key"),
      )
      .select(["r.user_key", "r.week", "r.cells", "u.department"])
      .where("u.workspace_id", "=", workspaceId)
      .where("u.account_id", "=", accountId)
      .where("r.week", ">=", weekFrom)
      .where("r.week", "<=", to)
      .execute(),
  ]);
  return {
    rows: rows.map((r) => [r.user_key, r.week, r.cells]),
    departments: rows.map((r) => r.department),
    decoder: new WeekDecoder(names),
    fromDay,
    toDay: dayNumber(to),
  };
}

/** Counts per (day, event name) of decoded week rows, by day then event. */
export function sumByDayAndEvent(read: {
  rows: readonly WeekRow[];
  decoder: WeekDecoder;
  fromDay: number;
  toDay: number;
}): AccountEventCount[] {
  const { rows, decoder, fromDay, toDay } = read;
  const sums = new Map<number, number>();
  const stride = 1 << 20;
  for (const [, week, cells] of rows)
    decoder.each(week, cells, fromDay, toDay, (d, e, count) => {
      const k = (d - fromDay) * stride + e;
      sums.set(k, (sums.get(k) ?? 0) + count);
    });
  const days = new DayNames();
  return [...sums]
    .map(([k, count]) => ({
      day: days.of(fromDay + Math.floor(k / stride)),
      event: decoder.name(k % stride),
      count,
    }))
    .sort((a, b) => compareStrings(a.day, b.day) || compareStrings(a.event, b.event));
}

const WEEK_COLUMNS = 4;
/** Users whose existing weeks are read and rewritten per step. */
const USERS_PER_STEP = 1_000;

/** Columnar cells from row objects (interned, in any order). */
export function cellsOfRows(rows: readonly UsageRollup[]): RollupCells {
  const intern = () => {
    const ids = new Map<string, number>();
    const names: string[] = [];
    return {
      names,
      id(s: string) {
        let id = ids.get(s);
        if (id === undefined) {
          id = names.length;
          ids.set(s, id);
          names.push(s);
        }
        return id;
      },
    };
  };
  const users = intern();
  const days = intern();
  const events = intern();
  const n = rows.length;
  const out: RollupCells = {
    userKeys: users.names,
    days: days.names,
    events: events.names,
    user: new Int32Array(n),
    day: new Int32Array(n),
    event: new Int32Array(n),
    count: new Float64Array(n),
    size: n,
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i] as UsageRollup;
    out.user[i] = users.id(r.userKey);
    out.day[i] = days.id(r.day);
    out.event[i] = events.id(r.event);
    out.count[i] = r.count;
  }
  return out;
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** rank[i] = position of names[i] among the distinct names in sorted order (equal names, equal ranks). */
function ranks(names: readonly string[]): Int32Array {
  const order = names.map((_, i) => i).sort((a, b) => compareStrings(names[a] as string, names[b] as string));
  const rank = new Int32Array(names.length);
  let r = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (k === 0 || names[i] !== names[order[k - 1] as number]) r++;
    rank[i] = r;
  }
  return rank;
}

/**
 * Cell indexes in (user, week) key order: the identity when the cells already come so (a RollupCounter's
 * output), else a sort.
 */
function keyOrder(cells: RollupCells, userRank: Int32Array, weekOfDay: Float64Array): Int32Array | null {
  const { user, day, size } = cells;
  let sorted = true;
  for (let i = 1; i < size && sorted; i++) {
    const a = userRank[user[i - 1] as number] as number;
    const b = userRank[user[i] as number] as number;
    sorted =
      a < b ||
      (a === b && (weekOfDay[day[i - 1] as number] as number) <= (weekOfDay[day[i] as number] as number));
  }
  if (sorted) return null;
  const order = Int32Array.from({ length: size }, (_, i) => i);
  order.sort(
    (i, j) =>
      (userRank[user[i] as number] as number) - (userRank[user[j] as number] as number) ||
      (weekOfDay[day[i] as number] as number) - (weekOfDay[day[j] as number] as number),
  );
  return order;
}

/** Sorts the first `n` (key, count) pairs by key and sums equal keys; returns the new length. */
function sortCells(keys: Float64Array, counts: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const k = keys[i] as number;
    const c = counts[i] as number;
    let j = i - 1;
    while (j >= 0 && (keys[j] as number) > k) {
      keys[j + 1] = keys[j] as number;
      counts[j + 1] = counts[j] as number;
      j--;
    }
    keys[j + 1] = k;
    counts[j + 1] = c;
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (m > 0 && keys[m - 1] === keys[i]) counts[m - 1] = (counts[m - 1] as number) + (counts[i] as number);
    else {
      keys[m] = keys[i] as number;
      counts[m] = counts[i] as number;
      m++;
    }
  }
  return m;
}

/**
 * Adds columnar cells to the week rows: reads the touched weeks of each step of users, merges, rewrites
 * them in key order, and adds the per-day event totals. Runs in `db` (a transaction).
 */
async function writeCells(
  ctx: RepositoryContext,
  db: Kysely<Database>,
  workspaceId: string,
  cells: RollupCells,
): Promise<void> {
  const { adapter } = ctx;
  const writer = ctx.writer;
  const lock = adapter.transactionLock(`usage_rollups:${workspaceId}`);
  if (lock !== null) await lock.execute(db);

  // Event ids: existing names keep theirs, new names get the next ones.
  const names = await eventNames(db, workspaceId);
  const idOf = new Map(names.map((name, id) => [name, id]));
  const eventId = new Int32Array(cells.events.length);
  const added: Array<{ workspace_id: string; event_id: number; name: string }> = [];
  for (let e = 0; e < cells.events.length; e++) {
    const name = cells.events[e] as string;
    let id = idOf.get(name);
    if (id === undefined) {
      id = names.length + added.length;
      idOf.set(name, id);
      added.push({ workspace_id: workspaceId, event_id: id, name });
    }
    eventId[e] = id;
  }
  for (const chunk of chunksFor(adapter, added, 3))
    await db.insertInto("usage_event_names").values(chunk).execute();

  // Per input day: its week (Monday day number and string) and day of week.
  const nDays = cells.days.length;
  const dayNum = new Float64Array(nDays);
  const weekOfDay = new Float64Array(nDays);
  const dow = new Int32Array(nDays);
  const weekName = new Map<number, string>();
  for (let d = 0; d < nDays; d++) {
    const n = dayNumber(cells.days[d] as string);
    if (!Number.isFinite(n)) throw new Error(`usage rollups: invalid day "${cells.days[d]}"`);
    dayNum[d] = n;
    dow[d] = dayOfWeek(n);
    weekOfDay[d] = n - (dow[d] as number);
    if (!weekName.has(weekOfDay[d] as number))
      weekName.set(weekOfDay[d] as number, dayString(weekOfDay[d] as number));
  }
  const userRank = ranks(cells.userKeys);
  const order = keyOrder(cells, userRank, weekOfDay);
  // Unsorted input is permuted once, so the walk below reads every column in order.
  const permute = <T extends Int32Array | Float64Array>(a: T): T => {
    if (order === null) return a;
    const out = new (a.constructor as new (n: number) => T)(cells.size);
    for (let k = 0; k < cells.size; k++) out[k] = a[order[k] as number] as number;
    return out;
  };

  // Per-day event totals, dense over (input day, input event) when small enough.
  const nEvents = cells.events.length;
  const dense = nDays * nEvents <= 1 << 22;
  const totals = dense ? new Float64Array(nDays * nEvents) : null;
  const sparse = dense ? null : new Map<number, number>();

  const scratch = new CellBuffer();
  const existing = new CellBuffer();
  const merged = new CellBuffer();
  // The embedded database's prepared reads and upserts (null: the portable Kysely path below).
  const prepared = adapter.preparedWrites(writer);
  const params: unknown[] = new Array(ROLLUP_WEEKS_PER_UPSERT * WEEK_COLUMNS);
  let pendingRows = 0;
  const kyselyRows: Array<{ workspace_id: string; user_key: string; week: string; cells: string }> = [];

  const { size } = cells;
  const user = permute(cells.user);
  const day = permute(cells.day);
  const event = permute(cells.event);
  const count = permute(cells.count);
  let i = 0;
  while (i < size) {
    // One step: the cells of up to USERS_PER_STEP users, and their stored weeks in the touched range.
    const stepStart = i;
    const stepUsers: Array<{ key: string; minWeek: number; maxWeek: number }> = [];
    while (i < size && stepUsers.length < USERS_PER_STEP) {
      const u = user[i] as number;
      const ur = userRank[u] as number;
      let minWeek = Number.POSITIVE_INFINITY;
      let maxWeek = Number.NEGATIVE_INFINITY;
      while (i < size && userRank[user[i] as number] === ur) {
        const w = weekOfDay[day[i] as number] as number;
        if (w < minWeek) minWeek = w;
        if (w > maxWeek) maxWeek = w;
        i++;
      }
      stepUsers.push({ key: cells.userKeys[u] as string, minWeek, maxWeek });
    }
    const stored = new Map<string, string>();
    if (prepared !== null) {
      for (const s of stepUsers)
        for (const r of prepared.storedRollupWeeks(
          workspaceId,
          s.key,
          weekName.get(s.minWeek) as string,
          weekName.get(s.maxWeek) as string,
        ))
          stored.set(`${s.key}\u0000${r[0] as string}`, r[1] as string);
    } else {
      let minWeek = Number.POSITIVE_INFINITY;
      let maxWeek = Number.NEGATIVE_INFINITY;
      for (const s of stepUsers) {
        minWeek = Math.min(minWeek, s.minWeek);
        maxWeek = Math.max(maxWeek, s.maxWeek);
      }
      for (const chunk of chunksFor(adapter, stepUsers, 1)) {
        const rows = await db
          .selectFrom("usage_rollup_weeks")
          .select(["user_key", "week", "cells"])
          .where("workspace_id", "=", workspaceId)
          .where(
            "user_key",
            "in",
            chunk.map((s) => s.key),
          )
          .where("week", ">=", weekName.get(minWeek) as string)
          .where("week", "<=", weekName.get(maxWeek) as string)
          .execute();
        for (const r of rows) stored.set(`${r.user_key}\u0000${r.week}`, r.cells);
      }
    }

    // Each (user, week) group of the step: its new cells, merged with the stored ones.
    let g = stepStart;
    while (g < i) {
      const u = user[g] as number;
      const ur = userRank[u] as number;
      const w = weekOfDay[day[g] as number] as number;
      let n = 0;
      while (g < i && userRank[user[g] as number] === ur && weekOfDay[day[g] as number] === w) {
        const c = g;
        const d = day[c] as number;
        const e = event[c] as number;
        const k = count[c] as number;
        if (n === scratch.keys.length) scratch.grow();
        scratch.keys[n] = (eventId[e] as number) * 8 + (dow[d] as number);
        scratch.counts[n] = k;
        n++;
        if (totals !== null) totals[d * nEvents + e] = (totals[d * nEvents + e] as number) + k;
        else {
          const t = d * nEvents + e;
          sparse?.set(t, (sparse.get(t) ?? 0) + k);
        }
        g++;
      }
      n = sortCells(scratch.keys, scratch.counts, n);
      const userKey = cells.userKeys[u] as string;
      const week = weekName.get(w) as string;
      const old = stored.get(`${userKey}\u0000${week}`);
      let bytes: string;
      if (old === undefined) bytes = encodeCells(scratch.keys, scratch.counts, n);
      else {
        const m = decodeCells(old, existing);
        while (merged.keys.length < n + m) merged.grow();
        let a = 0;
        let b = 0;
        let o = 0;
        while (a < m || b < n) {
          const ka = a < m ? (existing.keys[a] as number) : Number.POSITIVE_INFINITY;
          const kb = b < n ? (scratch.keys[b] as number) : Number.POSITIVE_INFINITY;
          if (ka < kb) {
            merged.keys[o] = ka;
            merged.counts[o++] = existing.counts[a++] as number;
          } else if (kb < ka) {
            merged.keys[o] = kb;
            merged.counts[o++] = scratch.counts[b++] as number;
          } else {
            merged.keys[o] = ka;
            merged.counts[o++] = (existing.counts[a++] as number) + (scratch.counts[b++] as number);
          }
        }
        bytes = encodeCells(merged.keys, merged.counts, o);
      }
      if (prepared !== null) {
        const p = pendingRows * WEEK_COLUMNS;
        params[p] = workspaceId;
        params[p + 1] = userKey;
        params[p + 2] = week;
        params[p + 3] = bytes;
        if (++pendingRows === ROLLUP_WEEKS_PER_UPSERT) {
          prepared.upsertRollupWeeks(params, ROLLUP_WEEKS_PER_UPSERT);
          pendingRows = 0;
        }
      } else kyselyRows.push({ workspace_id: workspaceId, user_key: userKey, week, cells: bytes });
    }
    if (kyselyRows.length > 0) {
      for (const chunk of chunksFor(adapter, kyselyRows, WEEK_COLUMNS))
        await db
          .insertInto("usage_rollup_weeks")
          .values(chunk)
          .onConflict((oc) =>
            oc.columns(["workspace_id", "user_key", "week"]).doUpdateSet(excluded(["cells"])),
          )
          .execute();
      kyselyRows.length = 0;
    }
  }
  if (prepared !== null && pendingRows > 0) prepared.upsertRollupWeeks(params, pendingRows);

  const totalRows: Array<{ workspace_id: string; day: string; event_id: number; count: number }> = [];
  const pushTotal = (t: number, k: number) => {
    if (k === 0) return;
    const d = Math.floor(t / nEvents);
    totalRows.push({
      workspace_id: workspaceId,
      day: dayString(dayNum[d] as number),
      event_id: eventId[t % nEvents] as number,
      count: k,
    });
  };
  if (totals !== null) for (let t = 0; t < totals.length; t++) pushTotal(t, totals[t] as number);
  else for (const [t, k] of sparse ?? []) pushTotal(t, k);
  for (const chunk of chunksFor(adapter, totalRows, 4))
    await db
      .insertInto("usage_event_totals")
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(["workspace_id", "day", "event_id"])
          .doUpdateSet({ count: sql`usage_event_totals.count + excluded.count` }),
      )
      .execute();
}

export function createUsageRollupRepository(ctx: RepositoryContext): UsageRollupRepository {
  const { adapter } = ctx;
  const addCells = async (workspaceId: string, cells: RollupCells) => {
    if (cells.size === 0) return;
    await atomically(ctx, (db) => writeCells(ctx, db, workspaceId, cells));
  };

  return {
    addCounts: (workspaceId, rows) => addCells(workspaceId, cellsOfRows(rows)),
    addCells,

    async pendingBlocks() {
      const query = ctx.db
        .withTables<PendingTables>()
        .selectFrom("usage_rollup_pending")
        .select(["block_id", "workspace_id"])
        .orderBy("block_id");
      const rows = await (ctx.adapter.rowLocks && ctx.db.isTransaction ? query.forUpdate() : query).execute();
      return rows.map((r) => ({ blockId: Number(r.block_id), workspaceId: r.workspace_id }));
    },

    async clearPending(blockIds) {
      for (const chunk of chunksFor(adapter, [...blockIds], 1)) {
        if (chunk.length === 0) continue;
        await ctx.db
          .withTables<PendingTables>()
          .deleteFrom("usage_rollup_pending")
          .where("block_id", "in", chunk)
          .execute();
      }
    },

    async list(workspaceId) {
      const [names, rows] = await Promise.all([
        eventNames(ctx.db, workspaceId),
        ctx.db
          .selectFrom("usage_rollup_weeks")
          .select(["user_key", "week", "cells"])
          .where("workspace_id", "=", workspaceId)
          .orderBy("user_key")
          .orderBy("week")
          .execute(),
      ]);
      const decoder = new WeekDecoder(names);
      const days = new DayNames();
      const out: UsageRollup[] = [];
      for (const r of rows)
        decoder.each(r.week, r.cells, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, (d, e, count) => {
          out.push({ userKey: r.user_key, day: days.of(d), event: decoder.name(e), count });
        });
      // Cells are stored by (event id, day), and user_key order of the database may differ from JS
      // order (PostgreSQL collations): one sort in JS.
      return out.sort(
        (a, b) =>
          compareStrings(a.userKey, b.userKey) ||
          compareStrings(a.day, b.day) ||
          compareStrings(a.event, b.event),
      );
    },

    async accountEventCounts(workspaceId, accountId, from, to) {
      return sumByDayAndEvent(await accountWeekRows(ctx, workspaceId, accountId, from, to));
    },

    async accountDailyActiveUsers(workspaceId, accountId, from, to) {
      const { rows, decoder, fromDay, toDay } = await accountWeekRows(ctx, workspaceId, accountId, from, to);
      const users = new Map<number, number>();
      // Each (user, week) is one row, so a day seen in a row is one more distinct user of that day.
      for (const [, week, cells] of rows) {
        let seen = 0;
        decoder.each(week, cells, fromDay, toDay, (d) => {
          const bit = 1 << (d - decoder.weekDay(week));
          if ((seen & bit) === 0) {
            seen |= bit;
            users.set(d, (users.get(d) ?? 0) + 1);
          }
        });
      }
      const days = new DayNames();
      return [...users].sort((a, b) => a[0] - b[0]).map(([d, n]) => ({ day: days.of(d), users: n }));
    },

    async accountActiveUsers(workspaceId, accountId, from, to) {
      const { rows, decoder, fromDay, toDay } = await accountWeekRows(ctx, workspaceId, accountId, from, to);
      const active = new Set<string>();
      for (const [userKey, week, cells] of rows) {
        if (active.has(userKey)) continue;
        decoder.each(week, cells, fromDay, toDay, () => active.add(userKey));
      }
      return active.size;
    },
  };
}
