import { nowIso, type RepositoryContext } from "./repository-context";

/** One stored workspace setting: a JSON value under a key, and when it was last set. */
export interface WorkspaceSetting {
  key: string;
  value: unknown;
  updatedAt: string;
}

/** Workspace settings as JSON values by key; the caller validates the value it reads (zod). */
export interface WorkspaceSettingRepository {
  /** The setting, or null when it was never set. */
  get(workspaceId: string, key: string): Promise<WorkspaceSetting | null>;
  /** Sets (inserts or replaces) the setting; returns it as stored. */
  set(workspaceId: string, key: string, value: unknown): Promise<WorkspaceSetting>;
}

export function createWorkspaceSettingRepository(ctx: RepositoryContext): WorkspaceSettingRepository {
  const { adapter } = ctx;
  return {
    async get(workspaceId, key) {
      const row = await ctx.db
        .selectFrom("workspace_settings")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("key", "=", key)
        .executeTakeFirst();
      return row === undefined
        ? null
        : { key: row.key, value: adapter.decodeJson(row.json), updatedAt: row.updated_at };
    },
    async set(workspaceId, key, value) {
      const updatedAt = nowIso();
      const json = adapter.encodeJson(value);
      await ctx.db
        .insertInto("workspace_settings")
        .values({ workspace_id: workspaceId, key, json, updated_at: updatedAt })
        .onConflict((oc) => oc.columns(["workspace_id", "key"]).doUpdateSet({ json, updated_at: updatedAt }))
        .execute();
      return { key, value, updatedAt };
    },
  };
}
