import { randomUUID } from "node:crypto";
import { type Principal, TenureError } from "@tenure/core";
import {
  isOpenStatus,
  type Storage,
  type StorageTransaction,
  TASK_PRIORITIES,
  type TaskRecord,
  type TaskStatus,
  type TimelineEntryRecord,
} from "@tenure/storage";
import { z } from "zod";
import { guardAccountEdit } from "../access/book-scope";
import { inTransaction } from "../team/team-service";
import { type Assignment, resolveAssignment } from "./assignment";

/** Days from creation to the due date of a task created without one. */
export const DEFAULT_DUE_DAYS = 3;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

const newTask = z.object({
  accountId: z.string().trim().min(1, "must not be empty"),
  title: z.string().trim().min(1, "must not be empty").max(500),
  description: z.string().max(20_000).nullable().optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  dueDate: z.string().refine(isDate, "must be a date (YYYY-MM-DD)").optional(),
  signalId: z.string().min(1).nullable().optional(),
  automationId: z.string().min(1).nullable().optional(),
  playbookRunId: z.string().min(1).nullable().optional(),
  playbookStep: z.number().int().min(0).nullable().optional(),
  dedupeKey: z.string().trim().min(1).max(500).nullable().optional(),
});

/** What creating a task takes; `assign` picks the assignee (default: the account's owner). */
export type NewTask = z.input<typeof newTask> & { assign?: Assignment };

/** Who acts and when; `actorId` is the member (null: the system, an automation or an API key). */
export interface Acting {
  actorId: string | null;
  at: Date;
  /** Today (YYYY-MM-DD) for default due dates and what is overdue; default: the UTC date of `at`. */
  today?: string;
  /** Who asks (book scoping: own accounts, or tasks assigned to them); omitted = the operator's process. */
  principal?: Principal;
}

/** A closed task, as the listeners of `onTaskClosed` see it, inside the closing transaction. */
export interface TaskClosedEvent {
  workspaceId: string;
  task: TaskRecord;
  /** The transaction the task was closed in: a listener's writes commit or roll back with it. */
  tx: StorageTransaction;
}

export type TaskClosedListener = (event: TaskClosedEvent) => Promise<void> | void;

const closedListeners = new Set<TaskClosedListener>();

/**
 * Calls `listener` whenever a task is completed or skipped (e.g. to complete a playbook run when its last
 * step closes), inside the same transaction. Returns a function that removes the listener.
 */
export function onTaskClosed(listener: TaskClosedListener): () => void {
  closedListeners.add(listener);
  return () => closedListeners.delete(listener);
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const res = schema.safeParse(input);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const field = issue?.path.join(".") || "input";
  throw new TenureError("validation", `${field}: ${issue?.message ?? "is invalid"}`, { field });
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function timelineEntry(
  task: TaskRecord,
  event: "created" | "completed" | "skipped" | "reopened",
  acting: Acting,
): TimelineEntryRecord {
  const verb = {
    created: "Task created",
    completed: "Task done",
    skipped: "Task skipped",
    reopened: "Task reopened",
  };
  return {
    id: randomUUID(),
    accountId: task.accountId,
    type: "task",
    occurredAt: acting.at.toISOString(),
    author: null,
    actorId: acting.actorId,
    title: `${verb[event]}: ${task.title}`,
    body: event === "created" ? task.description : task.outcome,
    data: {
      taskId: task.id,
      event,
      title: task.title,
      status: task.status,
      priority: task.priority,
      assigneeId: task.assigneeId,
      dueDate: task.dueDate,
      playbookRunId: task.playbookRunId,
    },
  };
}

/** The result of `createTask`: `created` false when the dedupe key named a task that already existed. */
export interface CreatedTask {
  task: TaskRecord;
  created: boolean;
}

async function createOnce(
  tx: StorageTransaction,
  ws: string,
  t: z.output<typeof newTask>,
  assign: Assignment,
  acting: Acting,
): Promise<CreatedTask> {
  const dedupeKey = t.dedupeKey ?? null;
  if (dedupeKey !== null) {
    const existing = await tx.tasks.getByDedupeKey(ws, dedupeKey);
    // A re-fired trigger refreshes the open task's text, priority and date; a closed one stays closed.
    if (existing !== null) {
      if (!isOpenStatus(existing.status)) return { task: existing, created: false };
      const updated = await tx.tasks.update(ws, existing.id, {
        title: t.title,
        description: t.description ?? existing.description,
        priority: t.priority ?? existing.priority,
        dueDate: t.dueDate ?? existing.dueDate,
        updatedAt: acting.at.toISOString(),
      });
      return { task: updated ?? existing, created: false };
    }
  }
  if ((await tx.accounts.get(ws, t.accountId)) === null)
    throw new TenureError("validation", `accountId: no account "${t.accountId}"`, { field: "accountId" });
  const today = acting.today ?? day(acting.at);
  const who = await resolveAssignment(tx, ws, t.accountId, assign, today);
  const now = acting.at.toISOString();
  const task: TaskRecord = {
    id: randomUUID(),
    accountId: t.accountId,
    title: t.title,
    description: t.description ?? null,
    status: "open",
    priority: t.priority ?? "normal",
    assigneeId: who.assigneeId,
    teamId: who.teamId,
    dueDate: t.dueDate ?? addDays(today, DEFAULT_DUE_DAYS),
    signalId: t.signalId ?? null,
    automationId: t.automationId ?? null,
    playbookRunId: t.playbookRunId ?? null,
    playbookStep: t.playbookStep ?? null,
    outcome: null,
    dedupeKey,
    createdBy: acting.actorId,
    closedBy: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
  await tx.tasks.insertMany(ws, [task]);
  await tx.timeline.insertMany(ws, [timelineEntry(task, "created", acting)]);
  return { task, created: true };
}

/**
 * Creates a task on an account, assigned by `assign` (default: the account's owner), and puts it on the
 * account's timeline. With a `dedupeKey` already used in the workspace, the existing task is returned
 * (and, while open, updated) instead: an automation that fires again never duplicates work.
 * Pass a transaction to create it atomically with other writes (a playbook run and its steps).
 */
export async function createTask(
  repos: Storage | StorageTransaction,
  ws: string,
  input: NewTask,
  acting: Acting,
): Promise<CreatedTask> {
  const t = parse(newTask, input);
  const assign = input.assign ?? { strategy: "owner" };
  if (acting.principal !== undefined && (await repos.accounts.get(ws, t.accountId)) !== null) {
    await guardAccountEdit(repos, ws, acting.principal, t.accountId);
  }
  try {
    return await inTransaction(repos, (tx) => createOnce(tx, ws, t, assign, acting));
  } catch (err) {
    // Two creations with one new key at once: the loser's insert hits the unique index; it then finds the
    // winner's task. Only possible on a fresh transaction of our own.
    if (t.dedupeKey == null || !("transaction" in repos) || err instanceof TenureError) throw err;
    return inTransaction(repos, (tx) => createOnce(tx, ws, t, assign, acting));
  }
}

/** One task, or a not_found error naming it. */
export async function getTask(
  repos: Storage | StorageTransaction,
  ws: string,
  id: string,
): Promise<TaskRecord> {
  const task = await repos.tasks.get(ws, id);
  if (task === null) throw new TenureError("not_found", `No task "${id}"`);
  return task;
}

const taskPatch = z.object({
  title: z.string().trim().min(1, "must not be empty").max(500).optional(),
  description: z.string().max(20_000).nullable().optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  dueDate: z.string().refine(isDate, "must be a date (YYYY-MM-DD)").optional(),
  status: z.enum(["open", "in_progress"]).optional(),
});

export type TaskUpdate = z.input<typeof taskPatch>;

/**
 * Edits a task's text, priority or due date, or moves it between open and in progress. Setting a closed
 * task back to open or in progress reopens it (its outcome is kept; the timeline says so).
 */
export async function updateTask(
  storage: Storage,
  ws: string,
  id: string,
  input: TaskUpdate,
  acting: Acting,
): Promise<TaskRecord> {
  const p = parse(taskPatch, input);
  return storage.transaction(async (tx) => {
    const before = await getTask(tx, ws, id);
    await guardTask(tx, ws, acting, before);
    const reopening = p.status !== undefined && !isOpenStatus(before.status);
    const after = await tx.tasks.update(ws, id, {
      ...p,
      ...(reopening ? { completedAt: null, closedBy: null } : {}),
      updatedAt: acting.at.toISOString(),
    });
    if (after === null) throw new TenureError("not_found", `No task "${id}"`);
    if (reopening) await tx.timeline.insertMany(ws, [timelineEntry(after, "reopened", acting)]);
    return after;
  });
}

/**
 * Completes (`done`) or skips a task with an optional outcome note, puts it on the timeline and tells
 * the `onTaskClosed` listeners in the same transaction. Closing a closed task is a conflict.
 */
export async function closeTask(
  repos: Storage | StorageTransaction,
  ws: string,
  id: string,
  input: { status: Extract<TaskStatus, "done" | "skipped">; outcome?: string | null },
  acting: Acting,
): Promise<TaskRecord> {
  const outcome = input.outcome?.trim() || null;
  if (outcome !== null && outcome.length > 20_000)
    throw new TenureError("validation", "outcome: at most 20000 characters", { field: "outcome" });
  return inTransaction(repos, async (tx) => {
    const before = await getTask(tx, ws, id);
    await guardTask(tx, ws, acting, before);
    if (!isOpenStatus(before.status))
      throw new TenureError("conflict", `Task "${id}" is already ${before.status}`);
    const now = acting.at.toISOString();
    const task = await tx.tasks.update(ws, id, {
      status: input.status,
      outcome,
      closedBy: acting.actorId,
      completedAt: now,
      updatedAt: now,
    });
    if (task === null) throw new TenureError("not_found", `No task "${id}"`);
    await tx.timeline.insertMany(ws, [
      timelineEntry(task, input.status === "done" ? "completed" : "skipped", acting),
    ]);
    for (const listener of closedListeners) await listener({ workspaceId: ws, task, tx });
    return task;
  });
}

/** Gives an open task to another assignee (same strategies as creation). */
export async function reassignTask(
  storage: Storage,
  ws: string,
  id: string,
  assign: Assignment,
  acting: Acting,
): Promise<TaskRecord> {
  return storage.transaction(async (tx) => {
    const before = await getTask(tx, ws, id);
    await guardTask(tx, ws, acting, before);
    if (!isOpenStatus(before.status))
      throw new TenureError("conflict", `Task "${id}" is ${before.status}; reopen it before reassigning`);
    const who = await resolveAssignment(tx, ws, before.accountId, assign, acting.today ?? day(acting.at));
    const after = await tx.tasks.update(ws, id, { ...who, updatedAt: acting.at.toISOString() });
    if (after === null) throw new TenureError("not_found", `No task "${id}"`);
    return after;
  });
}

/** A CSM acts on tasks of its own accounts and on tasks assigned to it; managers on their teams' books. */
const guardTask = (repos: Storage | StorageTransaction, ws: string, acting: Acting, task: TaskRecord) =>
  guardAccountEdit(repos, ws, acting.principal, task.accountId, { assigneeId: task.assigneeId });

/** True when an open task's due date is before `today`. */
export const isOverdue = (t: Pick<TaskRecord, "status" | "dueDate">, today: string): boolean =>
  isOpenStatus(t.status) && t.dueDate < today;

/** YYYY-MM-DD of `d` in UTC: the day tasks fall due on. */
export const taskDay = day;
