import { randomUUID } from "node:crypto";
import type { JobRecord, Storage } from "@tenure/storage";
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from "./backoff";
import { JobQueue } from "./job-queue";
import type { JobRegistry } from "./job-registry";
import { type Job, type JobContext, type JobLogger, PermanentJobError, silentJobLogger } from "./job-types";

/** How a worker runs. */
export interface JobWorkerOptions {
  storage: Storage;
  registry: JobRegistry;
  /** The queue whose in-process enqueues wake this worker, and which fires schedules (default: its own). */
  queue?: JobQueue;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** How often an idle worker looks for due jobs and schedules (default 1 s). */
  pollIntervalMs?: number;
  /**
   * How long a claim holds a job before another worker may take it (default 5 min). Running jobs'
   * leases are renewed every third of it, so only a dead (or frozen) worker's jobs are taken over.
   */
  leaseMs?: number;
  backoff?: Partial<BackoffOptions>;
  logger?: JobLogger;
  /** Names this worker in `locked_by` and logs (default: a random id). */
  workerId?: string;
  /** Whether this worker enqueues due schedules' runs (default true). */
  schedules?: boolean;
  clock?: () => Date;
}

/** Counts since start, for logs and tests. */
export interface JobWorkerStats {
  completed: number;
  retried: number;
  failed: number;
  rescheduled: number;
  /** Jobs whose lease another worker took before this one finished them (nothing of theirs was kept). */
  lost: number;
}

/** A job whose lease another worker took over: this run's transaction must not commit. */
class LeaseLostError extends Error {
  constructor(id: string) {
    super(`job ${id} was taken over by another worker (its lease expired)`);
    this.name = "LeaseLostError";
  }
}

const MAX_ERROR_LENGTH = 4_000;

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

interface Running {
  lockedBy: string;
  done: Promise<void>;
}

/**
 * Runs queued jobs: claims due jobs of its registry's kinds in batches (leases in the database, so
 * jobs of a worker that died are taken over when its leases expire), runs up to `concurrency` at
 * once, retries failures with exponential backoff and jitter, and enqueues due schedules' runs.
 * Completions of jobs that did not use `ctx.transaction` are written in batches.
 * `stop()` stops claiming and resolves once the jobs in flight have finished and been recorded.
 */
export class JobWorker {
  readonly id: string;
  readonly stats: JobWorkerStats = { completed: 0, retried: 0, failed: 0, rescheduled: 0, lost: 0 };
  private readonly storage: Storage;
  private readonly registry: JobRegistry;
  private readonly queue: JobQueue;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffOptions;
  private readonly logger: JobLogger;
  private readonly fireSchedules: boolean;
  private readonly clock: () => Date;
  private readonly running = new Map<string, Running>();
  private claims = 0;
  /** The last claim found nothing. */
  private wasIdle = false;
  private active = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A poke arrived while the loop was not napping: its next nap returns at once. */
  private poked = false;
  /** performance.now() before which an idle worker does not look again (an enqueue resets it). */
  private idleUntil = 0;
  private lastScheduleCheck = Number.NEGATIVE_INFINITY;
  private renewTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private pendingDone = new Map<string, Array<{ id: string; resolve: (held: boolean) => void }>>();
  private flushing: Promise<void> | null = null;

  constructor(options: JobWorkerOptions) {
    this.storage = options.storage;
    this.registry = options.registry;
    this.clock = options.clock ?? (() => new Date());
    this.queue = options.queue ?? new JobQueue(options.storage, this.clock);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 300_000;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.logger = options.logger ?? silentJobLogger;
    this.fireSchedules = options.schedules ?? true;
    this.id = options.workerId ?? `worker-${randomUUID().slice(0, 8)}`;
  }

  /** Starts claiming and running jobs (idempotent). */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.unsubscribe = this.queue.onEnqueue(() => {
      this.idleUntil = 0;
      this.poke();
    });
    this.renewTimer = setInterval(() => void this.renewLeases(), Math.max(50, this.leaseMs / 3));
    this.renewTimer.unref();
    this.logger.info(
      { worker: this.id, kinds: this.registry.kinds(), concurrency: this.concurrency },
      "job worker started",
    );
    this.loop = this.run();
  }

  /** Stops claiming; resolves once the jobs in flight have finished and their outcomes are written. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.poke();
    await this.loop;
    await Promise.all([...this.running.values()].map((r) => r.done));
    await this.flushCompletions();
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    this.unsubscribe?.();
    this.logger.info({ worker: this.id, ...this.stats }, "job worker stopped");
  }

  /** Jobs running now. */
  get inFlight(): number {
    return this.running.size;
  }

  private async run(): Promise<void> {
    const kinds = this.registry.kinds();
    // Claim in batches: when half the slots are free (or all of them), not on every finished job.
    const threshold = Math.max(1, Math.ceil(this.concurrency / 2));
    while (this.active) {
      let wait = this.pollIntervalMs;
      try {
        await this.maybeFireSchedules();
        const free = this.concurrency - this.running.size;
        const wantsWork = free >= threshold || (free > 0 && this.running.size === 0);
        if (wantsWork && performance.now() >= this.idleUntil) {
          const jobs = await this.claim(kinds, free);
          if (jobs.length === free) continue;
          this.idleUntil = performance.now() + this.pollIntervalMs;
        }
        if (wantsWork) wait = Math.max(0, this.idleUntil - performance.now());
      } catch (error) {
        this.logger.error({ worker: this.id, err: error }, "job claim failed; trying again");
        this.idleUntil = performance.now() + this.pollIntervalMs;
      }
      if (this.active) await this.nap(wait);
    }
  }

  /**
   * Claims up to `limit` jobs in a write transaction (on SQLite one that waits for the write lock
   * without blocking the event loop); after an empty claim a plain read first checks there is work.
   */
  private async claim(kinds: readonly string[], limit: number): Promise<JobRecord[]> {
    const now = this.clock();
    if (this.wasIdle && !(await this.storage.jobs.hasDue(kinds, now))) return [];
    const lockedBy = `${this.id}:${++this.claims}`;
    const jobs = await this.storage.jobs.claim({ kinds, limit, lockedBy, leaseMs: this.leaseMs, now });
    this.wasIdle = jobs.length === 0;
    for (const job of jobs) this.launch(job, lockedBy);
    return jobs;
  }

  /** Waits `ms`, or less when poked (a job finished, a job was enqueued); a poke while awake is kept. */
  private nap(ms: number): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        this.poked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private poke(): void {
    const wake = this.wake;
    if (wake === null) this.poked = true;
    else wake();
  }

  private async maybeFireSchedules(): Promise<void> {
    if (!this.fireSchedules || performance.now() - this.lastScheduleCheck < this.pollIntervalMs) return;
    this.lastScheduleCheck = performance.now();
    const fired = await this.queue.fireDueSchedules();
    if (fired > 0) {
      this.logger.info({ worker: this.id, fired }, "enqueued scheduled jobs");
      this.idleUntil = 0;
    }
  }

  private launch(job: JobRecord, lockedBy: string): void {
    const done = this.execute(job, lockedBy)
      .catch((error: unknown) => {
        // Only the outcome's own write can fail here (the database went away): the lease then
        // expires and another attempt runs.
        this.logger.error({ worker: this.id, job: job.id, err: error }, "could not record a job's outcome");
      })
      .finally(() => {
        this.running.delete(job.id);
        this.poke();
      });
    this.running.set(job.id, { lockedBy, done });
  }

  private async execute(record: JobRecord, lockedBy: string): Promise<void> {
    const log = { worker: this.id, job: record.id, kind: record.kind, attempt: record.attempt };
    if (record.attempt > record.maxAttempts) {
      // Its worker stopped (killed, or the job froze it) during the last attempt: do not start another.
      await this.finishFailed(
        record,
        lockedBy,
        `worker stopped during attempt ${record.maxAttempts} of ${record.maxAttempts}`,
      );
      return;
    }
    const registration = this.registry.get(record.kind);
    if (registration === undefined) throw new Error(`no handler for job kind ${record.kind}`);
    let payload = record.payload;
    if (registration.payload !== undefined) {
      const parsed = registration.payload.safeParse(payload);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`);
        await this.finishFailed(record, lockedBy, `invalid payload: ${issues.join("; ")}`);
        return;
      }
      payload = parsed.data;
    }
    const job: Job = {
      id: record.id,
      workspaceId: record.workspaceId,
      kind: record.kind,
      payload,
      attempt: record.attempt,
      maxAttempts: record.maxAttempts,
      idempotencyKey: record.idempotencyKey,
      deliveryId: `job_${record.id}`,
      scheduleName: record.scheduleName,
    };
    let transactionUsed = false;
    let committed = false;
    const ctx: JobContext = {
      logger: this.logger,
      transaction: async (fn) => {
        if (transactionUsed) throw new Error("ctx.transaction may be used once per job run");
        transactionUsed = true;
        const result = await this.storage.transaction(async (tx) => {
          // First: marks the job done and locks its row, or finds another worker has it.
          if ((await tx.jobs.complete([record.id], lockedBy, this.clock())).length !== 1) {
            throw new LeaseLostError(record.id);
          }
          return fn(tx);
        });
        committed = true;
        return result;
      },
    };
    try {
      const result = await registration.handler(job, ctx);
      if (committed) {
        this.stats.completed++;
        if (result?.rescheduleAt !== undefined) {
          this.logger.warn(log, "job returned rescheduleAt after ctx.transaction committed; it stays done");
        }
        return;
      }
      if (result?.rescheduleAt !== undefined) {
        const rescheduleAt = result.rescheduleAt;
        if (
          await this.direct((jobs) => jobs.requeue(record.id, lockedBy, rescheduleAt, null, this.clock()))
        ) {
          this.stats.rescheduled++;
          this.logger.debug({ ...log, runAt: result.rescheduleAt.toISOString() }, "job rescheduled");
        } else this.lostLease(log);
        return;
      }
      if (await this.completeBatched(record.id, lockedBy)) this.stats.completed++;
      else this.lostLease(log);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.lostLease(log);
        return;
      }
      if (committed) {
        this.stats.completed++;
        this.logger.warn({ ...log, err: error }, "job threw after ctx.transaction committed; it stays done");
        return;
      }
      const message = errorText(error);
      if (error instanceof PermanentJobError || record.attempt >= record.maxAttempts) {
        await this.finishFailed(record, lockedBy, message);
        return;
      }
      const runAt = new Date(this.clock().getTime() + retryDelayMs(record.attempt, this.backoff));
      if (await this.direct((jobs) => jobs.requeue(record.id, lockedBy, runAt, message, this.clock()))) {
        this.stats.retried++;
        this.logger.warn({ ...log, err: message, retryAt: runAt.toISOString() }, "job failed; will retry");
      } else this.lostLease(log);
    }
  }

  private async finishFailed(record: JobRecord, lockedBy: string, message: string): Promise<void> {
    const log = { worker: this.id, job: record.id, kind: record.kind, attempt: record.attempt };
    if (await this.direct((jobs) => jobs.fail(record.id, lockedBy, message, this.clock()))) {
      this.stats.failed++;
      this.logger.error({ ...log, err: message }, "job failed");
    } else this.lostLease(log);
  }

  /** The worker's own writes (the repository runs them in a transaction where the dialect needs one). */
  private direct<T>(fn: (jobs: Storage["jobs"]) => Promise<T>): Promise<T> {
    return fn(this.storage.jobs);
  }

  private lostLease(log: object): void {
    this.stats.lost++;
    this.logger.warn(log, "job was taken over by another worker; its outcome here is dropped");
  }

  /** Queues a completion for the next batched write; resolves true when it was still ours. */
  private completeBatched(id: string, lockedBy: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const group = this.pendingDone.get(lockedBy) ?? [];
      if (group.length === 0) this.pendingDone.set(lockedBy, group);
      group.push({ id, resolve });
      this.flushCompletions().catch(reject);
    });
  }

  /** Writes queued completions; completions queued during a write go in the next one. */
  private flushCompletions(): Promise<void> {
    if (this.flushing !== null) return this.flushing.then(() => this.flushCompletions());
    if (this.pendingDone.size === 0) return Promise.resolve();
    const batch = this.pendingDone;
    this.pendingDone = new Map();
    this.flushing = (async () => {
      try {
        const now = this.clock();
        for (const [lockedBy, group] of batch) {
          const ids = group.map((g) => g.id);
          const done = new Set(await this.direct((jobs) => jobs.complete(ids, lockedBy, now)));
          for (const g of group) g.resolve(done.has(g.id));
        }
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async renewLeases(): Promise<void> {
    const byClaim = new Map<string, string[]>();
    for (const [id, r] of this.running) {
      const ids = byClaim.get(r.lockedBy) ?? [];
      if (ids.length === 0) byClaim.set(r.lockedBy, ids);
      ids.push(id);
    }
    const now = this.clock();
    const until = new Date(now.getTime() + this.leaseMs);
    for (const [lockedBy, ids] of byClaim) {
      try {
        await this.direct((jobs) => jobs.renew(ids, lockedBy, until, now));
      } catch (error) {
        this.logger.warn({ worker: this.id, err: error }, "could not renew job leases");
      }
    }
  }
}
