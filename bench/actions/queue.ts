/**
 * `npm run bench -- actions queue [--jobs N] [--runs R] [--concurrency C]`: job queue throughput.
 * PostgreSQL: N due no-op jobs drained by 2 Tenure workers against graphile-worker (0.17, unbatched
 * defaults, its own schema) with 2 runners on the same database, same jobs, same run; each worker or
 * runner has its own connection pool and C jobs at once, all in this process. Both are timed until
 * the database records every job as finished (Tenure: its workers count completions once written;
 * graphile-worker: its jobs table is polled until empty). SQLite: 1 Tenure worker (one writer) against the
 * PostgreSQL figure and against a plain-insert baseline (N single-row inserts, each its own
 * transaction: the cost of one durable write per job). Medians of R runs.
 */

import { fileURLToPath } from "node:url";
import { JobQueue, JobRegistry, JobWorker } from "@tenure/services";
import { openStorage, type Storage, type StorageConfig } from "@tenure/storage";
import { Logger, makeWorkerUtils, run as runGraphile, runMigrations } from "graphile-worker";
import pg from "pg";
import { intFlag } from "../lib/args";
import { freshStore } from "../lib/bench-store";
import { renderTable } from "../lib/table";
import { median } from "../lib/timing";
import type { ActionsBenchPart } from "./part";

const WS = "bench";
const KIND = "bench.noop";
const GRAPHILE_SCHEMA = "graphile_bench";
const SQLITE_FILE = fileURLToPath(new URL("../.data/actions-queue.db", import.meta.url));
const PG_DATABASE = "tenure_bench_actions";

const silent = new Logger(() => () => undefined);

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
}

/** Enqueues N no-op jobs, then times `workers` Tenure workers draining them; jobs per second. */
async function tenureRun(config: StorageConfig, jobs: number, workers: number, concurrency: number) {
  const storage = await openStorage(config);
  try {
    const queue = new JobQueue(storage);
    await storage.transaction((tx) => tx.jobs.pruneDone(new Date(Date.now() + 60_000)));
    await queue.enqueueMany(
      WS,
      Array.from({ length: jobs }, (_, i) => ({ kind: KIND, payload: { i } })),
    );
    const pools: Storage[] = [];
    for (let w = 0; w < workers; w++) pools.push(await openStorage(config, { migrate: false }));
    const registry = new JobRegistry().register(KIND, async () => undefined);
    const started = performance.now();
    const running = pools.map(
      (s) => new JobWorker({ storage: s, registry, concurrency, pollIntervalMs: 50, schedules: false }),
    );
    for (const w of running) w.start();
    // A worker counts a job once its completion is written: no polling query competes with the workers.
    await until(async () => running.reduce((sum, w) => sum + w.stats.completed, 0) >= jobs);
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(running.map((w) => w.stop()));
    await Promise.all(pools.map((s) => s.close()));
    return jobs / seconds;
  } finally {
    await storage.close();
  }
}

/** The same with graphile-worker: N jobs added in bulk, then `runners` runners drain them. */
async function graphileRun(databaseUrl: string, jobs: number, runners: number, concurrency: number) {
  const options = { connectionString: databaseUrl, schema: GRAPHILE_SCHEMA, logger: silent };
  await runMigrations(options);
  const utils = await makeWorkerUtils(options);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DELETE FROM ${GRAPHILE_SCHEMA}._private_jobs`);
    for (let i = 0; i < jobs; i += 5_000) {
      await utils.addJobs(
        Array.from({ length: Math.min(5_000, jobs - i) }, (_, k) => ({
          identifier: KIND,
          payload: { i: i + k },
        })),
      );
    }
    const started = performance.now();
    const running = await Promise.all(
      Array.from({ length: runners }, () =>
        runGraphile({
          ...options,
          concurrency,
          noHandleSignals: true,
          pollInterval: 50,
          taskList: { [KIND]: async () => undefined },
        }),
      ),
    );
    // Graphile deletes a job once it has run: done when none is left.
    await until(async () => {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${GRAPHILE_SCHEMA}._private_jobs`);
      return rows[0].n === 0;
    });
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(running.map((r) => r.stop()));
    return jobs / seconds;
  } finally {
    await client.end();
    await utils.release();
  }
}

/** N single-row inserts into the jobs table, each its own transaction; rows per second. */
async function plainInserts(config: StorageConfig, jobs: number) {
  const storage = await openStorage(config);
  try {
    const started = performance.now();
    for (let i = 0; i < jobs; i++) {
      await storage.transaction((tx) =>
        tx.jobs.enqueue({
          workspaceId: "plain",
          kind: KIND,
          payload: { i },
          runAt: "2999-01-01T00:00:00.000Z",
          priority: 0,
          maxAttempts: 1,
          idempotencyKey: null,
        }),
      );
    }
    return jobs / ((performance.now() - started) / 1000);
  } finally {
    await storage.close();
  }
}

const rate = (x: number) => `${Math.round(x).toLocaleString("en-US")} jobs/s`;

async function run(args: readonly string[]): Promise<boolean> {
  const jobs = intFlag(args, "jobs", 20_000);
  const runs = intFlag(args, "runs", 3);
  const concurrency = intFlag(args, "concurrency", 16);
  const pgConfig = await freshStore("postgres", SQLITE_FILE, PG_DATABASE);
  const sqliteConfig = await freshStore("sqlite", SQLITE_FILE, PG_DATABASE);
  const databaseUrl = pgConfig.databaseUrl ?? "";
  const ours: number[] = [];
  const theirs: number[] = [];
  const sqlite: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < runs; r++) {
    // Alternate who goes first, so neither always meets a warmer database.
    const order = r % 2 === 0 ? ["tenure", "graphile"] : ["graphile", "tenure"];
    for (const who of order) {
      if (who === "tenure") ours.push(await tenureRun(pgConfig, jobs, 2, concurrency));
      else theirs.push(await graphileRun(databaseUrl, jobs, 2, concurrency));
    }
    sqlite.push(await tenureRun(sqliteConfig, jobs, 1, concurrency));
    plain.push(await plainInserts(sqliteConfig, Math.min(jobs, 5_000)));
    console.log(
      `  run ${r + 1}/${runs}: PostgreSQL Tenure ${rate(ours.at(-1) ?? 0)}, graphile-worker ${rate(theirs.at(-1) ?? 0)}; ` +
        `SQLite Tenure ${rate(sqlite.at(-1) ?? 0)}, plain inserts ${rate(plain.at(-1) ?? 0)}`,
    );
  }
  const [o, g, s, p] = [median(ours), median(theirs), median(sqlite), median(plain)];
  console.log(
    renderTable(
      [`job queue, ${jobs.toLocaleString("en-US")} no-op jobs (medians of ${runs})`, "throughput", "ratio"],
      [
        ["PostgreSQL: Tenure, 2 workers", rate(o), "1.00"],
        ["PostgreSQL: graphile-worker 0.17, 2 runners", rate(g), (g / o).toFixed(2)],
        ["SQLite: Tenure, 1 worker", rate(s), `${(s / o).toFixed(2)} of PostgreSQL`],
        ["SQLite: plain single-row insert transactions", rate(p), `Tenure ${(s / p).toFixed(2)}× this`],
      ],
    ),
  );
  const ok = o >= g;
  console.log(
    `target: Tenure on PostgreSQL ≥ graphile-worker: ${ok ? "met" : "NOT met"} (${(o / g).toFixed(2)}×)`,
  );
  return ok;
}

export const queuePart: ActionsBenchPart = {
  name: "queue",
  description: "job queue throughput: PostgreSQL with 2 workers vs graphile-worker; SQLite",
  flags: ["jobs", "runs", "concurrency"],
  run,
};
