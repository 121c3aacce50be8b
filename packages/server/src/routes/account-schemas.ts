import { z } from "@hono/zod-openapi";
import type { MessageParam } from "@tenure/core";
import { jsonObject, TIMELINE_DATA_MAX_BYTES, TIMELINE_DATA_MAX_DEPTH } from "../input";
import { AccountSchema } from "../schemas";

/** zod schemas of the accounts, health and signals API; the routes are listed in docs/api.md. */

export const BandSchema = z.enum(["red", "yellow", "green", "none"]);
export const TrendSchema = z.enum(["up", "down", "same"]);

export const AccountListRowSchema = AccountSchema.pick({
  id: true,
  name: true,
  tier: true,
  segment: true,
  industry: true,
  region: true,
  owner: true,
  lifecycleStage: true,
})
  .extend({
    mrr: z.number(),
    arr: z.number(),
    renewalDate: z.string().nullable(),
    score: z.number().nullable(),
    band: BandSchema,
    trend: TrendSchema,
    openSignals: z.number().int(),
    riskSignals: z.number().int(),
    opportunitySignals: z.number().int(),
    lastActivityAt: z.string().nullable(),
    churnProbability: z.number().nullable().openapi({
      description:
        "Churn probability within 90 days from the churn model (0-1); null when the account does not pay or is not scored yet",
    }),
    churned: z
      .object({
        churnedAt: z.string().openapi({ description: "The day the last paid subscription ended" }),
        reason: z.string().nullable().openapi({ description: "Recorded churn reason, when known" }),
        lastMrr: z.number().openapi({ description: "MRR in the last paid month (reporting currency)" }),
      })
      .nullable()
      .openapi({ description: "Set when the account paid before and pays nothing now (it is not scored)" }),
  })
  .openapi("AccountListRow");

export const AccountListQuerySchema = z.object({
  search: z.string().max(200).optional(),
  owner: z.string().max(200).optional(),
  team: z.string().max(2000).optional().openapi({
    description: "Comma-separated team ids: those teams' books (their members' accounts and pools)",
  }),
  stage: z.string().max(50).optional(),
  band: BandSchema.optional(),
  tier: z.string().max(200).optional(),
  segment: z
    .string()
    .regex(/^[^=]+=.*$/, "must be attr=value, e.g. industry=retail")
    .optional(),
  sort: z.enum(["score", "arr", "renewalDate", "openSignals", "name", "churnProbability"]).optional(),
  order: z.enum(["asc", "desc"]).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  cursor: z.string().max(2000).optional().openapi({
    description:
      "The previous page's nextCursor (same sort and order): the page after it, read through the sort's index (offset is then ignored)",
  }),
});

export const AccountListPageSchema = z.object({
  total: z.number().int().openapi({ description: "Accounts matching the filters" }),
  accounts: z.array(AccountListRowSchema),
  nextCursor: z
    .string()
    .nullable()
    .openapi({ description: "Pass as cursor for the next page; null after the last page" }),
});

/** A sentence as a catalogue key and parameters (figures, names, ISO dates, nested messages), rendered in the reader's language. */
export const TextMessageSchema = z
  .object({
    key: z.string(),
    params: z.record(
      z.string(),
      // Lazy: a parameter may be a nested message (or a list of them), typed as core's MessageParam.
      z.lazy(
        (): z.ZodType<MessageParam> =>
          z.union([z.string(), z.number(), z.null(), TextMessageSchema, z.array(TextMessageSchema)]),
      ),
    ),
  })
  .openapi("TextMessage");

export const WorklistRowSchema = AccountListRowSchema.extend({
  priority: z.number().openapi({ description: "churnProbability × ARR (the ARR at risk)" }),
  reasons: z.array(TextMessageSchema.extend({ text: z.string() })).openapi({
    description: "Why the account needs attention, as keys and parameters with their English text",
  }),
}).openapi("WorklistRow");

export const SignalSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    type: z.string(),
    kind: z.enum(["risk", "opportunity"]),
    severity: z.enum(["low", "medium", "high"]),
    status: z.enum(["open", "acknowledged", "resolved"]),
    title: z.string(),
    summary: z.string(),
    text: z.object({ title: TextMessageSchema, summary: TextMessageSchema }),
    evidence: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
    openedAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    actor: z.object({ id: z.string(), name: z.string() }).nullable().openapi({
      description:
        "The team member who made the last status change (acknowledged, resolved, reopened; the X-Tenure-Member header), or null",
    }),
  })
  .openapi("Signal");

export const TimelineTypeSchema = z.enum([
  "note",
  "call",
  "meeting",
  "email",
  "ticket",
  "nps",
  "csat",
  "observation",
  "stage_change",
  "score_change",
  "signal",
  "task",
  "playbook",
]);

export const TimelineEntrySchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    type: TimelineTypeSchema,
    occurredAt: z.string(),
    author: z.string().nullable(),
    actorId: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "The member who made it (X-Tenure-Member), when one did" }),
    title: z.string(),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("TimelineEntry");

export const NewTimelineEntrySchema = z
  .object({
    type: z.enum(["note", "call", "meeting", "email", "observation"]),
    title: z.string().trim().min(1, "must not be empty").max(500),
    body: z.string().max(20_000).nullable().optional(),
    occurredAt: z.iso.datetime({ offset: true, message: "must be an ISO timestamp" }).optional(),
    author: z.string().max(200).nullable().optional(),
    data: jsonObject({ maxBytes: TIMELINE_DATA_MAX_BYTES, maxDepth: TIMELINE_DATA_MAX_DEPTH })
      .optional()
      .openapi({ description: "Structured fields: at most 64 KB as JSON, 10 levels deep" }),
  })
  .openapi("NewTimelineEntry");

export const StageSchema = z.enum([
  "onboarding",
  "adoption",
  "retention",
  "expansion",
  "advocacy",
  "churned",
]);

export const StageHistorySchema = z.array(
  z.object({ stage: z.string(), enteredAt: z.string(), source: z.string(), note: z.string().nullable() }),
);

const MeasureScoreSchema = z.object({
  key: z.string(),
  label: z.string(),
  metric: z.string(),
  value: z.number().nullable(),
  score: z.number().nullable(),
  weight: z.number(),
  effectiveWeight: z.number(),
  contribution: z.number(),
  missing: z.boolean(),
});

export const HealthBreakdownSchema = z
  .object({
    score: z.number().nullable(),
    band: BandSchema,
    profileId: z.string(),
    dimensions: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        weight: z.number(),
        effectiveWeight: z.number(),
        score: z.number().nullable(),
        measures: z.array(MeasureScoreSchema),
      }),
    ),
    trend: TrendSchema,
    explanation: z.array(TextMessageSchema.extend({ text: z.string() })),
    metrics: z.record(z.string(), z.number().nullable()),
    date: z.string(),
  })
  .openapi("HealthBreakdown");

export const ContactSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.string().nullable(),
  title: z.string().nullable(),
  lastTouchAt: z.string().nullable(),
  leftAt: z.string().nullable().openapi({ description: "Day the contact left the customer company" }),
});

export const AccountOverviewSchema = z
  .object({
    account: AccountSchema,
    mrr: z.number(),
    arr: z.number(),
    renewalDate: z.string().nullable(),
    health: HealthBreakdownSchema.nullable(),
    scoreHistory: z.array(z.object({ date: z.string(), score: z.number().nullable(), band: BandSchema })),
    revenue: z.object({
      months: z.array(z.object({ month: z.string(), mrr: z.number() })),
      movements: z.array(z.object({ month: z.string(), kind: z.string(), amount: z.number() })),
      monthToDate: z.string().openapi({ description: "The running month (YYYY-MM): figures month to date" }),
    }),
    contacts: z.array(ContactSchema),
    signals: z.array(SignalSchema),
    stageHistory: StageHistorySchema,
    ownership: z.object({ ownerId: z.string().nullable(), teamId: z.string().nullable() }).openapi({
      description:
        "The owning member's id (account.owner is their name) and team; ownerId null with a teamId: the team's pool",
    }),
  })
  .openapi("AccountOverview");
