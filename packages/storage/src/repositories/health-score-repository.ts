import { type CompiledQuery, sql } from "kysely";
import type { HealthScoreTable } from "../schema";
import type { AccountRange } from "./account-range";
import {
  atomically,
  chunksFor,
  excluded,
  type RepositoryContext,
  transactionWriter,
} from "./repository-context";

/** One account's health on one day (the daily history); `breakdown` is the scorecard result as JSON. */
export interface HealthScoreRecord {
  accountId: string;
  date: string;
  score: number | null;
  band: string;
  profileId: string;
  breakdown: unknown;
  lastActivityAt: string | null;
}

/** A health record without its breakdown: what lists and trends need. */
export type HealthScorePoint = Omit<HealthScoreRecord, "breakdown" | "profileId">;

/** Usage events of one user on one day (all event names summed). */
export interface UserDay {
  userKey: string;
  day: string;
  count: number;
}

/** First and last day a user had any usage event. */
export interface UserSpan {
  userKey: string;
  firstDay: string;
  lastDay: string;
}

export interface HealthScoreRepository {
  /** Inserts or replaces rows by (account, date). */
  upsertMany(workspaceId: string, rows: readonly HealthScoreRecord[]): Promise<void>;
  /** Every account's points with date in [from, to], oldest first. */
  points(workspaceId: string, from: string, to: string, range?: AccountRange): Promise<HealthScorePoint[]>;
  /** The account's latest record on or before `asOf` (any date when omitted). */
  latest(workspaceId: string, accountId: string, asOf?: string): Promise<HealthScoreRecord | null>;
  /** The account's points from `from` on, oldest first. */
  history(workspaceId: string, accountId: string, from: string): Promise<HealthScorePoint[]>;
  /** Every account's full record on one date. */
  onDate(workspaceId: string, date: string): Promise<HealthScoreRecord[]>;
  /** The latest date with any stored score on or before `asOf`; null when none. */
  latestDate(workspaceId: string, asOf: string): Promise<string | null>;
  /** One account's usage per user, day and event, days in [from, to] (users attributed by group). */
  accountUserEvents(
    workspaceId: string,
    accountId: string,
    from: string,
    to: string,
  ): Promise<
    Array<{ userKey: string; department: string | null; day: string; event: string; count: number }>
  >;
  /** Health inputs, read in bulk: usage events per user and day, days in [from, to]. */
  userDays(workspaceId: string, from: string, to: string): Promise<UserDay[]>;
  /** Health inputs: first and last usage day of every user, days up to `to`. */
  userSpans(workspaceId: string, to: string): Promise<UserSpan[]>;
  /** Health inputs: distinct (user, event) pairs in [from, to], only `events` when given. */
  userEvents(
    workspaceId: string,
    from: string,
    to: string,
    events: readonly string[] | null,
  ): Promise<Array<{ userKey: string; event: string }>>;
  /** Event totals of the workspace in [from, to], most used first. */
  eventTotals(
    workspaceId: string,
    from: string,
    to: string,
  ): Promise<Array<{ event: string; count: number }>>;
}

type Compilable = { compile(): CompiledQuery };

const COLUMNS = 8;
const UPDATABLE = ["score", "band", "profile_id", "breakdown", "last_activity_at"] as const;

export function createHealthScoreRepository(ctx: RepositoryContext): HealthScoreRepository {
  const { adapter } = ctx;
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : adapter.parseNumber(v));
  const fromRow = (r: HealthScoreTable): HealthScoreRecord => ({
    accountId: r.account_id,
    date: r.date,
    score: num(r.score),
    band: r.band,
    profileId: r.profile_id,
    breakdown: adapter.decodeJson(r.breakdown),
    lastActivityAt: r.last_activity_at,
  });
  // Large reads go through the array reader (no per-row objects); inside a transaction it would not
  // see uncommitted rows, so there the normal path is used.
  const arrays = async (q: Compilable): Promise<unknown[][]> => {
    const c = q.compile();
    if (!ctx.db.isTransaction) return ctx.readArrays(c.sql, c.parameters);
    const res = await ctx.db.executeQuery<Record<string, unknown>>(c);
    return res.rows.map((r) => Object.values(r));
  };

  return {
    async upsertMany(workspaceId, rows) {
      if (rows.length === 0) return;
      const writer = transactionWriter(ctx);
      if (writer !== null) {
        // One prepared statement run per row: building multi-row statements cost more than writing them.
        const run = writer.statement(
          `INSERT INTO health_scores (workspace_id, account_id, date, score, band, profile_id, breakdown, last_activity_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (workspace_id, account_id, date) DO UPDATE SET ${UPDATABLE.map((c) => `${c} = excluded.${c}`).join(", ")}`,
        );
        for (const r of rows)
          run([
            workspaceId,
            r.accountId,
            r.date,
            r.score,
            r.band,
            r.profileId,
            adapter.encodeJson(r.breakdown),
            r.lastActivityAt,
          ]);
        return;
      }
      await atomically(ctx, async (db) => {
        for (const chunk of chunksFor(adapter, rows, COLUMNS)) {
          await db
            .insertInto("health_scores")
            .values(
              chunk.map((r) => ({
                workspace_id: workspaceId,
                account_id: r.accountId,
                date: r.date,
                score: r.score,
                band: r.band,
                profile_id: r.profileId,
                breakdown: adapter.encodeJson(r.breakdown),
                last_activity_at: r.lastActivityAt,
              })),
            )
            .onConflict((oc) =>
              oc.columns(["workspace_id", "account_id", "date"]).doUpdateSet(excluded(UPDATABLE)),
            )
            .execute();
        }
      });
    },

    async points(workspaceId, from, to, range) {
      const rows = await arrays(
        ctx.db
          .selectFrom("health_scores")
          .select(["account_id", "date", "score", "band", "last_activity_at"])
          .where("workspace_id", "=", workspaceId)
          .$if(range !== undefined, (q) =>
            q.where("account_id", ">=", range?.from ?? "").where("account_id", "<=", range?.to ?? ""),
          )
          .where("date", ">=", from)
          .where("date", "<=", to)
          // A range is read along the primary key (account, date); each account's points stay oldest first.
          .$if(range !== undefined, (q) => q.orderBy("account_id"))
          .orderBy("date"),
      );
      return rows.map((r) => ({
        accountId: r[0] as string,
        date: r[1] as string,
        score: num(r[2]),
        band: r[3] as string,
        lastActivityAt: (r[4] as string | null) ?? null,
      }));
    },

    async latest(workspaceId, accountId, asOf) {
      const row = await ctx.db
        .selectFrom("health_scores")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .$if(asOf !== undefined, (q) => q.where("date", "<=", asOf ?? ""))
        .orderBy("date", "desc")
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },

    async history(workspaceId, accountId, from) {
      const rows = await ctx.db
        .selectFrom("health_scores")
        .select(["account_id", "date", "score", "band", "last_activity_at"])
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .where("date", ">=", from)
        .orderBy("date")
        .execute();
      return rows.map((r) => ({
        accountId: r.account_id,
        date: r.date,
        score: num(r.score),
        band: r.band,
        lastActivityAt: r.last_activity_at,
      }));
    },

    async onDate(workspaceId, date) {
      const rows = await ctx.db
        .selectFrom("health_scores")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("date", "=", date)
        .execute();
      return rows.map(fromRow);
    },

    async latestDate(workspaceId, asOf) {
      const row = await ctx.db
        .selectFrom("health_scores")
        .select((eb) => eb.fn.max("date").as("d"))
        .where("workspace_id", "=", workspaceId)
        .where("date", "<=", asOf)
        .executeTakeFirst();
      return row?.d ?? null;
    },

    async accountUserEvents(workspaceId, accountId, from, to) {
      // The account's few users first, then each user's key range of rollups (not the day index).
      const rollups = sql.raw(`usage_rollups r ${adapter.primaryKeyHint("usage_rollups")}`);
      const result = await sql<{
        user_key: string;
        department: string | null;
        day: string;
        event: string;
        count: unknown;
      }>`
        SELECT r.user_key, u.department, r.day, r.event, r.count
        FROM usage_users u
        CROSS JOIN ${rollups}
        WHERE u.workspace_id = ${workspaceId} AND u.account_id = ${accountId}
          AND r.workspace_id = u.workspace_id AND r.user_key = u.user_key
          AND r.day >= ${from} AND r.day <= ${to}`.execute(ctx.db);
      const rows = result.rows;
      return rows.map((r) => ({
        userKey: r.user_key,
        department: r.department,
        day: r.day,
        event: r.event,
        count: adapter.parseNumber(r.count),
      }));
    },

    async userDays(workspaceId, from, to) {
      const rows = await arrays(
        ctx.db
          .selectFrom("usage_rollups")
          .select(["user_key", "day", (eb) => eb.fn.sum("count").as("n")])
          .where("workspace_id", "=", workspaceId)
          .where("day", ">=", from)
          .where("day", "<=", to)
          .groupBy(["user_key", "day"]),
      );
      return rows.map((r) => ({
        userKey: r[0] as string,
        day: r[1] as string,
        count: adapter.parseNumber(r[2]),
      }));
    },

    async userSpans(workspaceId, to) {
      const rows = await arrays(
        ctx.db
          .selectFrom("usage_rollups")
          .select(["user_key", (eb) => eb.fn.min("day").as("first"), (eb) => eb.fn.max("day").as("last")])
          .where("workspace_id", "=", workspaceId)
          .where("day", "<=", to)
          .groupBy("user_key"),
      );
      return rows.map((r) => ({
        userKey: r[0] as string,
        firstDay: r[1] as string,
        lastDay: r[2] as string,
      }));
    },

    async userEvents(workspaceId, from, to, events) {
      if (events !== null && events.length === 0) return [];
      const rows = await arrays(
        ctx.db
          .selectFrom("usage_rollups")
          .select(["user_key", "event"])
          .where("workspace_id", "=", workspaceId)
          .where("day", ">=", from)
          .where("day", "<=", to)
          .$if(events !== null, (q) => q.where("event", "in", events ?? []))
          .groupBy(["user_key", "event"]),
      );
      return rows.map((r) => ({ userKey: r[0] as string, event: r[1] as string }));
    },

    async eventTotals(workspaceId, from, to) {
      const rows = await ctx.db
        .selectFrom("usage_rollups")
        .select(["event", (eb) => eb.fn.sum("count").as("n")])
        .where("workspace_id", "=", workspaceId)
        .where("day", ">=", from)
        .where("day", "<=", to)
        .groupBy("event")
        .execute();
      return rows
        .map((r) => ({ event: r.event, count: adapter.parseNumber(r.n) }))
        .sort((a, b) => b.count - a.count || a.event.localeCompare(b.event));
    },
  };
}
