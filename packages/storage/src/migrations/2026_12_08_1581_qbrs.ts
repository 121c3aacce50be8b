import type { Kysely } from "kysely";

/**
 * Quarterly business reviews of large accounts: per account and quarter ("YYYY-Qn") the revenue
 * target (MRR at the quarter's end) and when the QBR was held. Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("qbrs")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("quarter", "text", (c) => c.notNull())
    .addColumn("target_mrr", "double precision")
    .addColumn("held_on", "text")
    .addColumn("note", "text")
    .addColumn("updated_by", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("qbrs_pk", ["workspace_id", "account_id", "quarter"])
    .execute();
  await db.schema.createIndex("qbrs_quarter_idx").on("qbrs").columns(["workspace_id", "quarter"]).execute();
}
