import type { Kysely } from "kysely";

/**
 * Initial schema. Frozen: never edit, add a new migration instead.
 * Dates are ISO text (no driver time-zone surprises), amounts double precision, JSON as text.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("workspaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .addPrimaryKeyConstraint("api_keys_pk", ["workspace_id", "id"])
    .execute();
  await db.schema.createIndex("api_keys_key_hash_idx").on("api_keys").column("key_hash").execute();

  await db.schema
    .createTable("accounts")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("crm_id", "text")
    .addColumn("billing_id", "text")
    .addColumn("tier", "text")
    .addColumn("segment", "text")
    .addColumn("industry", "text")
    .addColumn("region", "text")
    .addColumn("owner", "text")
    .addColumn("lifecycle_stage", "text")
    .addColumn("channel", "text")
    .addColumn("utm_source", "text")
    .addColumn("utm_medium", "text")
    .addColumn("utm_campaign", "text")
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("custom_fields", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("accounts_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("account_stage_history")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("entered_at", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addPrimaryKeyConstraint("account_stage_history_pk", ["workspace_id", "id"])
    .addForeignKeyConstraint("account_stage_history_account_fk", ["workspace_id", "account_id"], "accounts", [
      "workspace_id",
      "id",
    ])
    .execute();
  await db.schema
    .createIndex("account_stage_history_account_idx")
    .on("account_stage_history")
    .columns(["workspace_id", "account_id", "entered_at"])
    .execute();

  await db.schema
    .createTable("contacts")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("role", "text")
    .addColumn("title", "text")
    .addColumn("last_touch_at", "text")
    .addPrimaryKeyConstraint("contacts_pk", ["workspace_id", "id"])
    .addForeignKeyConstraint("contacts_account_fk", ["workspace_id", "account_id"], "accounts", [
      "workspace_id",
      "id",
    ])
    .execute();
  await db.schema
    .createIndex("contacts_account_idx")
    .on("contacts")
    .columns(["workspace_id", "account_id"])
    .execute();

  await db.schema
    .createTable("products")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("products_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("plans")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("product_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("interval", "text")
    .addColumn("amount", "double precision")
    .addColumn("currency", "text")
    .addPrimaryKeyConstraint("plans_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("plan", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text")
    .addColumn("amount", "double precision", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("interval", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("discount_pct", "double precision", (c) => c.notNull())
    .addColumn("trial", "boolean", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("subscriptions_pk", ["workspace_id", "id"])
    .addForeignKeyConstraint("subscriptions_account_fk", ["workspace_id", "account_id"], "accounts", [
      "workspace_id",
      "id",
    ])
    .execute();
  await db.schema
    .createIndex("subscriptions_account_idx")
    .on("subscriptions")
    .columns(["workspace_id", "account_id"])
    .execute();

  await db.schema
    .createTable("subscription_history")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("changed_at", "text", (c) => c.notNull())
    .addColumn("previous", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("subscription_history_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("subscription_history_subscription_idx")
    .on("subscription_history")
    .columns(["workspace_id", "subscription_id"])
    .execute();

  await db.schema
    .createTable("exchange_rates")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("rate", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("exchange_rates_pk", ["workspace_id", "date", "currency"])
    .execute();

  await db.schema
    .createTable("acquisition_spend")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("amount", "double precision", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("acquisition_spend_pk", ["workspace_id", "month", "channel"])
    .execute();
}
