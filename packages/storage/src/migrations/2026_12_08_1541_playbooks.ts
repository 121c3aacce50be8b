import type { Kysely } from "kysely";

/**
 * Playbooks (issue 15 point 2): the team's SOP library, every edit an immutable version, and the runs
 * of a version on an account with the target metric read at the start and at the window's end (the
 * effect report's pre and post). Frozen: never edit, add a new migration instead.
 *
 * `open_key` is `<playbook key>|<account id>` while a run is open and null after: a unique index on it
 * keeps one open run per playbook and account on both dialects (NULLs never collide), so two requests
 * starting the same run at once cannot both insert.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("playbooks")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("latest_version", "integer", (c) => c.notNull())
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("playbooks_pk", ["workspace_id", "key"])
    .execute();

  await db.schema
    .createTable("playbook_versions")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("playbook_key", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addPrimaryKeyConstraint("playbook_versions_pk", ["workspace_id", "playbook_key", "version"])
    .execute();

  await db.schema
    .createTable("playbook_runs")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("playbook_key", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("holdout", "boolean", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("trigger_automation_id", "text")
    .addColumn("trigger_signal_id", "text")
    .addColumn("idempotency_key", "text")
    .addColumn("open_key", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("window_end", "text", (c) => c.notNull())
    .addColumn("metric", "text", (c) => c.notNull())
    .addColumn("start_value", "double precision")
    .addColumn("end_value", "double precision")
    .addColumn("measured_at", "text")
    .addColumn("baseline", "text", (c) => c.notNull())
    .addColumn("steps", "text", (c) => c.notNull())
    .addColumn("snoozed_until", "text")
    .addColumn("started_by", "text")
    .addColumn("completed_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("playbook_runs_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createIndex("playbook_runs_open_key_idx")
    .on("playbook_runs")
    .columns(["workspace_id", "open_key"])
    .unique()
    .execute();
  await db.schema
    .createIndex("playbook_runs_idempotency_idx")
    .on("playbook_runs")
    .columns(["workspace_id", "idempotency_key"])
    .unique()
    .execute();
  await db.schema
    .createIndex("playbook_runs_account_idx")
    .on("playbook_runs")
    .columns(["workspace_id", "account_id", "started_at"])
    .execute();
  await db.schema
    .createIndex("playbook_runs_playbook_idx")
    .on("playbook_runs")
    .columns(["workspace_id", "playbook_key", "started_at"])
    .execute();
  // The window-end check reads runs not yet measured whose window has ended.
  await db.schema
    .createIndex("playbook_runs_window_idx")
    .on("playbook_runs")
    .columns(["workspace_id", "measured_at", "window_end"])
    .execute();
}
