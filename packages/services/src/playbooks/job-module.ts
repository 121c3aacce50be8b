import type { Storage } from "@tenure/storage";
import type { JobHandlerModule } from "../jobs/job-handlers";
import { JobQueue } from "../jobs/job-queue";
import { measureDueRuns } from "./run-service";

/** The job kind that reads the end value of a workspace's runs whose window has ended. */
export const MEASURE_RUNS_JOB = "playbooks.measure";
const SCHEDULE = "playbooks:measure";

/** Registers the daily window-end measurement with the job queue (`tenure worker`, `tenure serve`). */
export const playbookJobModule: JobHandlerModule = (registry, deps) => {
  registry.register(MEASURE_RUNS_JOB, async (job) => {
    await measureDueRuns(
      { storage: deps.storage, reportingCurrency: deps.config.reportingCurrency },
      job.workspaceId,
      deps.today(),
    );
    return undefined;
  });
};

/** Schedules the workspace's daily measurement (02:15 UTC); scheduling again only refreshes it. */
export async function scheduleRunMeasurement(storage: Storage, ws: string): Promise<void> {
  await new JobQueue(storage).schedule(ws, { name: SCHEDULE, cron: "15 2 * * *", kind: MEASURE_RUNS_JOB });
}
