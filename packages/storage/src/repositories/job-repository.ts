import { type Kysely, sql } from "kysely";
import type { Database, JobTable } from "../schema";
import { chunksFor, monotonicId, type RepositoryContext } from "./repository-context";

/** Where a job is: waiting (or retrying later), held by a worker, finished, or out of attempts. */
export type JobStatus = "queued" | "running" | "done" | "failed";
export const JOB_STATUSES: readonly JobStatus[] = ["queued", "running", "done", "failed"];

/** One job as stored (times ISO 8601 UTC). */
export interface JobRecord {
  id: string;
  workspaceId: string;
  kind: string;
  payload: unknown;
  status: JobStatus;
  /** Lower runs first among due jobs (default 0). */
  priority: number;
  /** When a queued job is due; for a running job, when its lease expires. */
  runAt: string;
  /** Attempts started so far (a claim starts one). */
  attempt: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  /** The claim running it (see `claim`); null unless running. */
  lockedBy: string | null;
  lastError: string | null;
  /** The recurring schedule that enqueued it, if one did. */
  scheduleName: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** A job to insert; defaults are applied by the service. */
export interface NewJob {
  workspaceId: string;
  kind: string;
  payload: unknown;
  runAt: string;
  priority: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  scheduleName?: string | null;
}

/** What `claim` takes: which kinds this worker runs, how many, under which claim id, for how long. */
export interface JobClaim {
  kinds: readonly string[];
  limit: number;
  /** Unique per claim: the finishing writes match it, so a job another worker re-took is left alone. */
  lockedBy: string;
  leaseMs: number;
  now: Date;
}

/** A page of the job log. */
export interface JobListQuery {
  status?: JobStatus;
  kind?: string;
  limit: number;
  offset: number;
}

/**
 * The durable job queue's rows. Every write that finishes a claimed job matches its claim id
 * (`locked_by`) and status, so a worker whose lease expired (and whose job another worker re-took)
 * changes nothing: callers check the returned boolean and roll back their own writes when it is false.
 */
export interface JobRepository {
  /**
   * Inserts a job; with an idempotency key already used for the workspace and kind, inserts nothing
   * and returns the existing job's id with `created: false`.
   */
  enqueue(job: NewJob, now?: Date): Promise<{ id: string; created: boolean }>;
  /** `enqueue` for many jobs in chunked statements; returns how many were new (keys already used are skipped). */
  enqueueMany(jobs: readonly NewJob[], now?: Date): Promise<number>;
  /**
   * Takes up to `limit` due jobs of `kinds` (queued with `run_at <= now`, or running with an expired
   * lease) by priority then due time: sets them running under `lockedBy` until `now + leaseMs` and
   * counts an attempt. One UPDATE ... WHERE id IN (SELECT ... LIMIT n) statement; on PostgreSQL the
   * inner SELECT skips rows other workers are claiming (see DialectAdapter.skipLocked), in a
   * transaction (its own unless called in one) that first runs the dialect's claim plan hint
   * (DialectAdapter.claimPlanHint).
   */
  claim(claim: JobClaim): Promise<JobRecord[]>;
  /** Whether `claim` would find a job now: a read, so an idle worker's polls take no write lock. */
  hasDue(kinds: readonly string[], now: Date): Promise<boolean>;
  /** Extends the leases of `ids` held by `lockedBy` to `until`; returns how many were still held. */
  renew(ids: readonly string[], lockedBy: string, until: Date, now?: Date): Promise<number>;
  /** Marks held jobs done; returns the ids that were still held by `lockedBy` (the others are left alone). */
  complete(ids: readonly string[], lockedBy: string, now?: Date): Promise<string[]>;
  /**
   * Puts a held job back in the queue for `runAt`: after a failed attempt with `error`, or, with
   * `error` null, a handler's own reschedule (which gives the attempt back). False when not held.
   */
  requeue(id: string, lockedBy: string, runAt: Date, error: string | null, now?: Date): Promise<boolean>;
  /** Marks a held job failed for good, keeping `error`; false when not held. */
  fail(id: string, lockedBy: string, error: string, now?: Date): Promise<boolean>;
  get(workspaceId: string, id: string): Promise<JobRecord | null>;
  /** Newest first, filtered by status and kind; with the total that matches. */
  list(workspaceId: string, query: JobListQuery): Promise<{ jobs: JobRecord[]; total: number }>;
  /** Jobs per status in the workspace (every status present, 0 when none). */
  counts(workspaceId: string): Promise<Record<JobStatus, number>>;
  /**
   * Queues a failed job again now with a fresh set of attempts (its last error kept until it
   * succeeds); null when there is no such job, false when it is not failed.
   */
  retry(workspaceId: string, id: string, now?: Date): Promise<boolean | null>;
  /** Deletes jobs done before `before` (their idempotency keys become free again); returns how many. */
  pruneDone(before: Date): Promise<number>;
}

type JobRow = Pick<
  JobTable,
  | "id"
  | "workspace_id"
  | "kind"
  | "payload"
  | "status"
  | "priority"
  | "run_at"
  | "attempt"
  | "max_attempts"
  | "idempotency_key"
  | "locked_by"
  | "last_error"
  | "schedule_name"
  | "created_at"
  | "updated_at"
  | "finished_at"
>;

// The claim index (jobs_claim_idx) is partial on exactly this text: SQLite uses a partial index only
// when the query repeats its condition, literals included.
const CLAIMABLE = sql<boolean>`status in ('queued', 'running')`;

export function createJobRepository(ctx: RepositoryContext): JobRepository {
  const { adapter } = ctx;
  const decode = (r: JobRow): JobRecord => ({
    id: r.id,
    workspaceId: r.workspace_id,
    kind: r.kind,
    payload: adapter.decodeJson(r.payload),
    status: r.status as JobStatus,
    priority: adapter.parseNumber(r.priority),
    runAt: r.run_at,
    attempt: adapter.parseNumber(r.attempt),
    maxAttempts: adapter.parseNumber(r.max_attempts),
    idempotencyKey: r.idempotency_key,
    lockedBy: r.locked_by,
    lastError: r.last_error,
    scheduleName: r.schedule_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  });
  const row = (job: NewJob, at: string): JobTable => ({
    id: monotonicId(),
    workspace_id: job.workspaceId,
    kind: job.kind,
    payload: adapter.encodeJson(job.payload ?? null),
    status: "queued",
    priority: job.priority,
    run_at: job.runAt,
    attempt: 0,
    max_attempts: job.maxAttempts,
    idempotency_key: job.idempotencyKey,
    locked_by: null,
    last_error: null,
    schedule_name: job.scheduleName ?? null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  });
  // A worker's writes: one statement is atomic by itself where rows lock (PostgreSQL); without row
  // locks (SQLite) it runs in a transaction, whose BEGIN IMMEDIATE waits for the write lock without
  // blocking the event loop (a bare statement would wait in SQLite's busy handler, which sleeps).
  const write = <T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> =>
    ctx.db.isTransaction || adapter.rowLocks ? fn(ctx.db) : ctx.db.transaction().execute(fn);
  // A claim always runs in a transaction: the dialect's plan hint (SET LOCAL) lasts until its end.
  const inTransaction = <T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> =>
    ctx.db.isTransaction ? fn(ctx.db) : ctx.db.transaction().execute(fn);
  const held = (db: Kysely<Database>, id: string, lockedBy: string) =>
    db
      .updateTable("jobs")
      .where("id", "=", id)
      .where("locked_by", "=", lockedBy)
      .where("status", "=", "running");

  return {
    async enqueue(job, now = new Date()) {
      const values = row(job, now.toISOString());
      const inserted = await ctx.db
        .insertInto("jobs")
        .values(values)
        .onConflict((oc) => oc.columns(["workspace_id", "kind", "idempotency_key"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (inserted !== undefined) return { id: inserted.id, created: true };
      // Only a used idempotency key conflicts (NULL keys never do).
      const existing = await ctx.db
        .selectFrom("jobs")
        .select("id")
        .where("workspace_id", "=", job.workspaceId)
        .where("kind", "=", job.kind)
        .where("idempotency_key", "=", job.idempotencyKey)
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    },

    async enqueueMany(jobs, now = new Date()) {
      const at = now.toISOString();
      let created = 0;
      for (const chunk of chunksFor(adapter, jobs, 16)) {
        const rows = await ctx.db
          .insertInto("jobs")
          .values(chunk.map((j) => row(j, at)))
          .onConflict((oc) => oc.columns(["workspace_id", "kind", "idempotency_key"]).doNothing())
          .returning("id")
          .execute();
        created += rows.length;
      }
      return created;
    },

    async claim({ kinds, limit, lockedBy, leaseMs, now }) {
      if (kinds.length === 0 || limit <= 0) return [];
      const at = now.toISOString();
      return inTransaction(async (db) => {
        if (adapter.claimPlanHint !== null) await adapter.claimPlanHint.execute(db);
        const due = adapter.skipLocked(
          db
            .selectFrom("jobs")
            .select("id")
            .where(CLAIMABLE)
            .where("run_at", "<=", at)
            .where("kind", "in", kinds)
            .orderBy("priority")
            .orderBy("run_at")
            .limit(limit),
        );
        const rows = await db
          .updateTable("jobs")
          .set({
            status: "running",
            locked_by: lockedBy,
            run_at: new Date(now.getTime() + leaseMs).toISOString(),
            attempt: sql`attempt + 1`,
            updated_at: at,
          })
          .where("id", "in", due)
          .returningAll()
          .execute();
        return rows.map(decode).sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
      });
    },

    async hasDue(kinds, now) {
      if (kinds.length === 0) return false;
      const row = await ctx.db
        .selectFrom("jobs")
        .select("id")
        .where(CLAIMABLE)
        .where("run_at", "<=", now.toISOString())
        .where("kind", "in", kinds)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async renew(ids, lockedBy, until, now = new Date()) {
      let renewed = 0;
      for (const chunk of chunksFor(adapter, ids, 1)) {
        const res = await write((db) =>
          db
            .updateTable("jobs")
            .set({ run_at: until.toISOString(), updated_at: now.toISOString() })
            .where("id", "in", chunk)
            .where("locked_by", "=", lockedBy)
            .where("status", "=", "running")
            .executeTakeFirst(),
        );
        renewed += Number(res.numUpdatedRows);
      }
      return renewed;
    },

    async complete(ids, lockedBy, now = new Date()) {
      const at = now.toISOString();
      const done: string[] = [];
      for (const chunk of chunksFor(adapter, ids, 1)) {
        const rows = await write((db) =>
          db
            .updateTable("jobs")
            .set({ status: "done", locked_by: null, finished_at: at, updated_at: at })
            .where("id", "in", chunk)
            .where("locked_by", "=", lockedBy)
            .where("status", "=", "running")
            .returning("id")
            .execute(),
        );
        for (const r of rows) done.push(r.id);
      }
      return done;
    },

    async requeue(id, lockedBy, runAt, error, now = new Date()) {
      const res = await write((db) =>
        held(db, id, lockedBy)
          .set({
            status: "queued",
            locked_by: null,
            run_at: runAt.toISOString(),
            updated_at: now.toISOString(),
            // A reschedule is not a failed attempt: it gives the attempt back and keeps the last error.
            ...(error === null ? { attempt: sql`attempt - 1` } : { last_error: error }),
          })
          .executeTakeFirst(),
      );
      return Number(res.numUpdatedRows) === 1;
    },

    async fail(id, lockedBy, error, now = new Date()) {
      const at = now.toISOString();
      const res = await write((db) =>
        held(db, id, lockedBy)
          .set({ status: "failed", locked_by: null, last_error: error, finished_at: at, updated_at: at })
          .executeTakeFirst(),
      );
      return Number(res.numUpdatedRows) === 1;
    },

    async get(workspaceId, id) {
      const r = await ctx.db
        .selectFrom("jobs")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return r === undefined ? null : decode(r);
    },

    async list(workspaceId, { status, kind, limit, offset }) {
      let q = ctx.db.selectFrom("jobs").where("workspace_id", "=", workspaceId);
      if (status !== undefined) q = q.where("status", "=", status);
      if (kind !== undefined) q = q.where("kind", "=", kind);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy("id", "desc").limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { jobs: rows.map(decode), total: adapter.parseNumber(total.n) };
    },

    async counts(workspaceId) {
      const rows = await ctx.db
        .selectFrom("jobs")
        .select((eb) => ["status", eb.fn.countAll().as("n")])
        .where("workspace_id", "=", workspaceId)
        .groupBy("status")
        .execute();
      const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
      for (const r of rows) {
        if ((JOB_STATUSES as readonly string[]).includes(r.status)) {
          counts[r.status as JobStatus] = adapter.parseNumber(r.n);
        }
      }
      return counts;
    },

    async retry(workspaceId, id, now = new Date()) {
      const at = now.toISOString();
      const res = await ctx.db
        .updateTable("jobs")
        .set({ status: "queued", run_at: at, attempt: 0, finished_at: null, updated_at: at })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .where("status", "=", "failed")
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) return true;
      const exists = await ctx.db
        .selectFrom("jobs")
        .select("id")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return exists === undefined ? null : false;
    },

    async pruneDone(before) {
      const res = await ctx.db
        .deleteFrom("jobs")
        .where("status", "=", "done")
        .where("finished_at", "<", before.toISOString())
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
