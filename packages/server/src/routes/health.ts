import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { activeScorecard, compareHealth, saveScorecard } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { errors, type RouteDeps, sec } from "./route-kit";

export const SegmentComparisonSchema = z
  .object({
    value: z.string().nullable(),
    accounts: z.number().int(),
    mean: z.number().nullable(),
    median: z.number().nullable(),
    bands: z.record(z.string(), z.number().int()),
    histogram: z.array(z.number().int()),
    dimensions: z.array(
      z.object({ key: z.string(), mean: z.number().nullable(), accounts: z.number().int() }),
    ),
    measures: z.array(z.object({ key: z.string(), mean: z.number().nullable(), accounts: z.number().int() })),
  })
  .openapi("SegmentComparison");

/** The health scorecard and the per-segment comparison. */
export function healthRoutes(deps: Pick<RouteDeps, "storage" | "today" | "healthChanged">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

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

  return app;
}
