import type { Kysely } from "kysely";

/**
 * Success plans (GPCT: goals, plans as milestones, challenges, timeline) and onboarding checklists
 * (kind "onboarding"), with their goals and milestones. Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("success_plans")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("template_key", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("challenges", "text", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("success_plans_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("success_plans_account_idx")
    .on("success_plans")
    .columns(["workspace_id", "account_id", "kind"])
    .execute();
  await db.schema
    .createTable("success_plan_goals")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("metric", "text")
    .addColumn("start_value", "double precision")
    .addColumn("target_value", "double precision")
    .addColumn("manual_value", "double precision")
    .addColumn("due_on", "text")
    .addPrimaryKeyConstraint("success_plan_goals_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("success_plan_goals_plan_idx")
    .on("success_plan_goals")
    .columns(["workspace_id", "plan_id", "position"])
    .execute();
  await db.schema
    .createTable("success_plan_milestones")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("due_on", "text")
    .addColumn("done_at", "text")
    .addColumn("done_by", "text")
    .addColumn("value_milestone", "boolean", (c) => c.notNull())
    .addPrimaryKeyConstraint("success_plan_milestones_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("success_plan_milestones_plan_idx")
    .on("success_plan_milestones")
    .columns(["workspace_id", "plan_id", "position"])
    .execute();
}
