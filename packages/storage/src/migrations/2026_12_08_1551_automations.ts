import type { Kysely } from "kysely";

/**
 * Automations (issue 15): definitions with every version kept, the run log (one row per account an
 * automation's trigger matched, unique per trigger instance: the idempotency key of a fire), snoozes,
 * and each account's facts at the previous evaluation (transition triggers compare with them).
 * Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("automations")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("automations_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("automation_versions")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("automation_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("automation_versions_pk", ["workspace_id", "automation_id", "version"])
    .execute();

  await db.schema
    .createTable("automation_runs")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("automation_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("instance", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("next_step", "integer", (c) => c.notNull())
    .addColumn("resume_at", "text")
    .addColumn("steps", "text", (c) => c.notNull())
    .addColumn("retriggers", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("automation_runs_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("automation_runs_instance")
    .on("automation_runs")
    .columns(["workspace_id", "automation_id", "account_id", "instance"])
    .unique()
    .execute();
  await db.schema
    .createIndex("automation_runs_log")
    .on("automation_runs")
    .columns(["workspace_id", "automation_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("automation_runs_status")
    .on("automation_runs")
    .columns(["workspace_id", "status", "resume_at"])
    .execute();

  await db.schema
    .createTable("automation_snoozes")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("automation_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("until", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("automation_snoozes_pk", ["workspace_id", "automation_id", "account_id"])
    .execute();

  await db.schema
    .createTable("automation_snapshots")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("stage", "text")
    .addColumn("segment", "text")
    .addColumn("band", "text")
    .addPrimaryKeyConstraint("automation_snapshots_pk", ["workspace_id", "account_id"])
    .execute();
}
