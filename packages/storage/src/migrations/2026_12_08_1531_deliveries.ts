import type { Kysely } from "kysely";

/**
 * Outbound deliveries (issue 15). Frozen: never edit, add a new migration instead.
 * - delivery_templates: email templates per workspace, one per name and locale (Mustache text).
 * - webhook_endpoints: Standard Webhooks receivers with their own `whsec_` secret.
 * - chat_channels: team chat incoming webhooks (wecom, dingtalk, feishu, slack), with an optional
 *   signing secret.
 * - deliveries: one row per delivery (its stable id is the job's deliveryId), with its latest state.
 * - delivery_attempts: every attempt of a delivery, never deleted, so failures stay visible.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("delivery_templates")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("delivery_templates_pk", ["workspace_id", "id"])
    .addUniqueConstraint("delivery_templates_name_locale", ["workspace_id", "name", "locale"])
    .execute();

  await db.schema
    .createTable("webhook_endpoints")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("webhook_endpoints_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("chat_channels")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("secret", "text")
    .addColumn("disabled_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("chat_channels_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("account_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("response_code", "integer")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("deliveries_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("deliveries_status")
    .on("deliveries")
    .columns(["workspace_id", "status", "updated_at"])
    .execute();

  await db.schema
    .createTable("delivery_attempts")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("delivery_id", "text", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("response_code", "integer")
    .addColumn("error", "text")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("attempted_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("delivery_attempts_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("delivery_attempts_delivery")
    .on("delivery_attempts")
    .columns(["workspace_id", "delivery_id", "attempted_at"])
    .execute();
}
