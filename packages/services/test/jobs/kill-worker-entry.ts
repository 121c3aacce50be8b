/**
 * A worker process for the kill tests (worker-kill.test.ts), run with `node --import tsx`. It runs
 * the product's real delivery handlers (`delivery.email` to TENURE_SMTP_URL, `delivery.webhook` to the
 * workspace's endpoints) and one test kind that does what a delivery with an internal effect does:
 * an external effect (an HTTP POST carrying the job's delivery id to the test's loopback receiver, at
 * least once) and an internal one (a timeline note naming the job, written with ctx.transaction, so
 * exactly once). Settings come from the environment: KILL_TEST_STORAGE (a StorageConfig as JSON),
 * KILL_TEST_RECEIVER (URL), KILL_TEST_WORKER (a name), KILL_TEST_CONCURRENCY, KILL_TEST_LEASE_MS,
 * TENURE_SMTP_URL and TENURE_SMTP_FROM. Prints "ready" once it is running; SIGTERM stops it gracefully.
 */
import { openStorage, type StorageConfig } from "@tenure/storage";
import { loadConfig } from "../../src/config/config";
import { closeSmtpTransports } from "../../src/deliveries/email";
import { deliveryJobModule } from "../../src/deliveries/job-module";
import { JobQueue, JobWorker } from "../../src/jobs";
import { buildJobRegistry } from "../../src/jobs/job-handlers";
import { silentJobLogger } from "../../src/jobs/job-types";

export const KILL_TEST_KIND = "test.deliver";
export const KILL_TEST_ACCOUNT = "acc-kill";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const storage = await openStorage(JSON.parse(env("KILL_TEST_STORAGE")) as StorageConfig, { migrate: false });
const receiver = env("KILL_TEST_RECEIVER");
const name = env("KILL_TEST_WORKER");
const queue = new JobQueue(storage);
const registry = buildJobRegistry(
  {
    storage,
    queue,
    config: loadConfig({
      TENURE_SMTP_URL: env("TENURE_SMTP_URL"),
      TENURE_SMTP_FROM: env("TENURE_SMTP_FROM"),
    }),
    logger: silentJobLogger,
    today: () => new Date().toISOString().slice(0, 10),
  },
  [deliveryJobModule],
).register(KILL_TEST_KIND, async (job, ctx) => {
  const res = await fetch(receiver, {
    method: "POST",
    headers: { "content-type": "application/json", "x-worker": name },
    body: JSON.stringify({ deliveryId: job.deliveryId, jobId: job.id, attempt: job.attempt }),
  });
  if (!res.ok) throw new Error(`receiver answered ${res.status}`);
  await ctx.transaction((tx) =>
    tx.timeline.insertMany(job.workspaceId, [
      {
        id: `${job.id}:${job.attempt}`,
        accountId: KILL_TEST_ACCOUNT,
        type: "note",
        occurredAt: new Date().toISOString(),
        author: null,
        title: "delivered",
        body: null,
        data: { jobId: job.id, deliveryId: job.deliveryId },
      },
    ]),
  );
});
const worker = new JobWorker({
  storage,
  registry,
  queue,
  workerId: name,
  concurrency: Number(env("KILL_TEST_CONCURRENCY")),
  leaseMs: Number(env("KILL_TEST_LEASE_MS")),
  pollIntervalMs: 50,
});
worker.start();
process.once("SIGTERM", () => {
  void worker
    .stop()
    .then(() => {
      closeSmtpTransports();
      return storage.close();
    })
    .then(() => process.exit(0));
});
process.stdout.write("ready\n");
