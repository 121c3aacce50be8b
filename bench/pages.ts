/**
 * `npm run bench -- pages [--dialect sqlite|postgres|both] [--accounts N] [--seconds S] [--runs R]`:
 * the accounts list and account page at 100,000 accounts, on SQLite and on PostgreSQL with the same
 * targets (p99 ≤ 50 ms, also while /v1/batch ingestion runs).
 * 1. In process: each read of the accounts list (`loadAccountRows`) timed alone, then the whole build
 *    (median of R runs): where the list's time goes.
 * 2. A `tenure serve` child: `GET /api/accounts?limit=10` (2 connections, closed loop) and
 *    `GET /api/accounts/{id}/overview` (200 req/s) p50/p99 with autocannon, quiet and while ingesting.
 * PostgreSQL: the database `tenure_bench_pages` (dropped and re-created) on the server of
 * TENURE_BENCH_DATABASE_URL (default the local `test` database's server), so tests are not disturbed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSeededRng } from "@tenure/core";
import { generateDemoCompany, loadAccountRows, recomputeHealth } from "@tenure/services";
import { openStorage, type Storage, type StorageConfig, type UsageUser } from "@tenure/storage";
// @ts-expect-error autocannon ships no type declarations; the part used here is typed below.
import autocannonUntyped from "autocannon";
import pg from "pg";
import { assertKnownFlags, intFlag } from "./lib/args";
import { basicAuth, postJson, stopServer } from "./lib/http-load";
import { baselineDatabaseUrl } from "./lib/postgres-mrr";
import { removeSqliteFile } from "./lib/sqlite-store";
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
const TWO_WEEKS_BEFORE = new Date(Date.parse(AS_OF) - 14 * 86_400_000).toISOString().slice(0, 10);
const PORT = 39_541;
const P99_TARGET_MS = 50;
const PAGE_RATE = 200;
const TRACKED_ACCOUNTS = 5_000;
const EVENTS = ["Report Run", "Dashboard Viewed", "Export", "Invite Sent", "Alert Created"];
const DIALECTS = ["sqlite", "postgres"] as const;
type BenchDialect = (typeof DIALECTS)[number];

const n = (x: number) => Math.round(x).toLocaleString("en-US");

function dialectsFlag(args: readonly string[]): BenchDialect[] {
  const i = args.findIndex((a) => a === "--dialect" || a.startsWith("--dialect="));
  if (i < 0) return ["sqlite"];
  const raw = args[i]?.includes("=") ? args[i]?.split("=")[1] : args[i + 1];
  if (raw === "both") return [...DIALECTS];
  if (raw === "sqlite" || raw === "postgres") return [raw];
  throw new Error(`--dialect must be sqlite, postgres or both, got "${raw}"`);
}

/** The bench's own PostgreSQL database URL (same server as the baseline, its own database). */
function pagesDatabaseUrl(): string {
  const url = new URL(baselineDatabaseUrl());
  url.pathname = `/${PG_DATABASE}`;
  return url.toString();
}

/** A fresh, empty store of `dialect`: the SQLite file removed, or the PostgreSQL database re-created. */
async function freshStore(dialect: BenchDialect): Promise<StorageConfig> {
  if (dialect === "sqlite") {
    removeSqliteFile(DB_FILE);
    return { sqliteFile: DB_FILE };
  }
  const admin = new pg.Client({ connectionString: baselineDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${PG_DATABASE}`);
    await admin.query(`CREATE DATABASE ${PG_DATABASE}`);
  } finally {
    await admin.end();
  }
  return { databaseUrl: pagesDatabaseUrl() };
}

/** The demo company, one tracked user on the first accounts, and health scored a week apart (for trends). */
async function build(config: StorageConfig, accounts: number): Promise<{ userKeys: string[] }> {
  const demo = generateDemoCompany({ accounts, asOf: AS_OF });
  const s = await openStorage(config);
  try {
    await s.workspaces.ensure(WORKSPACE, demo.name);
    await s.transaction(async (tx) => {
      await tx.products.upsertMany(WORKSPACE, demo.products);
      await tx.plans.upsertMany(WORKSPACE, demo.plans);
      await tx.accounts.upsertMany(WORKSPACE, demo.accounts);
      await tx.contacts.upsertMany(WORKSPACE, demo.contacts);
      await tx.subscriptions.upsertMany(WORKSPACE, demo.subscriptions);
      await tx.exchangeRates.upsertMany(WORKSPACE, demo.exchangeRates);
      await tx.spend.upsertMany(WORKSPACE, demo.spend);
    });
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
    return { userKeys: users.map((u) => u.userKey) };
  } finally {
    await s.close();
  }
}

/** Each read of the accounts list alone, then the whole list build, in this process. */
async function listReads(storage: Storage, runs: number): Promise<string[][]> {
  const from = TWO_WEEKS_BEFORE;
  const reads: [string, () => Promise<unknown>][] = [
    ["accounts.list", () => storage.accounts.list(WORKSPACE)],
    ["subscriptions.listUnordered", () => storage.subscriptions.listUnordered(WORKSPACE)],
    ["healthScores.points (14 days)", () => storage.healthScores.points(WORKSPACE, from, AS_OF)],
    ["signals.list (open)", () => storage.signals.list(WORKSPACE, { statuses: ["open", "acknowledged"] })],
    ["predictions.list (churn)", () => storage.predictions.list(WORKSPACE, "churn")],
    [
      "loadAccountRows (all of the above + MRR)",
      () => loadAccountRows(storage, WORKSPACE, { asOf: AS_OF, reportingCurrency: "USD" }),
    ],
  ];
  const rows: string[][] = [];
  for (const [label, read] of reads) {
    const t = await timeRuns(read, { runs, label, showCpu: false });
    const size = await read();
    rows.push([label, formatSeconds(t.median), Array.isArray(size) ? `${n(size.length)} rows` : ""]);
  }
  return rows;
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

/** Posts /v1/batch (100 track events of random tracked users) in a loop until `stop()`. */
function ingestLoop(writeKey: string, userKeys: readonly string[]): { stop: () => Promise<number> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const auth = basicAuth(writeKey);
  const rnd = createSeededRng(13);
  let running = true;
  let sent = 0;
  let seq = 0;
  const worker = async () => {
    while (running) {
      const batch = Array.from({ length: 100 }, () => ({
        type: "track",
        messageId: `bench-pages-${process.pid}-${++seq}`,
        userId: userKeys[Math.floor(rnd() * userKeys.length)],
        event: EVENTS[Math.floor(rnd() * EVENTS.length)],
        timestamp: `${AS_OF}T12:00:00.000Z`,
      }));
      const status = await postJson(agent, PORT, "/v1/batch", auth, JSON.stringify({ batch }));
      if (status >= 200 && status < 300) sent += batch.length;
    }
  };
  const done = Promise.all([worker(), worker()]);
  return {
    async stop() {
      running = false;
      await done;
      agent.destroy();
      return sent;
    },
  };
}

/** `tenure serve` on the store (SQLite file or PostgreSQL URL); health rescored only after new data. */
function startServer(config: StorageConfig): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TENURE_LOG_LEVEL: "warn",
      TENURE_HEALTH_INTERVAL_MINUTES: "0",
    };
    delete env.TENURE_DATABASE_URL;
    if (config.databaseUrl !== undefined) env.TENURE_DATABASE_URL = config.databaseUrl;
    const db = config.sqliteFile === undefined ? [] : ["--db", config.sqliteFile];
    const child = spawn(
      process.execPath,
      ["packages/cli/bin/tenure.js", ...db, "serve", "--port", String(PORT)],
      { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("running at")) {
        child.stdout?.off("data", onData);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`server exited ${code} before listening: ${out}`)));
  });
}

async function runDialect(dialect: BenchDialect, accounts: number, seconds: number, runs: number) {
  console.log(`\n[${dialect}] building ${n(accounts)} demo accounts, health scored on two days...`);
  const config = await freshStore(dialect);
  const built = await timeOnce(() => build(config, accounts));
  console.log(`  built in ${formatSeconds(built.seconds)}`);
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
  const listPath = () => "/api/accounts?limit=10";
  const rows: string[][] = [];
  let ok = true;
  const server = await startServer(config);
  try {
    await load(admin, 2, pagePath, { connections: 10, overallRate: PAGE_RATE }); // warm-up
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
    const page = () => load(admin, seconds, pagePath, { connections: 10, overallRate: PAGE_RATE });
    const list = () => load(admin, seconds, listPath, { connections: 2, timeout: 120 });
    // Every page figure before any list request: a list slower than the run would still hold the
    // server's event loop when the next figure starts.
    let events = 0;
    for (const [what, measure] of [
      ["account page", page],
      ["list ?limit=10", list],
    ] as const) {
      record(`${what}, quiet`, await measure());
      const loop = ingestLoop(write, userKeys);
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
  assertKnownFlags(args, ["dialect", "accounts", "seconds", "runs"]);
  const dialects = dialectsFlag(args);
  const accounts = intFlag(args, "accounts", 100_000);
  const seconds = intFlag(args, "seconds", 10);
  const runs = intFlag(args, "runs", 3);
  let ok = true;
  for (const d of dialects) ok = (await runDialect(d, accounts, seconds, runs)) && ok;
  console.log(
    `list reads: medians of ${runs} runs in process; HTTP: autocannon on loopback, ${seconds} s per figure (list: 2 connections closed loop; page: ${PAGE_RATE} req/s)`,
  );
  return ok ? 0 : 1;
}

export const pagesSuite: BenchSuite = {
  name: "pages",
  description: "accounts list and account page p99 at 100,000 accounts, quiet and ingesting (--dialect)",
  run,
};
