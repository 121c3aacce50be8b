/**
 * Row shapes of the tables as Kysely sees them. Values are what we bind and read back after the
 * dialect adapter has done its work: JSON as text, booleans as whatever the dialect stores.
 */

export type DbBoolean = number | boolean;

export interface WorkspaceTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeyTable {
  id: string;
  workspace_id: string;
  name: string;
  key_hash: string;
  prefix: string;
  /** The scope: tracking, read or admin (2026_12_10_1722 renamed "write" to "tracking"). */
  kind: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Limits the key to this team's book; null = the whole workspace. */
  team_id: string | null;
  /** After this instant the key is refused (the old key of a rotation). */
  expires_at: string | null;
  replaced_by: string | null;
}

export interface RateLimitBucketTable {
  bucket: string;
  tokens: number;
  /** Epoch milliseconds; PostgreSQL returns bigint as a string. */
  updated_ms: number | string;
}

export interface AuditLogTable {
  workspace_id: string;
  id: string;
  at: string;
  actor_type: string;
  actor_id: string;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  request_id: string | null;
}

export interface AccountTable {
  workspace_id: string;
  id: string;
  name: string;
  crm_id: string | null;
  billing_id: string | null;
  tier: string | null;
  segment: string | null;
  industry: string | null;
  region: string | null;
  owner: string | null;
  /** The owning member (see `members`); `owner` then holds their name. Optional: older writers omit it. */
  owner_id?: string | null;
  /** The team whose pool holds the account (the owner's team, or the pool's when it has no owner). */
  owner_team_id?: string | null;
  lifecycle_stage: string | null;
  channel: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  tags: string;
  custom_fields: string;
  created_at: string;
  updated_at: string;
}

export interface AccountStageHistoryTable {
  workspace_id: string;
  id: string;
  account_id: string;
  stage: string;
  entered_at: string;
  source: string;
  note: string | null;
}

export interface ContactTable {
  workspace_id: string;
  id: string;
  account_id: string;
  name: string;
  email: string | null;
  role: string | null;
  title: string | null;
  last_touch_at: string | null;
  left_at: string | null;
}

export interface ProductTable {
  workspace_id: string;
  id: string;
  name: string;
}

export interface PlanTable {
  workspace_id: string;
  id: string;
  product_id: string;
  name: string;
  interval: string | null;
  amount: number | null;
  currency: string | null;
}

export interface SubscriptionTable {
  workspace_id: string;
  id: string;
  account_id: string;
  plan: string;
  start_date: string;
  end_date: string | null;
  amount: number;
  currency: string;
  interval: string;
  quantity: number;
  discount_pct: number;
  trial: DbBoolean;
  updated_at: string;
}

export interface SubscriptionHistoryTable {
  workspace_id: string;
  id: string;
  subscription_id: string;
  changed_at: string;
  previous: string;
}

export interface EntitlementTable {
  workspace_id: string;
  id: string;
  account_id: string;
  subscription_id: string | null;
  metric: string;
  quantity: number | string;
  period_start: string;
  period_end: string;
}

export interface ExchangeRateTable {
  workspace_id: string;
  date: string;
  currency: string;
  rate: number;
}

export interface AcquisitionSpendTable {
  workspace_id: string;
  month: string;
  channel: string;
  amount: number;
  currency: string;
}

export interface UsageEventTable {
  workspace_id: string;
  message_id: string;
  type: string;
  event: string | null;
  user_key: string;
  user_id: string | null;
  anonymous_id: string | null;
  timestamp: string;
  day: string;
  properties: string;
  received_at: string;
}

export interface UsageUserTable {
  workspace_id: string;
  user_key: string;
  user_id: string | null;
  anonymous_id: string | null;
  account_id: string | null;
  name: string | null;
  email: string | null;
  role: string | null;
  department: string | null;
  traits: string;
  updated_at: string;
}

/** One user's usage of one ISO week (Monday `week`), cells packed as text (see usage-rollup-cells.ts). */
export interface UsageRollupWeekTable {
  workspace_id: string;
  user_key: string;
  week: string;
  cells: string;
}

/** Event names interned per workspace (ids used inside rollup cells). */
export interface UsageEventNameTable {
  workspace_id: string;
  event_id: number;
  name: string;
}

/** Events per workspace, day and event id, over every user (attributed or not). */
export interface UsageEventTotalTable {
  workspace_id: string;
  day: string;
  event_id: number;
  count: number | string;
}

export interface HealthScoreTable {
  workspace_id: string;
  account_id: string;
  date: string;
  score: number | string | null;
  band: string;
  profile_id: string;
  breakdown: string;
  last_activity_at: string | null;
}

export interface SignalTable {
  workspace_id: string;
  id: string;
  account_id: string;
  type: string;
  kind: string;
  severity: string;
  status: string;
  dedup_key: string;
  title: string;
  summary: string;
  evidence: string;
  opened_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  status_changed_by: string | null;
  /** The member who made the last status change, when a member made it. */
  actor_id?: string | null;
}

export interface TimelineEntryTable {
  workspace_id: string;
  id: string;
  account_id: string;
  type: string;
  occurred_at: string;
  author: string | null;
  /** The member who wrote the entry (a note, an observation), when a member did. */
  actor_id?: string | null;
  title: string;
  body: string | null;
  data: string;
}

export interface ScorecardTable {
  workspace_id: string;
  id: string;
  json: string;
  updated_at: string;
}

export interface WorkspaceSettingTable {
  workspace_id: string;
  key: string;
  json: string;
  updated_at: string;
}

export interface ScorecardVersionTable {
  workspace_id: string;
  version: string;
  json: string;
  created_at: string;
}

export interface SignalRuleTable {
  workspace_id: string;
  id: string;
  json: string;
}

export interface SavedViewTable {
  workspace_id: string;
  id: string;
  name: string;
  filters: string;
  sort: string | null;
  order: string | null;
  created_at: string;
}

export interface PredictionModelTable {
  workspace_id: string;
  id: string;
  target: string;
  kind: string;
  as_of: string;
  trained_at: string;
  model: string;
  backtest: string;
}

/** One account's row of the accounts list, stored (see migration 2026_12_08_1501_account_list_rows). */
export interface AccountListRowTable {
  workspace_id: string;
  account_id: string;
  name: string;
  tier: string | null;
  segment: string | null;
  industry: string | null;
  region: string | null;
  owner: string | null;
  lifecycle_stage: string | null;
  mrr: number | string;
  arr: number | string;
  renewal_date: string | null;
  score: number | string | null;
  band: string;
  trend: string;
  open_signals: number | string;
  risk_signals: number | string;
  opportunity_signals: number | string;
  last_activity_at: string | null;
  churn_probability: number | string | null;
  churned_at: string | null;
  churn_reason: string | null;
  churned_last_mrr: number | string | null;
  name_key: string;
  id_key: string;
  owner_key: string | null;
  stage_key: string | null;
  tier_key: string | null;
  segment_keys: string;
  score_asc: number | string;
  score_desc: number | string;
  arr_desc: number | string;
  open_desc: number | string;
  churn_asc: number | string;
  churn_desc: number | string;
  renewal_asc: string;
  renewal_desc: string;
}

/** One segment key of a stored list row, hashed (see migration 2026_12_09_1601_account_list_segment_keys). */
export interface AccountListSegmentKeyTable {
  workspace_id: string;
  /** SHA-256 (hex) of `attribute=value`, the value lower-cased. */
  key_hash: string;
  account_id: string;
}

/** The day and reporting currency a workspace's stored list rows were built for. */
export interface AccountListStateTable {
  workspace_id: string;
  as_of: string;
  reporting_currency: string;
  built_at: string;
  /** Raised by every write to the workspace's rows (a page's total is remembered per version). */
  version: number;
}

/** A renewal backtest stored with the churn model it was computed for (result: JSON). */
export interface RenewalBacktestTable {
  workspace_id: string;
  model_id: string;
  as_of: string;
  computed_at: string;
  result: string;
}

/** A churn reason of the workspace's taxonomy; manageable: the team could have prevented it. */
export interface ChurnReasonTable {
  workspace_id: string;
  key: string;
  label_en: string;
  label_zh: string;
  manageable: DbBoolean;
  position: number;
  active: DbBoolean;
}

/** A save campaign: accounts at risk worked at a cost. */
export interface SaveCampaignTable {
  workspace_id: string;
  id: string;
  name: string;
  started_on: string;
  ended_on: string | null;
  cost: number;
  note: string | null;
  created_at: string;
}

/** An account a save campaign worked, with its ARR at risk when it was added. */
export interface SaveCampaignAccountTable {
  workspace_id: string;
  campaign_id: string;
  account_id: string;
  at_risk_arr: number;
  added_at: string;
}

/** A recorded renewal: renewed, expanded, downgraded or churned (with a reason from the taxonomy). */
export interface RenewalOutcomeTable {
  workspace_id: string;
  id: string;
  account_id: string;
  renewal_date: string;
  outcome: string;
  arr_before: number;
  arr_after: number;
  reason_key: string | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: string;
}

/** A referral: an advocate account referred a prospect (later maybe an account of its own). */
export interface ReferralTable {
  workspace_id: string;
  id: string;
  advocate_account_id: string;
  referred_account_id: string | null;
  referred_name: string;
  referred_on: string;
  status: string;
  referred_arr: number;
  note: string | null;
  created_at: string;
}

/** A success plan (kind "success", GPCT) or onboarding checklist ("onboarding"); challenges JSON text[]. */
export interface SuccessPlanTable {
  workspace_id: string;
  id: string;
  account_id: string;
  kind: string;
  template_key: string | null;
  title: string;
  status: string;
  started_on: string;
  challenges: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A plan's goal: a metric Tenure reads (or none), its start and target, a hand-kept value otherwise. */
export interface SuccessPlanGoalTable {
  workspace_id: string;
  id: string;
  plan_id: string;
  position: number;
  title: string;
  metric: string | null;
  start_value: number | null;
  target_value: number | null;
  manual_value: number | null;
  due_on: string | null;
}

/** A plan's milestone; `value_milestone` marks the customer's first value. */
export interface SuccessPlanMilestoneTable {
  workspace_id: string;
  id: string;
  plan_id: string;
  position: number;
  title: string;
  due_on: string | null;
  done_at: string | null;
  done_by: string | null;
  value_milestone: DbBoolean;
}

/** A large account's QBR for one quarter ("YYYY-Qn"): revenue target (MRR at quarter end) and when held. */
export interface QbrTable {
  workspace_id: string;
  account_id: string;
  quarter: string;
  target_mrr: number | null;
  held_on: string | null;
  note: string | null;
  updated_by: string | null;
  updated_at: string;
}

export interface PredictionTable {
  workspace_id: string;
  target: string;
  account_id: string;
  model_id: string;
  probability: number | string;
  reasons: string;
  created_at: string;
}

/** A named exclusive job's holder until `expires_at` (ISO 8601 UTC, compared as text). */
export interface LeaseTable {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
}

/** A team of members (kind: high_touch, mid_market, tech_touch, or the workspace's own label). */
export interface TeamTable {
  workspace_id: string;
  id: string;
  name: string;
  kind: string;
  round_robin_member_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A team member (a CSM); `active` 1/0, `email_key` the lower-cased email (unique per workspace). */
export interface MemberTable {
  workspace_id: string;
  id: string;
  name: string;
  email: string;
  email_key: string;
  team_id: string | null;
  role: string | null;
  capacity: number | null;
  active: number;
  deactivated_at: string | null;
  successor_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A task on an account; `is_open` 1 while open or in progress; `due_date` YYYY-MM-DD. */
export interface TaskTable {
  workspace_id: string;
  id: string;
  account_id: string;
  title: string;
  description: string | null;
  status: string;
  is_open: number;
  priority: string;
  assignee_id: string | null;
  team_id: string | null;
  due_date: string;
  signal_id: string | null;
  automation_id: string | null;
  playbook_run_id: string | null;
  playbook_step: number | null;
  outcome: string | null;
  dedupe_key: string | null;
  created_by: string | null;
  closed_by: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** An email template (Mustache subject and Markdown body) per workspace, name and locale. */
export interface DeliveryTemplateTable {
  workspace_id: string;
  id: string;
  name: string;
  locale: string;
  subject: string;
  body: string;
  created_at: string;
  updated_at: string;
}

/** A Standard Webhooks endpoint with its `whsec_` secret; disabled when `disabled_at` is set. */
export interface WebhookEndpointTable {
  workspace_id: string;
  id: string;
  name: string;
  url: string;
  secret: string;
  disabled_at: string | null;
  created_at: string;
}

/** A team chat incoming webhook (kind: wecom, dingtalk, feishu, slack). */
export interface ChatChannelTable {
  workspace_id: string;
  id: string;
  name: string;
  kind: string;
  url: string;
  secret: string | null;
  disabled_at: string | null;
  created_at: string;
}

/** A delivery (id = the job's stable deliveryId) and its latest state. */
export interface DeliveryTable {
  workspace_id: string;
  id: string;
  channel: string;
  target: string;
  account_id: string | null;
  status: string;
  attempts: number | string;
  response_code: number | string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** One attempt of a delivery. */
export interface DeliveryAttemptTable {
  workspace_id: string;
  id: string;
  delivery_id: string;
  attempt: number | string;
  status: string;
  response_code: number | string | null;
  error: string | null;
  duration_ms: number | string;
  attempted_at: string;
}

/** A job of the durable queue (see job-repository.ts); times are ISO 8601 UTC, compared as text. */
export interface JobTable {
  id: string;
  workspace_id: string;
  kind: string;
  payload: string;
  status: string;
  priority: number;
  /** When a queued job is due; a running job's lease expiry (another worker may take it after). */
  run_at: string;
  attempt: number;
  max_attempts: number;
  idempotency_key: string | null;
  /** The claim that runs it (worker id and claim number); null unless running. */
  locked_by: string | null;
  last_error: string | null;
  schedule_name: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A recurring job: a cron expression in a time zone, enqueuing `kind` at each `next_run_at`. */
export interface JobScheduleTable {
  workspace_id: string;
  name: string;
  cron: string;
  timezone: string;
  kind: string;
  payload: string;
  enabled: DbBoolean;
  next_run_at: string;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A playbook of the team's library; `latest_version` names its current version. */
export interface PlaybookTable {
  workspace_id: string;
  key: string;
  latest_version: number;
  origin: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One immutable version of a playbook (definition: JSON of core's PlaybookDefinition). */
export interface PlaybookVersionTable {
  workspace_id: string;
  playbook_key: string;
  version: number;
  definition: string;
  created_at: string;
  created_by: string | null;
}

/** A run of a playbook version on an account; metric, baseline and steps are JSON. */
export interface PlaybookRunTable {
  workspace_id: string;
  id: string;
  playbook_key: string;
  version: number;
  account_id: string;
  status: string;
  holdout: DbBoolean;
  source: string;
  trigger_automation_id: string | null;
  trigger_signal_id: string | null;
  idempotency_key: string | null;
  /** `<playbook key>|<account id>` while the run is active, else null (unique: one open run). */
  open_key: string | null;
  started_at: string;
  start_date: string;
  window_end: string;
  metric: string;
  start_value: number | string | null;
  end_value: number | string | null;
  measured_at: string | null;
  baseline: string;
  steps: string;
  snoozed_until: string | null;
  started_by: string | null;
  completed_at: string | null;
  updated_at: string;
}

/** An automation's current version (definition: JSON of core's AutomationDefinition). */
export interface AutomationTable {
  workspace_id: string;
  id: string;
  version: number;
  name: string;
  enabled: number;
  definition: string;
  created_at: string;
  updated_at: string;
}

/** Every version of an automation, immutable. */
export interface AutomationVersionTable {
  workspace_id: string;
  automation_id: string;
  version: number;
  definition: string;
  created_at: string;
}

/** An automation's run log: one row per account and trigger instance (steps: JSON). */
export interface AutomationRunTable {
  workspace_id: string;
  id: string;
  automation_id: string;
  version: number;
  account_id: string;
  instance: string;
  outcome: string;
  status: string;
  next_step: number;
  resume_at: string | null;
  steps: string;
  retriggers: number;
  created_at: string;
  updated_at: string;
}

export interface AutomationSnoozeTable {
  workspace_id: string;
  automation_id: string;
  account_id: string;
  until: string;
  created_at: string;
}

/** An account's stage, segment and band at the last automation evaluation. */
export interface AutomationSnapshotTable {
  workspace_id: string;
  account_id: string;
  stage: string | null;
  segment: string | null;
  band: string | null;
}

/** A time better-auth wrote: a Date from PostgreSQL (timestamptz), ISO text from SQLite. */
export type DbTime = string | Date;

/** better-auth's user table (the server maps its fields to these columns). */
export interface AuthUserTable {
  id: string;
  name: string;
  email: string;
  email_verified: DbBoolean;
  image: string | null;
  banned: DbBoolean;
  last_sign_in_at: DbTime | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface AuthSessionTable {
  id: string;
  token: string;
  user_id: string;
  expires_at: DbTime;
  ip_address: string | null;
  user_agent: string | null;
  active_workspace_id: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface AuthAccountTable {
  id: string;
  account_id: string;
  provider_id: string;
  user_id: string;
  access_token: string | null;
  refresh_token: string | null;
  id_token: string | null;
  access_token_expires_at: DbTime | null;
  refresh_token_expires_at: DbTime | null;
  scope: string | null;
  password: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface AuthVerificationTable {
  id: string;
  identifier: string;
  value: string;
  expires_at: DbTime;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface WorkspaceMembershipTable {
  workspace_id: string;
  user_id: string;
  role: string;
  member_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuthLinkTable {
  id: string;
  kind: string;
  token_hash: string;
  workspace_id: string;
  email: string;
  role: string | null;
  member_id: string | null;
  user_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface SignInAttemptTable {
  id: string;
  key: string;
  at: string;
}

export interface AuthSsoProviderTable {
  id: string;
  provider_id: string;
  workspace_id: string;
  issuer: string;
  oidc_config: string;
  saml_config: string | null;
  user_id: string | null;
  organization_id: string | null;
  domain: string;
  domain_verified: DbBoolean;
  default_role: string | null;
  created_at: string;
  updated_at: string;
}

export interface InstanceSettingTable {
  key: string;
  value: string;
  created_at: string;
}

export interface Database {
  workspaces: WorkspaceTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  rate_limit_buckets: RateLimitBucketTable;
  accounts: AccountTable;
  account_stage_history: AccountStageHistoryTable;
  contacts: ContactTable;
  products: ProductTable;
  plans: PlanTable;
  subscriptions: SubscriptionTable;
  subscription_history: SubscriptionHistoryTable;
  entitlements: EntitlementTable;
  exchange_rates: ExchangeRateTable;
  acquisition_spend: AcquisitionSpendTable;
  usage_events: UsageEventTable;
  usage_users: UsageUserTable;
  usage_rollup_weeks: UsageRollupWeekTable;
  usage_event_names: UsageEventNameTable;
  usage_event_totals: UsageEventTotalTable;
  health_scores: HealthScoreTable;
  signals: SignalTable;
  timeline_entries: TimelineEntryTable;
  scorecards: ScorecardTable;
  scorecard_versions: ScorecardVersionTable;
  workspace_settings: WorkspaceSettingTable;
  signal_rules: SignalRuleTable;
  saved_views: SavedViewTable;
  prediction_models: PredictionModelTable;
  predictions: PredictionTable;
  renewal_backtests: RenewalBacktestTable;
  churn_reasons: ChurnReasonTable;
  save_campaigns: SaveCampaignTable;
  save_campaign_accounts: SaveCampaignAccountTable;
  renewal_outcomes: RenewalOutcomeTable;
  referrals: ReferralTable;
  account_list_rows: AccountListRowTable;
  account_list_state: AccountListStateTable;
  account_list_segment_keys: AccountListSegmentKeyTable;
  playbooks: PlaybookTable;
  playbook_versions: PlaybookVersionTable;
  playbook_runs: PlaybookRunTable;
  success_plans: SuccessPlanTable;
  success_plan_goals: SuccessPlanGoalTable;
  success_plan_milestones: SuccessPlanMilestoneTable;
  qbrs: QbrTable;
  leases: LeaseTable;
  jobs: JobTable;
  job_schedules: JobScheduleTable;
  delivery_templates: DeliveryTemplateTable;
  webhook_endpoints: WebhookEndpointTable;
  chat_channels: ChatChannelTable;
  deliveries: DeliveryTable;
  delivery_attempts: DeliveryAttemptTable;
  teams: TeamTable;
  members: MemberTable;
  tasks: TaskTable;
  automations: AutomationTable;
  automation_versions: AutomationVersionTable;
  automation_runs: AutomationRunTable;
  automation_snoozes: AutomationSnoozeTable;
  automation_snapshots: AutomationSnapshotTable;
  auth_users: AuthUserTable;
  auth_sessions: AuthSessionTable;
  auth_accounts: AuthAccountTable;
  auth_verifications: AuthVerificationTable;
  workspace_memberships: WorkspaceMembershipTable;
  auth_links: AuthLinkTable;
  sign_in_attempts: SignInAttemptTable;
  instance_settings: InstanceSettingTable;
  auth_sso_providers: AuthSsoProviderTable;
}
