import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type ReasonFact, TenureError } from "@tenure/core";
import {
  accountChurnedFacts,
  accountClvOf,
  accountPredictions,
  clvSettings,
  latestBacktest,
  latestPredictions,
  type RenewalBacktestRunner,
  readableBook,
  reasonOut,
  trainAndBacktest,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import { ClvSettingsSchema, RetentionFitSchema } from "./portfolio";

export interface PredictionRouteDeps {
  storage: Storage;
  reportingCurrency: string;
  /** Gross margin of CLV (config.grossMargin; default 1). */
  grossMargin?: number;
  today: () => string;
  /** Computes the renewal backtest in the background after a churn model is trained here. */
  renewalBacktests?: RenewalBacktestRunner;
}

const errors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No or unknown API key"),
} as const;
const notFound = { 404: json(ErrorSchema, "Not found") } as const;
const sec = [{ apiKey: [] }];

const TargetSchema = z.enum(["churn", "expansion"]).openapi({ description: "What the model predicts" });

const ReasonSchema = z
  .object({
    key: z.string().openapi({
      description: "The fact, as the i18n key predictions.reason.<key> (e.g. noActivity)",
      example: "noActivity",
    }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .openapi({ description: "The fact's figures and values", example: { days: 41 } }),
    text: z.string().openapi({ description: "The fact in English", example: "no activity for 41 days" }),
    effect: z.enum(["raises", "lowers"]),
    feature: z.string().openapi({ description: "The model column behind the fact" }),
    contribution: z
      .number()
      .openapi({ description: "Push on the log-odds; positive raises the probability" }),
  })
  .openapi("PredictionReason");

const ChurnedSchema = z
  .object({
    churnedAt: z.string(),
    reason: z.string().nullable(),
    lastMrr: z.number(),
  })
  .openapi("ChurnedFacts");

const PredictionSchema = z
  .object({
    probability: z.number(),
    reasons: z.array(ReasonSchema),
    modelId: z.string(),
    createdAt: z.string(),
  })
  .openapi("Prediction");

const AccountClvSchema = z
  .object({
    clv: z
      .object({
        mrr: z.number(),
        arr: z.number(),
        tenureMonths: z.number().int(),
        derl: z.number().openapi({ description: "Discounted expected residual lifetime, months" }),
        clv: z.number().openapi({ description: "margin × MRR × DERL" }),
        tier: z.string(),
        churnProbability: z.number().nullable().openapi({
          description: "The churn model's probability the DERL was raised by (null: not scored)",
        }),
        monthlyChurn: z.number().nullable().openapi({
          description:
            "That probability as a monthly churn: it leads the DERL's first months, fading into the tier's curve",
        }),
        model: RetentionFitSchema,
      })
      .nullable(),
    reason: z.string().nullable().openapi({ description: "Why there is no CLV, when there is none" }),
    margin: z.number(),
    annualDiscountRate: z.number(),
    settings: ClvSettingsSchema,
  })
  .openapi("AccountClv");

const CalibrationSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  count: z.number().int(),
  meanPredicted: z.number().nullable(),
  observedRate: z.number().nullable(),
});

const MetricsSchema = z.object({ auc: z.number(), prAuc: z.number(), liftTopDecile: z.number() });

const BacktestSchema = z
  .object({
    target: TargetSchema,
    trainedAt: z.string(),
    asOf: z.string(),
    modelId: z.string(),
    model: z
      .string()
      .openapi({ description: "logistic, gbt or blend (chosen by CV in the training period)" }),
    horizonDays: z.number().int(),
    trainUntil: z.string(),
    testFrom: z.string(),
    trainRows: z.number().int(),
    testRows: z.number().int(),
    testPositiveRate: z.number(),
    metrics: MetricsSchema,
    models: z.object({ logistic: MetricsSchema, gbt: MetricsSchema }),
    roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
    calibration: z.array(CalibrationSchema),
    lift: z.array(z.object({ share: z.number(), lift: z.number() })),
    topFeatures: z.array(z.object({ feature: z.string(), importance: z.number() })),
  })
  .openapi("PredictionBacktest");

type Backtest = z.infer<typeof BacktestSchema>;

// JSON has no NaN: a metric that cannot be computed is reported as 0.
const finite = (v: number) => (Number.isFinite(v) ? v : 0);
const metrics = (m: { auc: number; prAuc: number; liftTopDecile: number }) => ({
  auc: finite(m.auc),
  prAuc: finite(m.prAuc),
  liftTopDecile: finite(m.liftTopDecile),
});

const reasonsOut = (rs: readonly ReasonFact[]) =>
  rs.map((r) => ({ ...reasonOut(r), feature: r.feature, contribution: r.contribution }));

/** Churn and expansion predictions: backtest report, training, per-account and top-account lists. */
export function predictionRoutes(deps: PredictionRouteDeps) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  const backtestBody = async (ws: string, target: "churn" | "expansion"): Promise<Backtest | null> => {
    const stored = await latestBacktest(storage, ws, target);
    if (stored === null) return null;
    const b = stored.backtest;
    return {
      target,
      trainedAt: stored.trainedAt,
      asOf: b.asOf,
      modelId: stored.modelId,
      model: stored.model,
      horizonDays: b.horizonDays,
      trainUntil: b.trainUntil,
      testFrom: b.testFrom,
      trainRows: b.trainRows,
      testRows: b.testRows,
      testPositiveRate: b.testPositiveRate,
      metrics: metrics(b.metrics.chosen),
      models: { logistic: metrics(b.metrics.logistic), gbt: metrics(b.metrics.gbt) },
      roc: b.roc,
      calibration: b.calibration,
      lift: b.lift.map((l) => ({ share: l.share, lift: finite(l.lift) })),
      topFeatures: b.topFeatures,
    };
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/predictions/backtest",
      tags: ["predictions"],
      summary: "The latest time-based backtest of a target's model (ROC, calibration, lift)",
      security: sec,
      request: { query: z.object({ target: TargetSchema.default("churn") }) },
      responses: { 200: json(BacktestSchema, "The backtest"), ...errors, ...notFound },
    }),
    async (c) => {
      const { target } = c.req.valid("query");
      const body = await backtestBody(c.get("workspaceId"), target);
      if (body === null)
        throw new TenureError("not_found", `No ${target} model yet: POST /api/predictions/train first`);
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/predictions/train",
      tags: ["predictions"],
      summary: "Trains, backtests and scores every paying account (admin keys only)",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                target: TargetSchema,
                horizonDays: z.number().int().min(1).max(730).optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: json(
          z.object({
            backtest: BacktestSchema,
            scored: z.number().int(),
            rows: z.number().int(),
            renewalBacktest: z.enum(["started", "already_running", "not_applicable"]).openapi({
              description:
                "Churn only: the renewal backtest is now computed in the background (GET /api/predictions/renewals/backtest answers pending until it is stored), or already was being computed",
            }),
          }),
          "The new model's backtest",
        ),
        ...errors,
        403: json(ErrorSchema, "Not an admin key"),
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { target, horizonDays } = c.req.valid("json");
      const r = await trainAndBacktest(storage, ws, {
        asOf: deps.today(),
        target,
        horizonDays,
        reportingCurrency: deps.reportingCurrency,
      }).catch((error: unknown) => {
        // The data cannot train this target over this horizon (e.g. no churn in it): say which input.
        if (
          error instanceof TenureError &&
          error.code === "validation" &&
          !/^[\w.[\]]+: /.test(error.message)
        )
          throw new TenureError(
            "validation",
            `target: ${target} over ${horizonDays ?? "the default"} days: ${error.message}`,
          );
        throw error;
      });
      const body = await backtestBody(ws, target);
      if (body === null) throw new TenureError("internal", "the trained model was not stored");
      // The renewal backtest retrains the churn model per replayed quarter: never inside this request.
      const renewalBacktest =
        target !== "churn" || deps.renewalBacktests === undefined
          ? "not_applicable"
          : (await deps.renewalBacktests.start(ws, r.modelId, deps.today()))
            ? "started"
            : "already_running";
      return c.json({ backtest: body, scored: r.scored, rows: r.datasetRows, renewalBacktest } as const, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/predictions",
      tags: ["predictions"],
      summary: "Accounts with the highest predicted probability of a target",
      security: sec,
      request: {
        query: z.object({
          target: TargetSchema.default("churn"),
          limit: z.coerce.number().int().min(1).max(10_000).default(50),
        }),
      },
      responses: {
        200: json(
          z.object({
            target: TargetSchema,
            accounts: z.array(
              PredictionSchema.extend({ accountId: z.string(), name: z.string().nullable() }),
            ),
          }),
          "Top accounts",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { target, limit } = c.req.valid("query");
      // A CSM limited to its book gets its accounts' predictions, the limit applied after the filter.
      const book = await readableBook(storage, c.get("principal"));
      const [rows, names] = await Promise.all([
        latestPredictions(storage, ws, target, limit, book?.ownerId),
        storage.accounts.names(ws),
      ]);
      return c.json(
        {
          target,
          accounts: rows.map((r) => ({
            accountId: r.accountId,
            name: names.get(r.accountId) ?? null,
            probability: r.probability,
            reasons: reasonsOut(r.reasons),
            modelId: r.modelId,
            createdAt: r.createdAt,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts/{id}/predictions",
      tags: ["predictions"],
      summary: "An account's churn and expansion probabilities with their top reasons",
      security: sec,
      request: { params: z.object({ id: z.string().min(1) }) },
      responses: {
        200: json(
          z.object({
            churn: PredictionSchema.nullable(),
            expansion: PredictionSchema.nullable(),
            churned: ChurnedSchema.nullable().openapi({
              description:
                "Churn date, reason and last MRR when the account no longer pays (it is not scored)",
            }),
            clv: AccountClvSchema,
          }),
          "The predictions (null when no model scored the account or it no longer pays) and the sBG CLV",
        ),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const { id } = c.req.valid("param");
      if ((await storage.accounts.get(ws, id)) === null)
        throw new TenureError("not_found", `Account ${id} not found`);
      const settings = await clvSettings(storage, ws, { grossMargin: deps.grossMargin ?? 1 });
      const [p, churned, value] = await Promise.all([
        accountPredictions(storage, ws, id),
        accountChurnedFacts(storage, ws, id, {
          asOf: deps.today(),
          reportingCurrency: deps.reportingCurrency,
        }),
        accountClvOf(storage, ws, id, {
          asOf: deps.today(),
          reportingCurrency: deps.reportingCurrency,
          grossMargin: settings.grossMargin,
          annualDiscountRate: settings.annualDiscountRate,
        }),
      ]);
      const strip = (x: (typeof p)["churn"]) =>
        x === null
          ? null
          : {
              probability: x.probability,
              reasons: reasonsOut(x.reasons),
              modelId: x.modelId,
              createdAt: x.createdAt,
            };
      const v = value.clv;
      const clv = {
        clv:
          v === null
            ? null
            : {
                mrr: v.mrr,
                arr: v.arr,
                tenureMonths: v.tenureMonths,
                derl: v.derl,
                clv: v.clv,
                tier: v.tier,
                churnProbability: v.churnProbability,
                monthlyChurn: v.monthlyChurn,
                model: v.model,
              },
        reason: value.reason,
        margin: value.margin,
        annualDiscountRate: value.annualDiscountRate,
        settings,
      };
      // A churned account is not scored: a stored prediction from before it left is stale.
      return c.json(
        {
          churn: churned ? null : strip(p.churn),
          expansion: churned ? null : strip(p.expansion),
          churned,
          clv,
        },
        200,
      );
    },
  );

  return app;
}
