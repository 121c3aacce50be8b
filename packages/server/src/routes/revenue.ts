import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import { mrrRows, readableAccountIds } from "@tenure/services";
import type { AuthVariables } from "../auth";
import type { WorkspaceServices } from "../context";
import {
  BundlesSchema,
  CohortsSchema,
  ErrorSchema,
  KpisSchema,
  MetricsReportSchema,
  MovementsQuerySchema,
  MovementsReportSchema,
  MrrReportSchema,
  RevenueQuerySchema,
  SegmentsSchema,
  UnitEconomicsSchema,
  WhatIfQuerySchema,
  WhatIfSchema,
} from "../schemas";

const errors = {
  400: { description: "Invalid query", content: { "application/json": { schema: ErrorSchema } } },
  401: { description: "No or unknown API key", content: { "application/json": { schema: ErrorSchema } } },
} as const;

function get<S extends z.ZodType, Q extends z.ZodObject>(path: string, summary: string, query: Q, schema: S) {
  return createRoute({
    method: "get",
    path,
    tags: ["revenue"],
    summary,
    security: [{ apiKey: [] }],
    request: { query },
    responses: { 200: { description: summary, content: { "application/json": { schema } } }, ...errors },
  });
}

/** Revenue analytics routes; each is a thin call into RevenueService. */
export function revenueRoutes(services: WorkspaceServices) {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const svc = (ws: string) => services.revenueFor(ws);

  app.openapi(
    get("/revenue/mrr", "MRR and movements by month", RevenueQuerySchema, MrrReportSchema),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      const months = mrrRows(await s.metrics(c.req.valid("query")));
      return c.json({ currency: s.currency, months }, 200);
    },
  );

  app.openapi(
    get("/revenue/metrics", "Portfolio metrics by month", RevenueQuerySchema, MetricsReportSchema),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      const months = await s.metrics(c.req.valid("query"));
      return c.json({ currency: s.currency, monthToDate: s.monthToDate(), months }, 200);
    },
  );

  app.openapi(
    get(
      "/revenue/kpis",
      "KPI tiles of the last complete month (or `to`) with change vs the month before",
      RevenueQuerySchema,
      KpisSchema,
    ),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      const q = c.req.valid("query");
      return c.json({ currency: s.currency, ...(await s.kpis({ to: q.to, segment: q.segment })) }, 200);
    },
  );

  app.openapi(
    get("/revenue/movements", "Per-account MRR movements", MovementsQuerySchema, MovementsReportSchema),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      const q = c.req.valid("query");
      // Per-account rows: a CSM limited to its book sees its accounts' movements only.
      const only = await readableAccountIds(services.storage, c.get("principal"));
      const movements = await s.movements(q, undefined, only);
      return c.json({ currency: s.currency, month: q.month ?? null, kind: q.kind ?? null, movements }, 200);
    },
  );

  app.openapi(
    get(
      "/revenue/cohorts",
      "Logo and revenue retention by start-month cohort",
      RevenueQuerySchema,
      CohortsSchema,
    ),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      const table = await s.cohorts(c.req.valid("query"));
      return c.json({ currency: s.currency, monthToDate: s.monthToDate(), ...table }, 200);
    },
  );

  app.openapi(
    get(
      "/revenue/unit-economics",
      "CAC, LTV, LTV/CAC and payback by channel",
      RevenueQuerySchema,
      UnitEconomicsSchema,
    ),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      return c.json({ currency: s.currency, ...(await s.unitEconomics(c.req.valid("query"))) }, 200);
    },
  );

  app.openapi(
    get(
      "/revenue/bundles",
      "Retention and LTV by product combination",
      RevenueQuerySchema.pick({ segment: true }),
      BundlesSchema,
    ),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      return c.json({ currency: s.currency, bundles: await s.bundles(c.req.valid("query")) }, 200);
    },
  );

  app.openapi(
    get("/revenue/whatif", "MRR trajectories at given monthly growth rates", WhatIfQuerySchema, WhatIfSchema),
    async (c) => {
      const s = svc(c.get("workspaceId"));
      const q = c.req.valid("query");
      const rates = q.rates?.split(",").map(Number);
      return c.json({ currency: s.currency, ...(await s.whatIf({ ...q, rates })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/segments",
      tags: ["revenue"],
      summary: "Attributes and values accounts can be cut by",
      security: [{ apiKey: [] }],
      responses: {
        200: {
          description: "Segment attributes",
          content: { "application/json": { schema: SegmentsSchema } },
        },
        ...errors,
      },
    }),
    async (c) => c.json({ attributes: await svc(c.get("workspaceId")).segments() }, 200),
  );

  return app;
}
