import { ALL_USAGE_EVENTS, type Entitlement } from "@tenure/core";
import { sql } from "kysely";
import type { EntitlementTable } from "../schema";
import {
  atomically,
  chunksFor,
  diffByKey,
  excluded,
  loadByIds,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
} from "./repository-context";

const UPDATABLE = [
  "account_id",
  "subscription_id",
  "metric",
  "quantity",
  "period_start",
  "period_end",
] as const;
const COLUMNS = 8;

/** An entitlement with the units of its metric the account's users consumed in the term through a day. */
export interface EntitlementConsumption extends Entitlement {
  consumed: number;
}

export interface EntitlementRepository {
  upsertMany(
    workspaceId: string,
    rows: readonly Entitlement[],
    options?: UpsertOptions,
  ): Promise<UpsertResult>;
  list(workspaceId: string): Promise<Entitlement[]>;
  /** The account's entitlements, latest term first. */
  listByAccount(workspaceId: string, accountId: string): Promise<Entitlement[]>;
  /**
   * Every entitlement whose term contains `asOf` (period_start ≤ asOf < period_end), with the units
   * consumed from period_start through asOf, in one query (users count for their current account).
   */
  currentConsumption(workspaceId: string, asOf: string): Promise<EntitlementConsumption[]>;
  /** Units per day and event of the account's users, days in [from, to] (read by user, not by day). */
  accountDailyUsage(
    workspaceId: string,
    accountId: string,
    from: string,
    to: string,
  ): Promise<{ day: string; event: string; count: number }[]>;
}

export function createEntitlementRepository(ctx: RepositoryContext): EntitlementRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, e: Entitlement): EntitlementTable => ({
    workspace_id: workspaceId,
    id: e.id,
    account_id: e.accountId,
    subscription_id: e.subscriptionId,
    metric: e.metric,
    quantity: e.quantity,
    period_start: e.periodStart,
    period_end: e.periodEnd,
  });
  const fromRow = (r: EntitlementTable): Entitlement => ({
    id: r.id,
    accountId: r.account_id,
    subscriptionId: r.subscription_id,
    metric: r.metric,
    quantity: adapter.parseNumber(r.quantity),
    periodStart: r.period_start,
    periodEnd: r.period_end,
  });

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((e) => fromRow(toRow(workspaceId, e)));
      return atomically(ctx, async (db) => {
        const existingRows = await loadByIds(
          { ...ctx, db },
          incoming.map((e) => e.id),
          (ids) =>
            db
              .selectFrom("entitlements")
              .selectAll()
              .where("workspace_id", "=", workspaceId)
              .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
              .execute(),
        );
        const diff = diffByKey(incoming, new Map(existingRows.map((r) => [r.id, fromRow(r)])), (e) => e.id);
        const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
        let done = 0;
        for (const chunk of chunksFor(adapter, toWrite, COLUMNS)) {
          await db
            .insertInto("entitlements")
            .values(chunk.map((e) => toRow(workspaceId, e)))
            .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(UPDATABLE)))
            .execute();
          done += chunk.length;
          options.onProgress?.(done, toWrite.length);
        }
        return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
      });
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("entitlements")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async listByAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("entitlements")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .orderBy("period_end", "desc")
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async currentConsumption(workspaceId, asOf) {
      // One pass: each current entitlement → the account's users → their rollups by primary key.
      const rollups = sql.raw(`usage_rollups r ${adapter.primaryKeyHint("usage_rollups")}`);
      const result = await sql<EntitlementTable & { consumed: unknown }>`
        SELECT e.workspace_id, e.id, e.account_id, e.subscription_id, e.metric, e.quantity,
               e.period_start, e.period_end, COALESCE(SUM(r.count), 0) AS consumed
        FROM entitlements e
        LEFT JOIN usage_users u ON u.workspace_id = e.workspace_id AND u.account_id = e.account_id
        LEFT JOIN ${rollups} ON r.workspace_id = u.workspace_id AND r.user_key = u.user_key
          AND r.day >= e.period_start AND r.day < e.period_end AND r.day <= ${asOf}
          AND (e.metric = ${ALL_USAGE_EVENTS} OR r.event = e.metric)
        WHERE e.workspace_id = ${workspaceId} AND e.period_start <= ${asOf} AND e.period_end > ${asOf}
        GROUP BY e.workspace_id, e.id, e.account_id, e.subscription_id, e.metric, e.quantity,
                 e.period_start, e.period_end
        ORDER BY e.id`.execute(ctx.db);
      return result.rows.map((r) => ({ ...fromRow(r), consumed: adapter.parseNumber(r.consumed) }));
    },

    async accountDailyUsage(workspaceId, accountId, from, to) {
      const rollups = sql.raw(`usage_rollups r ${adapter.primaryKeyHint("usage_rollups")}`);
      // LEFT JOIN fixes the order (the account's few users first), so the key range is read per user.
      const result = await sql<{ day: string | null; event: string | null; n: unknown }>`
        SELECT r.day, r.event, SUM(r.count) AS n
        FROM usage_users u
        LEFT JOIN ${rollups} ON r.workspace_id = u.workspace_id AND r.user_key = u.user_key
          AND r.day >= ${from} AND r.day <= ${to}
        WHERE u.workspace_id = ${workspaceId} AND u.account_id = ${accountId}
        GROUP BY r.day, r.event
        ORDER BY r.day, r.event`.execute(ctx.db);
      const out: { day: string; event: string; count: number }[] = [];
      for (const r of result.rows)
        if (r.day !== null && r.event !== null)
          out.push({ day: r.day, event: r.event, count: adapter.parseNumber(r.n) });
      return out;
    },
  };
}
