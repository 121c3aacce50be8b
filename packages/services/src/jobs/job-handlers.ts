import type { Storage } from "@tenure/storage";
import { automationJobModule } from "../automations/job-module";
import type { TenureConfig } from "../config/config";
import { deliveryJobModule } from "../deliveries/job-module";
import { playbookJobModule } from "../playbooks/job-module";
import { jobMaintenanceModule } from "./job-maintenance";
import type { JobQueue } from "./job-queue";
import { JobRegistry } from "./job-registry";
import type { JobLogger } from "./job-types";

/** What a domain's job handlers may use. */
export interface JobHandlerDeps {
  storage: Storage;
  queue: JobQueue;
  config: TenureConfig;
  logger: JobLogger;
  /** Today as YYYY-MM-DD (the CLI's and server's clock). */
  today: () => string;
}

/** Registers one domain's job kinds (deliveries, automations, playbooks, ...). */
export type JobHandlerModule = (registry: JobRegistry, deps: JobHandlerDeps) => void;

/**
 * Every domain's handlers, in one list that `tenure worker` and `tenure serve` run: a domain adds
 * its module here (one import, one entry).
 */
export const JOB_HANDLER_MODULES: JobHandlerModule[] = [
  automationJobModule,
  deliveryJobModule,
  playbookJobModule,
  jobMaintenanceModule,
];

/** The registry of every job kind this build knows (see JOB_HANDLER_MODULES). */
export function buildJobRegistry(deps: JobHandlerDeps, modules = JOB_HANDLER_MODULES): JobRegistry {
  const registry = new JobRegistry();
  for (const register of modules) register(registry, deps);
  return registry;
}
