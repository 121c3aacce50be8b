import { nowIso, type RepositoryContext } from "./repository-context";

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
}

export interface WorkspaceRepository {
  /** Creates the workspace if it does not exist (an existing name is kept); returns it. */
  ensure(id: string, name: string): Promise<Workspace>;
  get(id: string): Promise<Workspace | null>;
  list(): Promise<Workspace[]>;
}

export function createWorkspaceRepository(ctx: RepositoryContext): WorkspaceRepository {
  const get = async (id: string): Promise<Workspace | null> => {
    const row = await ctx.db.selectFrom("workspaces").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : { id: row.id, name: row.name, createdAt: row.created_at };
  };
  return {
    async ensure(id, name) {
      await ctx.db
        .insertInto("workspaces")
        .values({ id, name, created_at: nowIso() })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
      const workspace = await get(id);
      if (workspace === null) throw new Error(`workspace ${id} vanished after insert`);
      return workspace;
    },
    get,
    async list() {
      const rows = await ctx.db.selectFrom("workspaces").selectAll().orderBy("id").execute();
      return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
    },
  };
}
