import type { Kysely } from "kysely";

/**
 * Account health, signals, timeline, scorecards, signal rules and saved views. Frozen: never edit,
 * add a new migration instead. health_scores holds one row per account and day (the daily history).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Covering index for the health recompute's bulk reads of recent usage (by day, all users).
  await db.schema
    .createIndex("usage_rollups_day_idx")
    .on("usage_rollups")
    .columns(["workspace_id", "day", "user_key", "event", "count"])
    .execute();

  await db.schema
    .createTable("health_scores")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("score", "double precision")
    .addColumn("band", "text", (c) => c.notNull())
    .addColumn("profile_id", "text", (c) => c.notNull())
    .addColumn("breakdown", "text", (c) => c.notNull())
    .addColumn("last_activity_at", "text")
    .addPrimaryKeyConstraint("health_scores_pk", ["workspace_id", "account_id", "date"])
    .execute();
  await db.schema
    .createIndex("health_scores_date_idx")
    .on("health_scores")
    .columns(["workspace_id", "date"])
    .execute();

  await db.schema
    .createTable("signals")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("dedup_key", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("evidence", "text", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("acknowledged_at", "text")
    .addColumn("resolved_at", "text")
    .addColumn("status_changed_by", "text")
    .addPrimaryKeyConstraint("signals_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("signals_account_idx")
    .on("signals")
    .columns(["workspace_id", "account_id"])
    .execute();
  await db.schema
    .createIndex("signals_status_idx")
    .on("signals")
    .columns(["workspace_id", "status"])
    .execute();

  await db.schema
    .createTable("timeline_entries")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("author", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text")
    .addColumn("data", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("timeline_entries_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("timeline_entries_account_idx")
    .on("timeline_entries")
    .columns(["workspace_id", "account_id", "occurred_at"])
    .execute();
  await db.schema
    .createIndex("timeline_entries_type_idx")
    .on("timeline_entries")
    .columns(["workspace_id", "type", "occurred_at"])
    .execute();

  await db.schema
    .createTable("scorecards")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("json", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("scorecards_pk", ["workspace_id"])
    .execute();

  await db.schema
    .createTable("signal_rules")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("json", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("signal_rules_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("saved_views")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("filters", "text", (c) => c.notNull())
    .addColumn("sort", "text")
    .addColumn("order", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("saved_views_pk", ["workspace_id", "id"])
    .execute();
}
