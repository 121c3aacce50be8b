import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { usageReport } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");

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

/** GET /accounts/{id}/usage: the same JSON as `tenure report usage --json`. */
export function usageRoutes(storage: Storage) {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
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
        query: z.object({
          from: day.openapi({ description: "First day (YYYY-MM-DD)" }),
          to: day.openapi({ description: "Last day (YYYY-MM-DD)" }),
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
      return c.json(await usageReport(storage, c.get("workspaceId"), { accountId: id, from, to }), 200);
    },
  );
  return app;
}
