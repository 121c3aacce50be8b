import { z } from "zod";
import { appNow } from "../jobs/app-clock";
import type { JobHandlerModule } from "../jobs/job-handlers";
import type { JobQueue } from "../jobs/job-queue";
import { runAutomationPass, runTrackedEventPass } from "./automation-service";
import { AUTOMATION_STEP_JOB, advanceAutomationRun } from "./run-actions";
import { AUTOMATION_TRACKED_JOB } from "./tracked-events";

/** The job kind of an evaluation pass over a workspace's automations. */
export const AUTOMATION_EVALUATE_JOB = "automation.evaluate";

/** How often the pass runs (signals, band/stage/segment moves, dates and schedules are caught then). */
export const AUTOMATION_PASS_CRON = "*/5 * * * *";

/** Makes sure the workspace's evaluation pass is scheduled (idempotent; called when automations are saved). */
export async function scheduleAutomationPasses(queue: JobQueue, ws: string): Promise<void> {
  await queue.schedule(ws, {
    name: "automations:evaluate",
    cron: AUTOMATION_PASS_CRON,
    kind: AUTOMATION_EVALUATE_JOB,
  });
}

const trackedPayload = z.object({
  events: z.array(
    z.object({
      id: z.string().min(1),
      accountId: z.string().min(1),
      event: z.string().min(1),
      properties: z.record(z.string(), z.unknown()),
    }),
  ),
});

/**
 * Registers the automation jobs: the evaluation pass, the pass over one ingest commit's tracked
 * events, and a run's steps up to its next wait.
 */
export const automationJobModule: JobHandlerModule = (registry, deps) => {
  // On the app's clock: signals are dated by its today, and runs, tasks and due dates follow it.
  const now = () => appNow(deps.today);
  const runDeps = {
    storage: deps.storage,
    queue: deps.queue,
    reportingCurrency: deps.config.reportingCurrency,
    now,
  };
  registry.register(
    AUTOMATION_STEP_JOB,
    async (job) => {
      await advanceAutomationRun(runDeps, job.workspaceId, job.payload.runId);
    },
    { payload: z.object({ runId: z.string().min(1) }) },
  );
  registry.register(AUTOMATION_EVALUATE_JOB, async (job) => {
    await runAutomationPass(runDeps, job.workspaceId, { asOf: now().toISOString() });
  });
  registry.register(
    AUTOMATION_TRACKED_JOB,
    async (job) => {
      await runTrackedEventPass(runDeps, job.workspaceId, {
        asOf: new Date().toISOString(),
        tracked: job.payload.events,
      });
    },
    { payload: trackedPayload },
  );
};
