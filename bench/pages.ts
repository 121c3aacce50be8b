/**
 * `npm run bench -- pages [--dialect sqlite|postgres|both] [--accounts N] [--seconds S] [--runs R] [--reuse]`:
 * the accounts list and account page at 100,000 accounts, on SQLite and on PostgreSQL with the same
 * targets (p99 ≤ 50 ms, also while /v1/batch ingestion runs).
 * 1. In process: the stored list's one-time build (the backfill of a database that has none), then the
 *    per-request builder the list used before (`loadAccountRows`) and stored pages (median of R runs).
 * 2. A `tenure serve` child: pages of `GET /api/accounts` (limit 10, each sort and order, with and
 *    without filters (the segment filter too), with the total; 2 connections, closed loop, autocannon)
 *    and `GET /api/accounts/{id}/overview` (200 req/s, open loop: bench/lib/paced-load.ts) p50/p99,
 *    quiet and while ingesting.
 * PostgreSQL: the database `tenure_bench_pages` (dropped and re-created) on the server of
 * TENURE_BENCH_DATABASE_URL (default the local `test` database's server), so tests are not disturbed.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSeededRng } from "@tenure/core";
import {
  ACCOUNT_SORTS,
  accountListPage,
  generateDemoCompany,
  loadAccountRows,
  rebuildAccountList,
  recomputeHealth,
} from "@tenure/services";
import { openStorage, type Storage, type StorageConfig, type UsageUser } from "@tenure/storage";
// @ts-expect-error autocannon ships no type declarations; the part used here is typed below.
import autocannonUntyped from "autocannon";
import { assertKnownFlags, intFlag } from "./lib/args";
import {
  type BenchDialect,
  benchDatabaseUrl,
  dialectsFlag,
  freshStore,
  maintainStore,
  seedStore,
  startServeChild,
} from "./lib/bench-store";
import { ingestLoop, stopServer } from "./lib/http-load";
import { pacedKeyLoad } from "./lib/paced-load";
import type { BenchSuite } from "./lib/suite";
import { renderTable } from "./lib/table";
import { formatSeconds, timeOnce, timeRuns } from "./lib/timing";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const DB_FILE = path.join(REPO_ROOT, "bench/.data/pages.db");
const PG_DATABASE = "tenure_bench_pages";
const WORKSPACE = "default";
// Today: the server lists at its own date, so the scores it reads must be today's and a week old.
const AS_OF = new Date().toISOString().slice(0, 10);
const WEEK_BEFORE = new Date(Date.parse(AS_OF) - 7 * 86_400_000).toISOString().slice(0, 10);
const LIST_OPTS = { asOf: AS_OF, reportingCurrency: "USD" };
const PORT = 39_541;
const P99_TARGET_MS = 50;
const PAGE_RATE = 200;
const TRACKED_ACCOUNTS = 5_000;
const EVENTS = ["Report Run", "Dashboard Viewed", "Export", "Invite Sent", "Alert Created"];
const n = (x: number) => Math.round(x).toLocaleString("en-US");

/**
 * The demo company, one tracked user on the first accounts, health scored a week apart (for trends),
 * and the stored accounts list built once (what a database migrated from before it gets on first use).
 */
async function build(
  config: StorageConfig,
  accounts: number,
): Promise<{ userKeys: string[]; listBuildSeconds: number }> {
  const demo = generateDemoCompany({ accounts, asOf: AS_OF });
  await seedStore(config, WORKSPACE, demo);
  const s = await openStorage(config);
  try {
    const users: UsageUser[] = demo.accounts.slice(0, TRACKED_ACCOUNTS).map((a) => ({
      userKey: `${a.id}-u0`,
      userId: `${a.id}-u0`,
      anonymousId: null,
      accountId: a.id,
      name: "User 1",
      email: null,
      role: "admin",
      department: null,
      traits: {},
    }));
    await s.usageUsers.upsertMany(WORKSPACE, users);
    for (const day of [WEEK_BEFORE, AS_OF]) await recomputeHealth(s, WORKSPACE, { asOf: day });
    const list = await timeOnce(() => rebuildAccountList(s, WORKSPACE, LIST_OPTS));
    return { userKeys: users.map((u) => u.userKey), listBuildSeconds: list.seconds };
  } finally {
    await s.close();
  }
}

/** The per-request builder the list used before, then stored pages, in this process. */
async function listReads(storage: Storage, runs: number): Promise<string[][]> {
  const size = (r: unknown) =>
    Array.isArray(r)
      ? `${n(r.length)} rows`
      : typeof r === "object" && r !== null && "total" in r
        ? `of ${n(Number(r.total))}`
        : "";
  const reads: [string, () => Promise<unknown>][] = [
    [
      "loadAccountRows (every row, per request before)",
      async () => (await loadAccountRows(storage, WORKSPACE, LIST_OPTS)).rows,
    ],
    ["stored page: name asc, limit 10", () => accountListPage(storage, WORKSPACE, { limit: 10 }, LIST_OPTS)],
    [
      "stored page: churn desc, band=red, limit 10",
      () =>
        accountListPage(storage, WORKSPACE, { sort: "churnProbability", band: "red", limit: 10 }, LIST_OPTS),
    ],
    [
      "stored page: arr desc, search 'ab', limit 10",
      () => accountListPage(storage, WORKSPACE, { sort: "arr", search: "ab", limit: 10 }, LIST_OPTS),
    ],
    [
      "stored page: score asc, offset 50,000",
      () =>
        accountListPage(
          storage,
          WORKSPACE,
          { sort: "score", order: "asc", limit: 10, offset: 50_000 },
          LIST_OPTS,
        ),
    ],
  ];
  const rows: string[][] = [];
  for (const [label, read] of reads) {
    const t = await timeRuns(read, { runs, label, showCpu: false });
    rows.push([label, formatSeconds(t.median), size(await read())]);
  }
  return rows;
}

/** The list pages the HTTP figure cycles through: every sort and order, with and without filters. */
function listPaths(): string[] {
  // The segment filter (any attribute=value, custom fields too) seeks its key table since 2026_12_09_1601.
  const filters = [
    "",
    "&band=red",
    "&search=ab",
    "&band=green&tier=enterprise",
    "&owner=tech%20touch",
    "&segment=tier%3Dsmb",
  ];
  const out: string[] = [];
  for (const sort of ACCOUNT_SORTS)
    for (const order of ["asc", "desc"])
      for (const f of filters) out.push(`/api/accounts?limit=10&sort=${sort}&order=${order}${f}`);
  return out;
}

interface CannonResult {
  latency: { p50: number; p99: number };
  requests: { total: number };
  errors: number;
  non2xx: number;
}
const autocannon = autocannonUntyped as (opts: Record<string, unknown>) => Promise<CannonResult>;

interface LoadResult {
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

async function load(
  key: string,
  seconds: number,
  path: () => string,
  shape: { connections: number; overallRate?: number; timeout?: number },
): Promise<LoadResult> {
  const r = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    ...shape,
    duration: seconds,
    headers: { authorization: `Bearer ${key}` },
    requests: [{ method: "GET", setupRequest: (req: object) => ({ ...req, path: path() }) }],
  });
  return {
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
  };
}

/** The account page at PAGE_RATE, open loop (evenly spaced; latency from each request's due time). */
function paced(key: string, seconds: number, path: () => string): Promise<LoadResult> {
  return pacedKeyLoad({ port: PORT, rate: PAGE_RATE, seconds, key, path });
}

/** The store a previous run built with this many accounts, or null (then it is built afresh). */
async function previousStore(dialect: BenchDialect, accounts: number): Promise<StorageConfig | null> {
  const config: StorageConfig =
    dialect === "sqlite" ? { sqliteFile: DB_FILE } : { databaseUrl: benchDatabaseUrl(PG_DATABASE) };
  if (dialect === "sqlite" && !existsSync(DB_FILE)) return null;
  try {
    // Migrated: the code measured may have added migrations since the store was built.
    const s = await openStorage(config);
    try {
      return (await s.accounts.ids(WORKSPACE)).length === accounts ? config : null;
    } finally {
      await s.close();
    }
  } catch {
    return null;
  }
}

async function runDialect(
  dialect: BenchDialect,
  accounts: number,
  seconds: number,
  runs: number,
  reuse: boolean,
) {
  let config = reuse ? await previousStore(dialect, accounts) : null;
  if (config !== null)
    console.log(`\n[${dialect}] reusing the ${n(accounts)} accounts a previous run built (--reuse)`);
  else {
    console.log(`\n[${dialect}] building ${n(accounts)} demo accounts, health scored on two days...`);
    config = await freshStore(dialect, DB_FILE, PG_DATABASE);
    const fresh = config;
    const built = await timeOnce(() => build(fresh, accounts));
    console.log(
      `  built in ${formatSeconds(built.seconds)} (the stored accounts list: ${formatSeconds(built.result.listBuildSeconds)})`,
    );
  }
  const storage = await openStorage(config, { migrate: false });
  let ids: string[];
  let admin: string;
  let write: string;
  let reads: string[][];
  try {
    reads = await listReads(storage, runs);
    ids = await storage.accounts.ids(WORKSPACE);
    admin = (await storage.apiKeys.create(WORKSPACE, { name: "bench", kind: "admin" })).key;
    write = (await storage.apiKeys.create(WORKSPACE, { name: "bench-write", kind: "write" })).key;
  } finally {
    await storage.close();
  }
  console.log(renderTable([`${dialect}: list read`, "median", "size"], reads));

  const rnd = createSeededRng(11);
  const pagePath = () =>
    `/api/accounts/${encodeURIComponent(ids[Math.floor(rnd() * ids.length)] as string)}/overview`;
  const lists = listPaths();
  let nextList = 0;
  const listPath = () => lists[nextList++ % lists.length] as string;
  const rows: string[][] = [];
  let ok = true;
  // Health rescored only after new data: a full recompute at start would be measured instead.
  await maintainStore(config);
  const server = await startServeChild(REPO_ROOT, config, PORT, { TENURE_HEALTH_INTERVAL_MINUTES: "0" });
  try {
    await paced(admin, 2, pagePath); // warm-up
    const record = (what: string, r: LoadResult) => {
      const pass = r.p99 <= P99_TARGET_MS && r.errors === 0;
      ok &&= pass;
      rows.push([
        what,
        `${r.p50} ms`,
        `${r.p99} ms`,
        `${n(r.requests)} req, ${r.errors} errors`,
        `${pass ? "PASS" : "FAIL"} (≤ ${P99_TARGET_MS} ms)`,
      ]);
    };
    const userKeys = ids.slice(0, TRACKED_ACCOUNTS).map((id) => `${id}-u0`);
    const page = () => paced(admin, seconds, pagePath);
    const list = () => load(admin, seconds, listPath, { connections: 2, timeout: 120 });
    // Every page figure before any list request: a list slower than the run would still hold the
    // server's event loop when the next figure starts.
    let events = 0;
    for (const [what, measure] of [
      ["account page", page],
      ["list page (limit 10, any sort/filter)", list],
    ] as const) {
      record(`${what}, quiet`, await measure());
      const loop = ingestLoop({
        port: PORT,
        writeKey: write,
        userKeys,
        events: EVENTS,
        day: AS_OF,
        idPrefix: "bench-pages",
      });
      record(`${what}, ingesting`, await measure());
      events += await loop.stop();
    }
    rows.push(["events ingested meanwhile", "", "", `${n(events / (2 * seconds))} events/s`, ""]);
  } finally {
    await stopServer(server);
  }
  console.log(renderTable([`${dialect}: HTTP`, "p50", "p99", "requests", "verdict"], rows));
  return ok;
}

async function run(args: readonly string[]): Promise<number> {
  // --reuse: measure on the store a previous run built (probing); figures for a note come from a fresh build.
  assertKnownFlags(args, ["dialect", "accounts", "seconds", "runs"], ["reuse"]);
  const reuse = args.includes("--reuse");
  const dialects = dialectsFlag(args);
  const accounts = intFlag(args, "accounts", 100_000);
  const seconds = intFlag(args, "seconds", 10);
  const runs = intFlag(args, "runs", 3);
  let ok = true;
  for (const d of dialects) ok = (await runDialect(d, accounts, seconds, runs, reuse)) && ok;
  console.log(
    `list reads: medians of ${runs} runs in process; HTTP on loopback, ${seconds} s per figure (list: autocannon, 2 connections closed loop; page: ${PAGE_RATE} req/s open loop, evenly spaced, latency from each request's due time, up to 50 connections)`,
  );
  return ok ? 0 : 1;
}

export const pagesSuite: BenchSuite = {
  name: "pages",
  description: "accounts list and account page p99 at 100,000 accounts, quiet and ingesting (--dialect)",
  run,
};
