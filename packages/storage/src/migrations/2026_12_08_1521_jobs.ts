import { type Kysely, sql } from "kysely";

/**
 * The durable job queue: `jobs` (one row per job, kept after it finishes for the job log) and
 * `job_schedules` (recurring jobs, each enqueuing its next run). A running job's `run_at` is its
 * lease expiry, so one partial index on (priority, run_at) over queued and running jobs serves claims
 * of due jobs and of jobs whose worker died. Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.notNull().primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    // queued | running | done | failed
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("run_at", "text", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("idempotency_key", "text")
    .addColumn("locked_by", "text")
    .addColumn("last_error", "text")
    .addColumn("schedule_name", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  // NULL keys never conflict (both databases treat NULLs as distinct in unique indexes).
  await db.schema
    .createIndex("jobs_idempotency_idx")
    .on("jobs")
    .columns(["workspace_id", "kind", "idempotency_key"])
    .unique()
    .execute();
  await db.schema
    .createIndex("jobs_claim_idx")
    .on("jobs")
    .columns(["priority", "run_at"])
    .where(sql.raw<boolean>("status in ('queued', 'running')"))
    .execute();
  // The job log: by workspace and status, newest first.
  await db.schema.createIndex("jobs_log_idx").on("jobs").columns(["workspace_id", "status", "id"]).execute();
  await db.schema
    .createTable("job_schedules")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("cron", "text", (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("enabled", "boolean", (c) => c.notNull())
    .addColumn("next_run_at", "text", (c) => c.notNull())
    .addColumn("last_run_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("job_schedules_pk", ["workspace_id", "name"])
    .execute();
  await db.schema.createIndex("job_schedules_due_idx").on("job_schedules").columns(["next_run_at"]).execute();
}
