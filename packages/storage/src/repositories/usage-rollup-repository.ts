import { sql } from "kysely";
import { atomically, chunksFor, type RepositoryContext, transactionWriter } from "./repository-context";

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

export interface UsageRollupRepository {
  /** Adds `count` to each (user, day, event) rollup, creating the ones that do not exist. */
  addCounts(workspaceId: string, rows: readonly UsageRollup[]): Promise<void>;
  list(workspaceId: string): Promise<UsageRollup[]>;
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

const COLUMNS = 5;
const ADD_ONE =
  "INSERT INTO usage_rollups (workspace_id, user_key, day, event, count) VALUES (?, ?, ?, ?, ?) " +
  "ON CONFLICT (workspace_id, user_key, day, event) DO UPDATE SET count = usage_rollups.count + excluded.count";

export function createUsageRollupRepository(ctx: RepositoryContext): UsageRollupRepository {
  const { adapter } = ctx;
  // Attribution happens here, at read time: a user's rollups belong to the account of its latest
  // `group` call, so usage that arrived before the mapping is counted once the mapping exists.
  const ofAccount = (workspaceId: string, accountId: string, from: string, to: string) =>
    ctx.db
      .selectFrom("usage_rollups as r")
      .innerJoin("usage_users as u", (j) =>
        j.onRef("u.workspace_id", "=", "r.workspace_id").onRef("u.user_key", "=", "r.user_key"),
      )
      .where("u.workspace_id", "=", workspaceId)
      .where("u.account_id", "=", accountId)
      .where("r.day", ">=", from)
      .where("r.day", "<=", to);

  return {
    async addCounts(workspaceId, rows) {
      const merged = new Map<string, UsageRollup>();
      for (const r of rows) {
        const key = `${r.userKey}\u0000${r.day}\u0000${r.event}`;
        const prev = merged.get(key);
        if (prev === undefined) merged.set(key, { ...r });
        else prev.count += r.count;
      }
      if (merged.size === 0) return;
      const writer = transactionWriter(ctx);
      if (writer !== null) {
        const add = writer.statement(ADD_ONE);
        for (const r of merged.values()) add([workspaceId, r.userKey, r.day, r.event, r.count]);
        return;
      }
      await atomically(ctx, async (db) => {
        for (const chunk of chunksFor(adapter, [...merged.values()], COLUMNS)) {
          await db
            .insertInto("usage_rollups")
            .values(
              chunk.map((r) => ({
                workspace_id: workspaceId,
                user_key: r.userKey,
                day: r.day,
                event: r.event,
                count: r.count,
              })),
            )
            .onConflict((oc) =>
              oc
                .columns(["workspace_id", "user_key", "day", "event"])
                .doUpdateSet({ count: sql`usage_rollups.count + excluded.count` }),
            )
            .execute();
        }
      });
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("usage_rollups")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("user_key")
        .orderBy("day")
        .orderBy("event")
        .execute();
      return rows.map((r) => ({
        userKey: r.user_key,
        day: r.day,
        event: r.event,
        count: adapter.parseNumber(r.count),
      }));
    },

    async accountEventCounts(workspaceId, accountId, from, to) {
      const rows = await ofAccount(workspaceId, accountId, from, to)
        .select(["r.day", "r.event", (eb) => eb.fn.sum("r.count").as("n")])
        .groupBy(["r.day", "r.event"])
        .orderBy("r.day")
        .orderBy("r.event")
        .execute();
      return rows.map((r) => ({ day: r.day, event: r.event, count: adapter.parseNumber(r.n) }));
    },

    async accountDailyActiveUsers(workspaceId, accountId, from, to) {
      const rows = await ofAccount(workspaceId, accountId, from, to)
        .select(["r.day", (eb) => eb.fn.count("r.user_key").distinct().as("n")])
        .groupBy("r.day")
        .orderBy("r.day")
        .execute();
      return rows.map((r) => ({ day: r.day, users: adapter.parseNumber(r.n) }));
    },

    async accountActiveUsers(workspaceId, accountId, from, to) {
      const row = await ofAccount(workspaceId, accountId, from, to)
        .select((eb) => eb.fn.count("r.user_key").distinct().as("n"))
        .executeTakeFirstOrThrow();
      return adapter.parseNumber(row.n);
    },
  };
}
