import type { Kysely } from "kysely";

/**
 * The accounts list as stored rows (issue 14): one row per account with every column the list shows,
 * filters and sorts by, written when the data behind it changes, so that a page of the list is an
 * indexed query instead of every account's row built per request. Sorts are keyset-friendly: each
 * sortable column has NOT NULL keys (missing values last in either direction, ties by account id) with
 * an index (workspace_id, key, account_id). `account_list_state` names the day and reporting currency
 * the rows were built for; rows of another day are rebuilt before they are read. Existing databases
 * are backfilled by that rebuild (no state row yet). Frozen: never edit, add a new migration instead.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("account_list_rows")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("tier", "text")
    .addColumn("segment", "text")
    .addColumn("industry", "text")
    .addColumn("region", "text")
    .addColumn("owner", "text")
    .addColumn("lifecycle_stage", "text")
    .addColumn("mrr", "double precision", (c) => c.notNull())
    .addColumn("arr", "double precision", (c) => c.notNull())
    .addColumn("renewal_date", "text")
    .addColumn("score", "double precision")
    .addColumn("band", "text", (c) => c.notNull())
    .addColumn("trend", "text", (c) => c.notNull())
    .addColumn("open_signals", "integer", (c) => c.notNull())
    .addColumn("risk_signals", "integer", (c) => c.notNull())
    .addColumn("opportunity_signals", "integer", (c) => c.notNull())
    .addColumn("last_activity_at", "text")
    .addColumn("churn_probability", "double precision")
    .addColumn("churned_at", "text")
    .addColumn("churn_reason", "text")
    .addColumn("churned_last_mrr", "double precision")
    // Filter keys: lower-cased texts (the list compares case-insensitively) and every attribute=value.
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("id_key", "text", (c) => c.notNull())
    .addColumn("owner_key", "text")
    .addColumn("stage_key", "text")
    .addColumn("tier_key", "text")
    .addColumn("segment_keys", "text", (c) => c.notNull())
    // Sort keys, NOT NULL so that one ascending index walk gives the page in either direction.
    .addColumn("score_asc", "double precision", (c) => c.notNull())
    .addColumn("score_desc", "double precision", (c) => c.notNull())
    .addColumn("arr_desc", "double precision", (c) => c.notNull())
    .addColumn("open_desc", "integer", (c) => c.notNull())
    .addColumn("churn_asc", "double precision", (c) => c.notNull())
    .addColumn("churn_desc", "double precision", (c) => c.notNull())
    .addColumn("renewal_asc", "text", (c) => c.notNull())
    .addColumn("renewal_desc", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_list_rows_pk", ["workspace_id", "account_id"])
    .execute();
  const sortIndexes: [string, string][] = [
    ["name", "name_key"],
    ["name_desc", "name_key desc"],
    ["score_asc", "score_asc"],
    ["score_desc", "score_desc"],
    ["arr", "arr"],
    ["arr_desc", "arr_desc"],
    ["open", "open_signals"],
    ["open_desc", "open_desc"],
    ["churn_asc", "churn_asc"],
    ["churn_desc", "churn_desc"],
    ["renewal_asc", "renewal_asc"],
    ["renewal_desc", "renewal_desc desc"],
  ];
  for (const [name, column] of sortIndexes) {
    await db.schema
      .createIndex(`account_list_rows_${name}_idx`)
      .on("account_list_rows")
      .columns(["workspace_id", column, "account_id"])
      .execute();
  }
  await db.schema
    .createTable("account_list_state")
    .addColumn("workspace_id", "text", (c) => c.notNull().primaryKey())
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("reporting_currency", "text", (c) => c.notNull())
    .addColumn("built_at", "text", (c) => c.notNull())
    .execute();
}
