import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import {
  minimalAccount,
  openTestStorage,
  type StorageConfig,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { SMTPServer } from "smtp-server";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { messageIdFor } from "../../src/deliveries/email";
import { DELIVERY_JOB_KINDS } from "../../src/deliveries/handlers";
import { newWebhookSecret } from "../../src/deliveries/webhook";
import { JobQueue } from "../../src/jobs";

/**
 * Issue 15, section 14: kill -9 the worker(s) in the middle of 10,000 due jobs, start them again, and
 * check that every job completed, each internal effect (a timeline note) happened exactly once, and
 * each delivery id reached the receiver at least once. Every second job is a real delivery through the
 * product's handlers: an email to an SMTP server this test runs (smtp-server), which records each
 * Message-ID, or a Standard Webhooks POST to a loopback endpoint that verifies the signature and
 * records each webhook-id. On PostgreSQL two worker processes share the work (before and after the kill).
 */

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const entry = fileURLToPath(new URL("./kill-worker-entry.ts", import.meta.url));
const JOBS = Number(process.env.TENURE_KILL_TEST_JOBS ?? 10_000);
const WS = "kill";
const KIND = "test.deliver";
const ACCOUNT = "acc-kill";
const LEASE_MS = 3_000;
/** Every DELIVERY_EVERY-th job is a real delivery, alternately an email and a webhook. */
const DELIVERY_EVERY = 2;
const FROM = "cs@kill.example";
const ENDPOINT = "ep-kill";
const TEMPLATE = "tpl-kill";

/** How many times each id arrived (a delivery repeated after the kill arrives twice). */
function counter() {
  const seen = new Map<string, number>();
  return { seen, add: (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1) };
}

/** An SMTP server that records the Message-ID of every message it accepted. */
async function startSmtp() {
  const ids = counter();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, cb) {
      let raw = "";
      stream.on("data", (d: Buffer) => {
        raw += d.toString();
      });
      // "end" comes only for a message received in full: smtp-server destroys the stream of one cut
      // off by a killed worker, so a half-sent email is not counted as delivered.
      stream.on("end", () => {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1];
        if (id === undefined) return cb(new Error("no Message-ID"));
        ids.add(id);
        cb();
      });
    },
  });
  // A worker killed mid-session drops its connection; that is expected here, not a test failure.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    seen: ids.seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * The loopback receiver: on /deliveries it counts each test job's delivery id and which worker sent
 * it; on /webhooks it verifies the Standard Webhooks signature and counts each webhook-id.
 */
async function startReceiver(secret: string) {
  const seen = new Map<string, number>();
  const byWorker = new Map<string, number>();
  const hooks = counter();
  let badSignatures = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      if (req.url === "/webhooks") {
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
          hooks.add(String(req.headers["webhook-id"]));
          res.writeHead(204).end();
        } catch {
          badSignatures++;
          res.writeHead(400).end();
        }
        return;
      }
      const { deliveryId } = JSON.parse(body) as { deliveryId: string };
      seen.set(deliveryId, (seen.get(deliveryId) ?? 0) + 1);
      const worker = String(req.headers["x-worker"]);
      byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/deliveries`,
    webhookUrl: `${base}/webhooks`,
    seen,
    byWorker,
    hooks: hooks.seen,
    badSignatures: () => badSignatures,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function startWorker(
  config: StorageConfig,
  receiver: string,
  smtpUrl: string,
  name: string,
): Promise<ChildProcess> {
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
        TENURE_SMTP_URL: smtpUrl,
        TENURE_SMTP_FROM: FROM,
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
    it(`should complete all ${JOBS} jobs after a restart (${Math.ceil(JOBS / DELIVERY_EVERY)} of them real emails and webhooks), internal effects exactly once, every delivery at least once`, async () => {
      const secret = newWebhookSecret();
      const receiver = await startReceiver(secret);
      const smtp = await startSmtp();
      let t: TestStorage | null = null;
      try {
        t = await openTestStorage(dialect);
        const { storage: db, config } = t;
        await db.accounts.upsertMany(WS, [{ ...minimalAccount(ACCOUNT), name: "Kill Corp" }]);
        await db.deliveryTemplates.save(WS, {
          id: TEMPLATE,
          name: "kill",
          locale: "en",
          subject: "Hello {{account.name}}",
          body: "A real email from the kill test.",
        });
        await db.deliveryTargets.saveEndpoint(WS, {
          id: ENDPOINT,
          name: "Kill receiver",
          url: receiver.webhookUrl,
          secret,
          enabled: true,
        });
        const queue = new JobQueue(db);
        const job = (i: number) => {
          if (i % DELIVERY_EVERY !== 0) return { kind: KIND, payload: { n: i } };
          if ((i / DELIVERY_EVERY) % 2 === 0) {
            return {
              kind: DELIVERY_JOB_KINDS.email,
              payload: { templateId: TEMPLATE, accountId: ACCOUNT, to: `n${i}@kill.example` },
            };
          }
          return {
            kind: DELIVERY_JOB_KINDS.webhook,
            payload: { endpointId: ENDPOINT, type: "kill.test", data: { n: i }, accountId: ACCOUNT },
          };
        };
        expect(
          await queue.enqueueMany(
            WS,
            Array.from({ length: JOBS }, (_, i) => ({ ...job(i), idempotencyKey: `n-${i}` })),
          ),
        ).toBe(JOBS);
        const done = async () => (await db.jobs.counts(WS)).done;

        const names = Array.from({ length: workers }, (_, i) => `w${i + 1}`);
        const start = (suffix: string) =>
          Promise.all(names.map((n) => startWorker(config, receiver.url, smtp.url, `${n}-${suffix}`)));
        const first = await start("a");
        children.push(...first);
        await until(async () => (await done()) >= JOBS * 0.3, "30% done", 120_000);
        for (const c of first) c.kill("SIGKILL");
        await Promise.all(first.map(exited));
        const atKill = await db.jobs.counts(WS);
        expect(atKill.done).toBeLessThan(JOBS);
        const emailsAtKill = smtp.seen.size;
        const hooksAtKill = receiver.hooks.size;

        const second = await start("b");
        children.push(...second);
        await until(async () => (await done()) === JOBS, "every job done", 240_000);
        for (const c of second) c.kill("SIGTERM");
        // Graceful stop: each finishes what it holds, then exits 0.
        expect(await Promise.all(second.map(exited))).toEqual(second.map(() => 0));

        expect(await db.jobs.counts(WS)).toEqual({ queued: 0, running: 0, done: JOBS, failed: 0 });
        const { jobs } = await db.jobs.list(WS, { limit: JOBS, offset: 0 });
        // The worker's delivery id of a job (job-worker.ts): stable across its attempts.
        const deliveryIdOf = (j: { id: string }) => `job_${j.id}`;
        const ofKind = (kind: string) => jobs.filter((j) => j.kind === kind);
        const tests = ofKind(KIND);
        const emails = ofKind(DELIVERY_JOB_KINDS.email);
        const hooks = ofKind(DELIVERY_JOB_KINDS.webhook);
        expect(tests.length + emails.length + hooks.length).toBe(JOBS);
        expect(emails.length).toBeGreaterThan(0);
        expect(hooks.length).toBeGreaterThan(0);

        // Internal effects: one timeline note per test job, never two.
        const notes = await db.timeline.list(WS, ACCOUNT);
        const perJob = new Map<string, number>();
        for (const n of notes) perJob.set(String(n.data.jobId), (perJob.get(String(n.data.jobId)) ?? 0) + 1);
        expect(perJob.size).toBe(tests.length);
        expect([...perJob.values()].every((c) => c === 1)).toBe(true);

        // External effects: every delivery id arrived at least once; ones cut off by the kill arrived
        // again (counted below), none was lost.
        const missing = (seen: Map<string, number>, ids: string[]) => ids.filter((id) => !seen.has(id));
        expect(
          missing(
            receiver.seen,
            tests.map((j) => deliveryIdOf(j)),
          ),
        ).toEqual([]);
        expect(receiver.seen.size).toBe(tests.length);
        expect(
          missing(
            smtp.seen,
            emails.map((j) => messageIdFor(deliveryIdOf(j), FROM)),
          ),
        ).toEqual([]);
        expect(smtp.seen.size).toBe(emails.length);
        expect(
          missing(
            receiver.hooks,
            hooks.map((j) => deliveryIdOf(j)),
          ),
        ).toEqual([]);
        expect(receiver.hooks.size).toBe(hooks.length);
        expect(receiver.badSignatures()).toBe(0);
        // Real deliveries ran on both sides of the kill.
        expect(emailsAtKill).toBeGreaterThan(0);
        expect(hooksAtKill).toBeGreaterThan(0);
        expect(smtp.seen.size).toBeGreaterThan(emailsAtKill);
        expect(receiver.hooks.size).toBeGreaterThan(hooksAtKill);
        // The delivery log ends with every real delivery sent.
        const log = await db.deliveryLog.countByStatus(WS);
        expect(log.sent).toBe(emails.length + hooks.length);
        for (const n of names) {
          // Every process did part of the work, before and after the kill.
          expect(receiver.byWorker.get(`${n}-a`) ?? 0).toBeGreaterThan(0);
          expect(receiver.byWorker.get(`${n}-b`) ?? 0).toBeGreaterThan(0);
        }
        const repeats = (seen: Map<string, number>) => [...seen.values()].reduce((a, c) => a + c - 1, 0);
        console.info(
          `kill test on ${dialect}: ${JOBS} jobs (${emails.length} emails, ${hooks.length} webhooks, ` +
            `${tests.length} test jobs), ${atKill.done} done at the kill; extra arrivals of an id already seen: ` +
            `emails ${repeats(smtp.seen)}, webhooks ${repeats(receiver.hooks)}, test jobs ${repeats(receiver.seen)}`,
        );
      } finally {
        await killAll();
        await t?.cleanup();
        await smtp.close();
        await receiver.close();
      }
    }, 400_000);
  },
);
