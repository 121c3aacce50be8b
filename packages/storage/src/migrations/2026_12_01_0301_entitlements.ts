import type { Kysely } from "kysely";

/**
 * Usage entitlements (quotas) and the day a contact left the customer company. Frozen: never edit,
 * add a new migration instead. An entitlement is `quantity` units of a usage event (or "*", every
 * event) over a contract term [period_start, period_end); period_end is exclusive as subscriptions' end_date.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("entitlements")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("subscription_id", "text")
    .addColumn("metric", "text", (c) => c.notNull())
    .addColumn("quantity", "double precision", (c) => c.notNull())
    .addColumn("period_start", "text", (c) => c.notNull())
    .addColumn("period_end", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("entitlements_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("entitlements_account_idx")
    .on("entitlements")
    .columns(["workspace_id", "account_id", "period_end"])
    .execute();

  await db.schema.alterTable("contacts").addColumn("left_at", "text").execute();
}
