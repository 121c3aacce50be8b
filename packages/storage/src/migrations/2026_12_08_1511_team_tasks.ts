import type { Kysely } from "kysely";

/**
 * Teams, members and tasks (issue 15): the account owner becomes a member (`accounts.owner_id`, with
 * `owner` kept as the member's name for every reader that shows or groups by it), tasks carry their
 * cause (signal, automation, playbook run step) and a dedupe key, and notes, observations and signal
 * status changes record the member who made them (`actor_id`). Frozen: never edit, add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("teams")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    // The member who got the team's last round-robin assignment (the next one goes to the one after).
    .addColumn("round_robin_member_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("teams_pk", ["workspace_id", "id"])
    .execute();

  await db.schema
    .createTable("members")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    // Lower-cased email: unique per workspace whatever the case it was typed in.
    .addColumn("email_key", "text", (c) => c.notNull())
    .addColumn("team_id", "text")
    .addColumn("role", "text")
    .addColumn("capacity", "integer")
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("deactivated_at", "text")
    .addColumn("successor_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("members_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("members_email_idx")
    .on("members")
    .columns(["workspace_id", "email_key"])
    .unique()
    .execute();
  await db.schema
    .createIndex("members_team_idx")
    .on("members")
    .columns(["workspace_id", "team_id"])
    .execute();

  await db.schema.alterTable("accounts").addColumn("owner_id", "text").execute();
  // The team whose pool holds the account when it has no owner (or the owner's team when it has one).
  await db.schema.alterTable("accounts").addColumn("owner_team_id", "text").execute();
  await db.schema
    .createIndex("accounts_owner_idx")
    .on("accounts")
    .columns(["workspace_id", "owner_id"])
    .execute();

  await db.schema.alterTable("timeline_entries").addColumn("actor_id", "text").execute();
  await db.schema.alterTable("signals").addColumn("actor_id", "text").execute();

  await db.schema
    .createTable("tasks")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("status", "text", (c) => c.notNull())
    // 1 while open or in progress: every work list filters on it, so it leads their indexes.
    .addColumn("is_open", "integer", (c) => c.notNull())
    .addColumn("priority", "text", (c) => c.notNull())
    .addColumn("assignee_id", "text")
    .addColumn("team_id", "text")
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("signal_id", "text")
    .addColumn("automation_id", "text")
    .addColumn("playbook_run_id", "text")
    .addColumn("playbook_step", "integer")
    .addColumn("outcome", "text")
    .addColumn("dedupe_key", "text")
    .addColumn("created_by", "text")
    .addColumn("closed_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addPrimaryKeyConstraint("tasks_pk", ["workspace_id", "id"])
    .execute();
  // Keyset pages of the work lists: (due_date, id) order within each list's equality filters.
  await db.schema
    .createIndex("tasks_assignee_idx")
    .on("tasks")
    .columns(["workspace_id", "assignee_id", "is_open", "due_date", "id"])
    .execute();
  await db.schema
    .createIndex("tasks_team_idx")
    .on("tasks")
    .columns(["workspace_id", "team_id", "is_open", "due_date", "id"])
    .execute();
  await db.schema
    .createIndex("tasks_open_idx")
    .on("tasks")
    .columns(["workspace_id", "is_open", "due_date", "id"])
    .execute();
  await db.schema
    .createIndex("tasks_account_idx")
    .on("tasks")
    .columns(["workspace_id", "account_id", "is_open", "due_date", "id"])
    .execute();
  await db.schema
    .createIndex("tasks_run_idx")
    .on("tasks")
    .columns(["workspace_id", "playbook_run_id"])
    .execute();
  // NULL keys never collide on either database, so tasks without a key stay unconstrained.
  await db.schema
    .createIndex("tasks_dedupe_idx")
    .on("tasks")
    .columns(["workspace_id", "dedupe_key"])
    .unique()
    .execute();
}
