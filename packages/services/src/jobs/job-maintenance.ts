import { DEFAULT_WORKSPACE_ID } from "@tenure/storage";
import type { JobHandlerModule } from "./job-handlers";
import type { JobQueue } from "./job-queue";

/** The job kind that deletes done jobs older than the retention (TENURE_JOB_RETENTION_DAYS). */
export const JOB_PRUNE_JOB = "jobs.prune";

/** The prune's schedule: nightly at 03:40 UTC. */
export const JOB_PRUNE_SCHEDULE = { name: "jobs:prune", cron: "40 3 * * *" } as const;

const DAY_MS = 86_400_000;

/**
 * Registers the prune of done jobs: every workspace's done jobs that finished more than
 * `config.jobRetentionDays` days ago are deleted (their idempotency keys become free again). Queued,
 * running and failed jobs are never pruned: a failed job stays until someone retries or reads it.
 * Audit log entries older than `config.auditRetentionDays` days are deleted by the same job.
 */
export const jobMaintenanceModule: JobHandlerModule = (registry, deps) => {
  registry.register(JOB_PRUNE_JOB, async (_job, ctx) => {
    const before = new Date(Date.now() - deps.config.jobRetentionDays * DAY_MS);
    const deleted = await deps.storage.jobs.pruneDone(before);
    ctx.logger.info({ deleted, before: before.toISOString() }, "pruned done jobs");
    // The audit log's retention (TENURE_AUDIT_RETENTION_DAYS) is kept by the same nightly job.
    const auditBefore = new Date(Date.now() - deps.config.auditRetentionDays * DAY_MS).toISOString();
    const audited = await deps.storage.audit.prune(auditBefore);
    ctx.logger.info({ deleted: audited, before: auditBefore }, "pruned audit log");
  });
};

/**
 * Makes sure the nightly prune is scheduled (idempotent; every worker calls it as it starts). The prune
 * covers every workspace, so one schedule is kept, under the default workspace.
 */
export async function scheduleJobPruning(queue: JobQueue): Promise<void> {
  await queue.schedule(DEFAULT_WORKSPACE_ID, { ...JOB_PRUNE_SCHEDULE, kind: JOB_PRUNE_JOB });
}
