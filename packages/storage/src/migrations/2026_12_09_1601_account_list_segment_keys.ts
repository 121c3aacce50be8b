import type { Kysely } from "kysely";

/**
 * The accounts list's segment keys as rows (after 2026_12_08_1599_account_list_filters): a segment
 * filter was a LIKE over every stored row (100,000 rows: 52 ms of CPU on SQLite); now it seeks its
 * accounts in this table. Keys are stored as a SHA-256 of `attribute=value` because custom field values
 * may be longer than a PostgreSQL index entry takes. Existing lists are forgotten, so the next read
 * rebuilds them with their keys. Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("account_list_segment_keys")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_list_segment_keys_pk", ["workspace_id", "key_hash", "account_id"])
    .execute();
  await db.schema
    .createIndex("account_list_segment_keys_account_idx")
    .on("account_list_segment_keys")
    .columns(["workspace_id", "account_id"])
    .execute();
  await db.deleteFrom("account_list_state").execute();
}
