import { randomUUID } from "node:crypto";
import {
  findPlanTemplate,
  GOAL_METRICS,
  type GoalMetric,
  goalProgress,
  isGoalMetric,
  PLAN_TEMPLATES,
  type PlanProgress,
  type PlanTemplate,
  type Principal,
  planProgress,
  signingDates,
  TenureError,
  type TtfvGroup,
  templateTarget,
  timeToFirstValue,
  ttfvByGroup,
} from "@tenure/core";
import type {
  MilestoneFact,
  Storage,
  SuccessPlan,
  SuccessPlanGoal,
  SuccessPlanKind,
  SuccessPlanMilestone,
  SuccessPlanStatus,
} from "@tenure/storage";
import { guardAccountEdit, readableAccountIds } from "../access/book-scope";
import { requireAccount } from "../accounts/account-overview";
import { addDays } from "../health/days";
import { readMetric } from "../playbooks/metric-reader";

export type PlanLocale = "en" | "zh-CN";

/** What reading an account's goal metrics needs: the day to read at and the reporting currency. */
export interface PlanReadContext {
  asOf: string;
  reportingCurrency: string;
  /** The reader's language: text that came from a template unchanged is shown in it (default en). */
  locale?: PlanLocale;
  /** Who asks (book scoping of writes); omitted = the operator's own process. */
  principal?: Principal;
}

/** A goal with its current value (read from Tenure's own data, or kept by hand) and progress. */
export interface GoalView extends SuccessPlanGoal {
  currentValue: number | null;
  /** 0 at the start value, 1 at the target (clamped); null without start or target. */
  progress: number | null;
}

/** A plan as the account page shows it. */
export interface SuccessPlanView extends Omit<SuccessPlan, "goals"> {
  goals: GoalView[];
  progress: PlanProgress;
  /** Onboarding checklists: days from signing to the first value milestone (null until reached). */
  timeToFirstValueDays: number | null;
}

/**
 * The values of the goal metrics of one account on `asOf`, read by the playbooks' metric reader:
 * one definition of each metric for playbook runs, success plans and the account page.
 */
export async function readGoalMetrics(
  storage: Storage,
  ws: string,
  accountId: string,
  metrics: ReadonlySet<GoalMetric>,
  ctx: PlanReadContext,
): Promise<Record<GoalMetric, number | null>> {
  const out: Record<GoalMetric, number | null> = {
    active_users: null,
    health_score: null,
    mrr: null,
    nps: null,
  };
  await Promise.all(
    [...metrics].map(async (m) => {
      out[m] = await readMetric(storage, ws, accountId, { kind: m }, ctx.asOf, ctx);
    }),
  );
  return out;
}

/** The built-in templates in one language. */
export function listPlanTemplates(locale: PlanLocale) {
  const pick = (t: { en: string; zh: string }) => (locale === "zh-CN" ? t.zh : t.en);
  return PLAN_TEMPLATES.map((p) => ({
    key: p.key,
    kind: p.kind,
    title: pick(p.title),
    description: pick(p.description),
    goals: p.goals.map((g) => ({ title: pick(g.title), metric: g.metric, dueDays: g.dueDays })),
    milestones: p.milestones.map((m) => ({
      title: pick(m.title),
      dueDays: m.dueDays,
      valueMilestone: m.valueMilestone === true,
    })),
    challenges: p.challenges.map(pick),
  }));
}

/** A new plan's content, from a template or written by the CSM. */
export interface NewPlanInput {
  templateKey?: string;
  kind?: SuccessPlanKind;
  title?: string;
  /** YYYY-MM-DD; default: the account's signing date for an onboarding checklist, else asOf. */
  startedOn?: string;
  locale?: PlanLocale;
  goals?: { title: string; metric?: string | null; targetValue?: number | null; dueOn?: string | null }[];
  milestones?: { title: string; dueOn?: string | null; valueMilestone?: boolean }[];
  challenges?: string[];
  createdBy?: string | null;
}

/** The account's signing date: the start of its first subscription, or null when it has none. */
async function signingDate(storage: Storage, ws: string, accountId: string): Promise<string | null> {
  const subs = await storage.subscriptions.listByAccount(ws, accountId);
  return signingDates(subs).get(accountId) ?? null;
}

function fromTemplate(tpl: PlanTemplate, locale: PlanLocale) {
  const pick = (t: { en: string; zh: string }) => (locale === "zh-CN" ? t.zh : t.en);
  return { title: pick(tpl.title), challenges: tpl.challenges.map(pick) };
}

/**
 * Creates a success plan or onboarding checklist for an account, from a template or from scratch.
 * Metric goals start at the account's value now; their targets follow the template (or are given).
 */
export async function createSuccessPlan(
  storage: Storage,
  ws: string,
  accountId: string,
  input: NewPlanInput,
  ctx: PlanReadContext,
): Promise<SuccessPlanView> {
  await requireAccount(storage, ws, accountId);
  await guardAccountEdit(storage, ws, ctx.principal, accountId);
  const locale = input.locale ?? "en";
  const tpl = input.templateKey === undefined ? undefined : findPlanTemplate(input.templateKey);
  if (input.templateKey !== undefined && tpl === undefined) {
    const known = PLAN_TEMPLATES.map((p) => p.key).join(", ");
    throw new TenureError("validation", `templateKey: no template "${input.templateKey}" (known: ${known})`);
  }
  const kind: SuccessPlanKind = input.kind ?? tpl?.kind ?? "success";
  if (tpl !== undefined && input.kind !== undefined && input.kind !== tpl.kind) {
    throw new TenureError(
      "validation",
      `kind: template "${tpl.key}" makes a ${tpl.kind} plan, not ${input.kind}`,
    );
  }
  const signed = kind === "onboarding" ? await signingDate(storage, ws, accountId) : null;
  const startedOn = input.startedOn ?? signed ?? ctx.asOf;
  const pick = (t: { en: string; zh: string }) => (locale === "zh-CN" ? t.zh : t.en);

  const goalDrafts =
    input.goals?.map((g, i) => {
      if (g.metric != null && !isGoalMetric(g.metric)) {
        throw new TenureError(
          "validation",
          `goals[${i}].metric: unknown metric "${g.metric}" (known: ${GOAL_METRICS.join(", ")})`,
        );
      }
      return {
        title: g.title,
        metric: (g.metric ?? null) as GoalMetric | null,
        target: g.targetValue ?? null,
        dueOn: g.dueOn ?? null,
        rule: null,
      };
    }) ??
    tpl?.goals.map((g) => ({
      title: pick(g.title),
      metric: g.metric,
      target: null as number | null,
      dueOn: addDays(startedOn, g.dueDays),
      rule: g,
    })) ??
    [];
  const metrics = new Set(goalDrafts.flatMap((g) => (g.metric === null ? [] : [g.metric])));
  const values = await readGoalMetrics(storage, ws, accountId, metrics, ctx);
  const goals: SuccessPlanGoal[] = goalDrafts.map((g, i) => {
    const start = g.metric === null ? null : values[g.metric];
    return {
      id: randomUUID(),
      position: i,
      title: g.title,
      metric: g.metric,
      startValue: start,
      targetValue: g.rule === null ? g.target : templateTarget(g.rule, start),
      manualValue: null,
      dueOn: g.dueOn,
    };
  });
  const milestones: SuccessPlanMilestone[] = (
    input.milestones?.map((m) => ({
      title: m.title,
      dueOn: m.dueOn ?? null,
      valueMilestone: m.valueMilestone === true,
    })) ??
    tpl?.milestones.map((m) => ({
      title: pick(m.title),
      dueOn: addDays(startedOn, m.dueDays),
      valueMilestone: m.valueMilestone === true,
    })) ??
    []
  ).map((m, i) => ({ id: randomUUID(), position: i, doneAt: null, doneBy: null, ...m }));
  if (kind === "onboarding" && milestones.length === 0) {
    throw new TenureError("validation", "milestones: an onboarding checklist needs at least one milestone");
  }
  const base = tpl === undefined ? null : fromTemplate(tpl, locale);
  const title = input.title ?? base?.title;
  if (title === undefined || title.trim() === "") {
    throw new TenureError("validation", "title: give a title or a templateKey");
  }
  const plan = await storage.successPlans.create(ws, {
    id: randomUUID(),
    accountId,
    kind,
    templateKey: tpl?.key ?? null,
    title: title.trim(),
    status: "active",
    startedOn,
    challenges: input.challenges ?? base?.challenges ?? [],
    createdBy: input.createdBy ?? null,
    goals,
    milestones,
  });
  return (
    await viewPlans(
      storage,
      ws,
      [plan],
      { ...ctx, locale: ctx.locale ?? locale },
      new Map([[accountId, values]]),
    )
  )[0] as SuccessPlanView;
}

/**
 * A template plan's texts in the reader's language where they are still the template's (in either
 * language); what a CSM wrote or changed is kept as written.
 */
function inReaderLanguage(plan: SuccessPlan, locale: PlanLocale): SuccessPlan {
  const tpl = plan.templateKey === null ? undefined : findPlanTemplate(plan.templateKey);
  if (tpl === undefined) return plan;
  const pick = (stored: string, text: { en: string; zh: string } | undefined) =>
    text !== undefined && (stored === text.en || stored === text.zh)
      ? locale === "zh-CN"
        ? text.zh
        : text.en
      : stored;
  return {
    ...plan,
    title: pick(plan.title, tpl.title),
    goals: plan.goals.map((g) => ({ ...g, title: pick(g.title, tpl.goals[g.position]?.title) })),
    milestones: plan.milestones.map((m) => ({
      ...m,
      title: pick(m.title, tpl.milestones[m.position]?.title),
    })),
    challenges: plan.challenges.map((c) =>
      pick(
        c,
        tpl.challenges.find((x) => x.en === c || x.zh === c),
      ),
    ),
  };
}

async function viewPlans(
  storage: Storage,
  ws: string,
  plans: readonly SuccessPlan[],
  ctx: PlanReadContext,
  /** Metric values already read at `ctx.asOf`, by account (a plan just created has them). */
  known?: ReadonlyMap<string, Record<GoalMetric, number | null>>,
): Promise<SuccessPlanView[]> {
  const byAccount = new Map<string, Set<GoalMetric>>();
  for (const p of plans) {
    const set = byAccount.get(p.accountId) ?? new Set<GoalMetric>();
    for (const g of p.goals) if (g.metric !== null && isGoalMetric(g.metric)) set.add(g.metric);
    byAccount.set(p.accountId, set);
  }
  const values = new Map(known);
  for (const [accountId, metrics] of byAccount) {
    if (values.has(accountId)) continue;
    values.set(accountId, await readGoalMetrics(storage, ws, accountId, metrics, ctx));
  }
  return plans.map((stored) => {
    const p = inReaderLanguage(stored, ctx.locale ?? "en");
    const v = values.get(p.accountId);
    const goals = p.goals.map((g) => {
      const current = g.metric !== null && isGoalMetric(g.metric) ? (v?.[g.metric] ?? null) : g.manualValue;
      return { ...g, currentValue: current, progress: goalProgress(g.startValue, current, g.targetValue) };
    });
    return {
      ...p,
      goals,
      progress: planProgress(p.milestones),
      timeToFirstValueDays: p.kind === "onboarding" ? timeToFirstValue(p.startedOn, p.milestones) : null,
    };
  });
}

/** An account's success plans and onboarding checklists, newest first, with current goal values. */
export async function accountSuccessPlans(
  storage: Storage,
  ws: string,
  accountId: string,
  ctx: PlanReadContext,
): Promise<SuccessPlanView[]> {
  await requireAccount(storage, ws, accountId);
  return viewPlans(storage, ws, await storage.successPlans.listByAccount(ws, accountId), ctx);
}

async function requirePlan(storage: Storage, ws: string, id: string): Promise<SuccessPlan> {
  const plan = await storage.successPlans.get(ws, id);
  if (plan === null) throw new TenureError("not_found", `No success plan with id "${id}"`);
  return plan;
}

/** The plan, once `principal` may edit its account (book scoping). */
async function requireEditablePlan(
  storage: Storage,
  ws: string,
  id: string,
  principal: Principal | undefined,
): Promise<SuccessPlan> {
  const plan = await requirePlan(storage, ws, id);
  await guardAccountEdit(storage, ws, principal, plan.accountId);
  return plan;
}

/** Changes a plan's title, status or challenges. */
export async function updateSuccessPlan(
  storage: Storage,
  ws: string,
  id: string,
  patch: { title?: string; status?: SuccessPlanStatus; challenges?: string[] },
  ctx: PlanReadContext,
): Promise<SuccessPlanView> {
  await requireEditablePlan(storage, ws, id, ctx.principal);
  const plan = await storage.successPlans.update(ws, id, patch);
  if (plan === null) throw new TenureError("not_found", `No success plan with id "${id}"`);
  return (await viewPlans(storage, ws, [plan], ctx))[0] as SuccessPlanView;
}

/** Changes a goal's title, target, hand-kept value or due date. */
export async function updateSuccessGoal(
  storage: Storage,
  ws: string,
  planId: string,
  goalId: string,
  patch: { title?: string; targetValue?: number | null; manualValue?: number | null; dueOn?: string | null },
  ctx: PlanReadContext,
): Promise<SuccessPlanView> {
  const plan = await requireEditablePlan(storage, ws, planId, ctx.principal);
  const goal = plan.goals.find((g) => g.id === goalId);
  if (goal === undefined)
    throw new TenureError("not_found", `No goal "${goalId}" in success plan "${planId}"`);
  if (patch.manualValue !== undefined && goal.metric !== null) {
    throw new TenureError(
      "validation",
      `manualValue: goal "${goal.title}" reads ${goal.metric} from Tenure's data; only goals without a metric keep a value by hand`,
    );
  }
  await storage.successPlans.updateGoal(ws, planId, goalId, patch);
  return (await viewPlans(storage, ws, [await requirePlan(storage, ws, planId)], ctx))[0] as SuccessPlanView;
}

/**
 * Ticks a milestone done (or open again). When every milestone is done, an active plan becomes
 * achieved; reopening one makes an achieved plan active again.
 */
export async function setMilestoneDone(
  storage: Storage,
  ws: string,
  planId: string,
  milestoneId: string,
  done: boolean,
  opts: PlanReadContext & { by?: string | null; at?: string },
): Promise<SuccessPlanView> {
  const plan = await requireEditablePlan(storage, ws, planId, opts.principal);
  const milestone = plan.milestones.find((m) => m.id === milestoneId);
  if (milestone === undefined) {
    throw new TenureError("not_found", `No milestone "${milestoneId}" in success plan "${planId}"`);
  }
  await storage.transaction(async (tx) => {
    await tx.successPlans.setMilestoneDone(
      ws,
      planId,
      milestoneId,
      done ? { at: opts.at ?? new Date().toISOString(), by: opts.by ?? null } : null,
    );
    const others = plan.milestones.filter((m) => m.id !== milestoneId);
    const allDone = done && others.every((m) => m.doneAt !== null);
    if (allDone && plan.status === "active") await tx.successPlans.update(ws, planId, { status: "achieved" });
    if (!done && plan.status === "achieved") await tx.successPlans.update(ws, planId, { status: "active" });
  });
  return (await viewPlans(storage, ws, [await requirePlan(storage, ws, planId)], opts))[0] as SuccessPlanView;
}

/** Deletes a plan; 404 when there is none. */
export async function deleteSuccessPlan(
  storage: Storage,
  ws: string,
  id: string,
  principal?: Principal,
): Promise<void> {
  await requireEditablePlan(storage, ws, id, principal);
  if (!(await storage.successPlans.delete(ws, id))) {
    throw new TenureError("not_found", `No success plan with id "${id}"`);
  }
}

/** One account's onboarding: its latest checklist's progress and time to first value. */
export interface OnboardingProgressRow {
  accountId: string;
  accountName: string;
  segment: string | null;
  tier: string | null;
  owner: string | null;
  planId: string;
  startedOn: string;
  done: number;
  total: number;
  share: number;
  timeToFirstValueDays: number | null;
}

/** Onboarding progress of every account with a checklist (its latest, unless abandoned). */
export async function onboardingProgress(
  storage: Storage,
  ws: string,
  /** Who asks: a CSM limited to its book sees only its accounts' onboarding. */
  principal?: Principal,
): Promise<OnboardingProgressRow[]> {
  const readable = await readableAccountIds(storage, principal);
  const facts = (await storage.successPlans.milestoneFacts(ws, "onboarding")).filter(
    (f) => readable === null || readable.has(f.accountId),
  );
  const byPlan = new Map<string, MilestoneFact[]>();
  for (const f of facts) {
    const list = byPlan.get(f.planId);
    if (list === undefined) byPlan.set(f.planId, [f]);
    else list.push(f);
  }
  const latest = new Map<string, { planId: string; startedOn: string; ms: MilestoneFact[] }>();
  for (const [planId, ms] of byPlan) {
    const first = ms[0];
    if (first === undefined || first.status === "abandoned") continue;
    const prev = latest.get(first.accountId);
    if (prev === undefined || first.startedOn > prev.startedOn) {
      latest.set(first.accountId, { planId, startedOn: first.startedOn, ms });
    }
  }
  if (latest.size === 0) return [];
  const accounts = new Map((await storage.accounts.byIds(ws, [...latest.keys()])).map((a) => [a.id, a]));
  return [...latest.entries()]
    .map(([accountId, p]) => {
      const a = accounts.get(accountId);
      return {
        accountId,
        accountName: a?.name ?? accountId,
        segment: a?.segment ?? null,
        tier: a?.tier ?? null,
        owner: a?.owner ?? null,
        planId: p.planId,
        startedOn: p.startedOn,
        ...planProgress(p.ms),
        timeToFirstValueDays: timeToFirstValue(p.startedOn, p.ms),
      };
    })
    .sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
}

export const TTFV_GROUPINGS = ["segment", "tier"] as const;
export type TtfvGrouping = (typeof TTFV_GROUPINGS)[number];

/** Time to first value of onboarding checklists by segment (or tier); "" groups accounts without one. */
export async function timeToFirstValueBy(
  storage: Storage,
  ws: string,
  by: TtfvGrouping,
): Promise<TtfvGroup[]> {
  const progress = await onboardingProgress(storage, ws);
  return ttfvByGroup(
    progress.map((p) => ({
      group: (by === "tier" ? p.tier : p.segment) ?? "",
      days: p.timeToFirstValueDays,
    })),
  );
}
