export { appNow } from "./app-clock";
export { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from "./backoff";
export { isTimeZone, nextCronRun } from "./cron";
export {
  buildJobRegistry,
  JOB_HANDLER_MODULES,
  type JobHandlerDeps,
  type JobHandlerModule,
} from "./job-handlers";
export {
  JOB_PRUNE_JOB,
  JOB_PRUNE_SCHEDULE,
  jobMaintenanceModule,
  scheduleJobPruning,
} from "./job-maintenance";
export {
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueOptions,
  JobQueue,
  type ScheduleOptions,
} from "./job-queue";
export { JOB_KIND, JobRegistry } from "./job-registry";
export {
  type Job,
  type JobContext,
  type JobHandler,
  type JobLogger,
  type JobResult,
  PermanentJobError,
  silentJobLogger,
} from "./job-types";
export { JobWorker, type JobWorkerOptions, type JobWorkerStats } from "./job-worker";
