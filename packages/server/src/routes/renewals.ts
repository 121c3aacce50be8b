import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { isTenureError, TenureError } from "@tenure/core";
import {
  churnReasonReport,
  churnReasons,
  createReferral,
  createSaveCampaign,
  importSurveyCsv,
  recordRenewalOutcomes,
  recordSurveyResponses,
  referralReport,
  renewalCalendar,
  renewalOutcomes,
  saveCampaignReport,
  saveChurnReasons,
  surveySummary,
  updateSaveCampaign,
} from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { calendarDate, errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const isoDate = calendarDate;
const amount = z.number().finite().min(0).max(1e12);
const OUTCOMES = ["renewed", "expanded", "downgraded", "churned"] as const;
const REFERRAL_STATUS = ["referred", "qualified", "won", "lost"] as const;
const member = (c: { req: { header(name: string): string | undefined } }) =>
  c.req.header("x-tenure-member") ?? null;

const GroupSchema = z.object({
  key: z.string().openapi({ description: "The month (YYYY-MM) or owner (empty: no owner)" }),
  renewals: z.number().int(),
  arr: z.number(),
  expectedArr: z.number(),
  redArr: z.number().openapi({ description: "ARR of the renewals in the red health band" }),
});

const CalendarSchema = z
  .object({
    asOf: z.string(),
    until: z.string(),
    currency: z.string(),
    rows: z.array(
      z.object({
        accountId: z.string(),
        name: z.string().nullable(),
        owner: z.string().nullable(),
        renewalDate: z.string(),
        month: z.string(),
        arr: z.number(),
        band: z.string().nullable(),
        score: z.number().nullable(),
        renewalProbability: z.number().nullable().openapi({
          description:
            "The renewal forecast's probability (GET /api/predictions/renewals): one number everywhere",
        }),
        churnProbability: z.number().nullable(),
        expectedArr: z.number().nullable(),
        source: z.string(),
        outcome: z.enum(OUTCOMES).nullable(),
      }),
    ),
    byMonth: z.array(GroupSchema),
    byOwner: z.array(GroupSchema),
    totals: GroupSchema.omit({ key: true }),
  })
  .openapi("RenewalCalendar");

const OutcomeSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    renewalDate: z.string(),
    outcome: z.enum(OUTCOMES),
    arrBefore: z.number(),
    arrAfter: z.number(),
    reasonKey: z.string().nullable(),
    note: z.string().nullable(),
    recordedBy: z.string().nullable(),
    recordedAt: z.string(),
  })
  .openapi("RenewalOutcome");

const ReasonSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "lower-case letters, digits and _"),
    labelEn: z.string().trim().min(1).max(120),
    labelZh: z.string().trim().min(1).max(120),
    manageable: z.boolean(),
    active: z.boolean().default(true),
  })
  .openapi("ChurnReasonInput");

const ChurnReasonSchema = z
  .object({
    key: z.string(),
    labelEn: z.string(),
    labelZh: z.string(),
    manageable: z.boolean(),
    position: z.number().int(),
    active: z.boolean(),
  })
  .openapi("ChurnReason");

const AnalysisSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    churned: z.number().int(),
    lostArr: z.number(),
    unspecified: z.number().int(),
    manageableCount: z.number().int(),
    manageableLostArr: z.number(),
    manageableShare: z
      .number()
      .nullable()
      .openapi({ description: "Manageable churns / churns with a reason" }),
    manageableArrShare: z.number().nullable(),
    reasons: z.array(
      z.object({
        key: z.string(),
        labelEn: z.string(),
        labelZh: z.string(),
        manageable: z.boolean(),
        count: z.number().int(),
        lostArr: z.number(),
        share: z.number(),
      }),
    ),
    taxonomy: z.array(ChurnReasonSchema),
  })
  .openapi("ChurnReasonAnalysis");

const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    startedOn: z.string(),
    endedOn: z.string().nullable(),
    cost: z.number(),
    note: z.string().nullable(),
    accounts: z.number().int(),
    atRiskArrWorked: z.number(),
    saved: z.number().int(),
    arrSaved: z.number().openapi({ description: "Σ min(ARR after, ARR at risk) of worked accounts kept" }),
    churned: z.number().int(),
    arrLost: z.number(),
    open: z.number().int(),
    roi: z.number().nullable().openapi({ description: "arrSaved / cost (docs/metrics.md)" }),
    saveRate: z.number().nullable(),
  })
  .openapi("SaveCampaign");

const SurveySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    nps: z.object({
      responses: z.number().int(),
      promoters: z.number().int(),
      passives: z.number().int(),
      detractors: z.number().int(),
      score: z.number().nullable().openapi({ description: "% promoters − % detractors (−100 to 100)" }),
    }),
    csat: z.object({
      responses: z.number().int(),
      satisfied: z.number().int(),
      average: z.number().nullable(),
      satisfiedShare: z.number().nullable(),
    }),
    promoters: z.array(
      z.object({
        accountId: z.string(),
        name: z.string().nullable(),
        score: z.number(),
        respondedAt: z.string(),
        referrals: z.number().int(),
      }),
    ),
    responses: z.array(
      z.object({
        accountId: z.string(),
        name: z.string().nullable(),
        kind: z.enum(["nps", "csat"]),
        score: z.number(),
        respondedAt: z.string(),
        comment: z.string().nullable(),
      }),
    ),
  })
  .openapi("SurveySummary");

const ResponseInput = z.object({
  accountId: z.string().min(1).max(200),
  kind: z.enum(["nps", "csat"]).default("nps"),
  score: z.number().int(),
  respondedAt: z.string().max(40).optional(),
  contactId: z.string().max(200).nullable().optional(),
  comment: z.string().max(4000).nullable().optional(),
});

const ReferralSchema = z
  .object({
    id: z.string(),
    advocateAccountId: z.string(),
    advocateName: z.string().nullable(),
    referredAccountId: z.string().nullable(),
    referredName: z.string(),
    referredOn: z.string(),
    status: z.enum(REFERRAL_STATUS),
    referredArr: z.number(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Referral");

const Period = z.object({ from: isoDate.optional(), to: isoDate.optional() });

/** Renewals (calendar, outcomes, churn reasons, save campaigns) and advocacy (NPS/CSAT, referrals). */
export function renewalRoutes(deps: RouteDeps) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const base = () => ({ asOf: deps.today(), reportingCurrency: deps.reportingCurrency });

  app.openapi(
    createRoute({
      method: "get",
      path: "/renewals/calendar",
      tags: ["renewals"],
      summary: "Renewals by month and owner with ARR, health band and the forecast's renewal probability",
      security: sec,
      request: {
        query: z.object({
          months: z.coerce.number().int().min(1).max(24).default(6),
          owner: z.string().max(200).optional(),
        }),
      },
      responses: { 200: json(CalendarSchema, "The calendar"), ...errors },
    }),
    async (c) => {
      const { months, owner } = c.req.valid("query");
      return c.json(
        await renewalCalendar(storage, c.get("workspaceId"), {
          ...base(),
          months,
          owner,
          principal: c.get("principal"),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/renewals/outcomes",
      tags: ["renewals"],
      summary: "Recorded renewal outcomes (renewal date in [from, to])",
      security: sec,
      request: { query: Period.extend({ accountId: z.string().max(200).optional() }) },
      responses: {
        200: json(
          z.object({ outcomes: z.array(OutcomeSchema.extend({ name: z.string().nullable() })) }),
          "Outcomes",
        ),
        ...errors,
      },
    }),
    async (c) =>
      c.json(
        {
          outcomes: await renewalOutcomes(
            storage,
            c.get("workspaceId"),
            c.req.valid("query"),
            c.get("principal"),
          ),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/renewals/outcomes",
      tags: ["renewals"],
      summary: "Records a renewal's outcome (a second one for the same account and date replaces it)",
      description:
        "churned needs a reasonKey of the workspace's taxonomy (arrAfter 0); expanded and downgraded need arrAfter; arrBefore defaults to the account's ARR on the renewal calendar.",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                accountId: z.string().min(1).max(200),
                renewalDate: isoDate,
                outcome: z.enum(OUTCOMES),
                arrBefore: amount.optional(),
                arrAfter: amount.optional(),
                reasonKey: z.string().max(48).nullable().optional(),
                note: z.string().max(4000).nullable().optional(),
              }),
            },
          },
        },
      },
      responses: { 201: json(OutcomeSchema, "The recorded outcome"), ...errors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const [o] = await recordRenewalOutcomes(
        storage,
        c.get("workspaceId"),
        [{ ...body, recordedBy: member(c) }],
        { ...base(), principal: c.get("principal") },
      );
      return c.json(o as z.infer<typeof OutcomeSchema>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/renewals/reasons",
      tags: ["renewals"],
      summary: "The workspace's churn-reason taxonomy (the starter one until saved)",
      security: sec,
      responses: { 200: json(z.object({ reasons: z.array(ChurnReasonSchema) }), "Reasons"), ...errors },
    }),
    async (c) => c.json({ reasons: await churnReasons(storage, c.get("workspaceId")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/renewals/reasons",
      tags: ["renewals"],
      summary:
        "Saves the taxonomy in order; reasons left out stay, inactive, for the outcomes that used them",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": { schema: z.object({ reasons: z.array(ReasonSchema).min(1).max(100) }) },
          },
        },
      },
      responses: { 200: json(z.object({ reasons: z.array(ChurnReasonSchema) }), "Reasons"), ...errors },
    }),
    async (c) =>
      c.json(
        { reasons: await saveChurnReasons(storage, c.get("workspaceId"), c.req.valid("json").reasons) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/renewals/churn-reasons",
      tags: ["renewals"],
      summary: "Churn by reason: count, lost ARR and the manageable share (renewal date in [from, to])",
      security: sec,
      request: { query: Period },
      responses: { 200: json(AnalysisSchema, "The analysis"), ...errors },
    }),
    async (c) => c.json(await churnReasonReport(storage, c.get("workspaceId"), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/renewals/campaigns",
      tags: ["renewals"],
      summary: "Save campaigns: at-risk ARR worked, ARR saved, cost and ROI",
      security: sec,
      responses: {
        200: json(
          z.object({
            campaigns: z.array(CampaignSchema),
            totals: z.object({
              cost: z.number(),
              arrSaved: z.number(),
              atRiskArrWorked: z.number(),
              roi: z.number().nullable(),
            }),
          }),
          "Campaigns",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await saveCampaignReport(storage, c.get("workspaceId")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/renewals/campaigns",
      tags: ["renewals"],
      summary: "Starts a save campaign over accounts at risk, with its cost",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                name: z.string().trim().min(1).max(200),
                startedOn: isoDate,
                endedOn: isoDate.nullable().optional(),
                cost: amount,
                note: z.string().max(4000).nullable().optional(),
                accounts: z
                  .array(z.object({ accountId: z.string().min(1).max(200), atRiskArr: amount.optional() }))
                  .min(1)
                  .max(10_000),
              }),
            },
          },
        },
      },
      responses: { 201: json(CampaignSchema, "The campaign"), ...errors },
    }),
    async (c) =>
      c.json(await createSaveCampaign(storage, c.get("workspaceId"), c.req.valid("json"), base()), 201),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/renewals/campaigns/{id}",
      tags: ["renewals"],
      summary: "Changes a save campaign's cost (entered as it is spent), end date or note",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z.object({
                cost: amount.optional(),
                endedOn: isoDate.nullable().optional(),
                note: z.string().max(4000).nullable().optional(),
              }),
            },
          },
        },
      },
      responses: { 200: json(CampaignSchema, "The campaign"), ...errors, ...notFound },
    }),
    async (c) =>
      c.json(
        await updateSaveCampaign(storage, c.get("workspaceId"), c.req.valid("param").id, c.req.valid("json")),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/surveys",
      tags: ["advocacy"],
      summary: "NPS, CSAT and promoters over a period (default: the last 365 days)",
      security: sec,
      request: { query: Period },
      responses: { 200: json(SurveySchema, "The summary"), ...errors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const to = q.to ?? deps.today();
      const from =
        q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
      return c.json(
        await surveySummary(storage, c.get("workspaceId"), { from, to }, c.get("principal")),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/surveys/responses",
      tags: ["advocacy"],
      summary: "Records NPS (0-10) and CSAT (1-5) answers on the accounts' timelines, all or none",
      description:
        "JSON `responses`, or `csv` (columns account_id, score, kind, date, contact_id, comment) with its `fileName`.",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.union([
                z.object({ responses: z.array(ResponseInput).min(1).max(10_000) }),
                z.object({
                  csv: z.string().min(1).max(900_000),
                  fileName: z.string().max(200).default("responses.csv"),
                }),
              ]),
            },
          },
        },
      },
      responses: { 201: json(z.object({ recorded: z.number().int() }), "How many were recorded"), ...errors },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const ws = c.get("workspaceId");
      if ("csv" in body) {
        // The CSV's own problems (row and column) are problems of the body's `csv` field.
        const recorded = await importSurveyCsv(
          storage,
          ws,
          body.fileName,
          body.csv,
          c.get("principal"),
        ).catch((err: unknown) => {
          if (isTenureError(err, "validation"))
            throw new TenureError("validation", `csv: ${err.message}`, err.details);
          throw err;
        });
        return c.json(recorded, 201);
      }
      const entries = await recordSurveyResponses(storage, ws, body.responses, undefined, c.get("principal"));
      await deps.healthChanged(ws);
      return c.json({ recorded: entries.length }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/referrals",
      tags: ["advocacy"],
      summary: "Referrals (advocate account → referred account) with referred ARR",
      security: sec,
      responses: {
        200: json(
          z.object({
            referrals: z.array(ReferralSchema),
            totals: z.object({
              referrals: z.number().int(),
              won: z.number().int(),
              referredArr: z.number(),
              wonArr: z.number(),
              advocates: z.number().int(),
            }),
          }),
          "Referrals",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await referralReport(storage, c.get("workspaceId"), c.get("principal")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/referrals",
      tags: ["advocacy"],
      summary: "Records a referral by an advocate account",
      security: sec,
      request: {
        body: {
          content: {
            "application/json": {
              schema: z.object({
                advocateAccountId: z.string().min(1).max(200),
                referredAccountId: z.string().min(1).max(200).nullable().optional(),
                referredName: z.string().trim().max(200).optional(),
                referredOn: isoDate,
                status: z.enum(REFERRAL_STATUS).optional(),
                referredArr: amount.optional(),
                note: z.string().max(4000).nullable().optional(),
              }),
            },
          },
        },
      },
      responses: { 201: json(ReferralSchema.omit({ advocateName: true }), "The referral"), ...errors },
    }),
    async (c) =>
      c.json(
        await createReferral(storage, c.get("workspaceId"), c.req.valid("json"), c.get("principal")),
        201,
      ),
  );

  return app;
}
