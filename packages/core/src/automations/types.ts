import type { HealthBand } from "../health/scorecard-types";
import type { SignalCondition } from "../signals/rules/condition";
import type { IsoDate, LifecycleStage } from "../types";

/** Comparison of one tracked-event property; `exists` takes no value. */
export type PropertyOp = "eq" | "neq" | "gt" | "gte" | "lt" | "lte" | "contains" | "exists";
export const PROPERTY_OPS: readonly PropertyOp[] = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "exists",
];

/** One condition on a tracked event's property, e.g. `{ property: "plan", op: "eq", value: "pro" }`. */
export interface PropertyCondition {
  property: string;
  op: PropertyOp;
  value?: string | number | boolean;
}

/** Date fields a "date relative to a field" trigger may name (custom date fields as `custom:<key>`). */
export const AUTOMATION_DATE_FIELDS = ["renewalDate", "signupDate"] as const;
export type AutomationDateField = (typeof AUTOMATION_DATE_FIELDS)[number] | `custom:${string}`;

/** What starts an automation for an account. Every variant is data; nothing user-written is run. */
export type AutomationTrigger =
  /** A signal of one of these types opened (every type when the list is empty). */
  | { type: "signal_raised"; signalTypes: string[] }
  /** A tracked event with this name whose properties meet every condition. */
  | { type: "event_tracked"; event: string; where: PropertyCondition[] }
  /** The health band moved from `from` ("any": from any other band) to `to`. */
  | { type: "score_band_crossed"; from: HealthBand | "any"; to: HealthBand }
  | { type: "stage_entered"; stage: LifecycleStage }
  | { type: "segment_entered"; segment: string }
  /** The day `field + offsetDays` (renewalDate − 90: offsetDays −90) was reached. */
  | { type: "date_relative"; field: AutomationDateField; offsetDays: number }
  /** Every slot of a five-field cron expression (UTC), for each account meeting the conditions. */
  | { type: "schedule"; cron: string };
export type AutomationTriggerType = AutomationTrigger["type"];
export const AUTOMATION_TRIGGER_TYPES: readonly AutomationTriggerType[] = [
  "signal_raised",
  "event_tracked",
  "score_band_crossed",
  "stage_entered",
  "segment_entered",
  "date_relative",
  "schedule",
];

/** Who gets a task an automation creates. */
export type TaskAssignment =
  | { strategy: "owner" }
  | { strategy: "round_robin"; teamId: string }
  | { strategy: "least_loaded"; teamId: string }
  | { strategy: "member"; memberId: string };

export type TaskPriority = "low" | "normal" | "high" | "urgent";

/** One step of an automation; steps after a `wait` run that many days later (through the job queue). */
export type AutomationAction =
  | { type: "start_playbook"; playbookKey: string }
  | { type: "create_task"; title: string; assign: TaskAssignment; dueInDays: number; priority: TaskPriority }
  | { type: "add_tag"; tag: string }
  | { type: "remove_tag"; tag: string }
  | { type: "set_stage"; stage: LifecycleStage }
  /** An email from a stored template to the account's owner or contacts of a role. */
  | {
      type: "send_email";
      template: string;
      to: "owner" | "champion" | "decision_maker" | "admin" | "billing";
    }
  /** A Standard Webhooks call (signed, retried) to a registered endpoint, the account and trigger as payload. */
  | { type: "call_webhook"; endpointId: string }
  /** A message from a template to a registered team chat channel (企业微信, 钉钉, 飞书, Slack). */
  | { type: "notify_chat"; channelId: string; template: string }
  | { type: "wait"; days: number };
export type AutomationActionType = AutomationAction["type"];
export const AUTOMATION_ACTION_TYPES: readonly AutomationActionType[] = [
  "start_playbook",
  "create_task",
  "add_tag",
  "remove_tag",
  "set_stage",
  "send_email",
  "call_webhook",
  "notify_chat",
  "wait",
];

/** The built-in guards every automation has. */
export interface AutomationOptions {
  /** Churned accounts are excluded unless this is true. */
  includeChurned: boolean;
  /** An account may enter again only this many days after it last entered (null: whenever it fires). */
  reentryDays: number | null;
  /** Share of matching accounts (0-50 %) recorded as control and left untreated. */
  holdoutPct: number;
}

/** An automation as the user defines it. `conditions` use the signal rules' condition builder. */
export interface AutomationDefinition {
  name: string;
  enabled: boolean;
  trigger: AutomationTrigger;
  conditions: SignalCondition | null;
  actions: AutomationAction[];
  options: AutomationOptions;
}

/** A stored automation: the definition plus identity and its version (each edit makes a new one). */
export interface Automation extends AutomationDefinition {
  id: string;
  version: number;
}

/** An account's facts as the evaluator reads them (built by the service from storage). */
export interface AutomationAccountFacts {
  id: string;
  stage: LifecycleStage | null;
  segment: string | null;
  band: HealthBand | null;
  tags: readonly string[];
  /** Metric values the conditions test (the signal rules' metrics, plus `tag:<name>` as 1 or 0). */
  metrics: Readonly<Record<string, number | null>>;
  /** Dates the date-relative trigger reads, by field name. */
  dates: Readonly<Record<string, IsoDate | null>>;
}

/** What an account looked like at the previous evaluation (transitions are measured against it). */
export interface AutomationSnapshot {
  stage: LifecycleStage | null;
  segment: string | null;
  band: HealthBand | null;
}

/** Things that happened since the last evaluation. */
export interface AutomationEvents {
  signals: ReadonlyArray<{ id: string; accountId: string; type: string }>;
  tracked: ReadonlyArray<{
    id: string;
    accountId: string;
    event: string;
    properties: Readonly<Record<string, unknown>>;
  }>;
}

/** Per automation and account: the guards' memory. */
export interface AutomationAccountState {
  /** Snoozed until this ISO timestamp (exclusive). */
  snoozedUntil?: string | null;
  /** When the account last entered (fired or held out). */
  lastEnteredAt?: string | null;
  /** True while a run this automation started for the account is open (not every step done). */
  openRun?: boolean;
}

export type AutomationOutcome = "fired" | "held_out" | "snoozed" | "reentry" | "deduped";
export const AUTOMATION_OUTCOMES: readonly AutomationOutcome[] = [
  "fired",
  "held_out",
  "snoozed",
  "reentry",
  "deduped",
];

/** One account an automation's trigger and conditions matched, and what the guards made of it. */
export interface AutomationMatch {
  automationId: string;
  accountId: string;
  /** Stable id of the trigger occurrence (e.g. "signal:<id>", "date:renewalDate:2027-03-01"). */
  instance: string;
  outcome: AutomationOutcome;
}
