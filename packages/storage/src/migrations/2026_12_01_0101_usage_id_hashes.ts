import { type Kysely, SqliteAdapter, sql } from "kysely";

/**
 * Faster usage ingestion, part two. Frozen: never edit, add a new migration instead.
 * - Dedup without an id B-tree: blocks written by the embedded database carry the 96-bit hashes of
 *   their messageIds (`id_hashes`, 12 bytes per event) instead of one `usage_event_ids` row per
 *   event; the process keeps an in-memory index built from them. NULL (older blocks, PostgreSQL):
 *   the ids are in `usage_event_ids`.
 * - SQLite: usage_rollups becomes a WITHOUT ROWID table clustered on its primary key, so a rollup
 *   upsert writes one B-tree (plus the day index) instead of a rowid table and its key index.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .alterTable("usage_event_blocks")
    .addColumn("id_hashes", sqlite ? "blob" : "bytea")
    .execute();
  if (!sqlite) return;

  await db.schema
    .createTable("usage_rollups_clustered")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("user_key", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_rollups_pk", ["workspace_id", "user_key", "day", "event"])
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`INSERT INTO usage_rollups_clustered (workspace_id, user_key, day, event, count)
    SELECT workspace_id, user_key, day, event, count FROM usage_rollups`.execute(db);
  await db.schema.dropTable("usage_rollups").execute();
  await sql`ALTER TABLE usage_rollups_clustered RENAME TO usage_rollups`.execute(db);
  // Recreated as migration 0003 made it (the health recompute's covering index).
  await db.schema
    .createIndex("usage_rollups_day_idx")
    .on("usage_rollups")
    .columns(["workspace_id", "day", "user_key", "event", "count"])
    .execute();
}
