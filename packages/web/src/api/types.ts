import type { ApiResponse, Schema } from "./schema";

/**
 * Response shapes of the Tenure JSON API used by the web app: names for the types generated from the
 * server's OpenAPI document (`npm run gen:web-types`).
 */

export type Me = ApiResponse<"/me", "get">;

export type KpisResponse = Schema<"Kpis">;
export type KpiTile = KpisResponse["tiles"][number];
export type KpiKey = KpiTile["key"];
export type KpiFormat = KpiTile["format"];

export type MetricsResponse = Schema<"MetricsReport">;
export type MonthMetrics = Schema<"MonthMetrics">;

export type MovementsResponse = Schema<"MovementsReport">;
export type MovementRow = MovementsResponse["movements"][number];
export type MovementKind = MovementRow["kind"];

/** `monthToDate`: the running month; cells in it are month to date. */
export type CohortsResponse = Schema<"Cohorts">;
export type CohortRow = CohortsResponse["cohorts"][number];

export type UnitEconomicsResponse = Schema<"UnitEconomics">;
export type ChannelEconomics = UnitEconomicsResponse["overall"];

export type BundlesResponse = Schema<"Bundles">;
export type BundleRow = BundlesResponse["bundles"][number];

export type WhatIfResponse = Schema<"WhatIf">;

/** `labels`: display names of values that have one (plans, products). */
export type SegmentsResponse = Schema<"Segments">;

/** A calendar month, YYYY-MM. */
export type { Month } from "@tenure/core";
