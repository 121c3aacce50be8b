export {
  accountTimeline,
  addTimelineEntry,
  createView,
  deleteView,
  listViews,
  MANUAL_TIMELINE_TYPES,
  type NewTimelineEntry,
  observationDataSchema,
  setAccountStage,
} from "./account-activity";
export {
  type AccountListPageResult,
  accountListPage,
  accountRowsRecomputed,
  backfillAccountLists,
  ensureAccountList,
  rebuildAccountList,
  refreshAccountRows,
  segmentFilterKey,
  segmentKeys,
  storedWorklist,
} from "./account-list-store";
export {
  type AccountOverview,
  accountOverview,
  accountUsageSummary,
  type HealthBreakdown,
  requireAccount,
  type UsageSummary,
} from "./account-overview";
export { type AccountQuotas, accountQuotas, type QuotaView } from "./account-quota";
export {
  ACCOUNT_SORTS,
  type AccountListQuery,
  type AccountListRow,
  type AccountRowSources,
  type AccountRowsData,
  type AccountSort,
  buildAccountRows,
  loadAccountRows,
  queryAccountRows,
  type WorklistRow,
  worklistRows,
} from "./account-rows";
export { compareHealth } from "./compare-health";
export { setContactLeft } from "./contact-left";
