import type { Migration, MigrationProvider } from "kysely";
import * as m20261123_0001 from "./2026_11_23_0001_initial";
import * as m20261123_0002 from "./2026_11_23_0002_usage";
import * as m20261123_0003 from "./2026_11_23_0003_accounts";
import * as m20261123_0004 from "./2026_11_23_0004_usage_perf";
import * as m20261123_0005 from "./2026_11_23_0005_predictions";
import * as m20261201_0101 from "./2026_12_01_0101_usage_id_hashes";
import * as m20261201_0102 from "./2026_12_01_0102_usage_rollup_pending";
import * as m20261201_0201 from "./2026_12_01_0201_health_usage_index";
import * as m20261201_0301 from "./2026_12_01_0301_entitlements";
import * as m20261201_0401 from "./2026_12_01_0401_rollup_weeks";
import * as m20261202_0501 from "./2026_12_02_0501_scorecard_versions";
import * as m20261207_1401 from "./2026_12_07_1401_workspace_settings";
import * as m20261207_1481 from "./2026_12_07_1481_leases";
import * as m20261207_1491 from "./2026_12_07_1491_renewal_backtests";
import * as m20261208_1501 from "./2026_12_08_1501_account_list_rows";
import * as m20261208_1511 from "./2026_12_08_1511_team_tasks";
import * as m20261208_1521 from "./2026_12_08_1521_jobs";
import * as m20261208_1531 from "./2026_12_08_1531_deliveries";
import * as m20261208_1541 from "./2026_12_08_1541_playbooks";
import * as m20261208_1551 from "./2026_12_08_1551_automations";
import * as m20261208_1561 from "./2026_12_08_1561_renewals_advocacy";
import * as m20261208_1571 from "./2026_12_08_1571_success_plans";
import * as m20261208_1581 from "./2026_12_08_1581_qbrs";
import * as m20261208_1599 from "./2026_12_08_1599_account_list_filters";
import * as m20261209_1601 from "./2026_12_09_1601_account_list_segment_keys";
import * as m20261210_1691 from "./2026_12_10_1691_account_list_filter_sort";
import * as m20261210_1701 from "./2026_12_10_1701_identity";
import * as m20261210_1721 from "./2026_12_10_1721_api_key_scopes";
import * as m20261210_1722 from "./2026_12_10_1722_api_key_scope_backfill";
import * as m20261210_1723 from "./2026_12_10_1723_audit_log";
import * as m20261210_1724 from "./2026_12_10_1724_rate_limit_buckets";
import * as m20261211_0101 from "./2026_12_11_0101_sso_providers";
import * as m20261211_0400 from "./2026_12_11_0400_account_list_version";
import * as m20261212_0500 from "./2026_12_12_0500_account_list_lanes";

/** Every migration, listed explicitly (no file-system scanning, so bundlers and tsx agree). */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      "2026_11_23_0001_initial": m20261123_0001,
      "2026_11_23_0002_usage": m20261123_0002,
      "2026_11_23_0003_accounts": m20261123_0003,
      "2026_11_23_0004_usage_perf": m20261123_0004,
      "2026_11_23_0005_predictions": m20261123_0005,
      "2026_12_01_0101_usage_id_hashes": m20261201_0101,
      "2026_12_01_0102_usage_rollup_pending": m20261201_0102,
      "2026_12_01_0201_health_usage_index": m20261201_0201,
      "2026_12_01_0301_entitlements": m20261201_0301,
      "2026_12_01_0401_rollup_weeks": m20261201_0401,
      "2026_12_02_0501_scorecard_versions": m20261202_0501,
      "2026_12_07_1401_workspace_settings": m20261207_1401,
      "2026_12_07_1481_leases": m20261207_1481,
      "2026_12_07_1491_renewal_backtests": m20261207_1491,
      "2026_12_08_1501_account_list_rows": m20261208_1501,
      "2026_12_08_1511_team_tasks": m20261208_1511,
      "2026_12_08_1521_jobs": m20261208_1521,
      "2026_12_08_1531_deliveries": m20261208_1531,
      "2026_12_08_1541_playbooks": m20261208_1541,
      "2026_12_08_1551_automations": m20261208_1551,
      "2026_12_08_1561_renewals_advocacy": m20261208_1561,
      "2026_12_08_1571_success_plans": m20261208_1571,
      "2026_12_08_1581_qbrs": m20261208_1581,
      "2026_12_08_1599_account_list_filters": m20261208_1599,
      "2026_12_09_1601_account_list_segment_keys": m20261209_1601,
      "2026_12_10_1691_account_list_filter_sort": m20261210_1691,
      "2026_12_10_1701_identity": m20261210_1701,
      "2026_12_10_1721_api_key_scopes": m20261210_1721,
      "2026_12_10_1722_api_key_scope_backfill": m20261210_1722,
      "2026_12_10_1723_audit_log": m20261210_1723,
      "2026_12_10_1724_rate_limit_buckets": m20261210_1724,
      "2026_12_11_0101_sso_providers": m20261211_0101,
      "2026_12_11_0400_account_list_version": m20261211_0400,
      "2026_12_12_0500_account_list_lanes": m20261212_0500,
    };
  },
};
