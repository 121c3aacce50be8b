import { JobQueue, JobRegistry, JobWorker } from "@tenure/services";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";

describe.each(testDialects())("job log routes on %s", (dialect) => {
  let t: TestStorage;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let failedId: string;
  let doneId: string;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    key = (await t.storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
    app = createApp({ storage: t.storage, config: { reportingCurrency: "USD", grossMargin: 1 } });
    const queue = new JobQueue(t.storage);
    failedId = await queue.enqueue(WS, {
      kind: "test.broken",
      payload: { to: "ops@example.com" },
      maxAttempts: 1,
    });
    doneId = await queue.enqueue(WS, { kind: "test.fine" });
    await queue.enqueue(WS, { kind: "test.later", runAt: new Date(Date.now() + 86_400_000) });
    const registry = new JobRegistry()
      .register("test.broken", async () => {
        throw new Error("SMTP 550 mailbox unavailable");
      })
      .register("test.fine", async () => undefined);
    const worker = new JobWorker({ storage: t.storage, registry, queue, pollIntervalMs: 10 });
    worker.start();
    const deadline = Date.now() + 20_000;
    while ((await queue.counts(WS)).done + (await queue.counts(WS)).failed < 2) {
      if (Date.now() > deadline) throw new Error("jobs did not finish");
      await new Promise((r) => setTimeout(r, 10));
    }
    await worker.stop();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const call = async (method: string, url: string) => {
    const res = await app.request(url, { method, headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("should list jobs newest first with counts per status, and filter by status and kind", async () => {
    const all = await call("GET", "/api/jobs");
    expect(all.status).toBe(200);
    expect(all.body.counts).toEqual({ queued: 1, running: 0, done: 1, failed: 1 });
    expect(all.body.total).toBe(3);
    expect((all.body.jobs as Array<{ kind: string }>).map((j) => j.kind)).toEqual([
      "test.later",
      "test.fine",
      "test.broken",
    ]);
    const failed = await call("GET", "/api/jobs?status=failed");
    expect(failed.body.total).toBe(1);
    expect((failed.body.jobs as unknown[])[0]).toMatchObject({
      id: failedId,
      status: "failed",
      attempt: 1,
      maxAttempts: 1,
      lastError: "Error: SMTP 550 mailbox unavailable",
      payload: { to: "ops@example.com" },
    });
    const page = await call("GET", "/api/jobs?limit=1&offset=1&kind=test.fine");
    expect(page.body).toMatchObject({ total: 1, jobs: [] });
  });

  it("should answer 400 naming the parameter when a filter is invalid", async () => {
    const bad = await call("GET", "/api/jobs?status=stuck");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("status");
    const limit = await call("GET", "/api/jobs?limit=0");
    expect(limit.status).toBe(400);
    expect(JSON.stringify(limit.body)).toContain("limit");
  });

  it("should retry a failed job and refuse to retry one that has not failed", async () => {
    const retried = await call("POST", `/api/jobs/${failedId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: failedId, status: "queued", attempt: 0 });
    expect((await call("GET", `/api/jobs/${failedId}`)).body).toMatchObject({ status: "queued" });
    const notFailed = await call("POST", `/api/jobs/${doneId}/retry`);
    expect(notFailed.status).toBe(409);
    expect((await call("POST", "/api/jobs/nope/retry")).status).toBe(404);
    expect((await call("GET", "/api/jobs/nope")).status).toBe(404);
  });
});
