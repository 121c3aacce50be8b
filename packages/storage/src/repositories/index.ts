import { type AccountListRowRepository, createAccountListRowRepository } from "./account-list-row-repository";
import { type AccountRepository, createAccountRepository } from "./account-repository";
import { type ApiKeyRepository, createApiKeyRepository } from "./api-key-repository";
import { type AuditRepository, createAuditRepository } from "./audit-repository";
import { type AuthLinkRepository, createAuthLinkRepository } from "./auth-link-repository";
import { type AutomationRepository, createAutomationRepository } from "./automation-repository";
import { type ContactRepository, createContactRepository } from "./contact-repository";
import { createDeliveryLogRepository, type DeliveryLogRepository } from "./delivery-log-repository";
import { createDeliveryTargetRepository, type DeliveryTargetRepository } from "./delivery-target-repository";
import {
  createDeliveryTemplateRepository,
  type DeliveryTemplateRepository,
} from "./delivery-template-repository";
import { createEntitlementRepository, type EntitlementRepository } from "./entitlement-repository";
import { createExchangeRateRepository, type ExchangeRateRepository } from "./exchange-rate-repository";
import { createHealthScoreRepository, type HealthScoreRepository } from "./health-score-repository";
import { createHealthUsageRepository, type HealthUsageRepository } from "./health-usage-repository";
import {
  createMembershipRepository,
  createUserRepository,
  type MembershipRepository,
  type UserRepository,
} from "./identity-repository";
import { createJobRepository, type JobRepository } from "./job-repository";
import { createJobScheduleRepository, type JobScheduleRepository } from "./job-schedule-repository";
import { createLeaseRepository, type LeaseRepository } from "./lease-repository";
import { createPlanRepository, type PlanRepository } from "./plan-repository";
import { createPlaybookRepository, type PlaybookRepository } from "./playbook-repository";
import { createPredictionRepository, type PredictionRepository } from "./prediction-repository";
import { createProductRepository, type ProductRepository } from "./product-repository";
import { createQbrRepository, type QbrRepository } from "./qbr-repository";
import { createRateLimitRepository, type RateLimitRepository } from "./rate-limit-repository";
import { createRenewalRepository, type RenewalRepository } from "./renewal-repository";
import type { RepositoryContext } from "./repository-context";
import { createSavedViewRepository, type SavedViewRepository } from "./saved-view-repository";
import { createScorecardRepository, type ScorecardRepository } from "./scorecard-repository";
import {
  createInstanceSettingRepository,
  createSignInAttemptRepository,
  type InstanceSettingRepository,
  type SignInAttemptRepository,
} from "./sign-in-attempt-repository";
import { createSignalRepository, type SignalRepository } from "./signal-repository";
import { createSignalRuleRepository, type SignalRuleRepository } from "./signal-rule-repository";
import { createSpendRepository, type SpendRepository } from "./spend-repository";
import { createSsoProviderRepository, type SsoProviderRepository } from "./sso-provider-repository";
import { createStageHistoryRepository, type StageHistoryRepository } from "./stage-history-repository";
import { createSubscriptionRepository, type SubscriptionRepository } from "./subscription-repository";
import { createSuccessPlanRepository, type SuccessPlanRepository } from "./success-plan-repository";
import { createTaskRepository, type TaskRepository } from "./task-repository";
import { createTeamRepository, type TeamRepository } from "./team-repository";
import { createTimelineRepository, type TimelineRepository } from "./timeline-repository";
import { createUsageEventRepository, type UsageEventRepository } from "./usage-event-repository";
import { createUsageRollupRepository, type UsageRollupRepository } from "./usage-rollup-repository";
import { createUsageUserRepository, type UsageUserRepository } from "./usage-user-repository";
import { createWorkspaceRepository, type WorkspaceRepository } from "./workspace-repository";
import {
  createWorkspaceSettingRepository,
  type WorkspaceSettingRepository,
} from "./workspace-setting-repository";

/** Every repository, bound to one database handle (the storage itself or a transaction). */
export interface Repositories {
  workspaces: WorkspaceRepository;
  workspaceSettings: WorkspaceSettingRepository;
  apiKeys: ApiKeyRepository;
  audit: AuditRepository;
  rateLimits: RateLimitRepository;
  accounts: AccountRepository;
  automations: AutomationRepository;
  accountListRows: AccountListRowRepository;
  stageHistory: StageHistoryRepository;
  contacts: ContactRepository;
  products: ProductRepository;
  plans: PlanRepository;
  subscriptions: SubscriptionRepository;
  entitlements: EntitlementRepository;
  exchangeRates: ExchangeRateRepository;
  spend: SpendRepository;
  usageEvents: UsageEventRepository;
  usageUsers: UsageUserRepository;
  usageRollups: UsageRollupRepository;
  healthScores: HealthScoreRepository;
  healthUsage: HealthUsageRepository;
  signals: SignalRepository;
  timeline: TimelineRepository;
  scorecards: ScorecardRepository;
  signalRules: SignalRuleRepository;
  savedViews: SavedViewRepository;
  successPlans: SuccessPlanRepository;
  qbrs: QbrRepository;
  renewals: RenewalRepository;
  playbooks: PlaybookRepository;
  predictions: PredictionRepository;
  leases: LeaseRepository;
  jobs: JobRepository;
  jobSchedules: JobScheduleRepository;
  team: TeamRepository;
  tasks: TaskRepository;
  deliveryTemplates: DeliveryTemplateRepository;
  deliveryTargets: DeliveryTargetRepository;
  deliveryLog: DeliveryLogRepository;
  users: UserRepository;
  memberships: MembershipRepository;
  authLinks: AuthLinkRepository;
  signInAttempts: SignInAttemptRepository;
  instanceSettings: InstanceSettingRepository;
  ssoProviders: SsoProviderRepository;
}

export function createRepositories(ctx: RepositoryContext): Repositories {
  return {
    workspaces: createWorkspaceRepository(ctx),
    workspaceSettings: createWorkspaceSettingRepository(ctx),
    apiKeys: createApiKeyRepository(ctx),
    audit: createAuditRepository(ctx),
    rateLimits: createRateLimitRepository(ctx),
    accounts: createAccountRepository(ctx),
    automations: createAutomationRepository(ctx),
    accountListRows: createAccountListRowRepository(ctx),
    stageHistory: createStageHistoryRepository(ctx),
    contacts: createContactRepository(ctx),
    products: createProductRepository(ctx),
    plans: createPlanRepository(ctx),
    subscriptions: createSubscriptionRepository(ctx),
    entitlements: createEntitlementRepository(ctx),
    exchangeRates: createExchangeRateRepository(ctx),
    spend: createSpendRepository(ctx),
    usageEvents: createUsageEventRepository(ctx),
    usageUsers: createUsageUserRepository(ctx),
    usageRollups: createUsageRollupRepository(ctx),
    healthScores: createHealthScoreRepository(ctx),
    healthUsage: createHealthUsageRepository(ctx),
    signals: createSignalRepository(ctx),
    timeline: createTimelineRepository(ctx),
    scorecards: createScorecardRepository(ctx),
    signalRules: createSignalRuleRepository(ctx),
    savedViews: createSavedViewRepository(ctx),
    successPlans: createSuccessPlanRepository(ctx),
    qbrs: createQbrRepository(ctx),
    renewals: createRenewalRepository(ctx),
    playbooks: createPlaybookRepository(ctx),
    predictions: createPredictionRepository(ctx),
    leases: createLeaseRepository(ctx),
    jobs: createJobRepository(ctx),
    jobSchedules: createJobScheduleRepository(ctx),
    team: createTeamRepository(ctx),
    tasks: createTaskRepository(ctx),
    deliveryTemplates: createDeliveryTemplateRepository(ctx),
    deliveryTargets: createDeliveryTargetRepository(ctx),
    deliveryLog: createDeliveryLogRepository(ctx),
    users: createUserRepository(ctx),
    memberships: createMembershipRepository(ctx),
    authLinks: createAuthLinkRepository(ctx),
    signInAttempts: createSignInAttemptRepository(ctx),
    instanceSettings: createInstanceSettingRepository(ctx),
    ssoProviders: createSsoProviderRepository(ctx),
  };
}
