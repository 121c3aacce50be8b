import { type CompiledQuery, sql } from "kysely";
import type { AccountRange } from "./account-range";
import type { RepositoryContext } from "./repository-context";

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
   * when undefined), in two aggregate queries: per-user spans, and weekly/recent usage in the window.
   * Walks users in (account, user_key) order on usage_users_account_user_idx and reads each one's rollups
   * through the primary key: no workspace-wide scan and no sort. Rows come in that order.
   */
  userUsage(workspaceId: string, window: UsageWindow, range?: AccountRange): Promise<UserUsageColumns>;
}

const KEY_BITS = 30;

export function createHealthUsageRepository(ctx: RepositoryContext): HealthUsageRepository {
  const { adapter } = ctx;
  // Aggregates are read as arrays (no per-row objects); inside a transaction the array reader would not
  // see uncommitted rows, so there the normal path is used.
  const arrays = async (c: CompiledQuery): Promise<unknown[][]> => {
    if (!ctx.db.isTransaction) return ctx.readArrays(c.sql, c.parameters);
    const res = await ctx.db.executeQuery<Record<string, unknown>>(c);
    return res.rows.map((r) => Object.values(r));
  };
  const num = (v: unknown): number => (v === null || v === undefined ? Number.NaN : adapter.parseNumber(v));

  return {
    async userUsage(workspaceId, window, range) {
      const { to, weekStarts, recentFrom, keyEvents } = window;
      const weeks = weekStarts.length;
      const from = weekStarts[0] ?? to;
      const users =
        range === undefined
          ? sql`u.workspace_id = ${workspaceId} AND u.account_id IS NOT NULL`
          : sql`u.workspace_id = ${workspaceId} AND u.account_id >= ${range.from} AND u.account_id <= ${range.to}`;
      // Spans: two index seeks per user on the rollups' primary key instead of grouping the whole history.
      const spans = sql<unknown>`SELECT u.user_key, u.account_id, u.name, u.email, u.role, u.department,
        (SELECT r.day FROM usage_rollups r
          WHERE r.workspace_id = u.workspace_id AND r.user_key = u.user_key AND r.day <= ${to}
          ORDER BY r.day LIMIT 1),
        (SELECT r.day FROM usage_rollups r
          WHERE r.workspace_id = u.workspace_id AND r.user_key = u.user_key AND r.day <= ${to}
          ORDER BY r.day DESC LIMIT 1)
        FROM usage_users u
        WHERE ${users}
        ORDER BY u.account_id, u.user_key`.compile(ctx.db);

      // Window: one row per active user; weekly sums pivoted into columns (NULL = no rows that week).
      const weekCols = weekStarts.map((start, k) => {
        const next = weekStarts[k + 1];
        return next === undefined
          ? sql`SUM(CASE WHEN r.day >= ${start} THEN r.count END)`
          : sql`SUM(CASE WHEN r.day >= ${start} AND r.day < ${next} THEN r.count END)`;
      });
      const keyWords = Math.ceil(keyEvents.length / KEY_BITS);
      const keyCols = Array.from({ length: keyWords }, (_, w) => {
        const slice = keyEvents.slice(w * KEY_BITS, (w + 1) * KEY_BITS);
        const cases = sql.join(
          slice.map((e, i) => sql`WHEN ${e} THEN ${sql.lit(2 ** i)}`),
          sql` `,
        );
        // OR of distinct powers of two = their distinct sum (no bitwise OR aggregate in SQLite).
        return sql`SUM(DISTINCT CASE WHEN r.day >= ${recentFrom} THEN CASE r.event ${cases} END END)`;
      });
      const cols = [
        sql`u.user_key`,
        sql`MAX(CASE WHEN r.day >= ${recentFrom} THEN 1 ELSE 0 END)`,
        ...keyCols,
        ...weekCols,
      ];
      // CROSS JOIN: users outside, each user's rollups inside (SQLite keeps that order; PostgreSQL plans).
      const windowQuery = sql<unknown>`SELECT ${sql.join(cols)}
        FROM usage_users u CROSS JOIN ${sql.raw(`usage_rollups r ${adapter.primaryKeyHint("usage_rollups")}`)}
        WHERE ${users} AND r.workspace_id = u.workspace_id AND r.user_key = u.user_key
          AND r.day >= ${from} AND r.day <= ${to}
        GROUP BY u.account_id, u.user_key`.compile(ctx.db);

      const spanRows = await arrays(spans);
      const windowRows = await arrays(windowQuery);

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
        out.firstDay[i] = (r[6] as string | null) ?? null;
        out.lastDay[i] = (r[7] as string | null) ?? null;
      }
      for (const r of windowRows) {
        const i = index.get(r[0] as string);
        if (i === undefined) continue;
        out.recent[i] = num(r[1]) > 0 ? 1 : 0;
        for (let w = 0; w < keyWords; w++) {
          const m = r[2 + w];
          out.keyMask[i * keyWords + w] = m === null || m === undefined ? 0 : num(m);
        }
        const base = 2 + keyWords;
        for (let k = 0; k < weeks; k++) out.weekEvents[i * weeks + k] = num(r[base + k]);
      }
      return out;
    },
  };
}
