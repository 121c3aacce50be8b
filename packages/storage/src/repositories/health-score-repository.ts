import { type CompiledQuery, sql } from "kysely";
import type { HealthScoreTable } from "../schema";
import type { AccountRange } from "./account-range";
import {
  atomically,
  chunksFor,
  type RepositoryContext,
  readRows,
  transactionWriter,
} from "./repository-context";
import { dayNumber, WeekDecoder, weekOf } from "./usage-rollup-cells";
import { accountWeekRows, DayNames, eventNames } from "./usage-rollup-repository";

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
  /**
   * `latest` for many (account, day) pairs in one query per chunk, without the breakdowns: entry i is
   * the latest point of `pairs[i].accountId` on or before `pairs[i].day`, or null when there is none.
   */
  latestOnOrBefore(
    workspaceId: string,
    pairs: readonly { accountId: string; day: string }[],
  ): Promise<(HealthScorePoint | null)[]>;
  /** The account's points from `from` on, oldest first. */
  history(workspaceId: string, accountId: string, from: string): Promise<HealthScorePoint[]>;
  /**
   * The account page's health in one read: its points in [from, asOf], oldest first, and its latest
   * record on or before `asOf` (with the breakdown; read apart only when no point is that recent).
   */
  recent(
    workspaceId: string,
    accountId: string,
    from: string,
    asOf: string,
  ): Promise<{ history: HealthScorePoint[]; latest: HealthScoreRecord | null }>;
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
  const arrays = (q: Compilable): Promise<unknown[][]> => readRows(ctx, q.compile());
  // Workspace-wide week rows overlapping [from, to] (from null: all history), through the primary key.
  const workspaceWeeks = async (workspaceId: string, from: string | null, to: string) => {
    const fromDay = from === null ? Number.NEGATIVE_INFINITY : dayNumber(from);
    const [names, rows] = await Promise.all([
      eventNames(ctx.db, workspaceId),
      arrays(
        ctx.db
          .selectFrom("usage_rollup_weeks")
          .select(["user_key", "week", "cells"])
          .where("workspace_id", "=", workspaceId)
          .$if(from !== null, (q) => q.where("week", ">=", weekOf(from as string)))
          .where("week", "<=", to),
      ),
    ]);
    return { rows, decoder: new WeekDecoder(names), fromDay, toDay: dayNumber(to) };
  };

  const latest = async (workspaceId: string, accountId: string, asOf?: string) => {
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
  };

  return {
    async upsertMany(workspaceId, rows) {
      if (rows.length === 0) return;
      const table = rows.map(
        (r): HealthScoreTable => ({
          workspace_id: workspaceId,
          account_id: r.accountId,
          date: r.date,
          score: r.score,
          band: r.band,
          profile_id: r.profileId,
          breakdown: adapter.encodeJson(r.breakdown),
          last_activity_at: r.lastActivityAt,
        }),
      );
      // A score equal to the stored one is not rewritten: recomputes triggered by new data leave most
      // accounts unchanged, and each row carries a ~3 KB breakdown (overflow pages, WAL).
      await atomically(ctx, (db) =>
        adapter.rowWrites(db, transactionWriter({ ...ctx, db })).upsertHealthScores(table),
      );
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

    latest,

    async latestOnOrBefore(workspaceId, pairs) {
      const key = (accountId: string, day: string) => `${accountId}\u0000${day}`;
      const unique = new Map<string, { accountId: string; day: string }>();
      for (const p of pairs) unique.set(key(p.accountId, p.day), p);
      const found = new Map<string, HealthScorePoint>();
      // Both reads seek the primary key (account, date): the planner is told so where it needs it.
      const table = (alias: string) =>
        sql.raw(`health_scores ${alias} ${adapter.primaryKeyHint("health_scores")}`);
      for (const chunk of chunksFor(adapter, [...unique.values()], 2)) {
        const values = sql.join(chunk.map((p) => sql`(${p.accountId}, ${p.day})`));
        const rows = await readRows(
          ctx,
          sql<unknown>`WITH p(account_id, day) AS (VALUES ${values})
            SELECT p.account_id, p.day, h.date, h.score, h.band, h.last_activity_at
            FROM p JOIN ${table("h")} ON h.workspace_id = ${workspaceId} AND h.account_id = p.account_id
              AND h.date = (SELECT max(m.date) FROM ${table("m")}
                WHERE m.workspace_id = ${workspaceId} AND m.account_id = p.account_id AND m.date <= p.day)`.compile(
            ctx.db,
          ),
        );
        for (const r of rows) {
          found.set(key(r[0] as string, r[1] as string), {
            accountId: r[0] as string,
            date: r[2] as string,
            score: num(r[3]),
            band: r[4] as string,
            lastActivityAt: (r[5] as string | null) ?? null,
          });
        }
      }
      return pairs.map((p) => found.get(key(p.accountId, p.day)) ?? null);
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

    async recent(workspaceId, accountId, from, asOf) {
      // The breakdown (the largest column) only on the last row: a window over the rows read.
      const rows = await ctx.db
        .selectFrom("health_scores")
        .select(["account_id", "date", "score", "band", "last_activity_at", "profile_id"])
        .select(
          sql<
            string | null
          >`case when ${sql.ref("date")} = max(${sql.ref("date")}) over () then ${sql.ref("breakdown")} end`.as(
            "breakdown",
          ),
        )
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .where("date", ">=", from)
        .where("date", "<=", asOf)
        .orderBy("date")
        .execute();
      const history = rows.map((r) => ({
        accountId: r.account_id,
        date: r.date,
        score: num(r.score),
        band: r.band,
        lastActivityAt: r.last_activity_at,
      }));
      const last = rows.at(-1);
      if (last === undefined || last.breakdown === null)
        return { history, latest: await latest(workspaceId, accountId, asOf) };
      return { history, latest: fromRow({ ...last, workspace_id: workspaceId, breakdown: last.breakdown }) };
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
      const { rows, departments, decoder, fromDay, toDay } = await accountWeekRows(
        ctx,
        workspaceId,
        accountId,
        from,
        to,
      );
      const days = new DayNames();
      const out: Array<{
        userKey: string;
        department: string | null;
        day: string;
        event: string;
        count: number;
      }> = [];
      rows.forEach(([userKey, week, cells], i) => {
        const department = departments[i] ?? null;
        decoder.each(week, cells, fromDay, toDay, (d, e, count) =>
          out.push({
            userKey,
            department,
            day: days.of(d),
            event: decoder.name(e),
            count,
          }),
        );
      });
      return out;
    },

    async userDays(workspaceId, from, to) {
      const { rows, decoder, fromDay, toDay } = await workspaceWeeks(workspaceId, from, to);
      const days = new DayNames();
      const out: UserDay[] = [];
      for (const r of rows) {
        const userKey = r[0] as string;
        const start = out.length;
        decoder.each(r[1] as string, r[2] as string, fromDay, toDay, (d, _e, count) => {
          // Cells come by (event, day): find the user's day among this week's (at most 7).
          for (let k = start; k < out.length; k++) {
            const o = out[k] as UserDay;
            if (o.day === days.of(d)) {
              o.count += count;
              return;
            }
          }
          out.push({ userKey, day: days.of(d), count });
        });
      }
      return out;
    },

    async userSpans(workspaceId, to) {
      const { rows, decoder, toDay } = await workspaceWeeks(workspaceId, null, to);
      const days = new DayNames();
      const spans = new Map<string, { first: number; last: number }>();
      for (const r of rows) {
        const userKey = r[0] as string;
        decoder.each(r[1] as string, r[2] as string, Number.NEGATIVE_INFINITY, toDay, (d) => {
          const s = spans.get(userKey);
          if (s === undefined) spans.set(userKey, { first: d, last: d });
          else {
            if (d < s.first) s.first = d;
            if (d > s.last) s.last = d;
          }
        });
      }
      return [...spans].map(([userKey, s]) => ({
        userKey,
        firstDay: days.of(s.first),
        lastDay: days.of(s.last),
      }));
    },

    async userEvents(workspaceId, from, to, events) {
      if (events !== null && events.length === 0) return [];
      const { rows, decoder, fromDay, toDay } = await workspaceWeeks(workspaceId, from, to);
      const wanted = events === null ? null : new Set(events);
      const seen = new Set<string>();
      const out: Array<{ userKey: string; event: string }> = [];
      for (const r of rows) {
        const userKey = r[0] as string;
        decoder.each(r[1] as string, r[2] as string, fromDay, toDay, (_d, e) => {
          const event = decoder.name(e);
          if (wanted !== null && !wanted.has(event)) return;
          const key = `${userKey}\u0000${event}`;
          if (seen.has(key)) return;
          seen.add(key);
          out.push({ userKey, event });
        });
      }
      return out;
    },

    async eventTotals(workspaceId, from, to) {
      const rows = await ctx.db
        .selectFrom("usage_event_totals as t")
        .innerJoin("usage_event_names as n", (j) =>
          j.onRef("n.workspace_id", "=", "t.workspace_id").onRef("n.event_id", "=", "t.event_id"),
        )
        .select(["n.name", (eb) => eb.fn.sum("t.count").as("n")])
        .where("t.workspace_id", "=", workspaceId)
        .where("t.day", ">=", from)
        .where("t.day", "<=", to)
        .groupBy("n.name")
        .execute();
      return rows
        .map((r) => ({ event: r.name, count: adapter.parseNumber(r.n) }))
        .sort((a, b) => b.count - a.count || a.event.localeCompare(b.event));
    },
  };
}
