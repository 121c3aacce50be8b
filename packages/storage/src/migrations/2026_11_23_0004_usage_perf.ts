import { type Kysely, SqliteAdapter, sql } from "kysely";

/**
 * Faster usage ingestion. Frozen: never edit, add a new migration instead.
 * Raw calls move from one wide row each (usage_events: a table, its primary key and a secondary index
 * to update per call) to two narrow structures:
 * - usage_event_ids: the messageIds seen (idempotency), clustered on the key (WITHOUT ROWID in SQLite);
 * - usage_event_blocks: the calls themselves, appended as one JSON block per write (an event log).
 * Existing usage_events rows stay where they are and are still read; their ids are copied over.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const ids = db.schema
    .createTable("usage_event_ids")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_event_ids_pk", ["workspace_id", "message_id"]);
  await (sqlite ? ids.modifyEnd(sql`without rowid`) : ids).execute();
  await db
    .insertInto("usage_event_ids")
    .columns(["workspace_id", "message_id"])
    .expression(db.selectFrom("usage_events").select(["workspace_id", "message_id"]))
    .execute();

  await db.schema
    .createTable("usage_event_blocks")
    // SQLite: INTEGER PRIMARY KEY is the rowid, assigned in insert order like bigserial.
    .addColumn("block_id", sqlite ? "integer" : "bigserial", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("events", "integer", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("usage_event_blocks_ws_idx")
    .on("usage_event_blocks")
    .columns(["workspace_id", "block_id"])
    .execute();
  // The old per-call table is no longer written; its secondary index only slowed inserts.
  await db.schema.dropIndex("usage_events_user_idx").execute();
}
