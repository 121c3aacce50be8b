import type { SavedViewTable } from "../schema";
import { nowIso, type RepositoryContext } from "./repository-context";

/** A saved accounts-list view: a name, list filters and a sort. */
export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, string>;
  sort: string | null;
  order: string | null;
  createdAt: string;
}

export interface SavedViewRepository {
  /** Views ordered by name. */
  list(workspaceId: string): Promise<SavedView[]>;
  create(workspaceId: string, view: Omit<SavedView, "createdAt">): Promise<SavedView>;
  /** Deletes a view; false when there was none. */
  delete(workspaceId: string, id: string): Promise<boolean>;
}

export function createSavedViewRepository(ctx: RepositoryContext): SavedViewRepository {
  const { adapter } = ctx;
  const fromRow = (r: SavedViewTable): SavedView => ({
    id: r.id,
    name: r.name,
    filters: adapter.decodeJson(r.filters) as Record<string, string>,
    sort: r.sort,
    order: r.order,
    createdAt: r.created_at,
  });
  return {
    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("saved_views")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async create(workspaceId, view) {
      const row: SavedViewTable = {
        workspace_id: workspaceId,
        id: view.id,
        name: view.name,
        filters: adapter.encodeJson(view.filters),
        sort: view.sort,
        order: view.order,
        created_at: nowIso(),
      };
      await ctx.db.insertInto("saved_views").values(row).execute();
      return fromRow(row);
    },

    async delete(workspaceId, id) {
      const res = await ctx.db
        .deleteFrom("saved_views")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
