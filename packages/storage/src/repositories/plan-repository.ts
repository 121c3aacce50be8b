import type { BillingInterval, Plan } from "@tenure/core";
import type { PlanTable } from "../schema";
import {
  excluded,
  loadByIds,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
  upsertByDiff,
} from "./repository-context";

const UPDATABLE = ["product_id", "name", "interval", "amount", "currency"] as const;

export interface PlanRepository {
  upsertMany(workspaceId: string, rows: readonly Plan[], options?: UpsertOptions): Promise<UpsertResult>;
  list(workspaceId: string): Promise<Plan[]>;
}

export function createPlanRepository(ctx: RepositoryContext): PlanRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, p: Plan): PlanTable => ({
    workspace_id: workspaceId,
    id: p.id,
    product_id: p.productId,
    name: p.name,
    interval: p.interval,
    amount: p.amount,
    currency: p.currency,
  });
  const fromRow = (r: PlanTable): Plan => ({
    id: r.id,
    productId: r.product_id,
    name: r.name,
    interval: r.interval as BillingInterval | null,
    amount: r.amount === null ? null : adapter.parseNumber(r.amount),
    currency: r.currency,
  });

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((p) => fromRow(toRow(workspaceId, p)));
      return upsertByDiff(
        ctx,
        {
          incoming,
          keyOf: (p) => p.id,
          loadExisting: (db) =>
            loadByIds(
              { ...ctx, db },
              incoming.map((p) => p.id),
              (ids) =>
                db
                  .selectFrom("plans")
                  .selectAll()
                  .where("workspace_id", "=", workspaceId)
                  .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
                  .execute(),
            ).then((found) => found.map(fromRow)),
          columnsPerRow: 7,
          writeChunk: (db, chunk) =>
            db
              .insertInto("plans")
              .values(chunk.map((p) => toRow(workspaceId, p)))
              .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(UPDATABLE)))
              .execute(),
        },
        options,
      );
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("plans")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },
  };
}
