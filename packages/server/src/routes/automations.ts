import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  AUTOMATION_DATE_FIELDS,
  AUTOMATION_OUTCOMES,
  type AutomationDefinition,
  LIFECYCLE_STAGES,
  PROPERTY_OPS,
} from "@tenure/core";
import {
  appNow,
  automationLog,
  automationVersions,
  dryRunAutomation,
  getAutomation,
  JobQueue,
  listAutomations,
  saveAutomation,
  scheduleAutomationPasses,
  setAutomationEnabled,
  snoozeAutomationAccount,
} from "@tenure/services";
import type { AuthVariables } from "../auth";
import { isoInstant } from "../input";
import { json } from "../schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const key = z.string().max(200);
const band = z.enum(["red", "yellow", "green", "none"]);
const stage = z.enum(LIFECYCLE_STAGES as [string, ...string[]]);

const TriggerSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("signal_raised"), signalTypes: z.array(key) }),
    z.object({
      type: z.literal("event_tracked"),
      event: key,
      where: z.array(
        z.object({
          property: key,
          op: z.enum(PROPERTY_OPS as [string, ...string[]]),
          value: z.union([z.string(), z.number(), z.boolean()]).optional(),
        }),
      ),
    }),
    z.object({ type: z.literal("score_band_crossed"), from: z.union([band, z.literal("any")]), to: band }),
    z.object({ type: z.literal("stage_entered"), stage }),
    z.object({ type: z.literal("segment_entered"), segment: key }),
    z.object({
      type: z.literal("date_relative"),
      field: z.string().openapi({ description: `${AUTOMATION_DATE_FIELDS.join(", ")} or custom:<field>` }),
      offsetDays: z.number().int().openapi({ description: "Renewal − 90 days: -90" }),
    }),
    z.object({
      type: z.literal("schedule"),
      cron: z.string().openapi({ description: "Five fields, UTC, e.g. 0 9 * * mon-fri" }),
    }),
  ])
  .openapi("AutomationTrigger", { description: "What starts the automation for an account" });

const AssignSchema = z.discriminatedUnion("strategy", [
  z.object({ strategy: z.literal("owner") }),
  z.object({ strategy: z.literal("round_robin"), teamId: key }),
  z.object({ strategy: z.literal("least_loaded"), teamId: key }),
  z.object({ strategy: z.literal("member"), memberId: key }),
]);

const ActionSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("start_playbook"), playbookKey: key }),
    z.object({
      type: z.literal("create_task"),
      title: z.string().max(200),
      assign: AssignSchema,
      dueInDays: z.number().int(),
      priority: z.enum(["low", "normal", "high", "urgent"]),
    }),
    z.object({ type: z.literal("add_tag"), tag: key }),
    z.object({ type: z.literal("remove_tag"), tag: key }),
    z.object({ type: z.literal("set_stage"), stage }),
    z.object({
      type: z.literal("send_email"),
      template: key.openapi({ description: "Email template id" }),
      to: z.enum(["owner", "champion", "decision_maker", "admin", "billing"]),
    }),
    z.object({ type: z.literal("call_webhook"), endpointId: key }),
    z.object({ type: z.literal("notify_chat"), channelId: key, template: key }),
    z.object({ type: z.literal("wait"), days: z.number().int() }),
  ])
  .openapi("AutomationAction", { description: "One step; steps after a wait run that many days later" });

const OptionsSchema = z
  .object({
    includeChurned: z.boolean(),
    reentryDays: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "At most once per N days (null: no limit)" }),
    holdoutPct: z.number().openapi({ description: "0-50: share of matching accounts kept as control" }),
  })
  .openapi("AutomationOptions");

export const AutomationDefinitionSchema = z
  .object({
    name: z.string().max(200),
    enabled: z.boolean(),
    trigger: TriggerSchema,
    conditions: z.record(z.string(), z.unknown()).nullable().openapi({
      description: "The signal rules' condition tree (all/any/not/metric); tag:<name> reads a tag as 1 or 0",
    }),
    actions: z.array(ActionSchema),
    options: OptionsSchema,
  })
  .openapi("AutomationDefinition");

const AutomationSchema = AutomationDefinitionSchema.extend({
  id: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  counts: z.record(z.string(), z.number().int()).openapi({ description: "Log rows per outcome" }),
}).openapi("Automation");

const outcome = z.enum(AUTOMATION_OUTCOMES as [string, ...string[]]);

const StepSchema = z.object({
  step: z.number().int(),
  type: z.string(),
  status: z.enum(["done", "failed", "skipped"]),
  at: z.string(),
  ref: z.string().nullable().optional().openapi({ description: "The task, run or job it made" }),
  error: z.string().nullable().optional(),
});

const LogEntrySchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    version: z.number().int(),
    instance: z.string().openapi({ description: "The trigger occurrence (idempotency key of the fire)" }),
    outcome,
    status: z.enum(["open", "done", "failed", "none"]),
    steps: z.array(StepSchema),
    retriggers: z.number().int().openapi({ description: "Re-fires while the run was open (no new work)" }),
    resumeAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("AutomationLogEntry");

const DryRunSchema = z
  .object({
    since: z.string(),
    asOf: z.string(),
    matched: z.number().int(),
    byOutcome: z.record(z.string(), z.number().int()),
    rows: z.array(
      z.object({
        accountId: z.string(),
        accountName: z.string(),
        instance: z.string(),
        outcome,
        actions: z.array(ActionSchema),
      }),
    ),
  })
  .openapi("AutomationDryRun");

const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

/** Automations: list, get with versions, create, edit (new version), on/off, dry run, run log, snooze. */
export function automationRoutes(deps: Pick<RouteDeps, "storage" | "reportingCurrency" | "today">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const queue = new JobQueue(storage);
  // The app's clock: a dry run reads signals dated by its today (a demo or test may run on another day).
  const now = () => appNow(deps.today).toISOString();

  app.openapi(
    createRoute({
      method: "get",
      path: "/automations",
      tags: ["automations"],
      summary: "Every automation with its log counts",
      security: sec,
      responses: {
        200: json(z.object({ automations: z.array(AutomationSchema) }), "Automations"),
        ...errors,
      },
    }),
    async (c) => c.json({ automations: await listAutomations(storage, c.get("workspaceId")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/automations/{id}",
      tags: ["automations"],
      summary: "An automation with every version, newest first",
      security: sec,
      request: { params: idParam },
      responses: {
        200: json(
          z.object({
            automation: AutomationSchema,
            versions: z.array(
              z.object({
                version: z.number().int(),
                definition: AutomationDefinitionSchema,
                createdAt: z.string(),
              }),
            ),
          }),
          "The automation",
        ),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      const [automation, versions] = await Promise.all([
        getAutomation(storage, ws, id),
        automationVersions(storage, ws, id),
      ]);
      return c.json({ automation, versions }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/automations",
      tags: ["automations"],
      summary: "Create an automation (version 1)",
      description:
        "Rejected (400) with a message naming the part: an unknown field, signal type, member, team, playbook, template, template variable, endpoint or channel; a loop (an action that changes what its trigger or conditions watch); an invalid schedule. Nothing is saved then.",
      security: sec,
      request: body(AutomationDefinitionSchema),
      responses: { 201: json(AutomationSchema, "The new automation"), ...errors },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const saved = await saveAutomation(storage, ws, c.req.valid("json"), { at: now() });
      await scheduleAutomationPasses(queue, ws);
      return c.json(saved, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/automations/{id}",
      tags: ["automations"],
      summary: "Edit an automation: saves its next version (runs keep the version they started with)",
      security: sec,
      request: { params: idParam, ...body(AutomationDefinitionSchema) },
      responses: { 200: json(AutomationSchema, "The automation"), ...errors, ...notFound },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      const saved = await saveAutomation(storage, ws, c.req.valid("json"), { id, at: now() });
      await scheduleAutomationPasses(queue, ws);
      return c.json(saved, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/automations/{id}/enabled",
      tags: ["automations"],
      summary: "Switch an automation on or off (not a new version)",
      security: sec,
      request: { params: idParam, ...body(z.object({ enabled: z.boolean() })) },
      responses: { 200: json(AutomationSchema, "The automation"), ...errors, ...notFound },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      const saved = await setAutomationEnabled(storage, ws, id, c.req.valid("json").enabled, now());
      if (saved.enabled) await scheduleAutomationPasses(queue, ws);
      return c.json(saved, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/automations/dry-run",
      tags: ["automations"],
      summary: "Which accounts an automation would affect now and what would happen (writes nothing)",
      description:
        "Pass `id` for a saved automation or `definition` for a draft (validated as saving would). Time triggers are evaluated over the last `days` days (default 1).",
      security: sec,
      request: body(
        z.object({
          id: z.string().min(1).optional(),
          definition: AutomationDefinitionSchema.optional(),
          days: z.number().int().min(1).max(365).optional(),
        }),
      ),
      responses: { 200: json(DryRunSchema, "What would happen"), ...errors, ...notFound },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const result = await dryRunAutomation(storage, c.get("workspaceId"), {
        id: input.id,
        definition: input.definition as AutomationDefinition | undefined,
        days: input.days,
        asOf: now(),
        reportingCurrency: deps.reportingCurrency,
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/automations/{id}/log",
      tags: ["automations"],
      summary:
        "An automation's run log, newest first: fired, held out, skipped (snoozed, re-entry, deduped), steps done or failed with errors",
      security: sec,
      request: {
        params: idParam,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).optional(),
          before: isoInstant()
            .optional()
            .openapi({ description: "Only rows created before this time (paging)" }),
          outcome: outcome.optional(),
        }),
      },
      responses: { 200: json(z.object({ entries: z.array(LogEntrySchema) }), "Log"), ...errors, ...notFound },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const entries = await automationLog(
        storage,
        c.get("workspaceId"),
        c.req.valid("param").id,
        {
          limit: q.limit,
          before: q.before,
          outcome: q.outcome as (typeof AUTOMATION_OUTCOMES)[number] | undefined,
        },
        c.get("principal"),
      );
      return c.json({ entries }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/automations/{id}/snooze",
      tags: ["automations"],
      summary: "Snooze an account in an automation until a time (null ends the snooze)",
      security: sec,
      request: {
        params: idParam,
        ...body(z.object({ accountId: z.string().min(1), until: z.iso.datetime().nullable() })),
      },
      responses: { 204: { description: "Snoozed" }, ...errors, ...notFound },
    }),
    async (c) => {
      const input = c.req.valid("json");
      await snoozeAutomationAccount(storage, c.get("workspaceId"), {
        automationId: c.req.valid("param").id,
        accountId: input.accountId,
        until: input.until,
        at: now(),
        principal: c.get("principal"),
      });
      return c.body(null, 204);
    },
  );

  return app;
}
