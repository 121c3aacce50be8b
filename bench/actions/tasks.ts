/**
 * `npm run bench -- actions tasks [--tasks 100000] [--requests 300] [--baseline-requests 20] [--dialect sqlite|postgres|both]`:
 * paged task queries (issue 15 §15: p99 ≤ 50 ms over 100,000 tasks).
 *
 * The store: 100,000 tasks over 2,250 accounts and 45 members in 3 teams (high-touch 10, mid-market 15,
 * tech-touch 20; 8% of tasks in a team's pool), a mix of statuses (27% open, 8% in progress, 57% done,
 * 8% skipped), priorities and due dates (open ones from 60 days overdue to 45 days ahead), written through
 * the storage repository. Then the work lists the Tasks page shows, as it asks for them (GET /api/tasks,
 * 50 a page, open tasks): "mine" (?assignee=, rotating over the 45 members), "overdue" (?overdue=true)
 * and "by team" (?team=, rotating over the 3 teams), each on its first page and on a deep keyset page (the
 * page that starts 90% down the list), `--requests` times each through the server's routes in process
 * (auth, validation, the query, names, JSON), p50 and p99 of wall time and of this process's CPU time (on
 * a loaded machine the CPU time says what an idle one would show). Beside each: the storage query alone, and the
 * baseline, measured in the same run on the same rows: the same query (same filters, same keyset, same
 * order and limit) with every column wrapped (`x || ''`, `x + 0`) so that no index can serve it, i.e.
 * what the page would cost without its index. Every baseline answer is checked to be the same page.
 * PostgreSQL is measured after ANALYZE (what autovacuum does soon after a bulk load); the "mine" query
 * right before it is printed too, as the plan without statistics differs.
 */

import { fileURLToPath } from "node:url";
import { createSeededRng } from "@tenure/core";
import { createApp } from "@tenure/server";
import { encodeTaskCursor } from "@tenure/services";
import {
  minimalAccount,
  openStorage,
  type Storage,
  type StorageConfig,
  type TaskCursor,
  type TaskPriority,
  type TaskQuery,
  type TaskRecord,
  type TaskStatus,
} from "@tenure/storage";
import Database from "better-sqlite3";
import pg from "pg";
import { intFlag } from "../lib/args";
import { type BenchDialect, dialectsFlag, freshStore } from "../lib/bench-store";
import { formatMs, type Latency, latency, loadNote } from "../lib/latency";
import { renderTable } from "../lib/table";
import { formatSeconds, timeOnce } from "../lib/timing";
import type { ActionsBenchPart } from "./part";

const WS = "bench";
const TODAY = "2026-06-30";
const PAGE = 50;
const P99_TARGET_MS = 50;
const SQLITE_FILE = fileURLToPath(new URL("../.data/actions-tasks.db", import.meta.url));
const PG_DATABASE = "tenure_bench_tasks";
const TEAMS = [
  {
    id: "enterprise",
    name: "High-touch enterprise",
    kind: "high_touch",
    members: 10,
    accounts: 250,
    share: 0.25,
  },
  { id: "mid-market", name: "Mid-market", kind: "mid_market", members: 15, accounts: 750, share: 0.35 },
  { id: "tech-touch", name: "Tech-touch pool", kind: "tech_touch", members: 20, accounts: 1_250, share: 0.4 },
] as const;

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);

function pick<T>(random: () => number, items: readonly (readonly [T, number])[]): T {
  let x = random() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

const STATUSES: readonly (readonly [TaskStatus, number])[] = [
  ["open", 27],
  ["in_progress", 8],
  ["done", 57],
  ["skipped", 8],
];
const PRIORITIES: readonly (readonly [TaskPriority, number])[] = [
  ["low", 20],
  ["normal", 55],
  ["high", 20],
  ["urgent", 5],
];
const TITLES = [
  "Call the champion",
  "Send the QBR deck",
  "Review usage drop",
  "Renewal prep",
  "Onboarding check-in",
];

/** Teams, members, accounts and `count` tasks, through the repositories; returns the member ids per team. */
async function seed(storage: Storage, count: number): Promise<Map<string, string[]>> {
  const random = createSeededRng(15);
  const at = `${TODAY}T08:00:00.000Z`;
  await storage.workspaces.ensure(WS, "Tasks bench");
  await storage.team.upsertTeams(
    WS,
    TEAMS.map((t) => ({ id: t.id, name: t.name, kind: t.kind })),
  );
  const membersOf = new Map<string, string[]>();
  const accountsOf = new Map<string, string[]>();
  const accounts = [];
  let n = 0;
  for (const t of TEAMS) {
    const members = Array.from({ length: t.members }, (_, i) => `${t.id}-csm-${i + 1}`);
    membersOf.set(t.id, members);
    await storage.team.upsertMembers(
      WS,
      members.map((id, i) => ({
        id,
        name: `CSM ${t.id} ${i + 1}`,
        email: `${id}@example.com`,
        teamId: t.id,
        role: "CSM",
        capacity: Math.ceil(t.accounts / t.members),
        active: true,
        deactivatedAt: null,
        successorId: null,
      })),
    );
    const ids = Array.from({ length: t.accounts }, () => `acc-${String(++n).padStart(5, "0")}`);
    accountsOf.set(t.id, ids);
    for (const id of ids) accounts.push({ ...minimalAccount(id), name: `Account ${id.slice(4)}` });
  }
  await storage.accounts.upsertMany(WS, accounts);
  const tasks: TaskRecord[] = [];
  for (let i = 0; i < count; i++) {
    const team = pick(
      random,
      TEAMS.map((t) => [t, t.share] as const),
    );
    const members = membersOf.get(team.id) ?? [];
    const teamAccounts = accountsOf.get(team.id) ?? [];
    // Uneven books: some CSMs carry twice the work of others; 8% of tasks wait in the team's pool.
    const assigneeId =
      random() < 0.08
        ? null
        : pick(
            random,
            members.map((m, k) => [m, 1 + (k % 3)] as const),
          );
    const status = pick(random, STATUSES);
    const open = status === "open" || status === "in_progress";
    const dueDate = open
      ? addDays(TODAY, Math.floor(random() * 106) - 60)
      : addDays(TODAY, -Math.floor(random() * 400));
    const createdAt = `${addDays(dueDate, -3 - Math.floor(random() * 18))}T09:00:00.000Z`;
    tasks.push({
      id: `task-${String(i).padStart(6, "0")}`,
      accountId: teamAccounts[Math.floor(random() * teamAccounts.length)] ?? "acc-00001",
      title: TITLES[i % TITLES.length] ?? "Follow up",
      description: random() < 0.3 ? "Notes from the last call: see the timeline." : null,
      status,
      priority: pick(random, PRIORITIES),
      assigneeId,
      teamId: team.id,
      dueDate,
      signalId: null,
      automationId: random() < 0.4 ? "auto-usage-drop" : null,
      playbookRunId: null,
      playbookStep: null,
      outcome: open ? null : "Done on the call",
      dedupeKey: null,
      createdBy: null,
      closedBy: open ? null : assigneeId,
      createdAt,
      updatedAt: at,
      completedAt: open ? null : `${dueDate}T17:00:00.000Z`,
    });
  }
  await storage.tasks.insertMany(WS, tasks);
  return membersOf;
}

/** One work list the Tasks page shows: its API query, its storage query and its unindexed baseline. */
interface WorkList {
  params: Record<string, string>;
  query: Omit<TaskQuery, "limit" | "after">;
  /** The baseline's filters: SQL with `?` placeholders, and their values. */
  where: string;
  values: string[];
}

const mine = (memberId: string): WorkList => ({
  params: { assignee: memberId },
  query: { assigneeId: memberId, status: "open" },
  where: "assignee_id || '' = ? AND is_open + 0 = 1",
  values: [memberId],
});
const team = (teamId: string): WorkList => ({
  params: { team: teamId },
  query: { teamId, status: "open" },
  where: "team_id || '' = ? AND is_open + 0 = 1",
  values: [teamId],
});
const overdue = (): WorkList => ({
  params: { overdue: "true" },
  query: { status: "open", dueBefore: TODAY },
  where: "is_open + 0 = 1 AND due_date || '' < ?",
  values: [TODAY],
});

/** Runs the baseline SQL on its own connection (the storage keeps its connection to itself). */
interface RawReader {
  ids(sql: string, values: readonly string[]): Promise<string[]>;
  /** Gathers the planner's statistics of the tasks table (PostgreSQL; SQLite's plans do not use any). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

async function rawReader(config: StorageConfig): Promise<RawReader> {
  if (config.sqliteFile !== undefined) {
    const db = new Database(config.sqliteFile, { readonly: true });
    return {
      ids: async (sql, values) => (db.prepare(sql).all(...values) as { id: string }[]).map((r) => r.id),
      analyze: async () => undefined,
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  return {
    ids: async (sql, values) => {
      let k = 0;
      const text = sql.replace(/\?/g, () => `$${++k}`);
      return (await client.query<{ id: string }>(text, [...values])).rows.map((r) => r.id);
    },
    analyze: async () => {
      await client.query("ANALYZE tasks");
    },
    close: () => client.end(),
  };
}

/** The baseline: the list's page with no index usable (every column inside an expression). */
function baselineSql(list: WorkList, after: TaskCursor | undefined): { sql: string; values: string[] } {
  const keyset = after === undefined ? "" : " AND (due_date || '', id || '') > (?, ?)";
  return {
    sql: `SELECT * FROM tasks WHERE workspace_id || '' = ? AND ${list.where}${keyset} ORDER BY due_date || '', id || '' LIMIT ${PAGE + 1}`,
    values: [WS, ...list.values, ...(after === undefined ? [] : [after.dueDate, after.id])],
  };
}

/** Every row of a list in page order, read through the repository 500 at a time. */
async function walk(storage: Storage, list: WorkList): Promise<TaskCursor[]> {
  const out: TaskCursor[] = [];
  let after: TaskCursor | undefined;
  for (;;) {
    const page = await storage.tasks.list(WS, { ...list.query, after, limit: 500 });
    for (const t of page.tasks) out.push({ dueDate: t.dueDate, id: t.id });
    if (page.next === null) return out;
    after = page.next;
  }
}

interface Case {
  name: string;
  /** The lists the requests rotate over, each with the cursor of its page (undefined: first page). */
  targets: { list: WorkList; after: TaskCursor | undefined; rows: number }[];
}

interface CaseResult {
  name: string;
  rows: string;
  http: Latency;
  /** CPU milliseconds of this process per API request (the database server's not included). */
  httpCpu: Latency;
  query: Latency;
  baseline: Latency;
}

async function measure(
  storage: Storage,
  raw: RawReader,
  app: ReturnType<typeof createApp>,
  key: string,
  c: Case,
  requests: number,
  baselineRequests: number,
): Promise<CaseResult> {
  const http: number[] = [];
  const httpCpu: number[] = [];
  const query: number[] = [];
  const baseline: number[] = [];
  const headers = { authorization: `Bearer ${key}` };
  const every = Math.max(1, Math.floor(requests / baselineRequests));
  // A short warm-up of every path, unmeasured (statement caches, JIT).
  for (let i = 0; i < Math.min(20, requests) + requests; i++) {
    const measured = i >= Math.min(20, requests);
    const target = c.targets[i % c.targets.length];
    if (target === undefined) throw new Error(`${c.name}: no list to ask for`);
    const params = new URLSearchParams({ ...target.list.params, limit: String(PAGE) });
    if (target.after !== undefined) params.set("cursor", encodeTaskCursor(target.after));
    const h = await timeOnce(async () => {
      const res = await app.request(`/api/tasks?${params}`, { headers });
      if (res.status !== 200) throw new Error(`${c.name}: GET /api/tasks?${params} answered ${res.status}`);
      return (await res.json()) as { tasks: { id: string }[] };
    });
    const q = await timeOnce(() =>
      storage.tasks.list(WS, { ...target.list.query, after: target.after, limit: PAGE }),
    );
    const ids = q.result.tasks.map((t) => t.id);
    if (h.result.tasks.map((t) => t.id).join() !== ids.join() || ids.length === 0)
      throw new Error(`${c.name}: the API and the repository disagree, or the page is empty`);
    if (!measured) continue;
    http.push(h.seconds * 1000);
    httpCpu.push(h.cpu * 1000);
    query.push(q.seconds * 1000);
    if ((i - Math.min(20, requests)) % every === 0 && baseline.length < baselineRequests) {
      const b = baselineSql(target.list, target.after);
      const t = await timeOnce(() => raw.ids(b.sql, b.values));
      if (t.result.slice(0, PAGE).join() !== ids.join())
        throw new Error(`${c.name}: the unindexed baseline read another page`);
      baseline.push(t.seconds * 1000);
    }
  }
  const sizes = c.targets.map((t) => t.rows);
  const rows =
    Math.min(...sizes) === Math.max(...sizes)
      ? String(sizes[0])
      : `${Math.min(...sizes)}-${Math.max(...sizes)}`;
  return {
    name: c.name,
    rows,
    http: latency(http),
    httpCpu: latency(httpCpu),
    query: latency(query),
    baseline: latency(baseline),
  };
}

/** A first page and a deep page (starting 90% down) of each list; lists too short for one are skipped. */
async function cases(storage: Storage, membersOf: Map<string, string[]>): Promise<Case[]> {
  const lists: Record<string, WorkList[]> = {
    "mine (?assignee=)": [...membersOf.values()].flat().map(mine),
    "overdue (?overdue=true)": [overdue()],
    "by team (?team=)": TEAMS.map((t) => team(t.id)),
  };
  const out: Case[] = [];
  for (const [name, group] of Object.entries(lists)) {
    const walked = await Promise.all(group.map(async (list) => ({ list, rows: await walk(storage, list) })));
    out.push({
      name: `${name}, first page`,
      targets: walked.map((w) => ({ list: w.list, after: undefined, rows: w.rows.length })),
    });
    const deep = walked.filter((w) => w.rows.length > PAGE * 2);
    out.push({
      name: `${name}, deep page (90%)`,
      targets: deep.map((w) => ({
        list: w.list,
        after: w.rows[Math.min(Math.floor(w.rows.length * 0.9), w.rows.length - PAGE - 1)],
        rows: w.rows.length,
      })),
    });
  }
  return out;
}

async function runDialect(
  dialect: BenchDialect,
  count: number,
  requests: number,
  baselineRequests: number,
): Promise<CaseResult[]> {
  const config = await freshStore(dialect, SQLITE_FILE, PG_DATABASE);
  const storage = await openStorage(config);
  const raw = await rawReader(config);
  try {
    const seeded = await timeOnce(() => seed(storage, count));
    console.log(
      `  ${dialect}: ${count.toLocaleString("en-US")} tasks seeded in ${formatSeconds(seeded.seconds)}; ${loadNote()}`,
    );
    if (dialect === "postgres") {
      // Right after a bulk load PostgreSQL has no statistics of the table yet (autovacuum gathers them
      // within a minute or so; a deployment's tasks arrive a few at a time and always have them): shown
      // once, then measured with them.
      const first = seeded.result.values().next().value?.[0] ?? "";
      const before: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = await timeOnce(() =>
          storage.tasks.list(WS, { assigneeId: first, status: "open", limit: PAGE }),
        );
        before.push(t.seconds * 1000);
      }
      await raw.analyze();
      const after: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = await timeOnce(() =>
          storage.tasks.list(WS, { assigneeId: first, status: "open", limit: PAGE }),
        );
        after.push(t.seconds * 1000);
      }
      console.log(
        `  postgres "mine" first page, query alone, before statistics: p50 ${formatMs(latency(before).p50)}; ` +
          `after ANALYZE tasks: p50 ${formatMs(latency(after).p50)} (20 queries each)`,
      );
    }
    const key = (await storage.apiKeys.create(WS, { name: "bench", kind: "admin" })).key;
    const app = createApp({
      storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
    });
    const results: CaseResult[] = [];
    for (const c of await cases(storage, seeded.result)) {
      const r = await measure(storage, raw, app, key, c, requests, baselineRequests);
      console.log(
        `  ${dialect} ${c.name}: HTTP p50 ${formatMs(r.http.p50)} p99 ${formatMs(r.http.p99)}; ` +
          `no index p50 ${formatMs(r.baseline.p50)}; ${loadNote()}`,
      );
      results.push(r);
    }
    return results;
  } finally {
    await raw.close();
    await storage.close();
  }
}

export const tasksPart: ActionsBenchPart = {
  name: "tasks",
  description: "paged task queries over 100,000 tasks (mine, overdue, by team) p99 ≤ 50 ms, vs no index",
  flags: ["tasks", "requests", "baseline-requests", "dialect"],
  async run(args) {
    const count = intFlag(args, "tasks", 100_000);
    const requests = intFlag(args, "requests", 300);
    const baselineRequests = intFlag(args, "baseline-requests", 20);
    let ok = true;
    for (const dialect of dialectsFlag(args)) {
      const results = await runDialect(dialect, count, requests, baselineRequests);
      console.log(
        renderTable(
          [
            `${dialect}: ${count.toLocaleString("en-US")} tasks, ${PAGE} a page`,
            "open tasks in list",
            "GET /api/tasks p50",
            "p99",
            "its CPU p50",
            "p99",
            "query alone p50",
            "p99",
            "no index (baseline) p50",
            "p99",
            "baseline p99 / API p99",
            `API p99 ≤ ${P99_TARGET_MS} ms`,
          ],
          results.map((r) => [
            r.name,
            r.rows,
            formatMs(r.http.p50),
            formatMs(r.http.p99),
            formatMs(r.httpCpu.p50),
            formatMs(r.httpCpu.p99),
            formatMs(r.query.p50),
            formatMs(r.query.p99),
            formatMs(r.baseline.p50),
            formatMs(r.baseline.p99),
            `${(r.baseline.p99 / r.http.p99).toFixed(1)}×`,
            r.http.p99 <= P99_TARGET_MS ? "pass" : "FAIL",
          ]),
        ),
      );
      console.log(
        `  ${requests} API requests and queries per row (${results[0]?.baseline.n ?? 0} baseline queries), in process`,
      );
      if (!results.every((r) => r.http.p99 <= P99_TARGET_MS)) ok = false;
    }
    return ok;
  },
};
