import type {
  BundleRow,
  CohortTable,
  Month,
  MonthMetrics,
  MovementKind,
  UnitEconomics,
  WhatIf,
} from "@tenure/core";

/** Response shapes of the Tenure JSON API used by the web app. */

export interface Me {
  workspaceId: string;
  workspaceName: string;
  demo: boolean;
  /** ISO 4217 code every amount is reported in (TENURE_REPORTING_CURRENCY). */
  reportingCurrency: string;
}

export type KpiKey = "mrr" | "arr" | "ndr" | "grr" | "logoChurnRate" | "arpa" | "ltvToCac" | "paybackMonths";
export type KpiFormat = "currency" | "percent" | "ratio" | "months";

export interface KpiTile {
  key: KpiKey;
  value: number | null;
  previous: number | null;
  /** Relative for currency/ratio/months; absolute (fraction points) for percent. */
  change: number | null;
  format: KpiFormat;
}

export interface KpisResponse {
  currency: string;
  /** The last complete month unless `to` was given. */
  month: Month;
  previousMonth: Month;
  /** The running month (figures month to date), or null. */
  monthToDate: Month | null;
  /** True when `month` is the running month. */
  partial: boolean;
  tiles: KpiTile[];
}

export interface MetricsResponse {
  currency: string;
  /** The running month (figures month to date), or null. */
  monthToDate: Month | null;
  months: MonthMetrics[];
}

export interface MovementRow {
  accountId: string;
  accountName: string;
  kind: MovementKind;
  amount: number;
  mrrBefore: number;
  mrrAfter: number;
}

export interface MovementsResponse {
  currency: string;
  month: Month;
  kind: MovementKind;
  movements: MovementRow[];
}

/** `monthToDate`: the running month; cells in it are month to date. */
export type CohortsResponse = CohortTable & { currency: string; monthToDate?: Month | null };
export type UnitEconomicsResponse = UnitEconomics & { currency: string };

export interface BundlesResponse {
  currency: string;
  bundles: BundleRow[];
}

export type WhatIfResponse = WhatIf & { currency: string };

export interface SegmentsResponse {
  /** `labels`: display names of values that have one (plans, products). */
  attributes: { attribute: string; values: string[]; labels?: Record<string, string> }[];
}

export type { BundleRow, ChannelEconomics, CohortRow, Month, MonthMetrics, MovementKind } from "@tenure/core";
