import { DEFAULT_WORKSPACE_ID, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config";
import { buildJobRegistry } from "./job-handlers";
import {
  JOB_PRUNE_JOB,
  JOB_PRUNE_SCHEDULE,
  jobMaintenanceModule,
  scheduleJobPruning,
} from "./job-maintenance";
import { JobQueue } from "./job-queue";
import { silentJobLogger } from "./job-types";
import { JobWorker } from "./job-worker";

const WS = "ws-prune";
const DAY_MS = 86_400_000;

describe.each(testDialects())("pruning done jobs on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(() => t.cleanup());

  /** Runs the queue's due jobs (and, with `schedules`, due schedules) with the clock at `at`. */
  async function runAt(at: Date, kinds: (r: ReturnType<typeof buildJobRegistry>) => void, schedules = false) {
    const queue = new JobQueue(t.storage, () => at);
    const registry = buildJobRegistry(
      {
        storage: t.storage,
        queue,
        config: loadConfig({ TENURE_JOB_RETENTION_DAYS: "14" }),
        logger: silentJobLogger,
        today: () => at.toISOString().slice(0, 10),
      },
      [jobMaintenanceModule],
    );
    kinds(registry);
    const worker = new JobWorker({
      storage: t.storage,
      registry,
      queue,
      pollIntervalMs: 10,
      schedules,
      clock: () => at,
    });
    worker.start();
    for (let i = 0; i < 500; i++) {
      const [a, b] = await Promise.all([queue.counts(WS), queue.counts(DEFAULT_WORKSPACE_ID)]);
      if (a.queued + a.running + b.queued + b.running === 0 && (!schedules || b.done > 0)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await worker.stop();
    return queue;
  }

  it("should keep done jobs 14 days and prune older ones on its nightly schedule", async () => {
    const now = Date.now();
    const old = new Date(now - 30 * DAY_MS);
    const recent = new Date(now - 2 * DAY_MS);
    const noop = (r: ReturnType<typeof buildJobRegistry>) => {
      r.register("test.noop", async () => undefined);
      r.register("test.fail", async () => {
        throw new Error("always fails");
      });
    };
    const q = new JobQueue(t.storage, () => old);
    await q.enqueue(WS, { kind: "test.noop", idempotencyKey: "old-1" });
    await q.enqueue(WS, { kind: "test.noop", idempotencyKey: "old-2" });
    await q.enqueue(WS, { kind: "test.fail", maxAttempts: 1, idempotencyKey: "old-failed" });
    await runAt(old, noop);
    await new JobQueue(t.storage, () => recent).enqueue(WS, { kind: "test.noop", idempotencyKey: "recent" });
    await runAt(recent, noop);
    expect(await q.counts(WS)).toMatchObject({ done: 3, failed: 1 });

    // Scheduled under the default workspace; a worker whose clock has passed 03:40 UTC runs it.
    await scheduleJobPruning(new JobQueue(t.storage, () => new Date(now)));
    const schedule = (await q.schedules(DEFAULT_WORKSPACE_ID)).find(
      (s) => s.name === JOB_PRUNE_SCHEDULE.name,
    );
    expect(schedule).toMatchObject({ cron: "40 3 * * *", kind: JOB_PRUNE_JOB, enabled: true });
    await runAt(new Date(now + DAY_MS + 60_000), noop, true);

    const left = await q.list(WS, { limit: 10 });
    expect(left.jobs.map((j) => [j.idempotencyKey, j.status]).sort()).toEqual([
      ["old-failed", "failed"],
      ["recent", "done"],
    ]);
    // The pruned keys are free again.
    const again = await q.enqueue(WS, { kind: "test.noop", idempotencyKey: "old-1" });
    expect((await q.get(WS, again)).status).toBe("queued");
  });

  it("should name the variable when the retention is not a whole number of days", () => {
    expect(() => loadConfig({ TENURE_JOB_RETENTION_DAYS: "0" })).toThrow(/TENURE_JOB_RETENTION_DAYS/);
    expect(() => loadConfig({ TENURE_JOB_RETENTION_DAYS: "two" })).toThrow(/TENURE_JOB_RETENTION_DAYS/);
    expect(loadConfig({}).jobRetentionDays).toBe(14);
  });

  it("should keep the audit log 365 days unless TENURE_AUDIT_RETENTION_DAYS says otherwise", () => {
    expect(loadConfig({}).auditRetentionDays).toBe(365);
    expect(loadConfig({ TENURE_AUDIT_RETENTION_DAYS: "30" }).auditRetentionDays).toBe(30);
    expect(() => loadConfig({ TENURE_AUDIT_RETENTION_DAYS: "0" })).toThrow(/TENURE_AUDIT_RETENTION_DAYS/);
    expect(() => loadConfig({ TENURE_RATE_LIMIT_IP_PER_MINUTE: "-1" })).toThrow(
      /TENURE_RATE_LIMIT_IP_PER_MINUTE/,
    );
  });
});
