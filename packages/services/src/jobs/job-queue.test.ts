import { isTenureError } from "@tenure/core";
import { openStorage, openTestStorage, type Storage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { JobQueue } from "./job-queue";
import { JobRegistry } from "./job-registry";
import { PermanentJobError } from "./job-types";
import { JobWorker } from "./job-worker";

const T0 = new Date("2026-12-07T08:00:00.000Z");

/** A clock tests move by hand. */
function manualClock(start = T0) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Timeline notes the test handlers write as their internal effect, per job id. */
async function effectsByJob(storage: Storage, ws: string, account: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const e of await storage.timeline.list(ws, account)) {
    const jobId = String(e.data.jobId);
    counts.set(jobId, (counts.get(jobId) ?? 0) + 1);
  }
  return counts;
}

describe.each(testDialects())("job queue on %s", (dialect) => {
  let t: TestStorage;
  let storage: Storage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    storage = t.storage;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should return the first job when a job is enqueued again with the same idempotency key", async () => {
    const queue = new JobQueue(storage);
    const a = await queue.enqueue("w1", { kind: "t.idem", payload: { n: 1 }, idempotencyKey: "k1" });
    const b = await queue.enqueue("w1", { kind: "t.idem", payload: { n: 2 }, idempotencyKey: "k1" });
    const otherKind = await queue.enqueue("w1", { kind: "t.idem2", idempotencyKey: "k1" });
    const otherWorkspace = await queue.enqueue("w2", { kind: "t.idem", idempotencyKey: "k1" });
    expect(b).toBe(a);
    expect(new Set([a, otherKind, otherWorkspace]).size).toBe(3);
    expect((await queue.get("w1", a)).payload).toEqual({ n: 1 });
    expect((await queue.list("w1", { kind: "t.idem" })).total).toBe(1);
  });

  it("should keep no job when the transaction it was enqueued in rolls back", async () => {
    const queue = new JobQueue(storage);
    await expect(
      storage.transaction(async (tx) => {
        await queue.enqueueInTransaction(tx, "w-tx", { kind: "t.tx", idempotencyKey: "only" });
        throw new Error("the caller's own write failed");
      }),
    ).rejects.toThrow("the caller's own write failed");
    expect((await queue.counts("w-tx")).queued).toBe(0);
    const id = await storage.transaction((tx) =>
      queue.enqueueInTransaction(tx, "w-tx", { kind: "t.tx", idempotencyKey: "only" }),
    );
    expect((await queue.get("w-tx", id)).status).toBe("queued");
  });

  it("should name the field when an enqueue is invalid", async () => {
    const queue = new JobQueue(storage);
    const attempts = [
      { kind: "bad kind!" },
      { kind: "t.ok", maxAttempts: 0 },
      { kind: "t.ok", runAt: new Date("nope") },
      { kind: "t.ok", payload: { n: 1n } },
    ];
    const messages: string[] = [];
    for (const options of attempts) {
      const error = await queue.enqueue("w1", options).catch((e: unknown) => e);
      expect(isTenureError(error, "validation")).toBe(true);
      messages.push((error as Error).message);
    }
    expect(messages[0]).toContain("kind");
    expect(messages[1]).toContain("maxAttempts");
    expect(messages[2]).toContain("runAt");
    expect(messages[3]).toContain("payload");
  });

  it("should write a handler's internal effect and mark its job done in one transaction", async () => {
    const ws = "w-effect";
    const queue = new JobQueue(storage);
    const registry = new JobRegistry().register("t.note", async (job, ctx) => {
      await ctx.transaction((tx) =>
        tx.timeline.insertMany(ws, [
          {
            id: `note-${job.id}`,
            accountId: "acc-1",
            type: "note",
            occurredAt: T0.toISOString(),
            author: null,
            title: "effect",
            body: null,
            data: { jobId: job.id, deliveryId: job.deliveryId },
          },
        ]),
      );
    });
    const ids = await Promise.all(
      [1, 2, 3].map((n) => queue.enqueue(ws, { kind: "t.note", payload: { n } })),
    );
    const worker = new JobWorker({ storage, registry, queue, pollIntervalMs: 20 });
    worker.start();
    await until(async () => (await queue.counts(ws)).done === 3, "3 jobs done");
    await worker.stop();
    const effects = await effectsByJob(storage, ws, "acc-1");
    expect([...effects.entries()].sort()).toEqual(ids.map((id) => [id, 1]).sort());
    const job = await queue.get(ws, ids[0] ?? "");
    expect(job).toMatchObject({ status: "done", attempt: 1, lockedBy: null });
  });

  it("should retry a failing job with growing delays, then fail it keeping the last error", async () => {
    const ws = "w-retry";
    const clock = manualClock();
    const queue = new JobQueue(storage, clock.now);
    let calls = 0;
    const registry = new JobRegistry().register("t.flaky", async (job) => {
      calls++;
      throw new Error(`boom ${job.attempt}`);
    });
    const id = await queue.enqueue(ws, { kind: "t.flaky", maxAttempts: 3 });
    const worker = new JobWorker({
      storage,
      registry,
      queue,
      clock: clock.now,
      pollIntervalMs: 10,
      backoff: { baseMs: 60_000, maxMs: 3_600_000 },
    });
    worker.start();
    const runAts: number[] = [];
    for (const attempt of [1, 2]) {
      await until(
        async () => (await queue.get(ws, id)).attempt === attempt && calls === attempt,
        `attempt ${attempt}`,
      );
      await until(async () => (await queue.get(ws, id)).status === "queued", `requeue ${attempt}`);
      const job = await queue.get(ws, id);
      expect(job.lastError).toBe(`Error: boom ${attempt}`);
      runAts.push(Date.parse(job.runAt) - clock.now().getTime());
      // Not due yet: the worker must leave it alone until the clock passes the backoff.
      clock.advance(Date.parse(job.runAt) - clock.now().getTime() + 1);
    }
    await until(async () => (await queue.get(ws, id)).status === "failed", "failed");
    await worker.stop();
    const failed = await queue.get(ws, id);
    expect(failed).toMatchObject({ attempt: 3, lastError: "Error: boom 3", lockedBy: null });
    expect(calls).toBe(3);
    // Equal jitter: attempt 1 waits 30-60 s, attempt 2 waits 60-120 s.
    expect(runAts[0]).toBeGreaterThanOrEqual(30_000);
    expect(runAts[0]).toBeLessThanOrEqual(60_000);
    expect(runAts[1]).toBeGreaterThanOrEqual(60_000);
    expect(runAts[1]).toBeLessThanOrEqual(120_000);

    const retried = await queue.retry(ws, id);
    expect(retried).toMatchObject({ status: "queued", attempt: 0, lastError: "Error: boom 3" });
    await expect(queue.retry(ws, id)).rejects.toSatisfy((e) => isTenureError(e, "conflict"));
    await expect(queue.retry(ws, "nope")).rejects.toSatisfy((e) => isTenureError(e, "not_found"));
  });

  it("should fail at once, without retries, on a permanent error or a payload its schema refuses", async () => {
    const ws = "w-permanent";
    const queue = new JobQueue(storage);
    const registry = new JobRegistry()
      .register("t.perm", async () => {
        throw new PermanentJobError("template 7 does not exist");
      })
      .register("t.typed", async () => undefined, { payload: z.object({ to: z.string().email() }) });
    const perm = await queue.enqueue(ws, { kind: "t.perm" });
    const typed = await queue.enqueue(ws, { kind: "t.typed", payload: { to: "not an address" } });
    const worker = new JobWorker({ storage, registry, queue, pollIntervalMs: 10 });
    worker.start();
    await until(async () => (await queue.counts(ws)).failed === 2, "2 failed");
    await worker.stop();
    expect(await queue.get(ws, perm)).toMatchObject({
      attempt: 1,
      lastError: "PermanentJobError: template 7 does not exist",
    });
    expect((await queue.get(ws, typed)).lastError).toMatch(/^invalid payload: to: /);
  });

  it("should run a rescheduled job again at its new time without counting an attempt", async () => {
    const ws = "w-resched";
    const clock = manualClock();
    const queue = new JobQueue(storage, clock.now);
    let runs = 0;
    const registry = new JobRegistry().register("t.quiet", async () => {
      runs++;
      return runs === 1 ? { rescheduleAt: new Date(clock.now().getTime() + 3_600_000) } : undefined;
    });
    const id = await queue.enqueue(ws, { kind: "t.quiet" });
    const worker = new JobWorker({ storage, registry, queue, clock: clock.now, pollIntervalMs: 10 });
    worker.start();
    await until(async () => runs === 1 && (await queue.get(ws, id)).status === "queued", "rescheduled");
    expect(await queue.get(ws, id)).toMatchObject({
      attempt: 0,
      runAt: new Date(T0.getTime() + 3_600_000).toISOString(),
    });
    clock.advance(3_600_000);
    await until(async () => (await queue.get(ws, id)).status === "done", "done after the reschedule");
    await worker.stop();
    expect(runs).toBe(2);
  });

  it("should let another worker take over a dead worker's job after its lease, and drop the dead claim's writes", async () => {
    const ws = "w-lease";
    const clock = manualClock();
    const queue = new JobQueue(storage, clock.now);
    const id = await queue.enqueue(ws, { kind: "t.lease" });
    // A worker that claimed the job and died.
    const [claimed] = await storage.jobs.claim({
      kinds: ["t.lease"],
      limit: 10,
      lockedBy: "dead:1",
      leaseMs: 60_000,
      now: clock.now(),
    });
    expect(claimed?.id).toBe(id);
    const registry = new JobRegistry().register("t.lease", async (job, ctx) => {
      await ctx.transaction((tx) =>
        tx.timeline.insertMany(ws, [
          {
            id: `lease-${job.id}-${job.attempt}`,
            accountId: "acc-1",
            type: "note",
            occurredAt: T0.toISOString(),
            author: null,
            title: "effect",
            body: null,
            data: { jobId: job.id },
          },
        ]),
      );
    });
    const worker = new JobWorker({ storage, registry, queue, clock: clock.now, pollIntervalMs: 10 });
    worker.start();
    await new Promise((r) => setTimeout(r, 100));
    expect((await queue.get(ws, id)).status).toBe("running");
    clock.advance(60_001);
    await until(async () => (await queue.get(ws, id)).status === "done", "taken over");
    await worker.stop();
    expect(await queue.get(ws, id)).toMatchObject({ attempt: 2 });
    // The dead claim finishing late changes nothing.
    expect(await storage.jobs.complete([id], "dead:1", clock.now())).toEqual([]);
    expect(await storage.jobs.fail(id, "dead:1", "late", clock.now())).toBe(false);
    expect([...(await effectsByJob(storage, ws, "acc-1")).values()]).toEqual([1]);
  });

  it("should give concurrent claims from two connections disjoint jobs", async () => {
    const ws = "w-claims";
    const queue = new JobQueue(storage);
    expect(
      await queue.enqueueMany(
        ws,
        Array.from({ length: 200 }, (_, i) => ({ kind: "t.claim", payload: i })),
      ),
    ).toBe(200);
    const other = await openStorage(t.config);
    try {
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? storage : other).jobs.claim({
            kinds: ["t.claim"],
            limit: 30,
            lockedBy: `c:${i}`,
            leaseMs: 60_000,
            now: new Date(),
          }),
        ),
      );
      const ids = claims.flat().map((j) => j.id);
      expect(ids).toHaveLength(200);
      expect(new Set(ids).size).toBe(200);
    } finally {
      await other.close();
    }
  });

  it("should refuse an invalid schedule naming it, and enqueue each due run exactly once", async () => {
    const ws = "w-sched";
    const clock = manualClock(new Date("2026-12-07T08:59:30.000Z"));
    const queue = new JobQueue(storage, clock.now);
    for (const [cron, timezone, part] of [
      ["61 * * * *", "UTC", "invalid cron"],
      ["* * *", "UTC", "5 fields"],
      ["0 9 * * *", "Mars/Olympus", "time zone"],
    ] as const) {
      const error = await queue
        .schedule(ws, { name: "nightly", cron, timezone, kind: "t.sched" })
        .catch((e: unknown) => e);
      expect(isTenureError(error, "validation")).toBe(true);
      expect((error as Error).message).toContain('schedule "nightly"');
      expect((error as Error).message).toContain(part);
    }
    const s = await queue.schedule(ws, {
      name: "hourly",
      cron: "0 * * * *",
      timezone: "Asia/Shanghai",
      kind: "t.sched",
      payload: { report: "weekly" },
    });
    expect(s.nextRunAt).toBe("2026-12-07T09:00:00.000Z");
    expect(await queue.fireDueSchedules()).toBe(0);
    clock.advance(31_000);
    const other = await openStorage(t.config);
    try {
      const fired = await Promise.all([
        queue.fireDueSchedules(),
        new JobQueue(other, clock.now).fireDueSchedules(),
        queue.fireDueSchedules(),
      ]);
      expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await other.close();
    }
    const { jobs } = await queue.list(ws, { kind: "t.sched" });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      scheduleName: "hourly",
      runAt: "2026-12-07T09:00:00.000Z",
      payload: { report: "weekly" },
      idempotencyKey: "schedule:hourly:2026-12-07T09:00:00.000Z",
    });
    expect((await storage.jobSchedules.get(ws, "hourly"))?.nextRunAt).toBe("2026-12-07T10:00:00.000Z");
  });
});
