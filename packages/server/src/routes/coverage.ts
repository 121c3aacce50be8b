import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { COVERAGE_MOTIONS } from "@tenure/core";
import { getCoverage, qbrSchedule, saveCoverage, setQbr } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { calendarDate, errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const quarter = z.string().regex(/^\d{4}-Q[1-4]$/, "must be a quarter YYYY-Qn");
const isoDate = calendarDate;

export const CoverageSchema = z
  .object({
    tiers: z
      .array(
        z.object({
          tier: z.string().trim().min(1, "must not be empty").max(100),
          motion: z.enum(COVERAGE_MOTIONS),
          teamId: z.string().min(1).max(200).nullable(),
          qbrCadenceMonths: z.number().int().min(1).max(12).nullable(),
          automaticPlaybooks: z.array(z.string().min(1).max(100)).max(20),
        }),
      )
      .max(50),
  })
  .openapi("CoverageModel");

const QbrRowSchema = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    tier: z.string().nullable(),
    owner: z.string().nullable(),
    motion: z.string(),
    cadenceMonths: z.number().int(),
    lastHeldOn: z.string().nullable(),
    nextDueOn: z.string().nullable(),
    overdue: z.boolean(),
    quarter: z.string(),
    heldOn: z.string().nullable(),
    startMrr: z.number(),
    targetMrr: z.number().nullable(),
    actualMrr: z.number().openapi({ description: "MRR at the quarter's end (today's while it runs)" }),
    attainment: z.number().nullable(),
    note: z.string().nullable(),
  })
  .openapi("QbrRow");

const QbrScheduleSchema = z
  .object({
    quarter: z.string(),
    toDate: z.boolean(),
    rows: z.array(QbrRowSchema),
    totals: z.object({
      accounts: z.number().int(),
      held: z.number().int(),
      overdue: z.number().int(),
      targetMrr: z.number(),
      actualMrrOfTargeted: z.number(),
    }),
  })
  .openapi("QbrSchedule");

const QbrRecordSchema = z
  .object({
    accountId: z.string(),
    quarter: z.string(),
    targetMrr: z.number().nullable(),
    heldOn: z.string().nullable(),
    note: z.string().nullable(),
    updatedBy: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi("QbrRecord");

/** High-touch / tech-touch coverage per tier and the QBR schedule with quarterly revenue targets. */
export function coverageRoutes(deps: Pick<RouteDeps, "storage" | "reportingCurrency" | "today">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const tags = ["coverage"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/coverage",
      tags,
      summary: "The coverage model: each tier's motion, owning team, QBR cadence and automatic playbooks",
      security: sec,
      responses: { 200: json(CoverageSchema, "The model"), ...errors },
    }),
    async (c) => c.json(await getCoverage(storage, c.get("workspaceId")), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/coverage",
      tags,
      summary: "Save the coverage model (teams and playbooks must exist)",
      security: sec,
      request: { body: { content: { "application/json": { schema: CoverageSchema } }, required: true } },
      responses: { 200: json(CoverageSchema, "The saved model"), ...errors },
    }),
    async (c) => c.json(await saveCoverage(storage, c.get("workspaceId"), c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/qbrs",
      tags,
      summary: "A quarter's QBR schedule: next due, held, MRR target against the revenue engine's actual",
      security: sec,
      request: { query: z.object({ quarter: quarter.optional() }) },
      responses: { 200: json(QbrScheduleSchema, "The schedule"), ...errors },
    }),
    async (c) =>
      c.json(
        await qbrSchedule(storage, c.get("workspaceId"), {
          quarter: c.req.valid("query").quarter,
          asOf: deps.today(),
          reportingCurrency: deps.reportingCurrency,
          principal: c.get("principal"),
        }),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/accounts/{id}/qbrs/{quarter}",
      tags,
      summary: "Set an account's QBR revenue target (MRR at quarter end) and/or when the QBR was held",
      security: sec,
      request: {
        params: idParam.extend({ quarter }),
        body: {
          content: {
            "application/json": {
              schema: z.object({
                targetMrr: z.number().finite().min(0).nullable().optional(),
                heldOn: isoDate.nullable().optional(),
                note: z.string().max(2000).nullable().optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(QbrRecordSchema, "The record"), ...errors, ...notFound },
    }),
    async (c) => {
      const { id, quarter: q } = c.req.valid("param");
      const record = await setQbr(storage, c.get("workspaceId"), id, q, {
        ...c.req.valid("json"),
        by: c.req.header("x-tenure-member") ?? null,
        principal: c.get("principal"),
      });
      return c.json(record, 200);
    },
  );

  return app;
}
