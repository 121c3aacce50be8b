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

const COLUMNS = 5;
/** Rows per prepared multi-row upsert: one call per 256 rows costs half of one call per row. */
const ROWS_PER_UPSERT = 256;
const addCountsSql = (rows: number) =>
  `INSERT INTO usage_rollups (workspace_id, user_key, day, event, count) VALUES ${Array(rows)
    .fill("(?, ?, ?, ?, ?)")
    .join(", ")} ` +
  "ON CONFLICT (workspace_id, user_key, day, event) DO UPDATE SET count = usage_rollups.count + excluded.count";
const ADD_MANY = addCountsSql(ROWS_PER_UPSERT);
const ADD_ONE = addCountsSql(1);

/** Key order of the primary key, so a write touches each index page once. */
const byKey = (a: UsageRollup, b: UsageRollup) =>
  a.userKey < b.userKey
    ? -1
    : a.userKey > b.userKey
      ? 1
      : a.day < b.day
        ? -1
        : a.day > b.day
          ? 1
          : a.event < b.event
            ? -1
            : a.event > b.event
              ? 1
              : 0;

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
      // Callers that accumulate counts hand them over unique and in key order already: keep them.
      let sorted = true;
      for (let i = 1; i < rows.length && sorted; i++)
        sorted = byKey(rows[i - 1] as UsageRollup, rows[i] as UsageRollup) < 0;
      let unique: readonly UsageRollup[] = rows;
      if (!sorted) {
        const merged = new Map<string, UsageRollup>();
        for (const r of rows) {
          const key = `${r.userKey}\u0000${r.day}\u0000${r.event}`;
          const prev = merged.get(key);
          if (prev === undefined) merged.set(key, { ...r });
          else prev.count += r.count;
        }
        unique = [...merged.values()].sort(byKey);
      }
      if (unique.length === 0) return;
      const writer = transactionWriter(ctx);
      if (writer !== null) {
        const many = writer.statement(ADD_MANY);
        const params: unknown[] = new Array(ROWS_PER_UPSERT * COLUMNS);
        let i = 0;
        for (; i + ROWS_PER_UPSERT <= unique.length; i += ROWS_PER_UPSERT) {
          for (let j = 0; j < ROWS_PER_UPSERT; j++) {
            const r = unique[i + j] as UsageRollup;
            const p = j * COLUMNS;
            params[p] = workspaceId;
            params[p + 1] = r.userKey;
            params[p + 2] = r.day;
            params[p + 3] = r.event;
            params[p + 4] = r.count;
          }
          many(params);
        }
        const one = writer.statement(ADD_ONE);
        for (; i < unique.length; i++) {
          const r = unique[i] as UsageRollup;
          one([workspaceId, r.userKey, r.day, r.event, r.count]);
        }
        return;
      }
      await atomically(ctx, async (db) => {
        for (const chunk of chunksFor(adapter, unique, COLUMNS)) {
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
