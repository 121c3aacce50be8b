import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../schema";
import type { DialectName } from "./dialect-adapter";

/** SQLite's name for the index behind usage_rollups' primary key (rowid tables only). */
const ROLLUP_PK_INDEX = "sqlite_autoindex_usage_rollups_1";

const checked = new WeakMap<object, Promise<boolean>>();

/**
 * usage_rollups as the inner side of a per-user join (`r`), read through its primary key
 * (workspace, user_key, day, event). Without statistics SQLite prefers the covering day index there,
 * which scans the whole window once per user; PostgreSQL plans it right by itself. The hint is used only
 * when the index exists, so a table rebuilt WITHOUT ROWID (where the key is the table) still works.
 */
export async function rollupsPerUser(
  db: Kysely<Database>,
  dialect: DialectName,
): Promise<RawBuilder<unknown>> {
  if (dialect !== "sqlite") return sql`usage_rollups r`;
  let has = checked.get(db);
  if (has === undefined) {
    has = sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name = ${ROLLUP_PK_INDEX}`
      .execute(db)
      .then((r) => r.rows.length > 0);
    checked.set(db, has);
  }
  return (await has) ? sql`usage_rollups r INDEXED BY ${sql.raw(ROLLUP_PK_INDEX)}` : sql`usage_rollups r`;
}
