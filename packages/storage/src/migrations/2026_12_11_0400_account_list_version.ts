/**
 * A version of each workspace's stored accounts list, raised by every write to its rows, so that a
 * list page's total (a count over every matching row, as costly as the page itself) is counted once
 * per filter and version instead of on every page and sort. Frozen: never edit, add a new migration instead.
 */
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("account_list_state")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
