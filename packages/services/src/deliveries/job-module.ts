import type { JobHandlerModule } from "../jobs/job-handlers";
import { type Job, PermanentJobError } from "../jobs/job-types";
import {
  DELIVERY_JOB_KINDS,
  type DeliveryDeps,
  DeliveryFailedError,
  type DeliveryJob,
  type DeliveryResult,
  deliverChat,
  deliverEmail,
  deliverWebhook,
} from "./handlers";

/**
 * The queue's handlers of the three delivery kinds. Payloads are checked by the handlers themselves
 * (not by the registry) so that a bad one is in the delivery log too; failures that retrying cannot
 * fix end the job at once, others are retried with the queue's backoff.
 */
export const deliveryJobModule: JobHandlerModule = (registry, deps) => {
  const deliveryDeps: DeliveryDeps = {
    storage: deps.storage,
    reportingCurrency: deps.config.reportingCurrency,
    today: deps.today,
    smtpEnv: { smtpUrl: deps.config.smtpUrl, smtpFrom: deps.config.smtpFrom },
  };
  const wrap =
    (deliver: (job: DeliveryJob, d: DeliveryDeps) => Promise<DeliveryResult>) =>
    async (job: Job): Promise<DeliveryResult> => {
      try {
        return await deliver(job, deliveryDeps);
      } catch (err) {
        if (err instanceof DeliveryFailedError && err.permanent)
          throw new PermanentJobError(err.message, { cause: err });
        throw err;
      }
    };
  registry.register(DELIVERY_JOB_KINDS.email, wrap(deliverEmail));
  registry.register(DELIVERY_JOB_KINDS.webhook, wrap(deliverWebhook));
  registry.register(DELIVERY_JOB_KINDS.chat, wrap(deliverChat));
};
