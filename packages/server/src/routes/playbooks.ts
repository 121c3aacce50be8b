import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  AUDIENCE_KEYS,
  addDays,
  LIFECYCLE_STAGES,
  PLAYBOOK_METRIC_KINDS,
  RUN_STATUSES,
  STEP_CHAT_FORMATS,
} from "@tenure/core";
import {
  archivePlaybook,
  createPlaybook,
  getPlaybook,
  listPlaybookRuns,
  listPlaybooks,
  requireAccount,
  reschedulePlaybookRun,
  resolveActor,
  snoozePlaybookRun,
  startRun,
  updatePlaybook,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { Context } from "hono";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import { calendarDate, errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const text = z.string().max(20_000);
export const LocalizedTextSchema = z
  .object({ en: text.optional(), "zh-CN": text.optional() })
  .strict()
  .openapi("PlaybookText", { description: "Text in English and/or Simplified Chinese" });

const StepOwnerSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("account_owner") }),
    z.object({ kind: z.literal("team_pool"), team: z.string().max(200).optional() }),
    z.object({ kind: z.literal("role"), role: z.string().max(200) }),
  ])
  .openapi("PlaybookStepOwner", {
    description:
      "The account's owner, a team's pool (the account's team when no team is named), or a role label",
  });

const StepActionSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("email"), template: z.string().max(200) }),
    z.object({ type: z.literal("tag"), op: z.enum(["add", "remove"]), tag: z.string().max(200) }),
    z.object({ type: z.literal("stage"), stage: z.string().max(50) }),
    z.object({ type: z.literal("webhook"), url: z.string().max(2000) }),
    z.object({ type: z.literal("chat"), format: z.enum(STEP_CHAT_FORMATS), channel: z.string().max(200) }),
  ])
  .openapi("PlaybookStepAction", {
    description: `An automated action the step asks for (performed by automations); stages: ${LIFECYCLE_STAGES.join(", ")}`,
  });

const MetricSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("active_users") }),
    z.object({ kind: z.literal("health_score") }),
    z.object({ kind: z.literal("feature_weekly_use"), feature: z.string().max(200) }),
    z.object({ kind: z.literal("mrr") }),
    z.object({ kind: z.literal("nps") }),
  ])
  .openapi("PlaybookMetric", {
    description: `The metric the playbook should move (${PLAYBOOK_METRIC_KINDS.join(", ")}); feature_weekly_use names a tracked event`,
  });

const AudienceSchema = z
  .object(
    Object.fromEntries(AUDIENCE_KEYS.map((k) => [k, z.string().max(200).optional()])) as Record<
      (typeof AUDIENCE_KEYS)[number],
      z.ZodOptional<z.ZodString>
    >,
  )
  .strict()
  .openapi("PlaybookAudience", {
    description: "Account-list filters (as saved views): owner, stage, band, tier, segment (attr=value)",
  });

export const PlaybookDefinitionSchema = z
  .object({
    name: LocalizedTextSchema,
    description: LocalizedTextSchema,
    signalTypes: z.array(z.string().max(200)).max(50).openapi({ description: "The diagnoses it answers" }),
    audience: AudienceSchema,
    steps: z
      .array(
        z.object({
          title: LocalizedTextSchema,
          instructions: LocalizedTextSchema.openapi({ description: "Markdown" }),
          owner: StepOwnerSchema,
          dueOffsetDays: z
            .number()
            .openapi({ description: "Days after the run starts (whole, 0-365, in order)" }),
          action: StepActionSchema.nullable(),
        }),
      )
      .max(50),
    metric: MetricSchema,
    goal: z.enum(["increase", "decrease"]),
    windowDays: z
      .number()
      .openapi({ description: "Days from the start to the day the metric is read again" }),
  })
  .openapi("PlaybookDefinition");

export const PlaybookSchema = z
  .object({
    key: z.string(),
    latestVersion: z.number().int(),
    origin: z.enum(["starter", "custom"]),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    definition: PlaybookDefinitionSchema,
  })
  .openapi("Playbook");

const PlaybookVersionSchema = z
  .object({
    key: z.string(),
    version: z.number().int(),
    definition: PlaybookDefinitionSchema,
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi("PlaybookVersion");

const PlaybookDetailSchema = z
  .object({ playbook: PlaybookSchema, versions: z.array(PlaybookVersionSchema) })
  .openapi("PlaybookDetail");

export const PlaybookRunSchema = z
  .object({
    id: z.string(),
    playbookKey: z.string(),
    version: z.number().int(),
    accountId: z.string(),
    status: z.enum(RUN_STATUSES),
    holdout: z.boolean().openapi({ description: "A control run (hold-out): measured, no tasks" }),
    source: z.enum(["manual", "automation", "demo"]),
    triggerAutomationId: z.string().nullable(),
    triggerSignalId: z.string().nullable(),
    idempotencyKey: z.string().nullable(),
    startedAt: z.string(),
    startDate: z.string(),
    windowEnd: z.string(),
    metric: MetricSchema,
    startValue: z.number().nullable(),
    endValue: z.number().nullable().openapi({ description: "Read on windowEnd; null until then" }),
    measuredAt: z.string().nullable(),
    baseline: z.object({
      segment: z.string().nullable(),
      tier: z.string().nullable(),
      band: z.string(),
      arr: z.number(),
    }),
    steps: z.array(
      z.object({
        index: z.number().int(),
        taskId: z.string().nullable(),
        status: z.enum(["open", "done", "skipped"]),
        dueDate: z.string(),
        closedAt: z.string().nullable(),
      }),
    ),
    snoozedUntil: z.string().nullable(),
    startedBy: z.string().nullable(),
    completedAt: z.string().nullable(),
    updatedAt: z.string(),
    playbookName: LocalizedTextSchema,
    goal: z.enum(["increase", "decrease"]).nullable(),
    progress: z.object({ done: z.number().int(), skipped: z.number().int(), total: z.number().int() }),
    succeeded: z.boolean().nullable(),
    snoozed: z
      .boolean()
      .openapi({ description: "Snoozed on the server's today (snoozedUntil on or after it)" }),
  })
  .openapi("PlaybookRun");

const keyParam = z.object({ key: z.string().min(1).max(64) });
const conflict = { 409: json(ErrorSchema, "The key is taken") } as const;
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const runsOf = (runs: Awaited<ReturnType<typeof listPlaybookRuns>>) => ({ runs });

/** The acting member (the X-Tenure-Member header, as the team routes read it), or null. */
async function actorFrom(storage: Storage, c: Context<{ Variables: AuthVariables }>): Promise<string | null> {
  const ref = c.req.header("X-Tenure-Member");
  if (ref === undefined || ref.trim() === "") return null;
  return (await resolveActor(storage, c.get("workspaceId"), ref)).id;
}

/** The playbook library, its versions and runs. */
export function playbookRoutes(deps: Pick<RouteDeps, "storage" | "reportingCurrency" | "today">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const runDeps = { storage, reportingCurrency: deps.reportingCurrency };
  const runView = async (ws: string, id: string, accountId: string) =>
    (await listPlaybookRuns(storage, ws, { accountId }, deps.today())).find((r) => r.id === id);

  app.openapi(
    createRoute({
      method: "get",
      path: "/playbooks",
      tags: ["playbooks"],
      summary: "The playbook library with each playbook's latest version",
      security: sec,
      request: {
        query: z.object({
          archived: z
            .enum(["true", "false"])
            .optional()
            .openapi({ description: "Include archived playbooks" }),
        }),
      },
      responses: { 200: json(z.object({ playbooks: z.array(PlaybookSchema) }), "Playbooks"), ...errors },
    }),
    async (c) => {
      const includeArchived = c.req.valid("query").archived === "true";
      return c.json(
        { playbooks: await listPlaybooks(storage, c.get("workspaceId"), { includeArchived }) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/playbooks/{key}",
      tags: ["playbooks"],
      summary: "A playbook with every version, newest first",
      security: sec,
      request: { params: keyParam },
      responses: { 200: json(PlaybookDetailSchema, "The playbook"), ...errors, ...notFound },
    }),
    async (c) => c.json(await getPlaybook(storage, c.get("workspaceId"), c.req.valid("param").key), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/playbooks",
      tags: ["playbooks"],
      summary: "Create a playbook (version 1)",
      description:
        "Rejected with a message naming the part: unknown signal type, audience filter, metric or feature, email template, stage; no steps; bad due offsets or window.",
      security: sec,
      request: body(z.object({ key: z.string().max(64), definition: PlaybookDefinitionSchema })),
      responses: { 201: json(PlaybookDetailSchema, "The new playbook"), ...errors, ...conflict },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const input = c.req.valid("json");
      const createdBy = await actorFrom(storage, c);
      return c.json(await createPlaybook(storage, ws, { ...input, createdBy }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/playbooks/{key}",
      tags: ["playbooks"],
      summary: "Edit a playbook: saves a new immutable version (runs keep the version they started with)",
      security: sec,
      request: { params: keyParam, ...body(z.object({ definition: PlaybookDefinitionSchema })) },
      responses: {
        200: json(PlaybookDetailSchema, "The playbook with its new version"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { key } = c.req.valid("param");
      const createdBy = await actorFrom(storage, c);
      return c.json(await updatePlaybook(storage, ws, key, { ...c.req.valid("json"), createdBy }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/playbooks/{key}/archive",
      tags: ["playbooks"],
      summary: "Archive a playbook (no new runs; runs and versions stay) or restore it",
      security: sec,
      request: { params: keyParam, ...body(z.object({ archived: z.boolean() })) },
      responses: { 200: json(PlaybookSchema, "The playbook"), ...errors, ...notFound },
    }),
    async (c) => {
      const { key } = c.req.valid("param");
      return c.json(
        await archivePlaybook(storage, c.get("workspaceId"), key, c.req.valid("json").archived),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/playbooks/{key}/runs",
      tags: ["playbooks"],
      summary: "A playbook's runs, newest first (at most 500)",
      security: sec,
      request: { params: keyParam },
      responses: {
        200: json(z.object({ runs: z.array(PlaybookRunSchema) }), "Runs"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { key } = c.req.valid("param");
      await getPlaybook(storage, ws, key);
      return c.json(
        runsOf(await listPlaybookRuns(storage, ws, { playbookKey: key }, deps.today(), c.get("principal"))),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts/{id}/playbook-runs",
      tags: ["playbooks"],
      summary: "An account's playbook runs, newest first",
      security: sec,
      request: { params: idParam },
      responses: {
        200: json(z.object({ runs: z.array(PlaybookRunSchema) }), "Runs"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      // An account of another workspace (or none) is a 404, not an empty list.
      await requireAccount(storage, ws, id);
      return c.json(runsOf(await listPlaybookRuns(storage, ws, { accountId: id }, deps.today())), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/playbooks/{key}/runs",
      tags: ["playbooks"],
      summary: "Start a run on an account (an open run of the playbook there is returned instead, 200)",
      security: sec,
      request: {
        params: keyParam,
        ...body(
          z.object({
            accountId: z.string().min(1).max(200),
            signalId: z.string().min(1).max(200).nullable().optional(),
            automationId: z.string().min(1).max(200).nullable().optional(),
            holdout: z.boolean().optional().openapi({ description: "Record a control run: no tasks" }),
            idempotencyKey: z.string().min(1).max(500).nullable().optional(),
            locale: z.enum(["en", "zh-CN"]).optional().openapi({ description: "Language of the step tasks" }),
          }),
        ),
      },
      responses: {
        200: json(z.object({ run: PlaybookRunSchema, created: z.literal(false) }), "The open run"),
        201: json(z.object({ run: PlaybookRunSchema, created: z.literal(true) }), "The new run"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { key } = c.req.valid("param");
      const b = c.req.valid("json");
      const { run, created } = await startRun(runDeps, ws, {
        playbookKey: key,
        accountId: b.accountId,
        trigger: { signalId: b.signalId ?? null, automationId: b.automationId ?? null },
        holdout: b.holdout ?? false,
        idempotencyKey: b.idempotencyKey ?? null,
        startedBy: await actorFrom(storage, c),
        day: deps.today(),
        locale: b.locale ?? "en",
        principal: c.get("principal"),
      });
      const view = await runView(ws, run.id, run.accountId);
      if (view === undefined) throw new Error(`run ${run.id} vanished`);
      return created
        ? c.json({ run: view, created: true as const }, 201)
        : c.json({ run: view, created: false as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/playbook-runs/{id}/reschedule",
      tags: ["playbooks"],
      summary: "Move an active run's dates by a number of days: its open steps, their tasks and its window",
      security: sec,
      request: { params: idParam, ...body(z.object({ days: z.number().int().min(-365).max(365) })) },
      responses: { 200: json(PlaybookRunSchema, "The run"), ...errors, ...notFound },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const run = await reschedulePlaybookRun(
        storage,
        ws,
        c.req.valid("param").id,
        c.req.valid("json").days,
        undefined,
        c.get("principal"),
      );
      const view = await runView(ws, run.id, run.accountId);
      if (view === undefined) throw new Error(`run ${run.id} vanished`);
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/playbook-runs/{id}/snooze",
      tags: ["playbooks"],
      summary:
        "Snooze an active run until a day, or for a number of days from the server's today (open tasks due before it move to it); until null wakes it",
      security: sec,
      request: {
        params: idParam,
        ...body(
          z.union([
            z.object({ until: calendarDate.nullable() }).strict(),
            z.object({ days: z.number().int().min(1).max(365) }).strict(),
          ]),
        ),
      },
      responses: { 200: json(PlaybookRunSchema, "The run"), ...errors, ...notFound },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const input = c.req.valid("json");
      // "For 14 days" counts from the app's day, not the browser's clock.
      const until = "days" in input ? addDays(deps.today(), input.days) : input.until;
      const run = await snoozePlaybookRun(
        storage,
        ws,
        c.req.valid("param").id,
        until,
        undefined,
        c.get("principal"),
      );
      const view = await runView(ws, run.id, run.accountId);
      if (view === undefined) throw new Error(`run ${run.id} vanished`);
      return c.json(view, 200);
    },
  );

  return app;
}
