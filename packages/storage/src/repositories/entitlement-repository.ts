import { ALL_USAGE_EVENTS, type Entitlement } from "@tenure/core";
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
      const rows = await ctx.db
        .selectFrom("entitlements as e")
        .leftJoin("usage_users as u", (j) =>
          j.onRef("u.workspace_id", "=", "e.workspace_id").onRef("u.account_id", "=", "e.account_id"),
        )
        .leftJoin("usage_rollups as r", (j) =>
          j
            .onRef("r.workspace_id", "=", "u.workspace_id")
            .onRef("r.user_key", "=", "u.user_key")
            .onRef("r.day", ">=", "e.period_start")
            .onRef("r.day", "<", "e.period_end")
            .on("r.day", "<=", asOf)
            .on((eb) =>
              eb.or([eb("e.metric", "=", ALL_USAGE_EVENTS), eb("r.event", "=", eb.ref("e.metric"))]),
            ),
        )
        .select([
          "e.workspace_id",
          "e.id",
          "e.account_id",
          "e.subscription_id",
          "e.metric",
          "e.quantity",
          "e.period_start",
          "e.period_end",
          (eb) => eb.fn.coalesce(eb.fn.sum("r.count"), eb.lit(0)).as("consumed"),
        ])
        .where("e.workspace_id", "=", workspaceId)
        .where("e.period_start", "<=", asOf)
        .where("e.period_end", ">", asOf)
        .groupBy([
          "e.workspace_id",
          "e.id",
          "e.account_id",
          "e.subscription_id",
          "e.metric",
          "e.quantity",
          "e.period_start",
          "e.period_end",
        ])
        .orderBy("e.id")
        .execute();
      return rows.map((r) => ({ ...fromRow(r), consumed: adapter.parseNumber(r.consumed) }));
    },
  };
}
