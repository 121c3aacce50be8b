import { nowIso, type RepositoryContext } from "./repository-context";

/** The workspace's active scorecard, stored as JSON (validated by the service, not here). */
export interface StoredScorecard {
  id: string;
  json: unknown;
  updatedAt: string;
}

export interface ScorecardRepository {
  /** The active scorecard, or null when the workspace uses the default. */
  get(workspaceId: string): Promise<StoredScorecard | null>;
  /** Replaces the active scorecard. */
  put(workspaceId: string, id: string, json: unknown): Promise<StoredScorecard>;
}

export function createScorecardRepository(ctx: RepositoryContext): ScorecardRepository {
  const { adapter } = ctx;
  return {
    async get(workspaceId) {
      const row = await ctx.db
        .selectFrom("scorecards")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirst();
      return row === undefined
        ? null
        : { id: row.id, json: adapter.decodeJson(row.json), updatedAt: row.updated_at };
    },

    async put(workspaceId, id, json) {
      const updatedAt = nowIso();
      await ctx.db
        .insertInto("scorecards")
        .values({ workspace_id: workspaceId, id, json: adapter.encodeJson(json), updated_at: updatedAt })
        .onConflict((oc) =>
          oc
            .column("workspace_id")
            .doUpdateSet({ id, json: adapter.encodeJson(json), updated_at: updatedAt }),
        )
        .execute();
      return { id, json, updatedAt };
    },
  };
}
