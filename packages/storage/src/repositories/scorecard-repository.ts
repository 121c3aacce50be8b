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
  /** Keeps a scorecard under its version (a fingerprint of its content); a stored version is left as is. */
  saveVersion(workspaceId: string, version: string, json: unknown): Promise<void>;
  /** The stored scorecards of these versions, by version (unknown versions are absent). */
  versions(workspaceId: string, versions: readonly string[]): Promise<Map<string, unknown>>;
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

    async saveVersion(workspaceId, version, json) {
      await ctx.db
        .insertInto("scorecard_versions")
        .values({
          workspace_id: workspaceId,
          version,
          json: adapter.encodeJson(json),
          created_at: nowIso(),
        })
        .onConflict((oc) => oc.columns(["workspace_id", "version"]).doNothing())
        .execute();
    },

    async versions(workspaceId, versions) {
      const out = new Map<string, unknown>();
      if (versions.length === 0) return out;
      const rows = await ctx.db
        .selectFrom("scorecard_versions")
        .select(["version", "json"])
        .where("workspace_id", "=", workspaceId)
        .where("version", "in", [...new Set(versions)])
        .execute();
      for (const r of rows) out.set(r.version, adapter.decodeJson(r.json));
      return out;
    },
  };
}
