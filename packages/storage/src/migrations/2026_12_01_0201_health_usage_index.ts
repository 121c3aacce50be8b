import type { Kysely } from "kysely";

/**
 * The health recompute walks an account range's users in (account, user) order and groups their
 * rollups per user. With this covering index that order comes from the index itself: no lookups into
 * usage_users and no sort per step. Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("usage_users_account_user_idx")
    .on("usage_users")
    .columns(["workspace_id", "account_id", "user_key"])
    .execute();
}
