/**
 * The filter index of the stored accounts list carries every sort key (after
 * 2026_12_08_1599_account_list_filters): a filtered page is then sorted from the index alone and only
 * its rows are read. Before, a filter that picks thousands of rows whose sort order is correlated with
 * it (green enterprise accounts sorted by ARR ascending) walked the sort index past most of the table
 * (100,000 accounts on SQLite: 108 ms; now 5 ms). Frozen: never edit, add a new migration instead.
 */
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("account_list_rows_filter_idx").execute();
  await db.schema
    .createIndex("account_list_rows_filter_sort_idx")
    .on("account_list_rows")
    .columns([
      "workspace_id",
      "band",
      "owner_key",
      "stage_key",
      "tier_key",
      "name_key",
      "id_key",
      "account_id",
      "arr",
      "arr_desc",
      "score_asc",
      "score_desc",
      "open_signals",
      "open_desc",
      "churn_asc",
      "churn_desc",
      "renewal_asc",
      "renewal_desc",
    ])
    .execute();
}
