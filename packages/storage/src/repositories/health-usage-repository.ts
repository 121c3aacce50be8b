import { type CompiledQuery, sql } from "kysely";
import type { AccountRange } from "./account-range";
import { chunksFor, type RepositoryContext, readRows } from "./repository-context";
import { CellBuffer, dayNumber, decodeCells, WeekDecoder, weekOf } from "./usage-rollup-cells";
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
   * when undefined), in one query of one row per user: its first and last stored weeks and its weeks of
   * the window as one text, decoded and bucketed here. Walks users in (account, user_key) order on
   * usage_users_account_user_idx and reads each one's weeks through the primary key: no workspace-wide
   * scan and no sort. Rows come in that order.
   */
  userUsage(workspaceId: string, window: UsageWindow, range?: AccountRange): Promise<UserUsageColumns>;
}

const KEY_BITS = 30;
/** Length of a 'YYYY-MM-DD' week at the head of each "<week><cells>" text. */
const WEEK_CHARS = 10;

export function createHealthUsageRepository(ctx: RepositoryContext): HealthUsageRepository {
  const { adapter } = ctx;
  const arrays = (c: CompiledQuery): Promise<unknown[][]> => readRows(ctx, c);

  return {
    async userUsage(workspaceId, window, range) {
      const { to, weekStarts, recentFrom, keyEvents } = window;
      const weeks = weekStarts.length;
      const from = weekStarts[0] ?? to;
      const fromDay = dayNumber(from);
      const toDay = dayNumber(to);
      const recentDay = dayNumber(recentFrom);
      const weekFrom = weekOf(from);
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
      // One row per user: its first stored week (spans over all history) and its weeks of the window
      // joined into one text ("<week><cells>,<week><cells>..."), both through index seeks on the weeks'
      // primary key: 64k rows for 64k users instead of one row (and string) per week. The last day comes
      // from the window, or for users idle in it from a second query.
      const query = sql<unknown>`SELECT u.user_key, u.account_id, u.name, u.email, u.role, u.department,
        (SELECT r.week || r.cells FROM ${weeksTable} WHERE ${own} ORDER BY r.week LIMIT 1),
        (SELECT ${adapter.stringAgg(sql`r.week || r.cells`, ",")} FROM ${weeksTable}
          WHERE ${own} AND r.week >= ${weekFrom})
        FROM usage_users u
        WHERE ${users}
        ORDER BY u.account_id, u.user_key`.compile(ctx.db);
      const [names, userRows] = [await eventNames(ctx.db, workspaceId), await arrays(query)];
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

      const n = userRows.length;
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
      // First or last day up to `to` of one "<week><cells>" text (-1: none).
      const edge = (text: unknown, last: boolean): number => {
        if (typeof text !== "string") return -1;
        const monday = decoder.weekDay(text.slice(0, WEEK_CHARS));
        const m = decodeCells(text, cells, WEEK_CHARS);
        let best = -1;
        for (let c = 0; c < m; c++) {
          const day = monday + ((cells.keys[c] as number) % 8);
          if (day > toDay) continue;
          if (best === -1 || (last ? day > best : day < best)) best = day;
        }
        return best;
      };
      const idle: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = userRows[i] as unknown[];
        out.userKey[i] = r[0] as string;
        out.accountId[i] = r[1] as string;
        out.name[i] = (r[2] as string | null) ?? null;
        out.email[i] = (r[3] as string | null) ?? null;
        out.role[i] = (r[4] as string | null) ?? null;
        out.department[i] = (r[5] as string | null) ?? null;
        const first = edge(r[6], false);
        out.firstDay[i] = first === -1 ? null : days.of(first);

        let lastInWindow = -1;
        const win = r[7];
        if (typeof win === "string") {
          const base = i * weeks;
          for (let p = 0; p < win.length; ) {
            let end = win.indexOf(",", p);
            if (end === -1) end = win.length;
            const monday = decoder.weekDay(win.slice(p, p + WEEK_CHARS));
            const m = decodeCells(win, cells, p + WEEK_CHARS, end);
            p = end + 1;
            for (let c = 0; c < m; c++) {
              const cellKey = cells.keys[c] as number;
              const day = monday + (cellKey % 8);
              if (day > toDay) continue;
              if (day > lastInWindow) lastInWindow = day;
              if (day < fromDay) continue;
              const count = cells.counts[c] as number;
              const k = bucketOf[day - fromDay] as number;
              if (k >= 0) {
                const prev = out.weekEvents[base + k] as number;
                out.weekEvents[base + k] = Number.isNaN(prev) ? count : prev + count;
              }
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
        }
        // The window ends at `to`, so its last day is the last day of all history when it has one.
        if (lastInWindow >= 0) out.lastDay[i] = days.of(lastInWindow);
        else {
          out.lastDay[i] = null;
          if (first !== -1) idle.push(i);
        }
      }
      // Users with usage but none in the window: their last week before it holds their last day.
      for (const chunk of chunksFor(adapter, idle, 1)) {
        const rows = await arrays(
          sql<unknown>`SELECT u.user_key, (SELECT r.week || r.cells FROM ${weeksTable}
              WHERE r.workspace_id = u.workspace_id AND r.user_key = u.user_key AND r.week < ${weekFrom}
              ORDER BY r.week DESC LIMIT 1)
            FROM usage_users u
            WHERE u.workspace_id = ${workspaceId}
              AND u.user_key IN (${sql.join(chunk.map((i) => out.userKey[i] as string))})`.compile(ctx.db),
        );
        const at = new Map(chunk.map((i) => [out.userKey[i] as string, i]));
        for (const r of rows) {
          const last = edge(r[1], true);
          out.lastDay[at.get(r[0] as string) as number] = last === -1 ? null : days.of(last);
        }
      }
      return out;
    },
  };
}
