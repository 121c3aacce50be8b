import type { Product } from "@tenure/core";
import type { ProductTable } from "../schema";
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

export interface ProductRepository {
  upsertMany(workspaceId: string, rows: readonly Product[], options?: UpsertOptions): Promise<UpsertResult>;
  list(workspaceId: string): Promise<Product[]>;
}

export function createProductRepository(ctx: RepositoryContext): ProductRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, p: Product): ProductTable => ({
    workspace_id: workspaceId,
    id: p.id,
    name: p.name,
  });
  const fromRow = (r: ProductTable): Product => ({ id: r.id, name: r.name });

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((p) => fromRow(toRow(workspaceId, p)));
      return atomically(ctx, async (db) => {
        const existingRows = await loadByIds(
          { ...ctx, db },
          incoming.map((p) => p.id),
          (ids) =>
            db
              .selectFrom("products")
              .selectAll()
              .where("workspace_id", "=", workspaceId)
              .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
              .execute(),
        );
        const diff = diffByKey(incoming, new Map(existingRows.map((r) => [r.id, fromRow(r)])), (p) => p.id);
        const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
        let done = 0;
        for (const chunk of chunksFor(adapter, toWrite, 3)) {
          await db
            .insertInto("products")
            .values(chunk.map((p) => toRow(workspaceId, p)))
            .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(["name"] as const)))
            .execute();
          done += chunk.length;
          options.onProgress?.(done, toWrite.length);
        }
        return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
      });
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
