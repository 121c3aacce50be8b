import type { Kysely } from "kysely";

/**
 * Product usage from the tracking API. Frozen: never edit, add a new migration instead.
 * Raw calls are keyed by messageId (idempotency); rollups are per user, day and event, and are
 * attributed to an account through usage_users at read time, so a late `group` call still counts.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("usage_events")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("event", "text")
    .addColumn("user_key", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("anonymous_id", "text")
    .addColumn("timestamp", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("properties", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_events_pk", ["workspace_id", "message_id"])
    .execute();
  await db.schema
    .createIndex("usage_events_user_idx")
    .on("usage_events")
    .columns(["workspace_id", "user_key", "day"])
    .execute();

  await db.schema
    .createTable("usage_users")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("user_key", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("anonymous_id", "text")
    .addColumn("account_id", "text")
    .addColumn("name", "text")
    .addColumn("email", "text")
    .addColumn("role", "text")
    .addColumn("department", "text")
    .addColumn("traits", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_users_pk", ["workspace_id", "user_key"])
    .execute();
  await db.schema
    .createIndex("usage_users_account_idx")
    .on("usage_users")
    .columns(["workspace_id", "account_id"])
    .execute();

  await db.schema
    .createTable("usage_rollups")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("user_key", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_rollups_pk", ["workspace_id", "user_key", "day", "event"])
    .execute();
}
