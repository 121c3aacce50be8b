import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  accountListPage,
  accountOverview,
  accountTimeline,
  addTimelineEntry,
  readableOwnerName,
  setAccountStage,
  setContactLeft,
  storedWorklist,
} from "@tenure/services";
import type { AuthVariables } from "../auth";
import { isoDay, isoInstant } from "../input";
import { json } from "../schemas";
import {
  AccountListPageSchema,
  AccountListQuerySchema,
  AccountOverviewSchema,
  ContactSchema,
  NewTimelineEntrySchema,
  StageHistorySchema,
  StageSchema,
  TimelineEntrySchema,
  TimelineTypeSchema,
  WorklistRowSchema,
} from "./account-schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";
import { actorFrom } from "./team";

/** Accounts list, worklist, account page, timeline, stage and contacts. */
export function accountRoutes(
  deps: Pick<RouteDeps, "storage" | "reportingCurrency" | "today" | "healthChanged">,
) {
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
        200: json(AccountListPageSchema, "A page of rows"),
        ...errors,
      },
    }),
    async (c) => {
      // Stored rows (issue 14): an indexed page, not every account's row built per request.
      // A CSM limited to its own book gets only its accounts, whatever owner it asks for.
      const own = await readableOwnerName(storage, c.get("principal"));
      const q = c.req.valid("query");
      return c.json(
        await accountListPage(storage, c.get("workspaceId"), own === null ? q : { ...q, owner: own }, opts()),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/worklist",
      tags: ["accounts"],
      summary:
        "Accounts that need attention (red/yellow, an open risk signal or churn probability ≥ 30%), by churn probability × ARR",
      security: sec,
      request: {
        query: z.object({
          owner: z.string().max(200).optional(),
          team: z.string().max(2000).optional().openapi({
            description: "Comma-separated team ids: those teams' books (members' accounts and pools)",
          }),
        }),
      },
      responses: { 200: json(z.object({ accounts: z.array(WorklistRowSchema) }), "The worklist"), ...errors },
    }),
    async (c) => {
      const own = await readableOwnerName(storage, c.get("principal"));
      const accounts = await storedWorklist(
        storage,
        c.get("workspaceId"),
        own ?? c.req.valid("query").owner,
        opts(),
        c.req.valid("query").team,
      );
      return c.json({ accounts }, 200);
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
      // The book check is the service's, on its own read of the account (see ROUTE_RULES).
      return c.json(
        await accountOverview(storage, c.get("workspaceId"), id, opts(), c.get("principal")),
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
          before: isoInstant().optional().openapi({ description: "Only entries before this ISO time" }),
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
      const actor = await actorFrom(storage, c);
      const entry = await addTimelineEntry(
        storage,
        c.get("workspaceId"),
        id,
        body,
        now(),
        actor,
        c.get("principal"),
      );
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
        principal: c.get("principal"),
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
                leftAt: isoDay().nullable(),
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
      const contact = await setContactLeft(
        storage,
        ws,
        id,
        contactId,
        c.req.valid("json").leftAt,
        c.get("principal"),
      );
      await deps.healthChanged(ws);
      return c.json(contact, 200);
    },
  );

  return app;
}
