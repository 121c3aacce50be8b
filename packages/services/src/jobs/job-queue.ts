import { TenureError } from "@tenure/core";
import type {
  JobRecord,
  JobScheduleRecord,
  JobStatus,
  NewJob,
  Repositories,
  Storage,
  StorageTransaction,
} from "@tenure/storage";
import { z } from "zod";
import { nextCronRun } from "./cron";
import { JOB_KIND } from "./job-registry";

/** Attempts a job gets unless its enqueue says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** What to enqueue: `kind` names the handler; `payload` is any JSON value. */
export interface EnqueueOptions {
  kind: string;
  payload?: unknown;
  /** Not before this time (default now). */
  runAt?: Date;
  /** A second enqueue with the same key (per workspace and kind) returns the first job and adds nothing. */
  idempotencyKey?: string;
  /** Attempts before the job fails for good (1-100, default 5). */
  maxAttempts?: number;
  /** Lower runs first among due jobs (default 0). */
  priority?: number;
}

/** A recurring job to create or replace. */
export interface ScheduleOptions {
  /** Unique per workspace (e.g. "automation:42"). */
  name: string;
  /** Five-field cron expression, e.g. "0 9 * * 1-5". */
  cron: string;
  /** IANA time zone the expression is read in (default UTC). */
  timezone?: string;
  kind: string;
  payload?: unknown;
  enabled?: boolean;
}

const enqueueSchema = z.object({
  kind: z.string().regex(JOB_KIND, "must be letters, digits and . _ : - (≤ 100)"),
  payload: z.unknown().optional(),
  runAt: z
    .date()
    .refine((d) => !Number.isNaN(d.getTime()), "must be a valid date")
    .optional(),
  idempotencyKey: z.string().min(1).max(500).optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
});

const scheduleSchema = z.object({
  name: z.string().min(1).max(200),
  cron: z.string().min(1).max(200),
  timezone: z.string().min(1).optional(),
  kind: enqueueSchema.shape.kind,
  payload: z.unknown().optional(),
  enabled: z.boolean().optional(),
});

/** Parses with `schema`, throwing a validation TenureError naming the field (e.g. "maxAttempts: ..."). */
function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join(".") || what}: ${i.message}`);
  throw new TenureError("validation", `Invalid ${what}. ${issues.join("; ")}`);
}

/** The payload as it will be stored: JSON only (a Date becomes its ISO text, functions are refused). */
function jsonPayload(payload: unknown): unknown {
  if (payload === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new TenureError("validation", `Invalid job. payload: not JSON (${(error as Error).message})`);
  }
  if (text === undefined) throw new TenureError("validation", "Invalid job. payload: not a JSON value");
  return JSON.parse(text);
}

/** The row for an enqueue (validated, with defaults). */
export function newJob(workspaceId: string, options: EnqueueOptions, now: Date): NewJob {
  const o = parse(enqueueSchema, options, "job");
  return {
    workspaceId,
    kind: o.kind,
    payload: jsonPayload(o.payload),
    runAt: (o.runAt ?? now).toISOString(),
    priority: o.priority ?? 0,
    maxAttempts: o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    idempotencyKey: o.idempotencyKey ?? null,
  };
}

/**
 * The durable job queue: enqueue (alone or inside a caller's transaction), the job log, retries and
 * recurring schedules. Workers (JobWorker) run the jobs.
 * @example const id = await queue.enqueue("default", { kind: "delivery.email", payload, idempotencyKey: "run-7:step-2" })
 */
export class JobQueue {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Adds a job; returns its id (the existing job's id when its idempotency key was used before). */
  async enqueue(workspaceId: string, options: EnqueueOptions): Promise<string> {
    const id = await this.insert(this.storage, workspaceId, options);
    this.notify();
    return id;
  }

  /**
   * `enqueue` inside the caller's transaction: the job exists only if the caller's writes commit.
   * @example await storage.transaction(async (tx) => { await tx.tasks...; await queue.enqueueInTransaction(tx, ws, {...}) })
   */
  async enqueueInTransaction(
    tx: StorageTransaction,
    workspaceId: string,
    options: EnqueueOptions,
  ): Promise<string> {
    const id = await this.insert(tx, workspaceId, options);
    // Workers in this process look soon after; the poll finds it in any case once committed.
    setTimeout(() => this.notify(), 10).unref();
    return id;
  }

  /** Adds many jobs in a few statements; returns how many were new. */
  async enqueueMany(workspaceId: string, jobs: readonly EnqueueOptions[]): Promise<number> {
    const now = this.clock();
    const rows = jobs.map((j, i) => {
      try {
        return newJob(workspaceId, j, now);
      } catch (error) {
        if (error instanceof TenureError) throw new TenureError(error.code, `job ${i + 1}: ${error.message}`);
        throw error;
      }
    });
    const created = await this.storage.transaction((tx) => tx.jobs.enqueueMany(rows, now));
    this.notify();
    return created;
  }

  /** One job of the workspace; a not_found TenureError when there is none. */
  async get(workspaceId: string, id: string): Promise<JobRecord> {
    const job = await this.storage.jobs.get(workspaceId, id);
    if (job === null) throw new TenureError("not_found", `job ${id} not found`);
    return job;
  }

  /** The job log, newest first. */
  list(
    workspaceId: string,
    query: { status?: JobStatus; kind?: string; limit?: number; offset?: number } = {},
  ): Promise<{ jobs: JobRecord[]; total: number }> {
    return this.storage.jobs.list(workspaceId, {
      status: query.status,
      kind: query.kind,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
  }

  /** Jobs per status. */
  counts(workspaceId: string): Promise<Record<JobStatus, number>> {
    return this.storage.jobs.counts(workspaceId);
  }

  /** Queues a failed job again now with fresh attempts; not_found / conflict errors otherwise. */
  async retry(workspaceId: string, id: string): Promise<JobRecord> {
    const r = await this.storage.jobs.retry(workspaceId, id, this.clock());
    if (r === null) throw new TenureError("not_found", `job ${id} not found`);
    if (!r) throw new TenureError("conflict", `job ${id} has not failed: only failed jobs can be retried`);
    this.notify();
    return this.get(workspaceId, id);
  }

  /**
   * Creates or replaces a recurring job; its first run is the expression's next time after now.
   * An invalid expression or time zone is a validation error naming the schedule.
   */
  async schedule(workspaceId: string, options: ScheduleOptions): Promise<JobScheduleRecord> {
    const o = parse(scheduleSchema, options, `schedule "${options.name}"`);
    const timezone = o.timezone ?? "UTC";
    const now = this.clock();
    const next = nextCronRun(o.name, o.cron, timezone, now);
    await this.storage.jobSchedules.upsert(
      {
        workspaceId,
        name: o.name,
        cron: o.cron.trim(),
        timezone,
        kind: o.kind,
        payload: jsonPayload(o.payload),
        enabled: o.enabled ?? true,
        nextRunAt: next.toISOString(),
      },
      now,
    );
    const stored = await this.storage.jobSchedules.get(workspaceId, o.name);
    if (stored === null) throw new TenureError("internal", `schedule "${o.name}" was not stored`);
    return stored;
  }

  /** Deletes a schedule (jobs it already enqueued stay); not_found when there is none. */
  async unschedule(workspaceId: string, name: string): Promise<void> {
    if (!(await this.storage.jobSchedules.remove(workspaceId, name))) {
      throw new TenureError("not_found", `schedule "${name}" not found`);
    }
  }

  /** The workspace's schedules by name. */
  schedules(workspaceId: string): Promise<JobScheduleRecord[]> {
    return this.storage.jobSchedules.list(workspaceId);
  }

  /**
   * Enqueues the run of every due schedule exactly once and moves each to its next time (runs missed
   * while no worker ran are not repeated: the next time is computed from now). Each schedule's advance
   * and enqueue share a transaction, and the advance is conditional, so two workers doing this at
   * once enqueue each run once; the job's idempotency key (schedule name and run time) backs that up.
   * Returns how many jobs were enqueued.
   */
  async fireDueSchedules(limit = 100): Promise<number> {
    const now = this.clock();
    let fired = 0;
    for (const s of await this.storage.jobSchedules.due(now, limit)) {
      let next: Date;
      try {
        next = nextCronRun(s.name, s.cron, s.timezone, now);
      } catch {
        // Stored schedules were validated when saved; a runtime that lost a time zone skips it.
        continue;
      }
      const enqueued = await this.storage.transaction(async (tx) => {
        if (!(await tx.jobSchedules.advance(s.workspaceId, s.name, s.nextRunAt, next.toISOString(), now))) {
          return false;
        }
        await tx.jobs.enqueue(
          {
            workspaceId: s.workspaceId,
            kind: s.kind,
            payload: s.payload,
            runAt: s.nextRunAt,
            priority: 0,
            maxAttempts: DEFAULT_MAX_ATTEMPTS,
            idempotencyKey: `schedule:${s.name}:${s.nextRunAt}`,
            scheduleName: s.name,
          },
          now,
        );
        return true;
      });
      if (enqueued) fired++;
    }
    if (fired > 0) this.notify();
    return fired;
  }

  /** Calls `listener` when this process enqueues a job (a worker in the same process looks at once). */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async insert(repos: Repositories, workspaceId: string, options: EnqueueOptions): Promise<string> {
    const now = this.clock();
    const { id } = await repos.jobs.enqueue(newJob(workspaceId, options, now), now);
    return id;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
