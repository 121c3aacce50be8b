import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  clvSettings,
  portfolioPredictions,
  reasonOut,
  renewalBacktestStatus,
  renewalForecast,
  setClvSettings,
} from "@tenure/services";
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

/** A group's retention model: its own sBG fit, the pooled fit, or its observed monthly churn. */
export const RetentionFitSchema = z
  .object({
    group: z.string().openapi({ description: '"all", or the tier or channel the model covers' }),
    method: z.enum(["sbg", "pooled_sbg", "observed_retention"]).openapi({
      description:
        "sbg: the group's own sBG fit; pooled_sbg: the all-accounts fit (the group's own hit a bound); observed_retention: the group's observed monthly churn",
    }),
    fallbackReason: z
      .string()
      .nullable()
      .openapi({ description: "Why the group's own sBG fit was not used" }),
    alpha: z.number().nullable(),
    beta: z.number().nullable(),
    monthlyChurn: z.number().openapi({ description: "Monthly churn of a new customer under the model used" }),
    customers: z.number().int(),
    cohorts: z.number().int(),
    del: z.number().openapi({ description: "Discounted expected lifetime of a new customer, in months" }),
    warnings: z.array(z.string()),
  })
  .openapi("RetentionFit");

/** The gross margin and discount rate every CLV is computed with. */
export const ClvSettingsSchema = z
  .object({
    grossMargin: z.number().openapi({ description: "Gross margin in (0, 1]" }),
    annualDiscountRate: z.number().openapi({ description: "Annual discount rate in (0, 1]" }),
    source: z.enum(["workspace", "default"]).openapi({
      description: "workspace: set in the app; default: TENURE_GROSS_MARGIN and a 10% discount rate",
    }),
    revenueLtv: z.boolean().openapi({ description: "True at a 100% margin: the values are revenue LTV" }),
    updatedAt: z.string().nullable(),
  })
  .openapi("ClvSettings");

/** A churn reason as a fact (i18n key + parameters, English text), as on /api/accounts/{id}/predictions. */
const ReasonSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  text: z.string(),
  effect: z.enum(["raises", "lowers"]),
  feature: z.string(),
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
    clvSettings: ClvSettingsSchema,
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
    arrTotal: z.number().openapi({ description: "ARR of the paying accounts valued, beside clvTotal" }),
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
        historicalRate: z
          .number()
          .nullable()
          .openapi({ description: "The segment's past renewal rate (shrunk toward the portfolio's)" }),
        relativeRisk: z
          .number()
          .nullable()
          .openapi({ description: "The account's churn hazard relative to its segment's scored book" }),
        modelWeight: z.number().openapi({
          description: "Weight of the account's own evidence, e^(−days to renewal / decayDays)",
        }),
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
        arrDue: z
          .number()
          .optional()
          .openapi({ description: "ARR that came due (12 × MRR of the month before each renewal)" }),
        arrRenewed: z.number().optional().openapi({ description: "The part of arrDue that renewed" }),
        calibratedRate: z.number().nullable(),
      }),
    ),
    overallRenewalRate: z.number().nullable(),
    decayDays: z.number(),
    riskExponent: z
      .object({ riskExponent: z.number(), renewals: z.number().int(), quarters: z.array(z.string()) })
      .openapi({
        description:
          "γ, how far the churn score separates renewals, fitted on the renewals of the quarters named (0: history alone)",
      }),
    historyExpectedArr: z
      .number()
      .nullable()
      .openapi({ description: "Σ ARR × the segment's history rate over the same renewals" }),
  })
  .openapi("RenewalForecast");

const BacktestSummaryShape = {
  renewals: z.number().int(),
  arr: z.number(),
  expectedArr: z.number(),
  renewedArr: z.number(),
  error: z.number().openapi({ description: "expectedArr − renewedArr (positive: too optimistic)" }),
  relativeError: z.number().nullable(),
  historyExpectedArr: z.number().nullable(),
  historyError: z.number().nullable(),
  brier: z.number().nullable(),
  historyBrier: z.number().nullable(),
};

const RenewalBacktestSchema = z
  .object({
    status: z.literal("ready"),
    asOf: z.string(),
    currency: z.string(),
    modelId: z.string().openapi({ description: "The churn model trained with it" }),
    computedAt: z.string(),
    quarters: z.array(
      z.object({
        quarter: z.string(),
        forecastAsOf: z.string(),
        from: z.string(),
        to: z.string(),
        churnModel: z.object({ model: z.string(), auc: z.number() }).nullable(),
        riskExponent: z.number().openapi({ description: "γ fitted on the renewals of the quarters before" }),
        ...BacktestSummaryShape,
      }),
    ),
    total: z.object(BacktestSummaryShape),
    calibration: z.array(
      z.object({
        from: z.number(),
        to: z.number(),
        renewals: z.number().int(),
        arr: z.number(),
        forecast: z.number(),
        observed: z.number(),
      }),
    ),
  })
  .openapi("RenewalBacktest");

const CommandSchema = z.string().openapi({
  description: "The command that computes and stores it outside the server",
  example: "tenure predict train --target churn",
});

/** The renewal backtest's state: the stored result, being computed, or never computed. */
const RenewalBacktestStateSchema = z
  .discriminatedUnion("status", [
    RenewalBacktestSchema,
    z.object({ status: z.literal("pending"), command: CommandSchema }).openapi("RenewalBacktestPending", {
      description: "Being computed in the background since a churn model was trained; poll again",
    }),
    z.object({ status: z.literal("none"), command: CommandSchema }).openapi("RenewalBacktestNone", {
      description: "Never computed: train the churn model (web app or the command)",
    }),
  ])
  .openapi("RenewalBacktestState");

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
          discountRate: z.coerce.number().min(0.01).max(1).optional().openapi({
            description: "Annual discount rate of CLV (default: the workspace's CLV setting)",
          }),
        }),
      },
      responses: { 200: json(PortfolioSchema, "The portfolio's model figures"), ...errors },
    }),
    async (c) => {
      const { top, minMultiple, discountRate } = c.req.valid("query");
      const ws = c.get("workspaceId");
      const settings = await clvSettings(storage, ws, { grossMargin: deps.grossMargin });
      const p = await portfolioPredictions(storage, ws, {
        principal: c.get("principal"),
        ...base(),
        grossMargin: settings.grossMargin,
        top,
        minMultiple,
        annualDiscountRate: discountRate ?? settings.annualDiscountRate,
      });
      const largest = p.arrAtRisk.largest.map((r) => ({
        ...r,
        reasons: r.reasons.map((x) => ({
          ...reasonOut(x),
          feature: x.feature,
          contribution: x.contribution,
        })),
      }));
      return c.json({ ...p, clvSettings: settings, arrAtRisk: { ...p.arrAtRisk, largest } }, 200);
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
        principal: c.get("principal"),
      });
      return c.json(f, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/predictions/renewals/backtest",
      tags: ["predictions"],
      summary:
        "Renewal forecast backtest: each of the last four completed quarters forecast as of its start, against the ARR that renewed",
      description:
        "Computed when the churn model is trained (`tenure predict train --target churn`, or in the background after `POST /api/predictions/train` with target churn) and stored with it; this route only reads it, answering `pending` while it is computed and `none` before it ever was.",
      security: sec,
      responses: {
        200: json(
          RenewalBacktestStateSchema,
          "ready: the stored errors per quarter and calibration bins; pending: being computed; none: never computed",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await renewalBacktestStatus(storage, c.get("workspaceId")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/settings/clv",
      tags: ["predictions"],
      summary: "The gross margin and discount rate of every CLV",
      security: sec,
      responses: { 200: json(ClvSettingsSchema, "The settings in use"), ...errors },
    }),
    async (c) =>
      c.json(await clvSettings(storage, c.get("workspaceId"), { grossMargin: deps.grossMargin }), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/settings/clv",
      tags: ["predictions"],
      summary: "Sets the workspace's gross margin and discount rate of CLV",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                grossMargin: z.number().gt(0).max(1).openapi({ description: "0.8 = 80%" }),
                annualDiscountRate: z.number().min(0.01).max(1).openapi({ description: "0.1 = 10% a year" }),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(ClvSettingsSchema, "The settings as stored"), ...errors },
    }),
    async (c) => c.json(await setClvSettings(storage, c.get("workspaceId"), c.req.valid("json")), 200),
  );

  return app;
}
