import { type Kysely, SqliteAdapter } from "kysely";

/**
 * Users and sign-in (issue 16). better-auth's tables under our names (auth_users, auth_sessions,
 * auth_accounts, auth_verifications: the server maps its fields to these snake_case columns), a
 * user's role in each workspace (workspace_memberships), one-time invitation and password-reset links
 * (auth_links, the token stored only as its sha256), failed sign-ins and sign-in attempts shared by
 * every server process (sign_in_attempts), and instance-wide settings such as the cookie-signing
 * secret (instance_settings). better-auth writes Date objects on PostgreSQL (timestamptz) and ISO
 * text on SQLite, hence the one dialect choice here. Frozen: never edit, add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const time = sqlite ? "text" : "timestamptz";

  await db.schema
    .createTable("auth_users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    // better-auth lower-cases emails before storing and looking them up.
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("email_verified", "boolean", (c) => c.notNull())
    .addColumn("image", "text")
    .addColumn("banned", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("last_sign_in_at", time)
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("auth_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull().references("auth_users.id").onDelete("cascade"))
    .addColumn("expires_at", time, (c) => c.notNull())
    .addColumn("ip_address", "text")
    .addColumn("user_agent", "text")
    // The workspace the session works in (POST /api/workspaces/{id}/switch); null = the first membership.
    .addColumn("active_workspace_id", "text")
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("auth_sessions_user_idx").on("auth_sessions").column("user_id").execute();

  await db.schema
    .createTable("auth_accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("provider_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("auth_users.id").onDelete("cascade"))
    .addColumn("access_token", "text")
    .addColumn("refresh_token", "text")
    .addColumn("id_token", "text")
    .addColumn("access_token_expires_at", time)
    .addColumn("refresh_token_expires_at", time)
    .addColumn("scope", "text")
    // The password hash (better-auth's scrypt) of a "credential" account; null for SSO accounts.
    .addColumn("password", "text")
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("auth_accounts_user_idx").on("auth_accounts").column("user_id").execute();

  await db.schema
    .createTable("auth_verifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("identifier", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("expires_at", time, (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("updated_at", time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("auth_verifications_identifier_idx")
    .on("auth_verifications")
    .column("identifier")
    .execute();

  await db.schema
    .createTable("workspace_memberships")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("auth_users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    // The team member (members.id) this user is: a CSM's book is the accounts that member owns.
    .addColumn("member_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("workspace_memberships_pk", ["workspace_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("workspace_memberships_user_idx")
    .on("workspace_memberships")
    .column("user_id")
    .execute();

  await db.schema
    .createTable("auth_links")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text")
    .addColumn("member_id", "text")
    // The user a password-reset link is for (null for invitations).
    .addColumn("user_id", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema
    .createIndex("auth_links_workspace_idx")
    .on("auth_links")
    .columns(["workspace_id", "kind", "created_at"])
    .execute();

  await db.schema
    .createTable("sign_in_attempts")
    .addColumn("id", "text", (c) => c.primaryKey())
    // "email:<lower-cased email>" for a failed sign-in, "ip:<address>" for any sign-in attempt.
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("sign_in_attempts_key_idx")
    .on("sign_in_attempts")
    .columns(["key", "at"])
    .execute();

  await db.schema
    .createTable("instance_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
