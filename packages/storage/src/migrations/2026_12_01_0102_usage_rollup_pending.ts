import type { Kysely } from "kysely";

/**
 * Rollups off the tracking API's acknowledgement path. Frozen: never edit, add a new migration instead.
 * The tracking API's group commit stores event blocks whose rollup counts are added later, in large
 * sorted batches, by a background flush. `usage_rollup_pending` lists those blocks until their counts
 * are in usage_rollups: a block's row is inserted in the transaction that stores the block and deleted
 * in the transaction that adds its counts, so after a crash the listed blocks are exactly the ones to
 * replay (no count lost, none added twice). Blocks written with their rollups (imports, direct
 * ingests, everything before this migration) are never listed.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("usage_rollup_pending")
    .addColumn("block_id", "bigint", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .execute();
}
