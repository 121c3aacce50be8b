import type { Kysely } from "kysely";

/** Data: the old key kind "write" (tracking events) is the scope "tracking". Frozen: never edit. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable("api_keys").set({ kind: "tracking" }).where("kind", "=", "write").execute();
}
