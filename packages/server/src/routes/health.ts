import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { activeScorecard, compareHealth, previewScorecardChange, saveScorecard } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { errors, type RouteDeps, sec } from "./route-kit";

export const SegmentComparisonSchema = z
  .object({
    value: z.string().nullable(),
    accounts: z.number().int(),
    mean: z.number().nullable(),
    median: z.number().nullable(),
    // Every band, zero included (the web app reads each without a fallback).
    bands: z.object({
      red: z.number().int(),
      yellow: z.number().int(),
      green: z.number().int(),
      none: z.number().int(),
    }),
    histogram: z.array(z.number().int()),
    dimensions: z.array(
      z.object({ key: z.string(), mean: z.number().nullable(), accounts: z.number().int() }),
    ),
    measures: z.array(z.object({ key: z.string(), mean: z.number().nullable(), accounts: z.number().int() })),
  })
  .openapi("SegmentComparison");

const BandSchema = z.enum(["red", "yellow", "green", "none"]);

export const ScorecardChangeSchema = z
  .object({
    path: z.string().openapi({ description: "JSON path of the changed field" }),
    where: z.array(z.string()).openapi({ description: "Labels from the profile down to the measure" }),
    property: z.enum([
      "name",
      "redBelow",
      "yellowBelow",
      "weight",
      "scoring",
      "label",
      "metric",
      "appliesTo",
      "added",
      "removed",
    ]),
    before: z.union([z.string(), z.number()]).nullable(),
    after: z.union([z.string(), z.number()]).nullable(),
  })
  .openapi("ScorecardChange");

export const SavedScorecardSchema = z
  .object({
    scorecard: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The stored scorecard, new version" }),
    previousVersion: z.number().int(),
    changes: z.array(ScorecardChangeSchema),
  })
  .openapi("SavedScorecard");

const BandTotalsSchema = z.object({ band: BandSchema, accounts: z.number().int(), arr: z.number() });

export const ScorecardPreviewSchema = z
  .object({
    currency: z.string(),
    scoredOn: z.string().nullable().openapi({ description: "Day of the stored metric values rescored" }),
    currentVersion: z.number().int(),
    accounts: z.number().int(),
    changedBand: z.number().int(),
    better: z.number().int(),
    worse: z.number().int(),
    changedArr: z.number(),
    before: z.array(BandTotalsSchema),
    after: z.array(BandTotalsSchema),
    moves: z.array(
      z.object({
        accountId: z.string(),
        name: z.string(),
        arr: z.number(),
        from: BandSchema,
        to: BandSchema,
        scoreBefore: z.number().nullable(),
        scoreAfter: z.number().nullable(),
      }),
    ),
    changes: z.array(ScorecardChangeSchema),
  })
  .openapi("ScorecardPreview");

const scorecardBody = {
  body: {
    content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
    required: true,
  },
};

/** The health scorecard and the per-segment comparison. */
export function healthRoutes(
  deps: Pick<RouteDeps, "storage" | "today" | "healthChanged" | "reportingCurrency">,
) {
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
      summary:
        "Replace the active scorecard (validated; 400 names the path), give it the next version and recompute health",
      security: sec,
      request: scorecardBody,
      responses: {
        200: json(SavedScorecardSchema, "The saved scorecard, the version it replaced and what changed"),
        ...errors,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const saved = await saveScorecard(storage, ws, c.req.valid("json"));
      await deps.healthChanged(ws);
      return c.json({ ...saved, scorecard: saved.scorecard as unknown as Record<string, unknown> }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/scorecard/preview",
      tags: ["health"],
      summary:
        "Score every account with a proposed scorecard without saving: band changes and ARR by band before and after",
      security: sec,
      request: scorecardBody,
      responses: { 200: json(ScorecardPreviewSchema, "What saving this scorecard would change"), ...errors },
    }),
    async (c) =>
      c.json(
        await previewScorecardChange(storage, c.get("workspaceId"), c.req.valid("json"), {
          asOf: deps.today(),
          reportingCurrency: deps.reportingCurrency,
        }),
        200,
      ),
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
