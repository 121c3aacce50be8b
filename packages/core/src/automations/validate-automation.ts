import { z } from "zod";
import { TenureError } from "../errors";
import type { SignalCondition } from "../signals/rules/condition";
import { checkSignalRule } from "../signals/rules/validate-rule";
import { LIFECYCLE_STAGES } from "../types";
import { cronError } from "./cron";
import {
  AUTOMATION_DATE_FIELDS,
  type AutomationAction,
  type AutomationDefinition,
  PROPERTY_OPS,
} from "./types";

/** What a workspace has that an automation may refer to; unknown references are rejected. */
export interface AutomationCatalog {
  /** Metrics the conditions may test (the signal rules' metrics); `tag:<name>` is always allowed. */
  metrics: readonly string[];
  /** Signal types that can be raised (built-in and `rule:<id>`). */
  signalTypes: readonly string[];
  /** Keys of custom fields (a date-relative trigger may name `custom:<key>`). */
  customFields: readonly string[];
  /** Team member ids and team ids tasks may be assigned to. */
  members: readonly string[];
  teams: readonly string[];
  /** Playbook keys a run may be started of. */
  playbooks: readonly string[];
  /** Registered webhook endpoints and team chat channels (ids). */
  webhookEndpoints: readonly string[];
  chatChannels: readonly string[];
  /** Message templates by key, with the variables each one uses. */
  templates: ReadonlyMap<string, readonly string[]>;
  /** Variables a template may use (e.g. "account.name"). */
  templateVariables: readonly string[];
}

export interface AutomationIssue {
  /** Dotted path into the definition, e.g. "actions[2].playbookKey". */
  path: string;
  message: string;
}

export type AutomationCheck =
  | { ok: true; definition: AutomationDefinition }
  | { ok: false; issues: AutomationIssue[] };

const BAND = z.enum(["red", "yellow", "green", "none"]);
const STAGE = z.enum(LIFECYCLE_STAGES as [string, ...string[]]);
const name = z.string().trim().min(1, "must not be empty").max(200);
const key = z.string().trim().min(1, "must not be empty").max(200);

const propertyCondition = z
  .object({
    property: key,
    op: z.enum(PROPERTY_OPS as [string, ...string[]]),
    value: z.union([z.string(), z.number().finite(), z.boolean()]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op === "exists" && c.value !== undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: 'not allowed with "exists"' });
    if (c.op !== "exists" && c.value === undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: `required with "${c.op}"` });
  });

const triggerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("signal_raised"), signalTypes: z.array(key).max(50) }).strict(),
  z
    .object({ type: z.literal("event_tracked"), event: key, where: z.array(propertyCondition).max(20) })
    .strict(),
  z
    .object({ type: z.literal("score_band_crossed"), from: z.union([BAND, z.literal("any")]), to: BAND })
    .strict()
    .refine((t) => t.from !== t.to, { path: ["to"], message: "must differ from `from`" }),
  z.object({ type: z.literal("stage_entered"), stage: STAGE }).strict(),
  z.object({ type: z.literal("segment_entered"), segment: key }).strict(),
  z
    .object({
      type: z.literal("date_relative"),
      field: z.string().min(1, "must not be empty"),
      offsetDays: z.number().int("must be whole days").min(-730).max(730),
    })
    .strict(),
  z.object({ type: z.literal("schedule"), cron: z.string() }).strict(),
]);

const assignSchema = z.discriminatedUnion("strategy", [
  z.object({ strategy: z.literal("owner") }).strict(),
  z.object({ strategy: z.literal("round_robin"), teamId: key }).strict(),
  z.object({ strategy: z.literal("least_loaded"), teamId: key }).strict(),
  z.object({ strategy: z.literal("member"), memberId: key }).strict(),
]);

const actionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start_playbook"), playbookKey: key }).strict(),
  z
    .object({
      type: z.literal("create_task"),
      title: name,
      assign: assignSchema,
      dueInDays: z.number().int("must be whole days").min(0).max(365),
      priority: z.enum(["low", "normal", "high", "urgent"]),
    })
    .strict(),
  z.object({ type: z.literal("add_tag"), tag: key.max(64) }).strict(),
  z.object({ type: z.literal("remove_tag"), tag: key.max(64) }).strict(),
  z.object({ type: z.literal("set_stage"), stage: STAGE }).strict(),
  z
    .object({
      type: z.literal("send_email"),
      template: key,
      to: z.enum(["owner", "champion", "decision_maker", "admin", "billing"]),
    })
    .strict(),
  z.object({ type: z.literal("call_webhook"), endpointId: key }).strict(),
  z.object({ type: z.literal("notify_chat"), channelId: key, template: key }).strict(),
  z.object({ type: z.literal("wait"), days: z.number().int("must be whole days").min(1).max(365) }).strict(),
]);

const definitionSchema = z
  .object({
    name,
    enabled: z.boolean(),
    trigger: triggerSchema,
    conditions: z.unknown().nullable(),
    actions: z.array(actionSchema).min(1, "needs at least one action").max(20),
    options: z
      .object({
        includeChurned: z.boolean(),
        reentryDays: z.number().int("must be whole days").min(1).max(3650).nullable(),
        holdoutPct: z.number().min(0).max(50, "at most 50 % may be held out"),
      })
      .strict(),
  })
  .strict();

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(root)";
}

/** Metric leaves of a condition with their paths (the shape is already checked). */
function metricLeaves(c: SignalCondition, path: string, out: Array<{ metric: string; path: string }>): void {
  if ("all" in c) {
    for (const [i, x] of c.all.entries()) metricLeaves(x, `${path}.all[${i}]`, out);
  } else if ("any" in c) {
    for (const [i, x] of c.any.entries()) metricLeaves(x, `${path}.any[${i}]`, out);
  } else if ("not" in c) metricLeaves(c.not, `${path}.not`, out);
  else out.push({ metric: c.metric, path: `${path}.metric` });
}

/** Template variables written `{{name}}`, `{{{name}}}` or `{{&name}}` in a logic-less template. */
export function templateVariables(template: string): string[] {
  const out = new Set<string>();
  for (const m of template.matchAll(/\{\{\{?\s*[&]?\s*([A-Za-z_][\w.]*)\s*\}?\}\}/g)) if (m[1]) out.add(m[1]);
  return [...out];
}

function checkReferences(d: AutomationDefinition, cat: AutomationCatalog, issues: AutomationIssue[]): void {
  const t = d.trigger;
  if (t.type === "signal_raised") {
    const known = new Set(cat.signalTypes);
    t.signalTypes.forEach((s, i) => {
      if (!known.has(s))
        issues.push({ path: `trigger.signalTypes[${i}]`, message: `unknown signal type "${s}"` });
    });
  }
  if (t.type === "date_relative") {
    const builtin = (AUTOMATION_DATE_FIELDS as readonly string[]).includes(t.field);
    const custom = t.field.startsWith("custom:") && cat.customFields.includes(t.field.slice(7));
    if (!builtin && !custom)
      issues.push({
        path: "trigger.field",
        message: `unknown date field "${t.field}" (expected ${AUTOMATION_DATE_FIELDS.join(", ")} or custom:<field>)`,
      });
  }
  if (t.type === "schedule") {
    const err = cronError(t.cron);
    if (err !== null) issues.push({ path: "trigger.cron", message: `invalid schedule "${t.cron}": ${err}` });
  }
  if (d.conditions !== null) {
    const leaves: Array<{ metric: string; path: string }> = [];
    metricLeaves(d.conditions, "conditions", leaves);
    const known = new Set(cat.metrics);
    for (const l of leaves)
      if (!known.has(l.metric) && !/^tag:.+/.test(l.metric))
        issues.push({ path: l.path, message: `unknown field "${l.metric}"` });
  }
  const members = new Set(cat.members);
  const teams = new Set(cat.teams);
  const playbooks = new Set(cat.playbooks);
  const variables = new Set(cat.templateVariables);
  const checkTemplate = (i: number, tpl: string) => {
    const used = cat.templates.get(tpl);
    if (used === undefined) {
      issues.push({ path: `actions[${i}].template`, message: `unknown template "${tpl}"` });
      return;
    }
    for (const v of used)
      if (!variables.has(v))
        issues.push({
          path: `actions[${i}].template`,
          message: `template "${tpl}" uses unknown variable "${v}"`,
        });
  };
  d.actions.forEach((a, i) => {
    if (a.type === "start_playbook" && !playbooks.has(a.playbookKey))
      issues.push({ path: `actions[${i}].playbookKey`, message: `unknown playbook "${a.playbookKey}"` });
    if (a.type === "create_task") {
      const as = a.assign;
      if (as.strategy === "member" && !members.has(as.memberId))
        issues.push({ path: `actions[${i}].assign.memberId`, message: `unknown member "${as.memberId}"` });
      if ((as.strategy === "round_robin" || as.strategy === "least_loaded") && !teams.has(as.teamId))
        issues.push({ path: `actions[${i}].assign.teamId`, message: `unknown team "${as.teamId}"` });
    }
    if (a.type === "send_email" || a.type === "notify_chat") checkTemplate(i, a.template);
    if (a.type === "call_webhook" && !cat.webhookEndpoints.includes(a.endpointId))
      issues.push({
        path: `actions[${i}].endpointId`,
        message: `unknown webhook endpoint "${a.endpointId}"`,
      });
    if (a.type === "notify_chat" && !cat.chatChannels.includes(a.channelId))
      issues.push({ path: `actions[${i}].channelId`, message: `unknown chat channel "${a.channelId}"` });
  });
}

/** Actions that would make the automation trigger itself again (each with its path and why). */
export function automationLoops(d: AutomationDefinition): AutomationIssue[] {
  const issues: AutomationIssue[] = [];
  const watched = new Set<string>();
  if (d.conditions !== null) {
    const leaves: Array<{ metric: string; path: string }> = [];
    metricLeaves(d.conditions, "conditions", leaves);
    for (const l of leaves) if (l.metric.startsWith("tag:")) watched.add(l.metric.slice(4));
  }
  d.actions.forEach((a: AutomationAction, i) => {
    if (a.type === "set_stage" && d.trigger.type === "stage_entered" && d.trigger.stage === a.stage)
      issues.push({
        path: `actions[${i}].stage`,
        message: `sets the stage "${a.stage}" its trigger waits for: it would trigger itself in a loop`,
      });
    if ((a.type === "add_tag" || a.type === "remove_tag") && watched.has(a.tag))
      issues.push({
        path: `actions[${i}].tag`,
        message: `changes the tag "${a.tag}" its conditions watch: it would trigger itself in a loop`,
      });
  });
  return issues;
}

/**
 * Checks an automation (untrusted JSON) against the workspace's catalog and lists every problem with
 * its path: shape, conditions (the signal rules' checks), references, schedule and self-triggering loops.
 */
export function checkAutomation(input: unknown, cat: AutomationCatalog): AutomationCheck {
  const parsed = definitionSchema.safeParse(input);
  const issues: AutomationIssue[] = [];
  if (!parsed.success)
    for (const i of parsed.error.issues) issues.push({ path: formatPath(i.path), message: i.message });
  const conditions =
    typeof input === "object" && input !== null ? (input as Record<string, unknown>).conditions : undefined;
  if (conditions !== undefined && conditions !== null) {
    // The signal rules' validator checks the tree; its paths start at "when".
    const r = checkSignalRule({ id: "x", name: "x", kind: "risk", severity: "low", when: conditions }, null);
    if (!r.ok)
      for (const i of r.issues)
        issues.push({ path: i.path.replace(/^when/, "conditions"), message: i.message });
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  const definition = structuredClone(parsed.data) as AutomationDefinition;
  checkReferences(definition, cat, issues);
  issues.push(...automationLoops(definition));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, definition };
}

/** Validates an automation, throwing TenureError("validation") whose message names the first bad part. */
export function parseAutomation(input: unknown, cat: AutomationCatalog): AutomationDefinition {
  const r = checkAutomation(input, cat);
  if (r.ok) return r.definition;
  const first = r.issues[0];
  const more = r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : "";
  throw new TenureError("validation", `Invalid automation: ${first?.path}: ${first?.message}${more}`, {
    issues: r.issues,
  });
}
