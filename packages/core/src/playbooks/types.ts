import type { TextLocale } from "../text/message";

/** Text in the languages the app speaks; a team's own playbook may fill only one, starters fill both. */
export type LocalizedText = Partial<Record<TextLocale, string>>;

/** Who does a step: the account's owner, the team's shared pool, or whoever holds a role label. */
export type StepOwner =
  | { kind: "account_owner" }
  | { kind: "team_pool"; team?: string }
  | { kind: "role"; role: string };

/** Chat formats a step may notify (the deliveries' incoming-webhook formats). */
export const STEP_CHAT_FORMATS = ["wecom", "dingtalk", "feishu", "slack"] as const;
export type StepChatFormat = (typeof STEP_CHAT_FORMATS)[number];

/**
 * An automated action a step asks for. Playbooks only store and validate the reference: the
 * automation and job-queue code performs it when the step's task is created.
 */
export type StepAction =
  | { type: "email"; template: string }
  | { type: "tag"; op: "add" | "remove"; tag: string }
  | { type: "stage"; stage: string }
  | { type: "webhook"; url: string }
  | { type: "chat"; format: StepChatFormat; channel: string };

export const STEP_ACTION_TYPES = ["email", "tag", "stage", "webhook", "chat"] as const;

/** One ordered step of a playbook: a task due `dueOffsetDays` after the run starts. */
export interface PlaybookStep {
  title: LocalizedText;
  /** Markdown. */
  instructions: LocalizedText;
  owner: StepOwner;
  dueOffsetDays: number;
  action: StepAction | null;
}

/** The metrics a playbook can aim to move, each readable from Tenure's own data at any date. */
export const PLAYBOOK_METRIC_KINDS = [
  "active_users",
  "health_score",
  "feature_weekly_use",
  "mrr",
  "nps",
] as const;
export type PlaybookMetricKind = (typeof PLAYBOOK_METRIC_KINDS)[number];

/** A typed metric reference; `feature_weekly_use` names the tracked event it counts. */
export type PlaybookMetric =
  | { kind: "active_users" }
  | { kind: "health_score" }
  | { kind: "feature_weekly_use"; feature: string }
  | { kind: "mrr" }
  | { kind: "nps" };

/** Which way the metric should move for a run to count as a success. */
export type MetricGoal = "increase" | "decrease";

/** Account-list filters (as saved views store them) that say which accounts a playbook is for. */
export const AUDIENCE_KEYS = ["owner", "stage", "band", "tier", "segment"] as const;
export type AudienceKey = (typeof AUDIENCE_KEYS)[number];
export type PlaybookAudience = Partial<Record<AudienceKey, string>>;

/** Everything a version of a playbook says; versions are immutable once stored. */
export interface PlaybookDefinition {
  name: LocalizedText;
  description: LocalizedText;
  /** The diagnoses (signal types) it answers; empty for playbooks started by date or stage. */
  signalTypes: string[];
  audience: PlaybookAudience;
  steps: PlaybookStep[];
  metric: PlaybookMetric;
  goal: MetricGoal;
  /** Days from the run's start to the day its metric is read again. */
  windowDays: number;
}

/** A step of a run as it goes: its task and whether it is closed. */
export interface RunStep {
  index: number;
  taskId: string | null;
  status: "open" | "done" | "skipped";
  /** YYYY-MM-DD. */
  dueDate: string;
  closedAt: string | null;
}

export const RUN_STATUSES = ["active", "completed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
