import { createLogger } from "@tenure/server";
import {
  buildJobRegistry,
  JobQueue,
  JobWorker,
  scheduleJobPruning,
  type TenureConfig,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type pino from "pino";
import { today } from "../context";
import { type Io, writeLine } from "../output";

/** How long a stopping worker waits for its jobs in flight before exiting anyway (their leases then expire). */
const STOP_GRACE_MS = 30_000;

/**
 * A started worker running every job kind this build knows (see JOB_HANDLER_MODULES), logging with
 * pino: `tenure worker` runs one alone, `tenure serve` one beside the HTTP server.
 */
export function startJobWorker(
  storage: Storage,
  config: TenureConfig,
  logger: pino.Logger,
  args: { concurrency?: number } = {},
): JobWorker {
  const queue = new JobQueue(storage);
  const registry = buildJobRegistry({ storage, queue, config, logger, today });
  const worker = new JobWorker({
    storage,
    registry,
    queue,
    concurrency: args.concurrency ?? config.workerConcurrency,
    logger,
  });
  worker.start();
  // The nightly prune of done jobs (TENURE_JOB_RETENTION_DAYS); a failure here only delays it.
  scheduleJobPruning(queue).catch((err: unknown) => logger.warn({ err }, "could not schedule the job prune"));
  return worker;
}

/**
 * `tenure worker`: runs queued jobs and schedules until SIGTERM / SIGINT, then stops claiming,
 * finishes the jobs in flight (at most 30 s), closes the database and exits.
 */
export async function workerCommand(
  storage: Storage,
  config: TenureConfig,
  args: { concurrency?: number },
  io: Io,
): Promise<JobWorker> {
  const logger = createLogger({ level: config.logLevel });
  const worker = startJobWorker(storage, config, logger, args);
  writeLine(
    io.out,
    `Tenure worker ${worker.id} is running (${args.concurrency ?? config.workerConcurrency} at once); Ctrl-C to stop.`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: worker.inFlight }, "stopping: finishing the jobs in flight");
    const force = setTimeout(() => process.exit(1), STOP_GRACE_MS);
    force.unref();
    void worker
      .stop()
      .then(() => storage.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, "worker shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return worker;
}
