import type { Kysely } from "kysely";

/**
 * Renewal backtests: the renewal forecast replayed over past quarters, computed when a churn model is
 * trained and stored with it (one JSON result per workspace and model), so that no request retrains
 * models to answer it. Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("renewal_backtests")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("model_id", "text", (c) => c.notNull())
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("computed_at", "text", (c) => c.notNull())
    .addColumn("result", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("renewal_backtests_pk", ["workspace_id", "model_id"])
    .execute();
}
