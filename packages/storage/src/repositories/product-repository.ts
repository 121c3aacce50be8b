import type { Product } from "@tenure/core";
import type { ProductTable } from "../schema";
import {
  excluded,
  loadByIds,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
  upsertByDiff,
} from "./repository-context";

export interface ProductRepository {
  upsertMany(workspaceId: string, rows: readonly Product[], options?: UpsertOptions): Promise<UpsertResult>;
  list(workspaceId: string): Promise<Product[]>;
}

export function createProductRepository(ctx: RepositoryContext): ProductRepository {
  const toRow = (workspaceId: string, p: Product): ProductTable => ({
    workspace_id: workspaceId,
    id: p.id,
    name: p.name,
  });
  const fromRow = (r: ProductTable): Product => ({ id: r.id, name: r.name });

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
                  .selectFrom("products")
                  .selectAll()
                  .where("workspace_id", "=", workspaceId)
                  .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
                  .execute(),
            ).then((found) => found.map(fromRow)),
          columnsPerRow: 3,
          writeChunk: (db, chunk) =>
            db
              .insertInto("products")
              .values(chunk.map((p) => toRow(workspaceId, p)))
              .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(["name"] as const)))
              .execute(),
        },
        options,
      );
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("products")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },
  };
}
