import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { openTestStorage, type StorageConfig, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, describe, expect, it } from "vitest";
import { JobQueue } from "../../src/jobs";

/**
 * Issue 15, section 14: kill -9 the worker(s) in the middle of 10,000 due jobs, start them again, and
 * check that every job completed, each internal effect (a timeline note) happened exactly once, and
 * each delivery id reached the receiver at least once. On PostgreSQL two worker processes share the
 * work (both before and after the kill).
 */

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const entry = fileURLToPath(new URL("./kill-worker-entry.ts", import.meta.url));
const JOBS = Number(process.env.TENURE_KILL_TEST_JOBS ?? 10_000);
const WS = "kill";
const KIND = "test.deliver";
const ACCOUNT = "acc-kill";
const LEASE_MS = 3_000;

/** The loopback receiver: counts each delivery id and which worker sent it. */
async function startReceiver() {
  const seen = new Map<string, number>();
  const byWorker = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      const { deliveryId } = JSON.parse(body) as { deliveryId: string };
      seen.set(deliveryId, (seen.get(deliveryId) ?? 0) + 1);
      const worker = String(req.headers["x-worker"]);
      byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliveries`;
  return { url, seen, byWorker, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function startWorker(config: StorageConfig, receiver: string, name: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      cwd: root,
      env: {
        ...process.env,
        KILL_TEST_STORAGE: JSON.stringify(config),
        KILL_TEST_RECEIVER: receiver,
        KILL_TEST_WORKER: name,
        KILL_TEST_CONCURRENCY: "16",
        KILL_TEST_LEASE_MS: String(LEASE_MS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready")) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) early: ${out}`)),
    );
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const children: ChildProcess[] = [];
/** Kills every worker still running (a failed test's), so its database can be dropped. */
async function killAll(): Promise<void> {
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of alive) c.kill("SIGKILL");
  await Promise.all(alive.map(exited));
}
afterAll(killAll);

const cases = testDialects().map((dialect) => ({ dialect, workers: dialect === "postgres" ? 2 : 1 }));

describe.each(cases)(
  "job worker killed with SIGKILL on $dialect ($workers worker processes)",
  ({ dialect, workers }) => {
    it(`should complete all ${JOBS} jobs after a restart, internal effects exactly once, every delivery at least once`, async () => {
      const receiver = await startReceiver();
      let t: TestStorage | null = null;
      try {
        t = await openTestStorage(dialect);
        const { storage: db, config } = t;
        const queue = new JobQueue(db);
        expect(
          await queue.enqueueMany(
            WS,
            Array.from({ length: JOBS }, (_, i) => ({
              kind: KIND,
              payload: { n: i },
              idempotencyKey: `n-${i}`,
            })),
          ),
        ).toBe(JOBS);
        const done = async () => (await db.jobs.counts(WS)).done;

        const names = Array.from({ length: workers }, (_, i) => `w${i + 1}`);
        const first = await Promise.all(names.map((n) => startWorker(config, receiver.url, `${n}-a`)));
        children.push(...first);
        await until(async () => (await done()) >= JOBS * 0.3, "30% done", 120_000);
        for (const c of first) c.kill("SIGKILL");
        await Promise.all(first.map(exited));
        const atKill = await db.jobs.counts(WS);
        expect(atKill.done).toBeLessThan(JOBS);

        const second = await Promise.all(names.map((n) => startWorker(config, receiver.url, `${n}-b`)));
        children.push(...second);
        await until(async () => (await done()) === JOBS, "every job done", 240_000);
        for (const c of second) c.kill("SIGTERM");
        // Graceful stop: each finishes what it holds, then exits 0.
        expect(await Promise.all(second.map(exited))).toEqual(second.map(() => 0));

        expect(await db.jobs.counts(WS)).toEqual({ queued: 0, running: 0, done: JOBS, failed: 0 });
        const notes = await db.timeline.list(WS, ACCOUNT);
        const perJob = new Map<string, number>();
        for (const n of notes) perJob.set(String(n.data.jobId), (perJob.get(String(n.data.jobId)) ?? 0) + 1);
        expect(perJob.size).toBe(JOBS);
        expect([...perJob.values()].every((c) => c === 1)).toBe(true);
        const { jobs } = await db.jobs.list(WS, { limit: JOBS, offset: 0 });
        const deliveryIds = jobs.map((j) => `job_${j.id}`);
        expect(deliveryIds.filter((id) => (receiver.seen.get(id) ?? 0) < 1)).toEqual([]);
        // Deliveries cut off by the kill were sent again, so some ids arrive twice; none was lost.
        expect(receiver.seen.size).toBe(JOBS);
        for (const n of names) {
          // Every process did part of the work, before and after the kill.
          expect(receiver.byWorker.get(`${n}-a`) ?? 0).toBeGreaterThan(0);
          expect(receiver.byWorker.get(`${n}-b`) ?? 0).toBeGreaterThan(0);
        }
      } finally {
        await killAll();
        await t?.cleanup();
        await receiver.close();
      }
    }, 400_000);
  },
);
