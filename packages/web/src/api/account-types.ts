import type { Account, Contact, LifecycleStage, TextMessage } from "@tenure/core";

/** Response shapes of the accounts, health, signals and timeline API (issue 3). */

export type Band = "red" | "yellow" | "green" | "none";
export type Trend = "up" | "down" | "same";

export interface AccountListRow {
  id: string;
  name: string;
  tier: string | null;
  segment: string | null;
  industry: string | null;
  region: string | null;
  owner: string | null;
  lifecycleStage: string | null;
  mrr: number;
  arr: number;
  renewalDate: string | null;
  score: number | null;
  band: Band;
  trend: Trend;
  openSignals: number;
  riskSignals: number;
  opportunitySignals: number;
  lastActivityAt: string | null;
  /** The churn model's probability within 90 days (0-1); null when not paying or not scored. */
  churnProbability: number | null;
  /** Churn date, reason and last MRR of an account that no longer pays (it is not scored). */
  churned: { churnedAt: string; reason: string | null; lastMrr: number } | null;
}

export interface AccountsResponse {
  total: number;
  accounts: AccountListRow[];
}

export type WorklistRow = AccountListRow & {
  priority: number;
  /** Why the account needs attention: keys and parameters (rendered in the viewer's language) with English text. */
  reasons: (TextMessage & { text: string })[];
};

export interface WorklistResponse {
  accounts: WorklistRow[];
}

export type SignalStatus = "open" | "acknowledged" | "resolved";

export interface Signal {
  id: string;
  accountId: string;
  accountName: string;
  type: string;
  kind: "risk" | "opportunity";
  severity: "low" | "medium" | "high";
  status: SignalStatus;
  title: string;
  summary: string;
  /** Title and summary as keys and parameters: rendered in the viewer's language. */
  text: { title: TextMessage; summary: TextMessage };
  evidence: Record<string, number | string | null>;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export const TIMELINE_TYPES = [
  "note",
  "call",
  "meeting",
  "email",
  "ticket",
  "nps",
  "observation",
  "stage_change",
  "score_change",
  "signal",
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

/** Entry types a user can add by hand. */
export const MANUAL_TIMELINE_TYPES = ["note", "call", "meeting", "email", "observation"] as const;
export type ManualTimelineType = (typeof MANUAL_TIMELINE_TYPES)[number];

export interface TimelineEntry {
  id: string;
  accountId: string;
  type: TimelineType;
  occurredAt: string;
  author: string | null;
  title: string;
  body: string | null;
  data: Record<string, unknown>;
}

export interface TimelineResponse {
  entries: TimelineEntry[];
}

export interface NewTimelineEntry {
  type: ManualTimelineType;
  title: string;
  body?: string;
  occurredAt?: string;
  author?: string;
  data?: Record<string, unknown>;
}

export interface MeasureScore {
  key: string;
  label: string;
  metric: string;
  value: number | null;
  score: number | null;
  weight: number;
  effectiveWeight: number;
  contribution: number;
  missing: boolean;
}

export interface DimensionScore {
  key: string;
  label: string;
  weight: number;
  effectiveWeight: number;
  score: number | null;
  measures: MeasureScore[];
}

export interface HealthBreakdown {
  score: number | null;
  band: Band;
  profileId: string;
  dimensions: DimensionScore[];
  trend: Trend;
  /** Sentences as keys and parameters (rendered in the viewer's language) with their English text. */
  explanation: (TextMessage & { text: string })[];
}

export interface StageHistoryEntry {
  stage: string;
  enteredAt: string;
  source: string;
  note: string | null;
}

export interface AccountOverview {
  account: Account;
  mrr: number;
  arr: number;
  renewalDate: string | null;
  health: HealthBreakdown | null;
  scoreHistory: { date: string; score: number | null; band: Band }[];
  revenue: {
    months: { month: string; mrr: number }[];
    movements: { month: string; kind: string; amount: number }[];
    /** The running month: its MRR and movements are month to date. */
    monthToDate?: string;
  };
  contacts: (Contact & { lastTouchAt: string | null })[];
  signals: Signal[];
  stageHistory: StageHistoryEntry[];
}

export interface UsageSummary {
  dau: number;
  wau: number;
  mau: number;
  seats: { used: number; licensed: number } | null;
  activeDepartments: number;
  keyFeatures: { event: string; adoption: number }[];
  /** Most pressing current allowance (used up, running out early, most used). */
  quota: (QuotaPace & { used: number; projectedExhaustion: string | null; contractEnd: string }) | null;
  /** Every current allowance, most pressing first. */
  quotas: QuotaPace[];
  weekly: { weekStart: string; activeUsers: number; events: number }[];
}

/** One allowance's consumption against its entitlement with the pace (services' QuotaView). */
export interface QuotaPace {
  entitlementId: string;
  subscriptionId: string | null;
  /** Usage event counted, or "*" for every event. */
  metric: string;
  entitled: number;
  consumed: number;
  remaining: number;
  usedRatio: number;
  periodStart: string;
  /** First day after the term (exclusive). */
  periodEnd: string;
  termDays: number;
  elapsedDays: number;
  daysLeft: number;
  dailyRunRate: number | null;
  exhaustionDate: string | null;
  daysShort: number;
  projectedAtEnd: number | null;
  status: "not_started" | "no_usage" | "on_track" | "exhausts_early" | "exhausted" | "ended";
  cumulative: { date: string; total: number }[];
}

export interface UsageDaysResponse {
  days: { date: string; events: Record<string, number>; activeUsers: number }[];
}

export interface StageResponse {
  stage: LifecycleStage;
  history: StageHistoryEntry[];
}

export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, string>;
  sort?: string | null;
  order?: "asc" | "desc" | null;
}

export interface SegmentComparison {
  value: string | null;
  accounts: number;
  mean: number | null;
  median: number | null;
  bands: Record<Band, number>;
  histogram: number[];
  dimensions: { key: string; mean: number | null; accounts: number }[];
  measures: { key: string; mean: number | null; accounts: number }[];
}

export interface CompareResponse {
  attribute: string;
  segments: SegmentComparison[];
}

/** Scorecard JSON (mirrors @tenure/core's health Scorecard). */
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

export type { Account, Contact, LifecycleStage } from "@tenure/core";

/** Lifecycle stages in order (same list as @tenure/core; kept here so the bundle has no runtime core import). */
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = [
  "onboarding",
  "adoption",
  "retention",
  "expansion",
  "advocacy",
  "churned",
];
