import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { EFFECT_REASON_CODES } from "@tenure/core";
import { csRoi, effectReport } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { errors, type RouteDeps, sec } from "./route-kit";

const LocalizedTextSchema = z
  .object({ en: z.string().optional(), "zh-CN": z.string().optional() })
  .openapi("LocalizedText");

const nullableNumber = (description: string) => z.number().nullable().openapi({ description });

const EffectRowSchema = z
  .object({
    key: z.string(),
    version: z.number().int(),
    name: LocalizedTextSchema,
    metric: z
      .object({ kind: z.string(), feature: z.string().optional() })
      .openapi({ description: "The metric the playbook should move (its feature for feature_weekly_use)" }),
    goal: z.enum(["increase", "decrease"]),
    windowDays: z.number().int(),
    runs: z.number().int().openapi({ description: "Treated runs started (hold-outs not counted)" }),
    effect: nullableNumber("mean(adjusted, treated) − mean(adjusted, control), CUPED on the start value"),
    ciLow: nullableNumber("95% Welch interval, low end"),
    ciHigh: nullableNumber("95% Welch interval, high end"),
    pValue: nullableNumber("Two-sided Welch p-value"),
    relativeEffect: nullableNumber("effect / mean end value of the control group"),
    theta: nullableNumber("CUPED coefficient"),
    nTreated: z.number().int().openapi({ description: "Treated runs measured at the end of their window" }),
    nControl: z.number().int(),
    control: z.enum(["holdout", "matched"]),
    matched: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Matched control accounts (control = matched); null with a hold-out" }),
    matchedRuns: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Treated runs that found a matched control; null with a hold-out" }),
    reason: z
      .string()
      .nullable()
      .openapi({ description: "Why there is no estimate (thin data), in English; null when there is one" }),
    reasonCode: z.enum(EFFECT_REASON_CODES).nullable().openapi({
      description:
        "The reason as a code: few_treated, few_holdout, few_matched (fewer than 2 measured), no_variance, no_signal_type (no hold-out and nothing to match controls by)",
    }),
    succeeded: z.number().int(),
    completed: z.number().int(),
    controlMean: nullableNumber("Mean end value of the control group (the base of relativeEffect)"),
  })
  .openapi("PlaybookEffect");

const SuccessSchema = z
  .object({
    key: z.string(),
    name: LocalizedTextSchema,
    runs: z.number().int(),
    measured: z.number().int(),
    succeeded: z.number().int(),
    successRate: nullableNumber("succeeded / measured; null before any run is measured"),
    completed: z.number().int(),
  })
  .openapi("PlaybookSuccess");

const EffectReportSchema = z
  .object({ playbooks: z.array(EffectRowSchema), success: z.array(SuccessSchema) })
  .openapi("EffectReport");

const RoiLineSchema = z
  .object({
    id: z.string().nullable().openapi({ description: "Member or team id; null: accounts without one" }),
    name: z.string(),
    accounts: z.number().int().openapi({ description: "Accounts owned now" }),
    arrSaved: z.number().openapi({ description: "At-risk ARR kept by save campaigns" }),
    arrExpanded: z.number().openapi({ description: "ARR added by renewals recorded as expanded" }),
    cost: z.number().openapi({ description: "Save-campaign cost split evenly over the accounts worked" }),
    roi: nullableNumber("(arrSaved + arrExpanded) / cost; null when nothing was spent"),
  })
  .openapi("RoiLine");

const CsRoiSchema = z
  .object({ teams: z.array(RoiLineSchema), members: z.array(RoiLineSchema) })
  .openapi("CsRoi");

/** GET /effects/report: did the playbooks work; GET /effects/roi: CS ROI (issue 15 §10; docs/effects.md). */
export function effectRoutes(deps: Pick<RouteDeps, "storage" | "reportingCurrency">) {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  app.openapi(
    createRoute({
      method: "get",
      path: "/effects/report",
      tags: ["effects"],
      summary: "Each playbook version's effect against a hold-out or matched control, and success rates",
      description:
        "CUPED-adjusted difference of the playbook's metric between treated runs and controls with a 95% Welch interval; " +
        "the control is the hold-out its automations recorded (2+ measured), else accounts matched on segment, " +
        "score band and ARR band that raised one of its signal types the same week without it. See docs/effects.md.",
      security: sec,
      responses: { 200: json(EffectReportSchema, "The effect report"), ...errors },
    }),
    async (c) =>
      c.json(
        await effectReport(deps.storage, c.get("workspaceId"), { reportingCurrency: deps.reportingCurrency }),
        200,
      ),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/effects/roi",
      tags: ["effects"],
      summary: "CS ROI per team and CSM: ARR saved and expanded against save-campaign cost",
      security: sec,
      responses: { 200: json(CsRoiSchema, "CS ROI"), ...errors },
    }),
    async (c) => c.json(await csRoi(deps.storage, c.get("workspaceId")), 200),
  );
  return app;
}
