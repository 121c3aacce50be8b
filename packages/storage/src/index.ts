export type { DialectAdapter, DialectName } from "./dialects/dialect-adapter";
export {
  ACCOUNT_LIST_SORTS,
  type AccountListAfter,
  type AccountListPage,
  type AccountListPageQuery,
  type AccountListRecord,
  type AccountListRowRepository,
  type AccountListSort,
  type AccountListState,
  type AccountListWrite,
  type ChurnProbabilityRow,
  type LiveSignalKind,
} from "./repositories/account-list-row-repository";
export type { AccountRange } from "./repositories/account-range";
export type { AccountRepository, AccountUpsertOptions } from "./repositories/account-repository";
export { minimalAccount } from "./repositories/account-repository";
export type {
  ApiKeyInfo,
  ApiKeyKind,
  ApiKeyRepository,
  ApiKeyScope,
  NewApiKey,
  VerifiedApiKey,
} from "./repositories/api-key-repository";
export { API_KEY_KINDS, API_KEY_SCOPES, apiKeyScopeOf } from "./repositories/api-key-repository";
export type {
  AuditActor,
  AuditEntry,
  AuditOrigin,
  AuditQuery,
  AuditRecord,
  AuditRepository,
} from "./repositories/audit-repository";
export { redactSecrets } from "./repositories/audit-repository";
export type {
  AuthLinkInput,
  AuthLinkKind,
  AuthLinkRecord,
  AuthLinkRepository,
} from "./repositories/auth-link-repository";
export type {
  AutomationGuardRecord,
  AutomationLogQuery,
  AutomationRecord,
  AutomationRepository,
  AutomationRunRecord,
  AutomationRunStatus,
  AutomationSnapshotRecord,
  AutomationStepRecord,
  AutomationVersionRecord,
} from "./repositories/automation-repository";
export type { ContactRepository } from "./repositories/contact-repository";
export type {
  DeliveryAttempt,
  DeliveryAttemptInput,
  DeliveryChannel,
  DeliveryFilter,
  DeliveryLogRepository,
  DeliveryRecord,
  DeliveryStatus,
} from "./repositories/delivery-log-repository";
export type {
  ChatChannel,
  ChatKind,
  DeliveryTargetRepository,
  WebhookEndpoint,
} from "./repositories/delivery-target-repository";
export type {
  DeliveryTemplate,
  DeliveryTemplateInput,
  DeliveryTemplateRepository,
} from "./repositories/delivery-template-repository";
export type {
  EntitlementConsumption,
  EntitlementRepository,
} from "./repositories/entitlement-repository";
export type { ExchangeRateRepository } from "./repositories/exchange-rate-repository";
export type {
  HealthScorePoint,
  HealthScoreRecord,
  HealthScoreRepository,
  UserDay,
  UserSpan,
} from "./repositories/health-score-repository";
export type {
  HealthUsageRepository,
  UsageWindow,
  UserUsageColumns,
} from "./repositories/health-usage-repository";
export type {
  MembershipRecord,
  MembershipRepository,
  MembershipRole,
  SessionWithWorkspaces,
  UserRecord,
  UserRepository,
  UserWorkspace,
  WorkspaceUser,
} from "./repositories/identity-repository";
export type { Repositories } from "./repositories/index";
export {
  JOB_STATUSES,
  type JobClaim,
  type JobListQuery,
  type JobRecord,
  type JobRepository,
  type JobStatus,
  type NewJob,
} from "./repositories/job-repository";
export type {
  JobScheduleInput,
  JobScheduleRecord,
  JobScheduleRepository,
} from "./repositories/job-schedule-repository";
export type { LeaseHolder, LeaseRepository } from "./repositories/lease-repository";
export type { PlanRepository } from "./repositories/plan-repository";
export type {
  PlaybookOrigin,
  PlaybookRecord,
  PlaybookRepository,
  PlaybookRunRecord,
  PlaybookVersionRecord,
  RunBaseline,
  RunPatch,
  RunQuery,
  RunSource,
} from "./repositories/playbook-repository";
export type {
  PredictionModelRecord,
  PredictionRecord,
  PredictionRepository,
  RenewalBacktestRecord,
} from "./repositories/prediction-repository";
export type { ProductRepository } from "./repositories/product-repository";
export type { QbrRecord, QbrRepository } from "./repositories/qbr-repository";
export type { BucketRule, BucketTake, RateLimitRepository } from "./repositories/rate-limit-repository";
export { refill } from "./repositories/rate-limit-repository";
export type {
  ChurnReason,
  NewReferral,
  NewRenewalOutcome,
  NewSaveCampaign,
  Referral,
  ReferralStatus,
  RenewalOutcome,
  RenewalOutcomeKind,
  RenewalRepository,
  SaveCampaign,
} from "./repositories/renewal-repository";
export type { UpsertOptions, UpsertResult } from "./repositories/repository-context";
export type { SavedView, SavedViewRepository } from "./repositories/saved-view-repository";
export type { ScorecardRepository, StoredScorecard } from "./repositories/scorecard-repository";
export type {
  AttemptWindow,
  InstanceSettingRepository,
  SignInAttemptRepository,
} from "./repositories/sign-in-attempt-repository";
export type {
  ReconcileSignal,
  SignalFilter,
  SignalRecord,
  SignalRepository,
  SignalStatusUpdate,
} from "./repositories/signal-repository";
export type { SignalRuleRepository } from "./repositories/signal-rule-repository";
export type { SpendRepository } from "./repositories/spend-repository";
export type {
  SsoProviderInput,
  SsoProviderRecord,
  SsoProviderRepository,
} from "./repositories/sso-provider-repository";
export type {
  StageHistoryEntry,
  StageHistoryRepository,
  StageSource,
} from "./repositories/stage-history-repository";
export type { SubscriptionChange, SubscriptionRepository } from "./repositories/subscription-repository";
export type {
  GoalPatch,
  MilestoneFact,
  SuccessPlan,
  SuccessPlanGoal,
  SuccessPlanKind,
  SuccessPlanMilestone,
  SuccessPlanPatch,
  SuccessPlanRepository,
  SuccessPlanStatus,
} from "./repositories/success-plan-repository";
export {
  type AssigneeLoad,
  isOpenStatus,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskCursor,
  type TaskPatch,
  type TaskPriority,
  type TaskQuery,
  type TaskRecord,
  type TaskRepository,
  type TaskStatus,
} from "./repositories/task-repository";
export type {
  AccountOwnerRow,
  AccountOwnership,
  MemberInput,
  MemberRecord,
  TeamInput,
  TeamRecord,
  TeamRepository,
} from "./repositories/team-repository";
export {
  type StageChange,
  TIMELINE_ENTRY_TYPES,
  type TimelineEntryRecord,
  type TimelineEntryType,
  type TimelineQuery,
  type TimelineRepository,
} from "./repositories/timeline-repository";
export type { EncodedEventBlock } from "./repositories/usage-event-block-builder";
export type {
  TrackingCallType,
  UsageEvent,
  UsageEventRepository,
} from "./repositories/usage-event-repository";
export type { RollupCells } from "./repositories/usage-rollup-cells";
export type {
  AccountEventCount,
  PendingRollupBlock,
  UsageRollup,
  UsageRollupRepository,
} from "./repositories/usage-rollup-repository";
export {
  bareUsageUser,
  type UsageUser,
  type UsageUserRepository,
} from "./repositories/usage-user-repository";
export type { Workspace, WorkspaceRepository } from "./repositories/workspace-repository";
export type {
  WorkspaceSetting,
  WorkspaceSettingRepository,
} from "./repositories/workspace-setting-repository";
export {
  DEFAULT_WORKSPACE_ID,
  openStorage,
  type Storage,
  type StorageConfig,
  type StorageTransaction,
} from "./storage";
export {
  openTestStorage,
  refuseAuditWrites,
  type TestStorage,
  testDatabaseUrl,
  testDialects,
} from "./testing";
