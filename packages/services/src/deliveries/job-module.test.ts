import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config";
import { buildJobRegistry } from "../jobs/job-handlers";
import { JobQueue } from "../jobs/job-queue";
import { silentJobLogger } from "../jobs/job-types";
import { JobWorker } from "../jobs/job-worker";
import { setDeliverySettings } from "./delivery-settings";
import { closeSmtpTransports } from "./email";
import { DELIVERY_JOB_KINDS } from "./handlers";
import { deliveryJobModule } from "./job-module";
import { type LoopbackReceiver, startLoopbackReceiver } from "./loopback-receiver";
import { type SmtpTestServer, startSmtpServer } from "./smtp-test-server";
import { newWebhookSecret } from "./webhook";

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(testDialects())("deliveries through the job queue on %s", (dialect) => {
  let t: TestStorage;
  let rx: LoopbackReceiver;
  let smtp: SmtpTestServer;
  let queue: JobQueue;
  let worker: JobWorker;
  const ws = "ws-jobs";

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    rx = await startLoopbackReceiver();
    smtp = await startSmtpServer();
    await t.storage.accounts.upsertMany(ws, [{ ...minimalAccount("acc-1"), name: "Acme" }]);
    queue = new JobQueue(t.storage);
    const config = loadConfig({ TENURE_SMTP_URL: smtp.url, TENURE_SMTP_FROM: "cs@tenure.example" });
    const registry = buildJobRegistry(
      { storage: t.storage, queue, config, logger: silentJobLogger, today: () => "2026-12-08" },
      [deliveryJobModule],
    );
    worker = new JobWorker({
      storage: t.storage,
      registry,
      queue,
      pollIntervalMs: 10,
      backoff: { baseMs: 20, maxMs: 50 },
    });
    worker.start();
  });
  afterAll(async () => {
    await worker.stop();
    closeSmtpTransports();
    await smtp.close();
    await rx.close();
    await t.cleanup();
  });

  it("should retry a webhook the receiver refuses until it accepts, with one delivery id and every attempt logged", async () => {
    const secret = newWebhookSecret();
    await t.storage.deliveryTargets.saveEndpoint(ws, {
      id: "ep",
      name: "CRM",
      url: rx.url,
      secret,
      enabled: true,
    });
    let calls = 0;
    rx.respond(() => (++calls < 3 ? { status: 502, body: "bad gateway" } : { status: 200, body: "{}" }));
    const id = await queue.enqueue(ws, {
      kind: DELIVERY_JOB_KINDS.webhook,
      payload: { endpointId: "ep", type: "task.created", data: { taskId: "t-1" } },
    });
    await until(async () => (await queue.get(ws, id)).status === "done", "webhook job done");
    const job = await queue.get(ws, id);
    expect(job.attempt).toBe(3);
    const ids = new Set(rx.received.map((r) => r.headers["webhook-id"]));
    expect([...ids]).toEqual([`job_${job.id}`]);
    for (const r of rx.received) {
      expect(new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).toMatchObject({
        type: "task.created",
      });
    }
    const attempts = await t.storage.deliveryLog.attempts(ws, `job_${job.id}`);
    expect(attempts.map((a) => [a.attempt, a.status, a.responseCode])).toEqual([
      [1, "failed", 502],
      [2, "failed", 502],
      [3, "sent", 200],
    ]);
  });

  it("should end an email whose template does not exist at once, failed in the queue and in the log", async () => {
    const id = await queue.enqueue(ws, {
      kind: DELIVERY_JOB_KINDS.email,
      payload: { templateName: "missing", accountId: "acc-1", to: "a@acme.example" },
    });
    await until(async () => (await queue.get(ws, id)).status === "failed", "email job failed");
    const job = await queue.get(ws, id);
    expect(job).toMatchObject({
      attempt: 1,
      lastError: 'PermanentJobError: No email template "missing (en)"',
    });
    expect(await t.storage.deliveryLog.get(ws, `job_${job.id}`)).toMatchObject({
      status: "failed",
      lastError: 'No email template "missing (en)"',
    });
  });

  it("should put an email back in the queue until quiet hours end, without sending it", async () => {
    // Quiet all day but the last minute: the job must be rescheduled, not sent.
    await setDeliverySettings(t.storage, ws, {
      timeZone: "UTC",
      quietHours: { start: "00:00", end: "23:59" },
    });
    const now = new Date();
    const inQuiet = now.getUTCHours() * 60 + now.getUTCMinutes() < 23 * 60 + 59;
    await t.storage.deliveryTemplates.save(ws, {
      id: "tpl",
      name: "hi",
      locale: "en",
      subject: "Hi {{account.name}}",
      body: "Hello",
    });
    const before = smtp.mails.length;
    const id = await queue.enqueue(ws, {
      kind: DELIVERY_JOB_KINDS.email,
      payload: { templateId: "tpl", accountId: "acc-1", to: "a@acme.example" },
    });
    if (!inQuiet) return; // the one minute of the day the window is open: nothing to check
    await until(
      async () => (await t.storage.deliveryLog.list(ws, { status: "deferred", limit: 1 })).length === 1,
      "deferral",
    );
    await until(async () => (await queue.get(ws, id)).status === "queued", "requeued");
    const job = await queue.get(ws, id);
    const end = new Date(now);
    end.setUTCHours(23, 59, 0, 0);
    expect(job.runAt).toBe(end.toISOString());
    expect(smtp.mails.length).toBe(before);
  });
});
