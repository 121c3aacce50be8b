import type { Kysely } from "kysely";

/**
 * Token buckets shared by every server process (issue 16): the per-IP limit of unauthenticated
 * calls (sign-in, wrong keys) must hold however many processes answer. `tokens` as of `updated_ms`.
 * Frozen: never edit, add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rate_limit_buckets")
    .addColumn("bucket", "text", (c) => c.primaryKey())
    .addColumn("tokens", "double precision", (c) => c.notNull())
    .addColumn("updated_ms", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("rate_limit_buckets_updated_idx")
    .on("rate_limit_buckets")
    .column("updated_ms")
    .execute();
}
