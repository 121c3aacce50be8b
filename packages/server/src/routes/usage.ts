import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { accountUsageSummary, usageReport } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { isoDay } from "../input";
import { ErrorSchema, json } from "../schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const day = isoDay();
/** The longest range the daily usage report answers (the service refuses more). */
const MAX_REPORT_DAYS = 3660;

const QuotaSchema = z
  .object({
    entitlementId: z.string(),
    subscriptionId: z.string().nullable(),
    metric: z.string().openapi({ description: "Usage event counted, or * for every event" }),
    entitled: z.number(),
    consumed: z.number(),
    remaining: z.number(),
    usedRatio: z.number(),
    periodStart: z.string(),
    periodEnd: z.string().openapi({ description: "First day after the term (exclusive)" }),
    termDays: z.number().int(),
    elapsedDays: z.number().int(),
    daysLeft: z.number().int(),
    dailyRunRate: z.number().nullable(),
    exhaustionDate: z.string().nullable(),
    daysShort: z.number().int(),
    projectedAtEnd: z.number().nullable(),
    status: z.enum(["not_started", "no_usage", "on_track", "exhausts_early", "exhausted", "ended"]),
    cumulative: z.array(z.object({ date: z.string(), total: z.number() })),
  })
  .openapi("QuotaPace");

export const UsageSummarySchema = z
  .object({
    dau: z.number().int(),
    wau: z.number().int(),
    mau: z.number().int(),
    seats: z.object({ used: z.number().int(), licensed: z.number() }).nullable(),
    activeDepartments: z.number().int(),
    keyFeatures: z.array(z.object({ event: z.string(), adoption: z.number() })),
    quota: QuotaSchema.extend({
      used: z.number(),
      projectedExhaustion: z.string().nullable(),
      contractEnd: z.string(),
    })
      .nullable()
      .openapi({
        description: "The most pressing current allowance (used up, running out early, most used)",
      }),
    quotas: z.array(QuotaSchema),
    weekly: z.array(z.object({ weekStart: z.string(), activeUsers: z.number().int(), events: z.number() })),
  })
  .openapi("UsageSummary");

export const UsageReportSchema = z
  .object({
    days: z.array(
      z.object({
        date: z.string(),
        events: z.record(z.string(), z.number().int()),
        activeUsers: z.number().int(),
      }),
    ),
  })
  .openapi("UsageReport");

/** Product usage of one account: the daily report and the account page summary. */
export function usageRoutes(deps: Pick<RouteDeps, "storage" | "today" | "rollupSources">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

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
      path: "/accounts/{id}/usage",
      tags: ["usage"],
      summary: "Product usage of one account per day (events by name, active users), zero-filled",
      description:
        "Usage from the tracking API (/v1/*). Track calls count under their event name, page calls as " +
        '"page", screen calls as "screen". Days are UTC.',
      security: [{ apiKey: [] }],
      request: {
        params: z.object({ id: z.string().min(1) }),
        query: z
          .object({
            from: day.openapi({ description: "First day (YYYY-MM-DD)" }),
            to: day.openapi({ description: "Last day (YYYY-MM-DD), at most 3660 days after from" }),
          })
          .superRefine(({ from, to }, ctx) => {
            const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
            if (days < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
            else if (days >= MAX_REPORT_DAYS)
              ctx.addIssue({
                code: "custom",
                path: ["to"],
                message: `must be less than ${MAX_REPORT_DAYS} days after from`,
              });
          }),
      },
      responses: {
        200: json(UsageReportSchema, "One entry per day from `from` to `to`"),
        400: json(ErrorSchema, "Invalid query"),
        401: json(ErrorSchema, "No or unknown API key"),
        404: json(ErrorSchema, "No such account"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { from, to } = c.req.valid("query");
      const report = await usageReport(
        storage,
        c.get("workspaceId"),
        { accountId: id, from, to },
        deps.rollupSources,
      );
      return c.json(report, 200);
    },
  );
  return app;
}
