import type { Kysely } from "kysely";

/**
 * The audit log (issue 16): one row per change made through a route or a command, written in the
 * change's own transaction. `id` sorts by time (monotonic), so pages are keyed on it.
 * Frozen: never edit, add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_log")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("actor_label", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .addColumn("ip", "text")
    .addColumn("request_id", "text")
    .addPrimaryKeyConstraint("audit_log_pk", ["workspace_id", "id"])
    .execute();
  await db.schema.createIndex("audit_log_at_idx").on("audit_log").columns(["workspace_id", "at"]).execute();
  await db.schema
    .createIndex("audit_log_entity_idx")
    .on("audit_log")
    .columns(["workspace_id", "entity_type", "entity_id"])
    .execute();
  await db.schema
    .createIndex("audit_log_actor_idx")
    .on("audit_log")
    .columns(["workspace_id", "actor_id"])
    .execute();
  // Retention prunes by time across workspaces.
  await db.schema.createIndex("audit_log_prune_idx").on("audit_log").column("at").execute();
}
