import type { Kysely } from "kysely";

/**
 * Workspace settings. Frozen: never edit, add a new migration instead. One JSON value per workspace
 * and key (e.g. "clv": gross margin and discount rate of lifetime values), set from the web app.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("workspace_settings")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("json", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("workspace_settings_pk", ["workspace_id", "key"])
    .execute();
}
