import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IsoDate } from "@tenure/core";
import { createLogger, startServer } from "@tenure/server";
import {
  buildJobRegistry,
  JobQueue,
  JobWorker,
  loadConfig,
  RevenueService,
  seedDemo,
  silentJobLogger,
} from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import pino from "pino";
import { runLogFile } from "../../setup/run-logs";

export interface DemoServer {
  url: string;
  storage: Storage;
  /** The same service the server uses, for expected figures. */
  revenue: RevenueService;
  /** The server's clock: its today, which a test may move on (the worker's clock moves with it). */
  clock: DemoClock;
  close(): Promise<void>;
}

export interface DemoClock {
  today(): IsoDate;
  /**
   * Moves time on: today by `days`, and the job worker's clock by `days` and `minutes`, so the
   * schedules due by then (the automations' pass every 5 minutes, the daily playbook measurement) fire.
   */
  advance(by: { days?: number; minutes?: number }): void;
}

export interface DemoServerOptions {
  webRoot: string;
  /** Demo size and PRNG seed; omitted = what `tenure demo` seeds (2,400 accounts, seed 42). */
  accounts?: number;
  seed?: number;
  today: IsoDate;
  /** TENURE_REPORTING_CURRENCY of the server (default USD). */
  reportingCurrency?: string;
  /** Run a job worker in the process, as `tenure serve` does (default: none). */
  worker?: boolean;
}

const DAY_MS = 86_400_000;

/** A temp SQLite store seeded with the demo company, served in-process in demo mode on an ephemeral port. */
export async function startDemoServer(opts: DemoServerOptions): Promise<DemoServer> {
  const dir = await mkdtemp(join(tmpdir(), "tenure-e2e-db-"));
  const storage = await openStorage({ sqliteFile: join(dir, "tenure.db") });
  try {
    await seedDemo(storage, { workspaceId: "default", accounts: opts.accounts, seed: opts.seed });
    let day = opts.today;
    // The worker's clock runs ahead of the machine's by what the test moved it (never behind, so the
    // jobs the server enqueues on the machine's clock are due for it at once).
    let aheadMs = 0;
    const today = () => day;
    const clock: DemoClock = {
      today,
      advance: ({ days = 0, minutes = 0 }) => {
        day = new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
        aheadMs += days * DAY_MS + minutes * 60_000;
      },
    };
    const server = await startServer(
      {
        storage,
        config: { reportingCurrency: opts.reportingCurrency ?? "USD", grossMargin: 1 },
        demo: true,
        webRoot: opts.webRoot,
        today,
        // Every request of the browser tests is logged to the run's logs, searched for secrets at the end.
        logger: serverLogger(),
      },
      { port: 0, host: "127.0.0.1" },
    );
    const revenue = new RevenueService(storage, {
      workspaceId: "default",
      reportingCurrency: opts.reportingCurrency ?? "USD",
      grossMargin: 1,
      today,
    });
    let worker: JobWorker | undefined;
    if (opts.worker) {
      const workerClock = () => new Date(Date.now() + aheadMs);
      // The queue fires schedules on its clock, the worker claims on its own: both run ahead together.
      const queue = new JobQueue(storage, workerClock);
      const config = { ...loadConfig({}), reportingCurrency: opts.reportingCurrency ?? "USD" };
      const registry = buildJobRegistry({ storage, queue, config, logger: silentJobLogger, today });
      worker = new JobWorker({
        storage,
        registry,
        queue,
        pollIntervalMs: 200,
        clock: workerClock,
      });
      worker.start();
    }
    return {
      url: server.url,
      storage,
      revenue,
      clock,
      close: async () => {
        await worker?.stop();
        await server.close();
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The demo server's logger: into the test run's logs (see tests/setup/run-logs.ts), or none. */
function serverLogger() {
  const file = runLogFile("demo-server");
  return file === undefined
    ? undefined
    : createLogger({ level: "info" }, pino.destination({ dest: file, sync: true }));
}
