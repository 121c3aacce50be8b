import type { Kysely } from "kysely";

/**
 * Single sign-on by OpenID Connect (issue 16): one identity provider per workspace, in the table
 * better-auth's SSO plugin reads (its fields mapped to these snake_case columns). oidc_config is the
 * plugin's JSON (issuer, client id and secret, endpoints); domain the comma-separated email domains the
 * provider serves; default_role what a person signing in without an invitation gets (null = refused).
 * Tenure writes the rows (Settings → Sign-in); the plugin only reads them. Frozen: never edit.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("auth_sso_providers")
    .addColumn("id", "text", (c) => c.primaryKey())
    // In the callback URL: /api/auth/sso/callback/<provider_id>.
    .addColumn("provider_id", "text", (c) => c.notNull().unique())
    .addColumn("workspace_id", "text", (c) => c.notNull().unique())
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("oidc_config", "text", (c) => c.notNull())
    .addColumn("saml_config", "text")
    // The plugin's owner column: the admin who saved it (null when saved with an API key).
    .addColumn("user_id", "text")
    .addColumn("organization_id", "text")
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("domain_verified", "boolean", (c) => c.notNull())
    .addColumn("default_role", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}
