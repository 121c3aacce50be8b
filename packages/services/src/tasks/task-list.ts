import { type Principal, TenureError, type TextLocale, taskTitleIn } from "@tenure/core";
import {
  type Storage,
  TASK_STATUSES,
  type TaskCursor,
  type TaskRecord,
  type TaskStatus,
} from "@tenure/storage";
import { readableBook } from "../access/book-scope";
import { loadAccountRows } from "../accounts/account-rows";
import { isOverdue } from "./task-service";

/** A task as lists show it: with its account's, assignee's and team's names and whether it is overdue. */
export interface TaskView extends TaskRecord {
  accountName: string;
  assigneeName: string | null;
  teamName: string | null;
  overdue: boolean;
}

/** Which tasks a work list shows; every filter is optional and they combine. */
export interface TaskListQuery {
  assigneeId?: string;
  teamId?: string;
  /** Only the team's pool (tasks with no assignee yet); needs `teamId`. */
  pool?: boolean;
  accountId?: string;
  playbookRunId?: string;
  /** "open" (default: open and in progress), "closed", one status, or "all". */
  status?: "open" | "closed" | "all" | TaskStatus;
  /** Only open tasks due before today. */
  overdue?: boolean;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1..500 (default 50). */
  limit?: number;
  /** The reader's language: a starter playbook step's title is given in it (default: as stored). */
  locale?: TextLocale;
}

/** One page of a work list, in due-date order; `nextCursor` null on the last page. */
export interface TaskPage {
  tasks: TaskView[];
  nextCursor: string | null;
}

export const TASK_LIST_STATUSES = ["open", "closed", "all", ...TASK_STATUSES] as const;

/** The opaque cursor of a keyset page: base64url of "dueDate|id". */
export function encodeTaskCursor(c: TaskCursor): string {
  return Buffer.from(`${c.dueDate}|${c.id}`).toString("base64url");
}

function decodeCursor(text: string): TaskCursor {
  const raw = Buffer.from(text, "base64url").toString();
  const bar = raw.indexOf("|");
  const dueDate = raw.slice(0, bar);
  if (bar < 0 || !/^\d{4}-\d{2}-\d{2}$/.test(dueDate))
    throw new TenureError("validation", "cursor: not a cursor this list returned", { field: "cursor" });
  return { dueDate, id: raw.slice(bar + 1) };
}

/**
 * One page of tasks (keyset paging on (due date, id), so a page costs the same at any depth), with the
 * names a list shows. `today` (YYYY-MM-DD) decides what is overdue.
 */
export async function listTasks(
  storage: Storage,
  ws: string,
  q: TaskListQuery,
  today: string,
  /** Who asks: a CSM limited to its book sees its accounts' tasks and those assigned to it. */
  principal?: Principal,
): Promise<TaskPage> {
  const limit = q.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new TenureError("validation", "limit: must be a whole number from 1 to 500", { field: "limit" });
  if (q.pool === true && q.teamId === undefined)
    throw new TenureError("validation", "teamId: a pool list needs the team", { field: "teamId" });
  const book = await readableBook(storage, principal);
  const page = await storage.tasks.list(ws, {
    bookOf: book?.ownerId,
    assigneeId: q.assigneeId,
    teamId: q.teamId,
    unassigned: q.pool,
    accountId: q.accountId,
    playbookRunId: q.playbookRunId,
    status: q.overdue === true ? "open" : q.status,
    dueBefore: q.overdue === true ? today : undefined,
    after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
    limit,
  });
  const runIds = q.locale === undefined ? [] : page.tasks.flatMap((t) => t.playbookRunId ?? []);
  const [members, teams, names, definitions] = await Promise.all([
    storage.team.listMembers(ws),
    storage.team.listTeams(ws),
    storage.tasks.accountNames(ws, [...new Set(page.tasks.map((t) => t.accountId))]),
    storage.playbooks.runDefinitions(ws, runIds),
  ]);
  const titleOf = (t: (typeof page.tasks)[number]) => {
    if (q.locale === undefined) return t.title;
    const definition = t.playbookRunId === null ? undefined : definitions.get(t.playbookRunId);
    const step =
      definition === undefined || t.playbookStep === null ? null : { definition, index: t.playbookStep };
    return taskTitleIn(t.title, step, q.locale);
  };
  const memberNames = new Map(members.map((m) => [m.id, m.name]));
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  return {
    tasks: page.tasks.map((t) => ({
      ...t,
      title: titleOf(t),
      accountName: names.get(t.accountId) ?? t.accountId,
      assigneeName: t.assigneeId === null ? null : (memberNames.get(t.assigneeId) ?? t.assigneeId),
      teamName: t.teamId === null ? null : (teamNames.get(t.teamId) ?? t.teamId),
      overdue: isOverdue(t, today),
    })),
    nextCursor: page.next === null ? null : encodeTaskCursor(page.next),
  };
}

/** One CSM's load: the accounts they own and their ARR, open and overdue tasks, against capacity. */
export interface WorkloadRow {
  memberId: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  accounts: number;
  arr: number;
  openTasks: number;
  overdueTasks: number;
  capacity: number | null;
  /** accounts / capacity (1 = full), null without a capacity. */
  utilization: number | null;
}

/** Work in a team's pool: accounts with no owner and tasks with no assignee. */
export interface PoolRow {
  teamId: string;
  teamName: string;
  accounts: number;
  arr: number;
  openTasks: number;
}

export interface Workload {
  asOf: string;
  reportingCurrency: string;
  members: WorkloadRow[];
  pools: PoolRow[];
}

/** Workload per active member (and per team pool) on `asOf`, ARR in the reporting currency. */
export async function workload(
  storage: Storage,
  ws: string,
  opts: { asOf: string; reportingCurrency: string },
): Promise<Workload> {
  const [members, teams, owners, loads, pools, rows] = await Promise.all([
    storage.team.listMembers(ws),
    storage.team.listTeams(ws),
    storage.team.ownership(ws),
    storage.tasks.loadByAssignee(ws, opts.asOf),
    storage.tasks.poolCounts(ws),
    loadAccountRows(storage, ws, opts),
  ]);
  const arrOf = new Map(rows.rows.map((r) => [r.id, r.arr]));
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  const byMember = new Map<string, { accounts: number; arr: number }>();
  const byPool = new Map<string, { accounts: number; arr: number }>();
  for (const o of owners) {
    const key = o.ownerId ?? o.teamId;
    if (key === null) continue;
    const target = o.ownerId !== null ? byMember : byPool;
    const acc = target.get(key) ?? { accounts: 0, arr: 0 };
    acc.accounts++;
    acc.arr += arrOf.get(o.accountId) ?? 0;
    target.set(key, acc);
  }
  const loadOf = new Map(loads.map((l) => [l.assigneeId, l]));
  return {
    asOf: opts.asOf,
    reportingCurrency: opts.reportingCurrency,
    members: members
      .filter((m) => m.active)
      .map((m) => {
        const book = byMember.get(m.id) ?? { accounts: 0, arr: 0 };
        const load = loadOf.get(m.id);
        return {
          memberId: m.id,
          name: m.name,
          teamId: m.teamId,
          teamName: m.teamId === null ? null : (teamNames.get(m.teamId) ?? null),
          accounts: book.accounts,
          arr: Math.round(book.arr * 100) / 100,
          openTasks: load?.open ?? 0,
          overdueTasks: load?.overdue ?? 0,
          capacity: m.capacity,
          utilization: m.capacity === null || m.capacity === 0 ? null : book.accounts / m.capacity,
        };
      }),
    pools: teams
      .map((t) => {
        const book = byPool.get(t.id) ?? { accounts: 0, arr: 0 };
        return {
          teamId: t.id,
          teamName: t.name,
          accounts: book.accounts,
          arr: Math.round(book.arr * 100) / 100,
          openTasks: pools.get(t.id) ?? 0,
        };
      })
      .filter((p) => p.accounts > 0 || p.openTasks > 0),
  };
}
