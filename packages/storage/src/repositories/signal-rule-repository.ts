import type { RepositoryContext } from "./repository-context";

export interface SignalRuleRepository {
  /** Stored rules as JSON (validated by the service), ordered by id. */
  list(workspaceId: string): Promise<unknown[]>;
  /** Inserts or replaces the rule with this id. */
  put(workspaceId: string, id: string, json: unknown): Promise<void>;
  /** Deletes a rule; false when there was none. */
  delete(workspaceId: string, id: string): Promise<boolean>;
}

export function createSignalRuleRepository(ctx: RepositoryContext): SignalRuleRepository {
  const { adapter } = ctx;
  return {
    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("signal_rules")
        .select("json")
        .where("workspace_id", "=", workspaceId)
        .orderBy("id")
        .execute();
      return rows.map((r) => adapter.decodeJson(r.json));
    },

    async put(workspaceId, id, json) {
      const text = adapter.encodeJson(json);
      await ctx.db
        .insertInto("signal_rules")
        .values({ workspace_id: workspaceId, id, json: text })
        .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet({ json: text }))
        .execute();
    },

    async delete(workspaceId, id) {
      const res = await ctx.db
        .deleteFrom("signal_rules")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
