import type { StorageTransaction } from "@tenure/storage";

/** A job as its handler sees it. */
export interface Job<P = unknown> {
  id: string;
  workspaceId: string;
  kind: string;
  payload: P;
  /** This run's attempt number, from 1. */
  attempt: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  /**
   * A stable id for what the job sends outside (an email's Message-ID, a webhook's webhook-id): the
   * same on every attempt, so a receiver can drop a repeat after a crash between sending and recording.
   */
  deliveryId: string;
  /** The recurring schedule that enqueued it, if one did. */
  scheduleName: string | null;
}

/** What a handler returns: nothing (done) or a time to run again (quiet hours, "wait N days"). */
export type JobResult = undefined | { rescheduleAt: Date };

/** The minimal structured logger the queue writes to (pino's signature). */
export interface JobLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What a handler gets besides its job. */
export interface JobContext {
  /**
   * Runs `fn` in one database transaction that also marks this job done, so the job's internal
   * effects (tasks, tags, stage changes) happen exactly once: a crash before the commit leaves
   * neither, and a worker that lost the job to another (its lease expired) writes nothing (the
   * transaction rolls back and this run ends). At most once per run; once it has committed the job
   * is done and the handler's return value is ignored.
   */
  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>): Promise<T>;
  logger: JobLogger;
}

/** Runs one job; throws to fail the attempt (retried with backoff until maxAttempts). */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that only does its work is an `async` function returning Promise<void>.
export type JobHandler<P = unknown> = (job: Job<P>, ctx: JobContext) => Promise<JobResult | void>;

/**
 * Thrown by a handler when retrying cannot help (the payload names something that does not exist):
 * the job fails at once, with this message as its last error.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** A logger that drops everything (tests, and callers that pass none). */
export const silentJobLogger: JobLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
