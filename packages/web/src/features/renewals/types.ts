import type { ApiRequest, ApiResponse, Schema } from "../../api/schema";

/** Response shapes of the renewal and advocacy routes (packages/server/src/routes/renewals.ts). */
export type RenewalCalendar = Schema<"RenewalCalendar">;
export type RenewalCalendarRow = RenewalCalendar["rows"][number];
export type RenewalOutcome = Schema<"RenewalOutcome">;
export type OutcomeKind = RenewalOutcome["outcome"];
export type NewOutcome = ApiRequest<"/renewals/outcomes", "post">;
export type ChurnReasonAnalysis = Schema<"ChurnReasonAnalysis">;
export type ChurnReason = Schema<"ChurnReason">;
export type CampaignsResponse = ApiResponse<"/renewals/campaigns", "get">;
export type SurveySummary = Schema<"SurveySummary">;
export type ReferralsResponse = ApiResponse<"/referrals", "get">;
