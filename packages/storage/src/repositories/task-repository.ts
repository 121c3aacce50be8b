import { sql } from "kysely";
import type { TaskTable } from "../schema";
import { atomically, chunksFor, type RepositoryContext } from "./repository-context";

/** A task's state: open and in_progress are open; done and skipped are closed. */
export const TASK_STATUSES = ["open", "in_progress", "done", "skipped"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** True for the statuses a work list shows as still to do. */
export const isOpenStatus = (s: TaskStatus): boolean => s === "open" || s === "in_progress";

/** One task on an account. `assigneeId` null with a `teamId` is the team's pool. */
export interface TaskRecord {
  id: string;
  accountId: string;
  title: string;
  /** Markdown. */
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  assigneeId: string | null;
  teamId: string | null;
  /** YYYY-MM-DD. */
  dueDate: string;
  signalId: string | null;
  automationId: string | null;
  playbookRunId: string | null;
  /** Index of the playbook run's step the task is for. */
  playbookStep: number | null;
  outcome: string | null;
  /** Unique per workspace: a re-fired trigger with the same key updates instead of duplicating. */
  dedupeKey: string | null;
  createdBy: string | null;
  closedBy: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** Where a keyset page starts: after this (dueDate, id). */
export interface TaskCursor {
  dueDate: string;
  id: string;
}

/** A work list: equality filters, an open/closed or exact status filter, and a keyset page. */
export interface TaskQuery {
  assigneeId?: string;
  /** Tasks of the team (its pool and its members' tasks assigned through it). */
  teamId?: string;
  /** Only the team's pool (no assignee); with `teamId`. */
  unassigned?: boolean;
  accountId?: string;
  playbookRunId?: string;
  /** "open" (open + in_progress), "closed" (done + skipped), one status, or every task. */
  status?: "open" | "closed" | TaskStatus | "all";
  /** Only open tasks due strictly before this date (YYYY-MM-DD). */
  dueBefore?: string;
  /** Only tasks of the accounts this member owns or assigned to the member (a CSM's book). */
  bookOf?: string;
  after?: TaskCursor;
  limit: number;
}

/** Open and overdue task counts of one assignee. */
export interface AssigneeLoad {
  assigneeId: string;
  open: number;
  overdue: number;
}

export type TaskPatch = Partial<
  Pick<
    TaskRecord,
    | "title"
    | "description"
    | "status"
    | "priority"
    | "assigneeId"
    | "teamId"
    | "dueDate"
    | "outcome"
    | "closedBy"
    | "completedAt"
    | "signalId"
    | "automationId"
  >
> & { updatedAt: string };

export interface TaskRepository {
  /** Inserts new tasks (bulk loads and seeding included). */
  insertMany(workspaceId: string, tasks: readonly TaskRecord[]): Promise<void>;
  get(workspaceId: string, id: string): Promise<TaskRecord | null>;
  getByDedupeKey(workspaceId: string, key: string): Promise<TaskRecord | null>;
  /** Applies a patch; returns the task after it, or null when there is none. */
  update(workspaceId: string, id: string, patch: TaskPatch): Promise<TaskRecord | null>;
  /** One keyset page in (dueDate, id) order; `limit` + 1 rows are read to know whether more follow. */
  list(workspaceId: string, query: TaskQuery): Promise<{ tasks: TaskRecord[]; next: TaskCursor | null }>;
  /** Open and overdue (due before `today`) counts per assignee. */
  loadByAssignee(workspaceId: string, today: string): Promise<AssigneeLoad[]>;
  /** Names of the given accounts (what a page of tasks shows), without reading every account. */
  accountNames(workspaceId: string, accountIds: readonly string[]): Promise<Map<string, string>>;
  /** Open task counts per team pool (no assignee). */
  poolCounts(workspaceId: string): Promise<Map<string, number>>;
  /** Moves every open task of `assigneeId` to another assignee or a team's pool; returns their ids. */
  reassignOpen(
    workspaceId: string,
    assigneeId: string,
    to: { assigneeId: string | null; teamId: string | null },
    now: string,
  ): Promise<string[]>;
}

const COLUMNS = 23;

export function createTaskRepository(ctx: RepositoryContext): TaskRepository {
  const toRow = (workspaceId: string, t: TaskRecord): TaskTable => ({
    workspace_id: workspaceId,
    id: t.id,
    account_id: t.accountId,
    title: t.title,
    description: t.description,
    status: t.status,
    is_open: isOpenStatus(t.status) ? 1 : 0,
    priority: t.priority,
    assignee_id: t.assigneeId,
    team_id: t.teamId,
    due_date: t.dueDate,
    signal_id: t.signalId,
    automation_id: t.automationId,
    playbook_run_id: t.playbookRunId,
    playbook_step: t.playbookStep,
    outcome: t.outcome,
    dedupe_key: t.dedupeKey,
    created_by: t.createdBy,
    closed_by: t.closedBy,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    completed_at: t.completedAt,
  });
  const fromRow = (r: TaskTable): TaskRecord => ({
    id: r.id,
    accountId: r.account_id,
    title: r.title,
    description: r.description,
    status: r.status as TaskStatus,
    priority: r.priority as TaskPriority,
    assigneeId: r.assignee_id,
    teamId: r.team_id,
    dueDate: r.due_date,
    signalId: r.signal_id,
    automationId: r.automation_id,
    playbookRunId: r.playbook_run_id,
    playbookStep: r.playbook_step === null ? null : Number(r.playbook_step),
    outcome: r.outcome,
    dedupeKey: r.dedupe_key,
    createdBy: r.created_by,
    closedBy: r.closed_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  });
  const selectOne = (workspaceId: string) =>
    ctx.db.selectFrom("tasks").selectAll().where("workspace_id", "=", workspaceId);

  return {
    async insertMany(workspaceId, tasks) {
      if (tasks.length === 0) return;
      await atomically(ctx, async (db) => {
        for (const chunk of chunksFor(ctx.adapter, tasks, COLUMNS)) {
          await db
            .insertInto("tasks")
            .values(chunk.map((t) => toRow(workspaceId, t)))
            .execute();
        }
      });
    },

    async get(workspaceId, id) {
      const row = await selectOne(workspaceId).where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },

    async getByDedupeKey(workspaceId, key) {
      const row = await selectOne(workspaceId).where("dedupe_key", "=", key).executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },

    async update(workspaceId, id, patch) {
      const set: Partial<TaskTable> = { updated_at: patch.updatedAt };
      if (patch.title !== undefined) set.title = patch.title;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.status !== undefined) {
        set.status = patch.status;
        set.is_open = isOpenStatus(patch.status) ? 1 : 0;
      }
      if (patch.priority !== undefined) set.priority = patch.priority;
      if (patch.assigneeId !== undefined) set.assignee_id = patch.assigneeId;
      if (patch.teamId !== undefined) set.team_id = patch.teamId;
      if (patch.dueDate !== undefined) set.due_date = patch.dueDate;
      if (patch.outcome !== undefined) set.outcome = patch.outcome;
      if (patch.closedBy !== undefined) set.closed_by = patch.closedBy;
      if (patch.completedAt !== undefined) set.completed_at = patch.completedAt;
      if (patch.signalId !== undefined) set.signal_id = patch.signalId;
      if (patch.automationId !== undefined) set.automation_id = patch.automationId;
      return atomically(ctx, async (db) => {
        await db
          .updateTable("tasks")
          .set(set)
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", id)
          .execute();
        const row = await db
          .selectFrom("tasks")
          .selectAll()
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", id)
          .executeTakeFirst();
        return row === undefined ? null : fromRow(row);
      });
    },

    async list(workspaceId, query) {
      const status = query.status ?? "open";
      const isOpen = status === "open" ? 1 : status === "closed" ? 0 : null;
      const exact = status !== "open" && status !== "closed" && status !== "all" ? status : null;
      const rows = await ctx.db
        .selectFrom("tasks")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .$if(query.assigneeId !== undefined, (q) => q.where("assignee_id", "=", query.assigneeId ?? ""))
        .$if(query.teamId !== undefined, (q) => q.where("team_id", "=", query.teamId ?? ""))
        .$if(query.unassigned === true, (q) => q.where("assignee_id", "is", null))
        .$if(query.accountId !== undefined, (q) => q.where("account_id", "=", query.accountId ?? ""))
        .$if(query.playbookRunId !== undefined, (q) =>
          q.where("playbook_run_id", "=", query.playbookRunId ?? ""),
        )
        .$if(query.bookOf !== undefined, (q) =>
          q.where((eb) =>
            eb.or([
              eb("assignee_id", "=", query.bookOf ?? ""),
              eb(
                "account_id",
                "in",
                eb
                  .selectFrom("accounts")
                  .select("accounts.id")
                  .where("accounts.workspace_id", "=", workspaceId)
                  .where("accounts.owner_id", "=", query.bookOf ?? ""),
              ),
            ]),
          ),
        )
        // An exact status pins is_open too, so the work lists' indexes (which lead with it) still apply.
        .$if(exact !== null, (q) =>
          q
            .where("is_open", "=", isOpenStatus(exact as TaskStatus) ? 1 : 0)
            .where("status", "=", exact ?? ""),
        )
        .$if(isOpen !== null, (q) => q.where("is_open", "=", isOpen ?? 0))
        .$if(query.dueBefore !== undefined, (q) =>
          q.where("is_open", "=", 1).where("due_date", "<", query.dueBefore ?? ""),
        )
        .$if(query.after !== undefined, (q) =>
          q.where((eb) =>
            eb(
              eb.refTuple("due_date", "id"),
              ">",
              eb.tuple(query.after?.dueDate ?? "", query.after?.id ?? ""),
            ),
          ),
        )
        .orderBy("due_date")
        .orderBy("id")
        .limit(query.limit + 1)
        .execute();
      const tasks = rows.slice(0, query.limit).map(fromRow);
      const last = tasks[tasks.length - 1];
      const next =
        rows.length > query.limit && last !== undefined ? { dueDate: last.dueDate, id: last.id } : null;
      return { tasks, next };
    },

    async loadByAssignee(workspaceId, today) {
      const rows = await ctx.db
        .selectFrom("tasks")
        .select((eb) => [
          "assignee_id",
          eb.fn.countAll<number | string>().as("open"),
          eb.fn
            .sum<number | string | null>(
              sql<number>`case when ${eb.ref("due_date")} < ${today} then 1 else 0 end`,
            )
            .as("overdue"),
        ])
        .where("workspace_id", "=", workspaceId)
        .where("is_open", "=", 1)
        .where("assignee_id", "is not", null)
        .groupBy("assignee_id")
        .execute();
      return rows.map((r) => ({
        assigneeId: r.assignee_id as string,
        open: Number(r.open),
        overdue: Number(r.overdue ?? 0),
      }));
    },

    async accountNames(workspaceId, accountIds) {
      const out = new Map<string, string>();
      for (const chunk of chunksFor(ctx.adapter, accountIds, 1)) {
        const rows = await ctx.db
          .selectFrom("accounts")
          .select(["id", "name"])
          .where("workspace_id", "=", workspaceId)
          .where("id", "in", chunk)
          .execute();
        for (const r of rows) out.set(r.id, r.name);
      }
      return out;
    },

    async poolCounts(workspaceId) {
      const rows = await ctx.db
        .selectFrom("tasks")
        .select((eb) => ["team_id", eb.fn.countAll<number | string>().as("n")])
        .where("workspace_id", "=", workspaceId)
        .where("is_open", "=", 1)
        .where("assignee_id", "is", null)
        .where("team_id", "is not", null)
        .groupBy("team_id")
        .execute();
      return new Map(rows.map((r) => [r.team_id as string, Number(r.n)]));
    },

    async reassignOpen(workspaceId, assigneeId, to, now) {
      return atomically(ctx, async (db) => {
        const rows = await db
          .selectFrom("tasks")
          .select("id")
          .where("workspace_id", "=", workspaceId)
          .where("assignee_id", "=", assigneeId)
          .where("is_open", "=", 1)
          .orderBy("id")
          .execute();
        if (rows.length === 0) return [];
        await db
          .updateTable("tasks")
          .set({ assignee_id: to.assigneeId, team_id: to.teamId, updated_at: now })
          .where("workspace_id", "=", workspaceId)
          .where("assignee_id", "=", assigneeId)
          .where("is_open", "=", 1)
          .execute();
        return rows.map((r) => r.id);
      });
    },
  };
}
