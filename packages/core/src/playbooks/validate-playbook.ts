import { TenureError } from "../errors";
import { BUILTIN_SIGNAL_TYPES } from "../signals/types";
import { LIFECYCLE_STAGES } from "../types";
import {
  AUDIENCE_KEYS,
  type LocalizedText,
  PLAYBOOK_METRIC_KINDS,
  type PlaybookDefinition,
  type PlaybookMetric,
  STEP_CHAT_FORMATS,
  type StepAction,
  type StepOwner,
} from "./types";

/** What validation checks references against (the workspace's own lists, read by the caller). */
export interface PlaybookReferences {
  /** Ids of the workspace's signal rules (their signals have type `rule:<id>`). */
  ruleIds: readonly string[];
  /** Tracked event names the workspace has seen (the features a metric may count). */
  features: readonly string[];
  /** Email template names, when the workspace has a template store; null skips the check. */
  templates: readonly string[] | null;
}

/** One problem with a definition; `path` names the part, e.g. `steps[2].dueOffsetDays`. */
export interface PlaybookIssue {
  path: string;
  message: string;
}

export const MAX_PLAYBOOK_STEPS = 50;
export const MAX_OFFSET_DAYS = 365;
export const MAX_WINDOW_DAYS = 365;
const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{1,63}$/;
const BANDS = ["red", "yellow", "green", "none"];

/** Whether `key` may name a playbook: 2-64 of a-z, 0-9, `_` and `-`, starting with a letter or digit. */
export function isPlaybookKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

function checkText(issues: PlaybookIssue[], path: string, text: LocalizedText, required: boolean): void {
  const values = [text.en, text["zh-CN"]].filter((v): v is string => typeof v === "string");
  if (required && !values.some((v) => v.trim() !== ""))
    issues.push({ path, message: "must have text in English or Chinese" });
  for (const v of values)
    if (v.length > 20_000) issues.push({ path, message: "must be at most 20,000 characters" });
}

function checkOwner(issues: PlaybookIssue[], path: string, owner: StepOwner): void {
  if (owner.kind === "role" && owner.role.trim() === "")
    issues.push({ path: `${path}.role`, message: "must name a role" });
  if (owner.kind === "team_pool" && owner.team !== undefined && owner.team.trim() === "")
    issues.push({ path: `${path}.team`, message: "must name a team or be left out" });
}

function checkAction(
  issues: PlaybookIssue[],
  path: string,
  action: StepAction,
  refs: PlaybookReferences,
): void {
  switch (action.type) {
    case "email":
      if (action.template.trim() === "")
        issues.push({ path: `${path}.template`, message: "must name an email template" });
      else if (refs.templates !== null && !refs.templates.includes(action.template))
        issues.push({ path: `${path}.template`, message: `unknown email template "${action.template}"` });
      return;
    case "tag":
      if (action.tag.trim() === "") issues.push({ path: `${path}.tag`, message: "must name a tag" });
      return;
    case "stage":
      if (!(LIFECYCLE_STAGES as readonly string[]).includes(action.stage))
        issues.push({
          path: `${path}.stage`,
          message: `unknown lifecycle stage "${action.stage}" (one of ${LIFECYCLE_STAGES.join(", ")})`,
        });
      return;
    case "webhook":
      if (!/^https?:\/\/[^\s/]+/.test(action.url))
        issues.push({ path: `${path}.url`, message: "must be an http(s) URL" });
      return;
    case "chat":
      if (!(STEP_CHAT_FORMATS as readonly string[]).includes(action.format))
        issues.push({ path: `${path}.format`, message: `must be one of ${STEP_CHAT_FORMATS.join(", ")}` });
      if (action.channel.trim() === "")
        issues.push({ path: `${path}.channel`, message: "must name a chat channel" });
      return;
  }
}

function checkMetric(issues: PlaybookIssue[], metric: PlaybookMetric, refs: PlaybookReferences): void {
  if (!(PLAYBOOK_METRIC_KINDS as readonly string[]).includes(metric.kind)) {
    issues.push({
      path: "metric.kind",
      message: `unknown metric "${metric.kind}" (one of ${PLAYBOOK_METRIC_KINDS.join(", ")})`,
    });
    return;
  }
  if (metric.kind === "feature_weekly_use" && !refs.features.includes(metric.feature))
    issues.push({
      path: "metric.feature",
      message: `unknown feature "${metric.feature}": no tracked event has that name`,
    });
}

/** Every problem with a playbook definition (empty when it can be saved). */
export function playbookIssues(def: PlaybookDefinition, refs: PlaybookReferences): PlaybookIssue[] {
  const issues: PlaybookIssue[] = [];
  checkText(issues, "name", def.name, true);
  checkText(issues, "description", def.description, false);
  const rules = new Set(refs.ruleIds.map((id) => `rule:${id}`));
  def.signalTypes.forEach((t, i) => {
    if (!(BUILTIN_SIGNAL_TYPES as readonly string[]).includes(t) && !rules.has(t))
      issues.push({ path: `signalTypes[${i}]`, message: `unknown signal type "${t}"` });
  });
  for (const [k, v] of Object.entries(def.audience)) {
    if (!(AUDIENCE_KEYS as readonly string[]).includes(k))
      issues.push({ path: `audience.${k}`, message: `unknown filter (one of ${AUDIENCE_KEYS.join(", ")})` });
    else if (typeof v !== "string" || v.trim() === "")
      issues.push({ path: `audience.${k}`, message: "must not be empty" });
    else if (k === "band" && !BANDS.includes(v))
      issues.push({ path: "audience.band", message: `must be one of ${BANDS.join(", ")}` });
    else if (k === "segment" && !/^[^=]+=.+$/.test(v))
      issues.push({ path: "audience.segment", message: "must be attr=value, e.g. industry=retail" });
  }
  if (def.steps.length === 0) issues.push({ path: "steps", message: "must have at least one step" });
  if (def.steps.length > MAX_PLAYBOOK_STEPS)
    issues.push({ path: "steps", message: `must have at most ${MAX_PLAYBOOK_STEPS} steps` });
  let previous = 0;
  def.steps.forEach((step, i) => {
    const p = `steps[${i}]`;
    checkText(issues, `${p}.title`, step.title, true);
    checkText(issues, `${p}.instructions`, step.instructions, false);
    checkOwner(issues, `${p}.owner`, step.owner);
    const d = step.dueOffsetDays;
    if (!Number.isInteger(d) || d < 0 || d > MAX_OFFSET_DAYS)
      issues.push({
        path: `${p}.dueOffsetDays`,
        message: `must be a whole number of days from 0 to ${MAX_OFFSET_DAYS}, got ${d}`,
      });
    else if (d < previous)
      issues.push({
        path: `${p}.dueOffsetDays`,
        message: `must not be before the previous step's (${previous}): steps are in order`,
      });
    else previous = d;
    if (step.action !== null) checkAction(issues, `${p}.action`, step.action, refs);
  });
  checkMetric(issues, def.metric, refs);
  if (def.goal !== "increase" && def.goal !== "decrease")
    issues.push({ path: "goal", message: "must be increase or decrease" });
  if (!Number.isInteger(def.windowDays) || def.windowDays < 1 || def.windowDays > MAX_WINDOW_DAYS)
    issues.push({
      path: "windowDays",
      message: `must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}, got ${def.windowDays}`,
    });
  return issues;
}

/**
 * Throws a validation error naming every bad part (the first in the message, all in `details`).
 * @example validatePlaybook(def, { ruleIds: [], features: ["report_created"], templates: null })
 */
export function validatePlaybook(def: PlaybookDefinition, refs: PlaybookReferences): void {
  const issues = playbookIssues(def, refs);
  const first = issues[0];
  if (first === undefined) return;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  throw new TenureError("validation", `${first.path}: ${first.message}${more}`, { issues });
}

/** Validates a playbook key (see isPlaybookKey). */
export function validatePlaybookKey(key: string): void {
  if (!isPlaybookKey(key))
    throw new TenureError(
      "validation",
      `key: must be 2-64 characters of a-z, 0-9, "_" and "-", starting with a letter or digit, got "${key}"`,
    );
}
