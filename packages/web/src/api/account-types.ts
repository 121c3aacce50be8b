import type { LifecycleStage } from "@tenure/core";
import type { ApiRequest, ApiResponse, Schema } from "./schema";

/**
 * Response shapes of the accounts, health, signals and timeline API: names for the types generated from
 * the server's OpenAPI document (`npm run gen:web-types`).
 */

export type AccountListRow = Schema<"AccountListRow">;
export type Band = AccountListRow["band"];
export type Trend = AccountListRow["trend"];

export type AccountsResponse = ApiResponse<"/accounts", "get">;

/** `reasons`: why the account needs attention, keys and parameters (rendered in the viewer's language). */
export type WorklistRow = Schema<"WorklistRow">;
export type WorklistResponse = ApiResponse<"/worklist", "get">;

/** `text`: title and summary as keys and parameters, rendered in the viewer's language. */
export type Signal = Schema<"Signal">;
export type SignalStatus = Signal["status"];

export type TimelineEntry = Schema<"TimelineEntry">;
export type TimelineType = TimelineEntry["type"];
export type TimelineResponse = ApiResponse<"/accounts/{id}/timeline", "get">;
export type NewTimelineEntry = Schema<"NewTimelineEntry">;
/** Entry types a user can add by hand. */
export type ManualTimelineType = NewTimelineEntry["type"];

/** Every value of `T`, once: a compile error when the server adds or drops one. */
const allOf =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)) =>
    list;

export const TIMELINE_TYPES = allOf<TimelineType>()([
  "note",
  "call",
  "meeting",
  "email",
  "ticket",
  "nps",
  "csat",
  "observation",
  "stage_change",
  "score_change",
  "signal",
  "task",
  "playbook",
]);

export const MANUAL_TIMELINE_TYPES = allOf<ManualTimelineType>()([
  "note",
  "call",
  "meeting",
  "email",
  "observation",
]);

/** `explanation`: sentences as keys and parameters with their English text. */
export type HealthBreakdown = NonNullable<Schema<"HealthBreakdown">>;
export type DimensionScore = HealthBreakdown["dimensions"][number];
export type MeasureScore = DimensionScore["measures"][number];

/** `revenue.monthToDate`: the running month, whose MRR and movements are month to date. */
export type AccountOverview = Schema<"AccountOverview">;
export type StageHistoryEntry = AccountOverview["stageHistory"][number];
export type Account = AccountOverview["account"];
export type Contact = AccountOverview["contacts"][number];

/** `quota`: the most pressing current allowance; `quotas`: every current allowance, most pressing first. */
export type UsageSummary = Schema<"UsageSummary">;
/** One allowance's consumption against its entitlement with the pace. */
export type QuotaPace = Schema<"QuotaPace">;
export type UsageDaysResponse = Schema<"UsageReport">;

export type StageResponse = ApiResponse<"/accounts/{id}/stage", "get">;

export type SavedView = Schema<"SavedView">;
export type NewSavedView = ApiRequest<"/views", "post">;

export type SegmentComparison = Schema<"SegmentComparison">;
export type CompareResponse = ApiResponse<"/scores/compare", "get">;

/**
 * Scorecard JSON (mirrors @tenure/core's health Scorecard). Written by hand: the API documents the
 * scorecard as free JSON, which the server validates with the core's scorecard parser.
 */
export interface LinearScoring {
  type: "linear";
  worst: number;
  best: number;
}

export interface StepScoring {
  type: "steps";
  steps: { min?: number; max?: number; score: number }[];
}

export interface ScorecardMeasure {
  key: string;
  label: string;
  metric: string;
  weight: number;
  scoring: LinearScoring | StepScoring;
}

export interface ScorecardDimension {
  key: string;
  label: string;
  weight: number;
  measures: ScorecardMeasure[];
}

export interface ScorecardProfile {
  id: string;
  name: string;
  appliesTo: { attribute: string; value: string }[];
  dimensions: ScorecardDimension[];
}

export interface Scorecard {
  id: string;
  name: string;
  version: number;
  bands: { red: number; yellow: number };
  profiles: ScorecardProfile[];
}

export type { LifecycleStage } from "@tenure/core";

/** Lifecycle stages in order (same list as @tenure/core; kept here so the bundle has no runtime core import). */
export const LIFECYCLE_STAGES = allOf<LifecycleStage>()([
  "onboarding",
  "adoption",
  "retention",
  "expansion",
  "advocacy",
  "churned",
]);
