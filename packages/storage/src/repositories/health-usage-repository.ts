import { type CompiledQuery, sql } from "kysely";
import type { AccountRange } from "./account-range";
import type { RepositoryContext } from "./repository-context";
import {
  CellBuffer,
  dayNumber,
  dayOfWeek,
  dayString,
  decodeCells,
  WeekDecoder,
  weekOf,
} from "./usage-rollup-cells";
import { DayNames, eventNames } from "./usage-rollup-repository";

/** Usage window of a health recompute: weekly buckets ending on `to`, plus the recent-days cut-off. */
export interface UsageWindow {
  /** Last day of the window (asOf), YYYY-MM-DD. */
  to: string;
  /** Start day of each weekly bucket, oldest first; bucket k covers [starts[k], starts[k+1]) (the last ends at `to`). */
  weekStarts: readonly string[];
  /** First day that counts as "recent" (e.g. the last 30 days). */
  recentFrom: string;
  /** Key events whose recent use is reported per user (bit i of `keyMask` = keyEvents[i]). */
  keyEvents: readonly string[];
}

/**
 * Every attributed user (an account id) of the workspace with its usage, as parallel columns in user_key
 * order: no per-user objects. Day columns are null when the user has no usage in range.
 */
export interface UserUsageColumns {
  userKey: string[];
  accountId: string[];
  name: (string | null)[];
  email: (string | null)[];
  role: (string | null)[];
  department: (string | null)[];
  /** First and last usage day up to `to` (all history). */
  firstDay: (string | null)[];
  lastDay: (string | null)[];
  /** Events per weekly bucket, row-major (`users × weeks`); NaN = no usage rows in that week. */
  weekEvents: Float64Array;
  /** 1 when the user has usage on or after `recentFrom`. */
  recent: Uint8Array;
  /** Key events used on or after `recentFrom`, one bit per key event (array of 30-bit words per user). */
  keyMask: Int32Array;
  /** Words per user in `keyMask`. */
  keyWords: number;
}

export interface HealthUsageRepository {
  /**
   * The health recompute's usage read for the users of the accounts in `range` (every attributed user
   * when undefined), in two queries: per-user spans (first and last stored week), and the week rows of
   * the window, decoded and bucketed here. Walks users in (account, user_key) order on
   * usage_users_account_user_idx and reads each one's weeks through the primary key: no workspace-wide
   * scan and no sort. Rows come in that order.
   */
  userUsage(workspaceId: string, window: UsageWindow, range?: AccountRange): Promise<UserUsageColumns>;
}

const KEY_BITS = 30;

export function createHealthUsageRepository(ctx: RepositoryContext): HealthUsageRepository {
  const { adapter } = ctx;
  // Read as arrays (no per-row objects); inside a transaction the array reader would not see
  // uncommitted rows, so there the normal path is used.
  const arrays = async (c: CompiledQuery): Promise<unknown[][]> => {
    if (!ctx.db.isTransaction) return ctx.readArrays(c.sql, c.parameters);
    const res = await ctx.db.executeQuery<Record<string, unknown>>(c);
    return res.rows.map((r) => Object.values(r));
  };

  return {
    async userUsage(workspaceId, window, range) {
      const { to, weekStarts, recentFrom, keyEvents } = window;
      const weeks = weekStarts.length;
      const from = weekStarts[0] ?? to;
      const fromDay = dayNumber(from);
      const toDay = dayNumber(to);
      const recentDay = dayNumber(recentFrom);
      const weekFrom = dayString(fromDay - dayOfWeek(fromDay));
      // Bucket of each day of [from, to]: bucket k covers [starts[k], starts[k+1]).
      const bucketOf = new Int32Array(Math.max(0, toDay - fromDay + 1)).fill(-1);
      for (let k = 0; k < weeks; k++) {
        const start = dayNumber(weekStarts[k] as string) - fromDay;
        const next = weekStarts[k + 1];
        const end = next === undefined ? bucketOf.length : dayNumber(next) - fromDay;
        for (let d = Math.max(0, start); d < end && d < bucketOf.length; d++) bucketOf[d] = k;
      }
      const users =
        range === undefined
          ? sql`u.workspace_id = ${workspaceId} AND u.account_id IS NOT NULL`
          : sql`u.workspace_id = ${workspaceId} AND u.account_id >= ${range.from} AND u.account_id <= ${range.to}`;
      const weeksTable = sql.raw(`usage_rollup_weeks r ${adapter.primaryKeyHint("usage_rollup_weeks")}`);
      const own = sql`r.workspace_id = u.workspace_id AND r.user_key = u.user_key AND r.week <= ${to}`;
      // Spans: index seeks per user on the weeks' primary key instead of grouping the whole history.
      const spans = sql<unknown>`SELECT u.user_key, u.account_id, u.name, u.email, u.role, u.department,
        (SELECT r.week FROM ${weeksTable} WHERE ${own} ORDER BY r.week LIMIT 1),
        (SELECT r.cells FROM ${weeksTable} WHERE ${own} ORDER BY r.week LIMIT 1),
        (SELECT r.week FROM ${weeksTable} WHERE ${own} ORDER BY r.week DESC LIMIT 1),
        (SELECT r.cells FROM ${weeksTable} WHERE ${own} ORDER BY r.week DESC LIMIT 1)
        FROM usage_users u
        WHERE ${users}
        ORDER BY u.account_id, u.user_key`.compile(ctx.db);
      // Window: the week rows overlapping [from, to], users outside, each user's weeks inside (SQLite keeps
      // that order; PostgreSQL plans).
      const windowQuery = sql<unknown>`SELECT u.user_key, r.week, r.cells
        FROM usage_users u CROSS JOIN ${weeksTable}
        WHERE ${users} AND r.workspace_id = u.workspace_id AND r.user_key = u.user_key
          AND r.week >= ${weekFrom} AND r.week <= ${to}`.compile(ctx.db);

      const [names, spanRows, windowRows] = [
        await eventNames(ctx.db, workspaceId),
        await arrays(spans),
        await arrays(windowQuery),
      ];
      const keyWords = Math.ceil(keyEvents.length / KEY_BITS);
      // Key-event word and bit of each event id (-1: not a key event).
      const keyWord = new Int32Array(names.length).fill(-1);
      const keyBit = new Int32Array(names.length);
      keyEvents.forEach((e, k) => {
        const id = names.indexOf(e);
        if (id >= 0 && keyWord[id] === -1) {
          keyWord[id] = Math.floor(k / KEY_BITS);
          keyBit[id] = 1 << (k % KEY_BITS);
        }
      });

      const n = spanRows.length;
      const out: UserUsageColumns = {
        userKey: new Array<string>(n),
        accountId: new Array<string>(n),
        name: new Array<string | null>(n),
        email: new Array<string | null>(n),
        role: new Array<string | null>(n),
        department: new Array<string | null>(n),
        firstDay: new Array<string | null>(n),
        lastDay: new Array<string | null>(n),
        weekEvents: new Float64Array(n * weeks).fill(Number.NaN),
        recent: new Uint8Array(n),
        keyMask: new Int32Array(n * keyWords),
        keyWords,
      };
      const decoder = new WeekDecoder(names);
      const cells = new CellBuffer();
      const days = new DayNames();
      const index = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const r = spanRows[i] as unknown[];
        const key = r[0] as string;
        index.set(key, i);
        out.userKey[i] = key;
        out.accountId[i] = r[1] as string;
        out.name[i] = (r[2] as string | null) ?? null;
        out.email[i] = (r[3] as string | null) ?? null;
        out.role[i] = (r[4] as string | null) ?? null;
        out.department[i] = (r[5] as string | null) ?? null;
      }

      // Last usage day in the window per user (-1: none), from the window rows.
      const windowLast = new Float64Array(n).fill(-1);
      let cursor = 0;
      for (const r of windowRows) {
        const key = r[0] as string;
        // Rows usually come in the users' order: check the current user before the map.
        let i = cursor;
        if (out.userKey[i] !== key) {
          const found = index.get(key);
          if (found === undefined) continue;
          i = found;
          cursor = found;
        }
        const monday = decoder.weekDay(r[1] as string);
        const m = decodeCells(r[2] as Uint8Array, cells);
        const base = i * weeks;
        for (let c = 0; c < m; c++) {
          const cellKey = cells.keys[c] as number;
          const day = monday + (cellKey % 8);
          if (day < fromDay || day > toDay) continue;
          const count = cells.counts[c] as number;
          const k = bucketOf[day - fromDay] as number;
          if (k >= 0) {
            const prev = out.weekEvents[base + k] as number;
            out.weekEvents[base + k] = Number.isNaN(prev) ? count : prev + count;
          }
          if (day > (windowLast[i] as number)) windowLast[i] = day;
          if (day >= recentDay) {
            out.recent[i] = 1;
            const e = Math.floor(cellKey / 8);
            const w = e < keyWord.length ? (keyWord[e] as number) : -1;
            if (w >= 0)
              out.keyMask[i * keyWords + w] =
                (out.keyMask[i * keyWords + w] as number) | (keyBit[e] as number);
          }
        }
      }

      // First and last day up to `to` over all history, from the first and last stored weeks.
      const edge = (week: unknown, bytes: unknown, last: boolean): number => {
        if (week === null || week === undefined) return -1;
        const monday = decoder.weekDay(week as string);
        const m = decodeCells(bytes as Uint8Array, cells);
        let best = -1;
        for (let c = 0; c < m; c++) {
          const day = monday + ((cells.keys[c] as number) % 8);
          if (day > toDay) continue;
          if (best === -1 || (last ? day > best : day < best)) best = day;
        }
        return best;
      };
      const behind: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = spanRows[i] as unknown[];
        const first = edge(r[6], r[7], false);
        out.firstDay[i] = first === -1 ? null : days.of(first);
        const inWindow = windowLast[i] as number;
        const last = inWindow >= 0 ? inWindow : edge(r[8], r[9], true);
        out.lastDay[i] = last === -1 ? null : days.of(last);
        // The last week holds only days after `to` (mid-week `to`): the day is in an earlier week.
        if (last === -1 && first !== -1) behind.push(i);
      }
      for (const i of behind) {
        const key = out.userKey[i] as string;
        const row = await ctx.db
          .selectFrom("usage_rollup_weeks")
          .select(["week", "cells"])
          .where("workspace_id", "=", workspaceId)
          .where("user_key", "=", key)
          .where("week", "<", weekOf(to))
          .orderBy("week", "desc")
          .limit(1)
          .executeTakeFirst();
        const last = row === undefined ? -1 : edge(row.week, row.cells, true);
        out.lastDay[i] = last === -1 ? null : days.of(last);
      }
      return out;
    },
  };
}
