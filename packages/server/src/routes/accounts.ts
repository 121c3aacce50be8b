import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  accountOverview,
  accountTimeline,
  accountUsageSummary,
  activeScorecard,
  addTimelineEntry,
  changeSignalStatus,
  compareHealth,
  createView,
  deleteSignalRule,
  deleteView,
  listSignalRules,
  listSignals,
  listViews,
  loadAccountRows,
  queryAccountRows,
  saveScorecard,
  saveSignalRule,
  setAccountStage,
  setContactLeft,
  worklistRows,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import {
  AccountListQuerySchema,
  AccountListRowSchema,
  AccountOverviewSchema,
  ContactSchema,
  NewSavedViewSchema,
  NewTimelineEntrySchema,
  SavedViewSchema,
  SegmentComparisonSchema,
  SignalSchema,
  StageHistorySchema,
  StageSchema,
  TimelineEntrySchema,
  TimelineTypeSchema,
  UsageSummarySchema,
  WorklistRowSchema,
} from "./account-schemas";

export interface AccountRouteDeps {
  storage: Storage;
  reportingCurrency: string;
  today: () => string;
  /** Called after the scorecard or signal rules change: recompute (now or soon). */
  healthChanged: (workspaceId: string) => Promise<void>;
}

const errors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No or unknown API key"),
} as const;
const notFound = { 404: json(ErrorSchema, "Not found") } as const;
const idParam = z.object({ id: z.string().min(1) });
const sec = [{ apiKey: [] }];

/** Accounts list, worklist, account page, timeline, signals, scorecard, comparisons, rules and views. */
export function accountRoutes(deps: AccountRouteDeps) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const opts = () => ({ asOf: deps.today(), reportingCurrency: deps.reportingCurrency });
  const now = () => new Date().toISOString();

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts",
      tags: ["accounts"],
      summary: "Accounts with health, ARR, renewal and signals; filterable, sortable, paged",
      security: sec,
      request: { query: AccountListQuerySchema },
      responses: {
        200: json(
          z.object({ total: z.number().int(), accounts: z.array(AccountListRowSchema) }),
          "A page of rows",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const data = await loadAccountRows(storage, c.get("workspaceId"), opts());
      return c.json(queryAccountRows(data, c.req.valid("query")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/worklist",
      tags: ["accounts"],
      summary: "Accounts that need attention (red/yellow or an open risk signal), by churnRisk × ARR",
      security: sec,
      request: { query: z.object({ owner: z.string().max(200).optional() }) },
      responses: { 200: json(z.object({ accounts: z.array(WorklistRowSchema) }), "The worklist"), ...errors },
    }),
    async (c) => {
      const data = await loadAccountRows(storage, c.get("workspaceId"), opts());
      return c.json({ accounts: worklistRows(data, c.req.valid("query").owner) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts/{id}/overview",
      tags: ["accounts"],
      summary: "The account page: health breakdown, score history, revenue, contacts, signals, stages",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(AccountOverviewSchema, "The overview"), ...errors, ...notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(await accountOverview(storage, c.get("workspaceId"), id, opts()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts/{id}/usage/summary",
      tags: ["usage"],
      summary: "DAU/WAU/MAU, seats, departments, key feature adoption and 26 weeks of usage",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(UsageSummarySchema, "The summary"), ...errors, ...notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return c.json(
        await accountUsageSummary(storage, c.get("workspaceId"), id, { asOf: deps.today() }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts/{id}/timeline",
      tags: ["accounts"],
      summary: "The account's timeline, newest first",
      security: sec,
      request: {
        params: idParam,
        query: z.object({
          types: z
            .string()
            .optional()
            .openapi({ description: "Comma-separated entry types, e.g. note,call" })
            .transform((v, ctx) => {
              if (v === undefined || v === "") return undefined;
              const list = v.split(",").map((s) => s.trim());
              for (const t of list) {
                if (!TimelineTypeSchema.safeParse(t).success) {
                  ctx.addIssue({ code: "custom", message: `unknown entry type "${t}"` });
                  return z.NEVER;
                }
              }
              return list;
            }),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          before: z.string().max(40).optional().openapi({ description: "Only entries before this ISO time" }),
        }),
      },
      responses: {
        200: json(z.object({ entries: z.array(TimelineEntrySchema) }), "Entries"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const entries = await accountTimeline(storage, c.get("workspaceId"), id, q);
      return c.json({ entries }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/accounts/{id}/timeline",
      tags: ["accounts"],
      summary: "Add a note, call, meeting, email or observation",
      description:
        "Observation data holds structured subjective fields: cooperationWillingness (integer 1-5), " +
        "executiveSponsorEngaged (boolean), sentiment (positive|neutral|negative), and any other scalar.",
      security: sec,
      request: {
        params: idParam,
        body: { content: { "application/json": { schema: NewTimelineEntrySchema } }, required: true },
      },
      responses: { 201: json(TimelineEntrySchema, "The new entry"), ...errors, ...notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const entry = await addTimelineEntry(storage, c.get("workspaceId"), id, body, now());
      return c.json(entry, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/accounts/{id}/stage",
      tags: ["accounts"],
      summary: "Set the lifecycle stage by hand (rules leave it alone for 90 days)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z.object({ stage: StageSchema, note: z.string().max(2000).nullable().optional() }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ stage: StageSchema, history: StageHistorySchema }), "The stage and its history"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const out = await setAccountStage(storage, c.get("workspaceId"), id, {
        stage: body.stage,
        note: body.note ?? null,
        by: null,
        at: now(),
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/accounts/{id}/contacts/{contactId}/left",
      tags: ["accounts"],
      summary: "Record the day a contact left the customer company (null: still there)",
      description: "A champion who left raises champion_left at the next health recompute.",
      security: sec,
      request: {
        params: z.object({ id: z.string().min(1), contactId: z.string().min(1) }),
        body: {
          content: {
            "application/json": {
              schema: z.object({
                leftAt: z
                  .string()
                  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
                  .nullable(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(ContactSchema, "The contact"), ...errors, ...notFound },
    }),
    async (c) => {
      const { id, contactId } = c.req.valid("param");
      const ws = c.get("workspaceId");
      const contact = await setContactLeft(storage, ws, id, contactId, c.req.valid("json").leftAt);
      await deps.healthChanged(ws);
      return c.json(contact, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/signals",
      tags: ["signals"],
      summary: "Signals, newest first",
      security: sec,
      request: {
        query: z.object({
          status: z.enum(["open", "acknowledged", "resolved"]).optional(),
          accountId: z.string().min(1).optional(),
          kind: z.enum(["risk", "opportunity"]).optional(),
        }),
      },
      responses: { 200: json(z.object({ signals: z.array(SignalSchema) }), "Signals"), ...errors },
    }),
    async (c) =>
      c.json({ signals: await listSignals(storage, c.get("workspaceId"), c.req.valid("query")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/signals/{id}/status",
      tags: ["signals"],
      summary: "Acknowledge, resolve or reopen a signal (recorded on the timeline)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z.object({ status: z.enum(["open", "acknowledged", "resolved"]) }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(SignalSchema, "The signal"), ...errors, ...notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { status } = c.req.valid("json");
      const at = now();
      return c.json(
        await changeSignalStatus(storage, c.get("workspaceId"), { id, status, by: "user", at }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/scorecard",
      tags: ["health"],
      summary: "The active health scorecard (the default until one is saved)",
      security: sec,
      responses: {
        200: json(z.record(z.string(), z.unknown()), "Scorecard JSON (docs/health.md)"),
        ...errors,
      },
    }),
    async (c) =>
      c.json(
        (await activeScorecard(storage, c.get("workspaceId"))) as unknown as Record<string, unknown>,
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/scorecard",
      tags: ["health"],
      summary: "Replace the active scorecard (validated; 400 names the path) and recompute health",
      security: sec,
      request: {
        body: {
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
          required: true,
        },
      },
      responses: { 200: json(z.record(z.string(), z.unknown()), "The saved scorecard"), ...errors },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const scorecard = await saveScorecard(storage, ws, c.req.valid("json"));
      await deps.healthChanged(ws);
      return c.json(scorecard as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/scores/compare",
      tags: ["health"],
      summary: "The same scorecard side by side per segment value (worst mean first)",
      security: sec,
      request: {
        query: z.object({
          attribute: z
            .string()
            .regex(
              /^(tier|owner|industry|region|lifecycleStage|segment|channel|tag|custom\..+)$/,
              "must be tier, owner, industry, region, lifecycleStage, segment, channel, tag or custom.<key>",
            ),
        }),
      },
      responses: {
        200: json(
          z.object({
            attribute: z.string(),
            date: z.string().nullable(),
            segments: z.array(SegmentComparisonSchema),
          }),
          "Segments",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { attribute } = c.req.valid("query");
      return c.json(await compareHealth(storage, c.get("workspaceId"), attribute, deps.today()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/signal-rules",
      tags: ["signals"],
      summary: "User-defined signal rules",
      security: sec,
      responses: {
        200: json(z.object({ rules: z.array(z.record(z.string(), z.unknown())) }), "Rules"),
        ...errors,
      },
    }),
    async (c) => {
      const rules = await listSignalRules(storage, c.get("workspaceId"));
      return c.json({ rules: rules as unknown as Record<string, unknown>[] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/signal-rules",
      tags: ["signals"],
      summary: "Add or replace a signal rule (validated; 400 names the path)",
      security: sec,
      request: {
        body: {
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
          required: true,
        },
      },
      responses: { 201: json(z.record(z.string(), z.unknown()), "The saved rule"), ...errors },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const rule = await saveSignalRule(storage, ws, c.req.valid("json"));
      await deps.healthChanged(ws);
      return c.json(rule as unknown as Record<string, unknown>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/signal-rules/{id}",
      tags: ["signals"],
      summary: "Delete a signal rule",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteSignalRule(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/views",
      tags: ["accounts"],
      summary: "Saved account-list views",
      security: sec,
      responses: { 200: json(z.object({ views: z.array(SavedViewSchema) }), "Views"), ...errors },
    }),
    async (c) => c.json({ views: await listViews(storage, c.get("workspaceId")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/views",
      tags: ["accounts"],
      summary: "Save an account-list view",
      security: sec,
      request: { body: { content: { "application/json": { schema: NewSavedViewSchema } }, required: true } },
      responses: { 201: json(SavedViewSchema, "The saved view"), ...errors },
    }),
    async (c) => c.json(await createView(storage, c.get("workspaceId"), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/views/{id}",
      tags: ["accounts"],
      summary: "Delete a saved view",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteView(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  return app;
}
