import { type Kysely, SqliteAdapter } from "kysely";

/**
 * Dedup without an id B-tree. Frozen: never edit, add a new migration instead.
 * Blocks written by the embedded database carry the 96-bit hashes of their messageIds (`id_hashes`,
 * 12 bytes per event) instead of one `usage_event_ids` row per event; the process keeps an in-memory
 * index built from them. NULL (older blocks, PostgreSQL): the ids are in `usage_event_ids`.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .alterTable("usage_event_blocks")
    .addColumn("id_hashes", sqlite ? "blob" : "bytea")
    .execute();
}
