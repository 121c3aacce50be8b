import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { GOAL_METRICS, type Principal } from "@tenure/core";
import {
  accountSuccessPlans,
  createSuccessPlan,
  deleteSuccessPlan,
  listPlanTemplates,
  onboardingProgress,
  setMilestoneDone,
  TTFV_GROUPINGS,
  timeToFirstValueBy,
  updateSuccessGoal,
  updateSuccessPlan,
} from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { calendarDate, errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const isoDate = calendarDate;
const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);
const LOCALES = ["en", "zh-CN"] as const;
const GOAL_METRIC = z.enum(GOAL_METRICS);

const GoalSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    title: z.string(),
    metric: z
      .string()
      .nullable()
      .openapi({ description: "active_users, health_score, mrr, nps; null: kept by hand" }),
    startValue: z.number().nullable(),
    targetValue: z.number().nullable(),
    manualValue: z.number().nullable(),
    currentValue: z
      .number()
      .nullable()
      .openapi({ description: "Read from Tenure's data now (or the hand-kept value)" }),
    progress: z.number().nullable().openapi({ description: "0 at the start value, 1 at the target" }),
    dueOn: z.string().nullable(),
  })
  .openapi("SuccessPlanGoal");

const MilestoneSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    title: z.string(),
    dueOn: z.string().nullable(),
    doneAt: z.string().nullable(),
    doneBy: z.string().nullable(),
    valueMilestone: z.boolean(),
  })
  .openapi("SuccessPlanMilestone");

const ProgressSchema = z.object({ done: z.number().int(), total: z.number().int(), share: z.number() });

export const SuccessPlanSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    kind: z.enum(["success", "onboarding"]),
    templateKey: z.string().nullable(),
    title: z.string(),
    status: z.enum(["active", "achieved", "abandoned"]),
    startedOn: z.string(),
    challenges: z.array(z.string()),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    goals: z.array(GoalSchema),
    milestones: z.array(MilestoneSchema),
    progress: ProgressSchema,
    timeToFirstValueDays: z.number().nullable(),
  })
  .openapi("SuccessPlan");

const TemplateSchema = z
  .object({
    key: z.string(),
    kind: z.enum(["success", "onboarding"]),
    title: z.string(),
    description: z.string(),
    goals: z.array(z.object({ title: z.string(), metric: z.string().nullable(), dueDays: z.number() })),
    milestones: z.array(z.object({ title: z.string(), dueDays: z.number(), valueMilestone: z.boolean() })),
    challenges: z.array(z.string()),
  })
  .openapi("SuccessPlanTemplate");

const NewPlanSchema = z
  .object({
    templateKey: z.string().min(1).max(100).optional(),
    kind: z.enum(["success", "onboarding"]).optional(),
    title: text(200).optional(),
    startedOn: isoDate.optional(),
    locale: z.enum(LOCALES).optional(),
    goals: z
      .array(
        z.object({
          title: text(200),
          metric: GOAL_METRIC.nullable().optional(),
          targetValue: z.number().finite().nullable().optional(),
          dueOn: isoDate.nullable().optional(),
        }),
      )
      .max(20)
      .optional(),
    milestones: z
      .array(
        z.object({
          title: text(200),
          dueOn: isoDate.nullable().optional(),
          valueMilestone: z.boolean().optional(),
        }),
      )
      .max(50)
      .optional(),
    challenges: z.array(text(500)).max(20).optional(),
  })
  .openapi("NewSuccessPlan");

const PlanPatchSchema = z.object({
  title: text(200).optional(),
  status: z.enum(["active", "achieved", "abandoned"]).optional(),
  challenges: z.array(text(500)).max(20).optional(),
});

const GoalPatchSchema = z.object({
  title: text(200).optional(),
  targetValue: z.number().finite().nullable().optional(),
  manualValue: z.number().finite().nullable().optional(),
  dueOn: isoDate.nullable().optional(),
});

const localeQuery = z.object({ locale: z.enum(LOCALES).optional() });
const planGoalParams = z.object({ id: z.string().min(1), goalId: z.string().min(1) });
const planMilestoneParams = z.object({ id: z.string().min(1), milestoneId: z.string().min(1) });
const body = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const planResponse = { 200: json(SuccessPlanSchema, "The plan"), ...errors, ...notFound };

/** Success plans (GPCT), onboarding checklists and time to first value. */
export function successPlanRoutes(deps: Pick<RouteDeps, "storage" | "reportingCurrency" | "today">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  // Template text is answered in the reader's language (`locale`, default en).
  const ctx = (locale?: (typeof LOCALES)[number], principal?: Principal) => ({
    asOf: deps.today(),
    reportingCurrency: deps.reportingCurrency,
    locale,
    principal,
  });
  const tags = ["success plans"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/success-plans/templates",
      tags,
      summary: "The built-in success-plan and onboarding templates",
      security: sec,
      request: { query: z.object({ locale: z.enum(LOCALES).optional() }) },
      responses: { 200: json(z.object({ templates: z.array(TemplateSchema) }), "Templates"), ...errors },
    }),
    (c) => c.json({ templates: listPlanTemplates(c.req.valid("query").locale ?? "en") }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts/{id}/success-plans",
      tags,
      summary: "An account's success plans and onboarding checklists, newest first",
      security: sec,
      request: { params: idParam, query: localeQuery },
      responses: {
        200: json(z.object({ plans: z.array(SuccessPlanSchema) }), "Plans"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) =>
      c.json(
        {
          plans: await accountSuccessPlans(
            storage,
            c.get("workspaceId"),
            c.req.valid("param").id,
            ctx(c.req.valid("query").locale),
          ),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/accounts/{id}/success-plans",
      tags,
      summary: "Start a success plan or onboarding checklist, from a template or written out",
      security: sec,
      request: { params: idParam, ...body(NewPlanSchema) },
      responses: { 201: json(SuccessPlanSchema, "The new plan"), ...errors, ...notFound },
    }),
    async (c) => {
      const plan = await createSuccessPlan(
        storage,
        c.get("workspaceId"),
        c.req.valid("param").id,
        c.req.valid("json"),
        ctx(c.req.valid("json").locale, c.get("principal")),
      );
      return c.json(plan, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/success-plans/{id}",
      tags,
      summary: "Change a plan's title, status or challenges",
      security: sec,
      request: { params: idParam, query: localeQuery, ...body(PlanPatchSchema) },
      responses: planResponse,
    }),
    async (c) =>
      c.json(
        await updateSuccessPlan(
          storage,
          c.get("workspaceId"),
          c.req.valid("param").id,
          c.req.valid("json"),
          ctx(c.req.valid("query").locale, c.get("principal")),
        ),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/success-plans/{id}",
      tags,
      summary: "Delete a plan with its goals and milestones",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteSuccessPlan(storage, c.get("workspaceId"), c.req.valid("param").id, c.get("principal"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/success-plans/{id}/goals/{goalId}",
      tags,
      summary: "Change a goal's target, due date, or the hand-kept value of a goal without a metric",
      security: sec,
      request: { params: planGoalParams, query: localeQuery, ...body(GoalPatchSchema) },
      responses: planResponse,
    }),
    async (c) => {
      const { id, goalId } = c.req.valid("param");
      return c.json(
        await updateSuccessGoal(
          storage,
          c.get("workspaceId"),
          id,
          goalId,
          c.req.valid("json"),
          ctx(c.req.valid("query").locale, c.get("principal")),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/success-plans/{id}/milestones/{milestoneId}",
      tags,
      summary: "Tick a milestone done or open again (every milestone done: the plan is achieved)",
      security: sec,
      request: { params: planMilestoneParams, query: localeQuery, ...body(z.object({ done: z.boolean() })) },
      responses: planResponse,
    }),
    async (c) => {
      const { id, milestoneId } = c.req.valid("param");
      const by = c.req.header("x-tenure-member") ?? null;
      const plan = await setMilestoneDone(
        storage,
        c.get("workspaceId"),
        id,
        milestoneId,
        c.req.valid("json").done,
        {
          ...ctx(c.req.valid("query").locale, c.get("principal")),
          by,
          // The app's clock (a demo or test may run on another day than the machine's).
          at: `${deps.today()}T${new Date().toISOString().slice(11)}`,
        },
      );
      return c.json(plan, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/onboarding/progress",
      tags,
      summary: "Onboarding progress of every account with a checklist (its latest)",
      security: sec,
      responses: {
        200: json(
          z.object({
            accounts: z.array(
              z.object({
                accountId: z.string(),
                accountName: z.string(),
                segment: z.string().nullable(),
                tier: z.string().nullable(),
                owner: z.string().nullable(),
                planId: z.string(),
                startedOn: z.string(),
                done: z.number().int(),
                total: z.number().int(),
                share: z.number(),
                timeToFirstValueDays: z.number().nullable(),
              }),
            ),
          }),
          "Progress by account",
        ),
        ...errors,
      },
    }),
    async (c) =>
      c.json({ accounts: await onboardingProgress(storage, c.get("workspaceId"), c.get("principal")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/onboarding/time-to-first-value",
      tags,
      summary: "Days from signing to the first value milestone, by segment or tier",
      security: sec,
      request: { query: z.object({ by: z.enum(TTFV_GROUPINGS).optional() }) },
      responses: {
        200: json(
          z.object({
            by: z.enum(TTFV_GROUPINGS),
            groups: z.array(
              z.object({
                group: z
                  .string()
                  .openapi({ description: "The segment or tier; empty when the account has none" }),
                accounts: z.number().int(),
                reached: z.number().int(),
                medianDays: z.number().nullable(),
                meanDays: z.number().nullable(),
                p25Days: z.number().nullable(),
                p75Days: z.number().nullable(),
              }),
            ),
          }),
          "Time to first value",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const by = c.req.valid("query").by ?? "segment";
      return c.json({ by, groups: await timeToFirstValueBy(storage, c.get("workspaceId"), by) }, 200);
    },
  );

  return app;
}
