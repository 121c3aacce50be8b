import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { portfolioPredictions, renewalForecast } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";

export interface PortfolioRouteDeps {
  storage: Storage;
  reportingCurrency: string;
  grossMargin: number;
  today: () => string;
}

const errors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No or unknown API key"),
} as const;
const sec = [{ apiKey: [] }];

/** A monthly sBG retention fit of a group of accounts. */
export const RetentionFitSchema = z
  .object({
    group: z.string().openapi({ description: '"all", or the tier or channel the fit covers' }),
    alpha: z.number(),
    beta: z.number(),
    customers: z.number().int(),
    cohorts: z.number().int(),
    del: z.number().openapi({ description: "Discounted expected lifetime of a new customer, in months" }),
    warnings: z.array(z.string()),
  })
  .openapi("RetentionFit");

const ReasonSchema = z.object({
  feature: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  contribution: z.number(),
});

const ModelRefSchema = z
  .object({ modelId: z.string(), trainedAt: z.string(), model: z.string(), horizonDays: z.number().int() })
  .nullable();

const PortfolioSchema = z
  .object({
    asOf: z.string(),
    currency: z.string(),
    grossMargin: z.number(),
    annualDiscountRate: z.number(),
    models: z.object({ churn: ModelRefSchema, expansion: ModelRefSchema }),
    arrAtRisk: z.object({
      total: z.number().openapi({ description: "Σ ARR × churn probability over the scored accounts" }),
      arr: z.number(),
      accounts: z.number().int(),
      largest: z.array(
        z.object({
          accountId: z.string(),
          name: z.string().nullable(),
          arr: z.number(),
          churnProbability: z.number(),
          atRisk: z.number(),
          reasons: z.array(ReasonSchema),
        }),
      ),
    }),
    retention: RetentionFitSchema.nullable(),
    retentionError: z.string().nullable(),
    clvTotal: z.number(),
    bySegment: z.array(
      z.object({
        segment: z.string(),
        accounts: z.number().int(),
        arr: z.number(),
        clvTotal: z.number(),
        clvAverage: z.number(),
        model: RetentionFitSchema.nullable(),
      }),
    ),
    byChannel: z.array(
      z.object({
        channel: z.string(),
        accounts: z.number().int(),
        clvTotal: z.number(),
        clvAverage: z.number(),
        model: RetentionFitSchema.nullable(),
        arpa: z.number().nullable(),
        cac: z.number().nullable(),
        logoChurnRate: z.number().nullable(),
        simpleLtv: z.number().nullable().openapi({ description: "ARPA × margin / monthly logo churn" }),
        simpleLtvToCac: z.number().nullable(),
        modelLtv: z
          .number()
          .nullable()
          .openapi({ description: "ARPA × margin × DEL of the channel's sBG fit" }),
        modelLtvToCac: z.number().nullable(),
      }),
    ),
    unitEconomicsWindow: z.object({ from: z.string(), to: z.string() }).nullable(),
    highPotential: z.object({
      smallSegment: z.string().nullable(),
      smallAccounts: z.number().int(),
      averageClv: z.number().nullable(),
      minMultiple: z.number(),
      accounts: z.array(
        z.object({
          accountId: z.string(),
          name: z.string().nullable(),
          tier: z.string(),
          mrr: z.number(),
          clv: z.number(),
          multiple: z.number(),
          expansionProbability: z.number().nullable(),
        }),
      ),
    }),
  })
  .openapi("PortfolioPredictions");

const SourceSchema = z
  .enum(["model", "segment_history", "portfolio_history", "none"])
  .openapi({ description: "Where the renewal probability came from" });

const RenewalForecastSchema = z
  .object({
    asOf: z.string(),
    until: z.string(),
    currency: z.string(),
    modelHorizonDays: z.number().int().nullable(),
    rows: z.array(
      z.object({
        accountId: z.string(),
        name: z.string().nullable(),
        renewalDate: z.string(),
        arr: z.number(),
        segment: z.string().nullable(),
        churnProbability: z.number().nullable(),
        renewalProbability: z.number().nullable(),
        expectedArr: z.number().nullable(),
        source: SourceSchema,
      }),
    ),
    periods: z.array(
      z.object({ period: z.string(), renewals: z.number().int(), arr: z.number(), expectedArr: z.number() }),
    ),
    totals: z.object({
      renewals: z.number().int(),
      arr: z.number(),
      expectedArr: z.number(),
      unforecast: z.number().int(),
    }),
    history: z.array(
      z.object({
        segment: z.string(),
        due: z.number().int(),
        renewed: z.number().int(),
        rate: z.number().nullable(),
      }),
    ),
    overallRenewalRate: z.number().nullable(),
  })
  .openapi("RenewalForecast");

/** Portfolio views of the models: ARR at risk, CLV by segment and channel, the renewal forecast. */
export function portfolioRoutes(deps: PortfolioRouteDeps) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const base = () => ({
    asOf: deps.today(),
    reportingCurrency: deps.reportingCurrency,
    grossMargin: deps.grossMargin,
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/predictions/portfolio",
      tags: ["predictions"],
      summary: "ARR at risk, CLV by tier and channel, model vs simple LTV/CAC, high-potential small accounts",
      security: sec,
      request: {
        query: z.object({
          top: z.coerce.number().int().min(1).max(500).default(10),
          minMultiple: z.coerce.number().min(1).max(1000).default(3).openapi({
            description: "High-potential: CLV at least this many times the small-account average",
          }),
          discountRate: z.coerce.number().gt(0).max(1).default(0.1).openapi({
            description: "Annual discount rate of CLV",
          }),
        }),
      },
      responses: { 200: json(PortfolioSchema, "The portfolio's model figures"), ...errors },
    }),
    async (c) => {
      const { top, minMultiple, discountRate } = c.req.valid("query");
      const p = await portfolioPredictions(storage, c.get("workspaceId"), {
        ...base(),
        top,
        minMultiple,
        annualDiscountRate: discountRate,
      });
      const largest = p.arrAtRisk.largest.map((r) => ({
        ...r,
        reasons: r.reasons.map((x) => ({
          feature: x.feature,
          value: x.value ?? null,
          contribution: x.contribution,
        })),
      }));
      return c.json({ ...p, arrAtRisk: { ...p.arrAtRisk, largest } }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/predictions/renewals",
      tags: ["predictions"],
      summary: "Renewal forecast: upcoming renewals with expected ARR and the source of each probability",
      security: sec,
      request: {
        query: z.object({
          days: z.coerce.number().int().min(1).max(3660).default(90),
          quarters: z.coerce.number().int().min(1).max(40).optional().openapi({
            description: "Instead of days: through the end of the n-th calendar quarter (1 = this one)",
          }),
          periodBy: z.enum(["month", "quarter"]).default("month"),
        }),
      },
      responses: { 200: json(RenewalForecastSchema, "The forecast"), ...errors },
    }),
    async (c) => {
      const { days, quarters, periodBy } = c.req.valid("query");
      const f = await renewalForecast(storage, c.get("workspaceId"), {
        ...base(),
        days,
        quarters,
        periodBy,
      });
      return c.json(f, 200);
    },
  );

  return app;
}
