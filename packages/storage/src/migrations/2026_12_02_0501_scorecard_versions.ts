import type { Kysely } from "kysely";

/**
 * Scorecard versions. Frozen: never edit, add a new migration instead. Daily health scores now store a
 * packed breakdown (numbers only, about a quarter of the ~3 KB JSON they carried) naming the scorecard
 * version it was scored with; labels and weights are read back from that version, so a score keeps
 * explaining itself after the scorecard is edited. `version` is a fingerprint of the scorecard's JSON.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("scorecard_versions")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("json", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("scorecard_versions_pk", ["workspace_id", "version"])
    .execute();
}
