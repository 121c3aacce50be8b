import type { SuccessPlanGoalTable, SuccessPlanMilestoneTable, SuccessPlanTable } from "../schema";
import { atomically, nowIso, type RepositoryContext } from "./repository-context";

/** A success plan's goal as stored; the current value of a metric goal is read at request time. */
export interface SuccessPlanGoal {
  id: string;
  position: number;
  title: string;
  metric: string | null;
  startValue: number | null;
  targetValue: number | null;
  /** The value a CSM keeps by hand for a goal Tenure cannot measure. */
  manualValue: number | null;
  dueOn: string | null;
}

export interface SuccessPlanMilestone {
  id: string;
  position: number;
  title: string;
  dueOn: string | null;
  doneAt: string | null;
  doneBy: string | null;
  valueMilestone: boolean;
}

export type SuccessPlanKind = "success" | "onboarding";
export type SuccessPlanStatus = "active" | "achieved" | "abandoned";

/** A success plan or onboarding checklist with its goals and milestones in order. */
export interface SuccessPlan {
  id: string;
  accountId: string;
  kind: SuccessPlanKind;
  templateKey: string | null;
  title: string;
  status: SuccessPlanStatus;
  startedOn: string;
  challenges: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  goals: SuccessPlanGoal[];
  milestones: SuccessPlanMilestone[];
}

/** A milestone with its plan's account and kind: what progress and time-to-first-value reads need. */
export interface MilestoneFact {
  planId: string;
  accountId: string;
  kind: SuccessPlanKind;
  status: SuccessPlanStatus;
  startedOn: string;
  doneAt: string | null;
  valueMilestone: boolean;
}

/** A plan's editable fields (goals and milestones are edited one by one). */
export interface SuccessPlanPatch {
  title?: string;
  status?: SuccessPlanStatus;
  challenges?: string[];
}

export interface GoalPatch {
  title?: string;
  targetValue?: number | null;
  manualValue?: number | null;
  dueOn?: string | null;
}

export interface SuccessPlanRepository {
  /** Stores a plan with its goals and milestones in one transaction. */
  create(workspaceId: string, plan: Omit<SuccessPlan, "createdAt" | "updatedAt">): Promise<SuccessPlan>;
  get(workspaceId: string, id: string): Promise<SuccessPlan | null>;
  /** One account's plans, newest first. */
  listByAccount(workspaceId: string, accountId: string): Promise<SuccessPlan[]>;
  /** Every milestone of the workspace's plans of `kind` (for progress and time to first value). */
  milestoneFacts(workspaceId: string, kind: SuccessPlanKind): Promise<MilestoneFact[]>;
  update(workspaceId: string, id: string, patch: SuccessPlanPatch): Promise<SuccessPlan | null>;
  updateGoal(workspaceId: string, planId: string, goalId: string, patch: GoalPatch): Promise<boolean>;
  /** Marks a milestone done (by whom, when) or open again; false when there is no such milestone. */
  setMilestoneDone(
    workspaceId: string,
    planId: string,
    milestoneId: string,
    done: { at: string; by: string | null } | null,
  ): Promise<boolean>;
  /** Deletes a plan with its goals and milestones; false when there was none. */
  delete(workspaceId: string, id: string): Promise<boolean>;
}

export function createSuccessPlanRepository(ctx: RepositoryContext): SuccessPlanRepository {
  const { adapter } = ctx;
  const goalFrom = (r: SuccessPlanGoalTable): SuccessPlanGoal => ({
    id: r.id,
    position: Number(r.position),
    title: r.title,
    metric: r.metric,
    startValue: r.start_value === null ? null : Number(r.start_value),
    targetValue: r.target_value === null ? null : Number(r.target_value),
    manualValue: r.manual_value === null ? null : Number(r.manual_value),
    dueOn: r.due_on,
  });
  const milestoneFrom = (r: SuccessPlanMilestoneTable): SuccessPlanMilestone => ({
    id: r.id,
    position: Number(r.position),
    title: r.title,
    dueOn: r.due_on,
    doneAt: r.done_at,
    doneBy: r.done_by,
    valueMilestone: adapter.decodeBoolean(r.value_milestone),
  });
  const planFrom = (
    r: SuccessPlanTable,
    goals: SuccessPlanGoal[],
    milestones: SuccessPlanMilestone[],
  ): SuccessPlan => ({
    id: r.id,
    accountId: r.account_id,
    kind: r.kind as SuccessPlanKind,
    templateKey: r.template_key,
    title: r.title,
    status: r.status as SuccessPlanStatus,
    startedOn: r.started_on,
    challenges: adapter.decodeJson(r.challenges) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    goals,
    milestones,
  });

  /** Plans with their goals and milestones, in three reads whatever the number of plans. */
  async function hydrate(workspaceId: string, rows: SuccessPlanTable[]): Promise<SuccessPlan[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [goals, milestones] = await Promise.all([
      ctx.db
        .selectFrom("success_plan_goals")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("plan_id", "in", ids)
        .orderBy("position")
        .execute(),
      ctx.db
        .selectFrom("success_plan_milestones")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("plan_id", "in", ids)
        .orderBy("position")
        .execute(),
    ]);
    return rows.map((r) =>
      planFrom(
        r,
        goals.filter((g) => g.plan_id === r.id).map(goalFrom),
        milestones.filter((m) => m.plan_id === r.id).map(milestoneFrom),
      ),
    );
  }

  const repo: SuccessPlanRepository = {
    async create(workspaceId, plan) {
      const at = nowIso();
      const row: SuccessPlanTable = {
        workspace_id: workspaceId,
        id: plan.id,
        account_id: plan.accountId,
        kind: plan.kind,
        template_key: plan.templateKey,
        title: plan.title,
        status: plan.status,
        started_on: plan.startedOn,
        challenges: adapter.encodeJson(plan.challenges),
        created_by: plan.createdBy,
        created_at: at,
        updated_at: at,
      };
      await atomically(ctx, async (db) => {
        await db.insertInto("success_plans").values(row).execute();
        if (plan.goals.length > 0) {
          await db
            .insertInto("success_plan_goals")
            .values(
              plan.goals.map((g) => ({
                workspace_id: workspaceId,
                id: g.id,
                plan_id: plan.id,
                position: g.position,
                title: g.title,
                metric: g.metric,
                start_value: g.startValue,
                target_value: g.targetValue,
                manual_value: g.manualValue,
                due_on: g.dueOn,
              })),
            )
            .execute();
        }
        if (plan.milestones.length > 0) {
          await db
            .insertInto("success_plan_milestones")
            .values(
              plan.milestones.map((m) => ({
                workspace_id: workspaceId,
                id: m.id,
                plan_id: plan.id,
                position: m.position,
                title: m.title,
                due_on: m.dueOn,
                done_at: m.doneAt,
                done_by: m.doneBy,
                value_milestone: adapter.encodeBoolean(m.valueMilestone),
              })),
            )
            .execute();
        }
      });
      return { ...plan, createdAt: at, updatedAt: at };
    },

    async get(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("success_plans")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (row === undefined) return null;
      const [plan] = await hydrate(workspaceId, [row]);
      return plan ?? null;
    },

    async listByAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("success_plans")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .orderBy("started_on", "desc")
        .orderBy("id", "desc")
        .execute();
      return hydrate(workspaceId, rows);
    },

    async milestoneFacts(workspaceId, kind) {
      const rows = await ctx.db
        .selectFrom("success_plans as p")
        .innerJoin("success_plan_milestones as m", (j) =>
          j.onRef("m.workspace_id", "=", "p.workspace_id").onRef("m.plan_id", "=", "p.id"),
        )
        .select([
          "p.id as plan_id",
          "p.account_id",
          "p.kind",
          "p.status",
          "p.started_on",
          "m.done_at",
          "m.value_milestone",
        ])
        .where("p.workspace_id", "=", workspaceId)
        .where("p.kind", "=", kind)
        .execute();
      return rows.map((r) => ({
        planId: r.plan_id,
        accountId: r.account_id,
        kind: r.kind as SuccessPlanKind,
        status: r.status as SuccessPlanStatus,
        startedOn: r.started_on,
        doneAt: r.done_at,
        valueMilestone: adapter.decodeBoolean(r.value_milestone),
      }));
    },

    async update(workspaceId, id, patch) {
      const set: Partial<SuccessPlanTable> = { updated_at: nowIso() };
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.challenges !== undefined) set.challenges = adapter.encodeJson(patch.challenges);
      const res = await ctx.db
        .updateTable("success_plans")
        .set(set)
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 0 ? null : repo.get(workspaceId, id);
    },

    async updateGoal(workspaceId, planId, goalId, patch) {
      const set: Partial<SuccessPlanGoalTable> = {};
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.targetValue !== undefined) set.target_value = patch.targetValue;
      if (patch.manualValue !== undefined) set.manual_value = patch.manualValue;
      if (patch.dueOn !== undefined) set.due_on = patch.dueOn;
      if (Object.keys(set).length === 0) return true;
      return atomically(ctx, async (db) => {
        const res = await db
          .updateTable("success_plan_goals")
          .set(set)
          .where("workspace_id", "=", workspaceId)
          .where("plan_id", "=", planId)
          .where("id", "=", goalId)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) return false;
        await touch(db, workspaceId, planId);
        return true;
      });
    },

    async setMilestoneDone(workspaceId, planId, milestoneId, done) {
      return atomically(ctx, async (db) => {
        const res = await db
          .updateTable("success_plan_milestones")
          .set({ done_at: done?.at ?? null, done_by: done?.by ?? null })
          .where("workspace_id", "=", workspaceId)
          .where("plan_id", "=", planId)
          .where("id", "=", milestoneId)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) return false;
        await touch(db, workspaceId, planId);
        return true;
      });
    },

    async delete(workspaceId, id) {
      return atomically(ctx, async (db) => {
        await db
          .deleteFrom("success_plan_goals")
          .where("workspace_id", "=", workspaceId)
          .where("plan_id", "=", id)
          .execute();
        await db
          .deleteFrom("success_plan_milestones")
          .where("workspace_id", "=", workspaceId)
          .where("plan_id", "=", id)
          .execute();
        const res = await db
          .deleteFrom("success_plans")
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", id)
          .executeTakeFirst();
        return Number(res.numDeletedRows) > 0;
      });
    },
  };

  async function touch(db: RepositoryContext["db"], workspaceId: string, planId: string) {
    await db
      .updateTable("success_plans")
      .set({ updated_at: nowIso() })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", planId)
      .execute();
  }

  return repo;
}
