export {
  createReferral,
  importSurveyCsv,
  type NewReferralInput,
  REFERRAL_STATUSES,
  recordSurveyResponses,
  referralReport,
  type SurveyKind,
  type SurveyResponseInput,
  type SurveySummary,
  surveySummary,
} from "./advocacy-service";
export { analyzeChurnReasons, type ChurnReasonAnalysis, type ChurnReasonRow } from "./churn-analysis";
export { churnReasons, DEFAULT_CHURN_REASONS, saveChurnReasons } from "./churn-reasons";
export {
  churnReasonReport,
  createSaveCampaign,
  type NewCampaignInput,
  RENEWAL_OUTCOMES,
  type RecordOutcomeInput,
  type RenewalCalendar,
  type RenewalCalendarOptions,
  type RenewalCalendarRow,
  type RenewalGroup,
  recordRenewalOutcomes,
  renewalCalendar,
  renewalOutcomes,
  saveCampaignReport,
  updateSaveCampaign,
} from "./renewal-service";
export { type SaveCampaignResult, saveCampaignResult } from "./save-campaigns";
