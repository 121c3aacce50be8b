import { TenureError } from "@tenure/core";
import {
  type Assignment,
  closeTask,
  createTask,
  listTasks,
  resolveActor,
  TASK_LIST_STATUSES,
  type TaskListQuery,
  type TaskView,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { today } from "../context";
import { type Io, writeLine } from "../output";
import { findMember } from "./team";

/** The member `--as` names (id or email; must be active), or null without it. */
async function actorOf(storage: Storage, ws: string, as: string | undefined): Promise<string | null> {
  return as === undefined ? null : (await resolveActor(storage, ws, as)).id;
}

/**
 * `tenure tasks list [--assignee M] [--team T] [--account A] [--status S] [--overdue] [--limit N] [--json]`:
 * open tasks by default, in due-date order; JSON prints `{"tasks": [...], "nextCursor"}` (null when all
 * matching tasks are printed).
 */
export async function tasksListCommand(
  storage: Storage,
  args: {
    workspaceId: string;
    assignee?: string;
    team?: string;
    account?: string;
    status?: string;
    overdue: boolean;
    limit?: number;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  const ws = args.workspaceId;
  if (args.status !== undefined && !(TASK_LIST_STATUSES as readonly string[]).includes(args.status))
    throw new TenureError(
      "validation",
      `--status must be one of ${TASK_LIST_STATUSES.join(", ")}, got "${args.status}"`,
    );
  const query: TaskListQuery = {
    assigneeId: args.assignee === undefined ? undefined : (await findMember(storage, ws, args.assignee)).id,
    teamId: args.team,
    accountId: args.account,
    status: args.status as TaskListQuery["status"],
    overdue: args.overdue,
  };
  const max = args.limit ?? 1000;
  const tasks: TaskView[] = [];
  let cursor: string | undefined;
  // Pages of up to 500 until the limit: the same keyset paging as the API.
  for (;;) {
    const page = await listTasks(
      storage,
      ws,
      { ...query, cursor, limit: Math.min(500, max - tasks.length) },
      today(),
    );
    tasks.push(...page.tasks);
    cursor = page.nextCursor ?? undefined;
    if (cursor === undefined || tasks.length >= max) break;
  }
  if (args.json) {
    writeLine(io.out, JSON.stringify({ tasks, nextCursor: cursor ?? null }));
    return 0;
  }
  if (tasks.length === 0) writeLine(io.out, "No tasks.");
  for (const t of tasks)
    writeLine(
      io.out,
      `${t.dueDate}${t.overdue ? "!" : " "} ${t.priority.padEnd(6)} ${t.status.padEnd(11)} ${t.accountName.slice(0, 28).padEnd(28)} ${(t.assigneeName ?? (t.teamName ? `pool: ${t.teamName}` : "–")).padEnd(22)} ${t.title}  [${t.id}]`,
    );
  if (cursor !== undefined) writeLine(io.out, `… more than ${max}; raise --limit`);
  return 0;
}

/** Parses `--assign`: owner | member:<id> | round-robin:<team> | least-loaded:<team> | pool:<team>. */
export function parseAssign(text: string | undefined): Assignment | undefined {
  if (text === undefined) return undefined;
  const [kind, arg] = text.split(":", 2) as [string, string | undefined];
  if (kind === "owner" && arg === undefined) return { strategy: "owner" };
  if (arg !== undefined && arg !== "") {
    if (kind === "member") return { strategy: "member", memberId: arg };
    if (kind === "round-robin") return { strategy: "round_robin", teamId: arg };
    if (kind === "least-loaded") return { strategy: "least_loaded", teamId: arg };
    if (kind === "pool") return { strategy: "pool", teamId: arg };
  }
  throw new TenureError(
    "validation",
    `--assign must be owner, member:<id>, round-robin:<team>, least-loaded:<team> or pool:<team>, got "${text}"`,
  );
}

/** `tenure tasks add ACCOUNT TITLE [--due D] [--priority P] [--assign A] [--description MD] [--as M] [--json]`. */
export async function tasksAddCommand(
  storage: Storage,
  args: {
    workspaceId: string;
    account: string;
    title: string;
    due?: string;
    priority?: string;
    assign?: string;
    description?: string;
    as?: string;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  const ws = args.workspaceId;
  const res = await createTask(
    storage,
    ws,
    {
      accountId: args.account,
      title: args.title,
      description: args.description ?? null,
      dueDate: args.due,
      priority: args.priority as "normal" | undefined,
      assign: parseAssign(args.assign),
    },
    { actorId: await actorOf(storage, ws, args.as), at: new Date(), today: today() },
  );
  writeLine(io.out, args.json ? JSON.stringify(res) : `Task ${res.task.id} due ${res.task.dueDate}.`);
  return 0;
}

/** `tenure tasks done|skip ID [--outcome TEXT] [--as M] [--json]`: closes a task. */
export async function tasksCloseCommand(
  storage: Storage,
  args: {
    workspaceId: string;
    id: string;
    status: "done" | "skipped";
    outcome?: string;
    as?: string;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  const ws = args.workspaceId;
  const task = await closeTask(
    storage,
    ws,
    args.id,
    { status: args.status, outcome: args.outcome ?? null },
    { actorId: await actorOf(storage, ws, args.as), at: new Date(), today: today() },
  );
  writeLine(io.out, args.json ? JSON.stringify(task) : `Task ${task.id}: ${task.status}.`);
  return 0;
}
