import type { Kysely } from "kysely";

/**
 * API key scopes (issue 16): a key may be limited to one team's book (`team_id`) and may expire
 * (`expires_at`: set on the old key when it is rotated with an overlap). `kind` now holds the scope
 * (tracking, read, admin); the backfill of old "write" keys is the next migration.
 * Frozen: never edit, add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_keys").addColumn("team_id", "text").execute();
  await db.schema.alterTable("api_keys").addColumn("expires_at", "text").execute();
  // The key that replaced this one by a rotation, so the list can show the chain.
  await db.schema.alterTable("api_keys").addColumn("replaced_by", "text").execute();
}
