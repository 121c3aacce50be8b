import { z } from "@hono/zod-openapi";
import { isoMonth } from "./input";

/** zod schemas of the HTTP API; the OpenAPI document is generated from them. */

/** An OpenAPI JSON response (or request body) of `schema`, for `createRoute`. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        "validation",
        "not_found",
        "conflict",
        "unauthorized",
        "forbidden",
        "rate_limited",
        "internal",
      ]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

const month = isoMonth();
const nullableNumber = z.number().nullable();

export const RevenueQuerySchema = z.object({
  from: month
    .optional()
    .openapi({ description: "First month (YYYY-MM); default: the first month with data" }),
  to: month.optional().openapi({ description: "Last month (YYYY-MM); default: the last month with data" }),
  segment: z
    .string()
    .regex(/^[^=]+=.*$/, "must be attr=value, e.g. tier=enterprise")
    .optional()
    .openapi({
      description: "Only accounts with this attribute value, e.g. tier=enterprise, plan=pro_monthly",
    }),
});

export const MrrMonthSchema = z.object({
  month: z.string(),
  mrr: z.number(),
  customers: z.number().int(),
  new: z.number(),
  expansion: z.number(),
  contraction: z.number(),
  churn: z.number(),
  reactivation: z.number(),
});

export const MrrReportSchema = z
  .object({ currency: z.string(), months: z.array(MrrMonthSchema) })
  .openapi("MrrReport");

export const MonthMetricsSchema = z
  .object({
    month: z.string(),
    mrr: z.number(),
    arr: z.number(),
    customers: z.number().int(),
    new: z.number(),
    expansion: z.number(),
    contraction: z.number(),
    churn: z.number(),
    reactivation: z.number(),
    netMovement: z.number(),
    newCustomers: z.number().int(),
    expansionCustomers: z.number().int(),
    contractionCustomers: z.number().int(),
    churnedCustomers: z.number().int(),
    reactivatedCustomers: z.number().int(),
    arpa: nullableNumber,
    logoChurnRate: nullableNumber,
    grossMrrChurnRate: nullableNumber,
    netMrrChurnRate: nullableNumber,
    ndr: nullableNumber,
    grr: nullableNumber,
    quickRatio: nullableNumber,
  })
  .openapi("MonthMetrics");

export const MetricsReportSchema = z
  .object({
    currency: z.string(),
    monthToDate: z.string().nullable().openapi({
      description: "The running month (YYYY-MM): its figures are month to date; null without a clock",
    }),
    months: z.array(MonthMetricsSchema),
  })
  .openapi("MetricsReport");

const MovementKindSchema = z.enum(["new", "expansion", "contraction", "churn", "reactivation"]);

export const MovementsQuerySchema = RevenueQuerySchema.extend({
  month: month.optional().openapi({ description: "Only this month" }),
  kind: MovementKindSchema.optional(),
});

export const MovementsReportSchema = z
  .object({
    currency: z.string(),
    month: z.string().nullable(),
    kind: MovementKindSchema.nullable(),
    movements: z.array(
      z.object({
        month: z.string(),
        accountId: z.string(),
        accountName: z.string(),
        kind: MovementKindSchema,
        amount: z.number(),
        mrrBefore: z.number(),
        mrrAfter: z.number(),
      }),
    ),
  })
  .openapi("MovementsReport");

export const KpisSchema = z
  .object({
    currency: z.string(),
    month: z
      .string()
      .openapi({ description: "The month shown: the last complete month unless `to` is given" }),
    previousMonth: z.string(),
    monthToDate: z.string().nullable().openapi({
      description: "The running month (YYYY-MM): its figures are month to date; null without a clock",
    }),
    partial: z.boolean().openapi({ description: "True when the month shown is the running month" }),
    tiles: z.array(
      z.object({
        key: z.enum(["mrr", "arr", "ndr", "grr", "logoChurnRate", "arpa", "ltvToCac", "paybackMonths"]),
        value: nullableNumber,
        previous: nullableNumber,
        change: nullableNumber,
        format: z.enum(["currency", "percent", "ratio", "months"]),
      }),
    ),
  })
  .openapi("Kpis");

export const CohortsSchema = z
  .object({
    currency: z.string(),
    monthToDate: z.string().nullable().openapi({
      description: "The running month (YYYY-MM): cells in it are month to date; null without a clock",
    }),
    maxAge: z.number().int(),
    cohorts: z.array(
      z.object({
        cohort: z.string(),
        size: z.number().int(),
        startMrr: z.number(),
        logo: z.array(nullableNumber),
        revenue: z.array(nullableNumber),
      }),
    ),
  })
  .openapi("Cohorts");

const ChannelEconomicsSchema = z.object({
  channel: z.string(),
  spend: z.number(),
  newCustomers: z.number().int(),
  cac: nullableNumber,
  arpaNew: nullableNumber,
  logoChurnRate: nullableNumber,
  ltv: nullableNumber,
  ltvToCac: nullableNumber,
  paybackMonths: nullableNumber,
});

export const UnitEconomicsSchema = z
  .object({
    currency: z.string(),
    from: z.string(),
    to: z.string(),
    grossMargin: z.number(),
    arpa: nullableNumber,
    logoChurnRate: nullableNumber,
    ltv: nullableNumber,
    overall: ChannelEconomicsSchema,
    channels: z.array(ChannelEconomicsSchema),
  })
  .openapi("UnitEconomics");

export const BundlesSchema = z
  .object({
    currency: z.string(),
    bundles: z.array(
      z.object({
        bundle: z.string(),
        products: z.array(z.string()),
        accounts: z.number().int(),
        activeAccounts: z.number().int(),
        retention12: nullableNumber,
        avgLifetimeMonths: z.number(),
        arpa: nullableNumber,
        logoChurnRate: nullableNumber,
        ltv: nullableNumber,
        ltvMultiple: nullableNumber,
      }),
    ),
  })
  .openapi("Bundles");

export const WhatIfQuerySchema = z.object({
  segment: RevenueQuerySchema.shape.segment,
  to: RevenueQuerySchema.shape.to,
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(120)
    .optional()
    .openapi({ description: "Horizon in months (default 24)" }),
  rates: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?)*$/, "must be comma-separated fractions, e.g. 0,0.03,-0.03")
    .refine(
      (v) => v.split(",").every((r) => Math.abs(Number(r)) <= 1),
      "each rate must be a monthly fraction between -1 and 1",
    )
    .optional()
    .openapi({ description: "Monthly net growth rates as fractions (default 0,0.03,-0.03,-0.05)" }),
});

export const WhatIfSchema = z
  .object({
    currency: z.string(),
    startMonth: z.string(),
    startMrr: z.number(),
    scenarios: z.array(
      z.object({ rate: z.number(), points: z.array(z.object({ month: z.string(), mrr: z.number() })) }),
    ),
  })
  .openapi("WhatIf");

export const SegmentsSchema = z
  .object({
    attributes: z.array(
      z.object({
        attribute: z.string(),
        values: z.array(z.string()),
        labels: z
          .record(z.string(), z.string())
          .optional()
          .openapi({ description: "Display names of values that have one (plan and product names)" }),
      }),
    ),
  })
  .openapi("Segments");

export const ImportKindSchema = z.enum([
  "accounts",
  "contacts",
  "products",
  "plans",
  "subscriptions",
  "spend",
  "exchange-rates",
  "entitlements",
  "team",
]);

const ImportIssueSchema = z
  .object({
    file: z.string(),
    row: z.number().int(),
    column: z.string().nullable(),
    value: z.string().nullable(),
    reason: z.string(),
  })
  .openapi("ImportIssue");

export const ImportSummarySchema = z
  .object({
    kind: z.string(),
    file: z.string(),
    format: z.string(),
    rowsRead: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    createdAccounts: z.array(z.string()),
    errors: z.array(ImportIssueSchema),
    warnings: z.array(ImportIssueSchema).openapi({
      description: "Rows written but worth a look, e.g. an exchange rate far from the previous one",
    }),
    written: z.boolean(),
  })
  .openapi("ImportSummary");

export const AccountSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    crmId: z.string().nullable(),
    billingId: z.string().nullable(),
    tier: z.string().nullable(),
    segment: z.string().nullable(),
    industry: z.string().nullable(),
    region: z.string().nullable(),
    owner: z.string().nullable(),
    lifecycleStage: z.string().nullable(),
    channel: z.string().nullable(),
    utmSource: z.string().nullable(),
    utmMedium: z.string().nullable(),
    utmCampaign: z.string().nullable(),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .openapi("Account");
