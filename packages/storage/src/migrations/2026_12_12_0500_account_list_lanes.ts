/**
 * Ordered lanes of the stored accounts list (after 2026_12_10_1691_account_list_filter_sort): for each
 * sort key, an index led by (tier, band) and one led by (owner, band). A page filtered by a tier, a
 * band or an owner is then read as a few lanes (one per tier × band, or per band of the owner), each
 * already in the sort's order, and merged: exact however the filter correlates with the sort (small
 * accounts sorted by ARR descending, green accounts by score ascending, the tech-touch pool by ARR).
 * Before, PostgreSQL 15 (no skip scan) sorted every matching row: 60–230 ms at 100,000 accounts.
 * Frozen: never edit, add a new migration instead.
 */
import type { Kysely } from "kysely";

/** Each sort key's column as its own index names it (descending where the page walks it so). */
const SORT_COLUMNS: [string, string][] = [
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

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, column] of SORT_COLUMNS) {
    await db.schema
      .createIndex(`account_list_rows_tier_lane_${name}_idx`)
      .on("account_list_rows")
      .columns(["workspace_id", "tier_key", "band", column, "account_id"])
      .execute();
    await db.schema
      .createIndex(`account_list_rows_owner_lane_${name}_idx`)
      .on("account_list_rows")
      .columns(["workspace_id", "owner_key", "band", column, "account_id"])
      .execute();
  }
}
