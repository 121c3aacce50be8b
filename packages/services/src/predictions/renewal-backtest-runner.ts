import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Worker } from "node:worker_threads";
import { isTenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { spawnThread } from "../threads/spawn-thread";
import { RENEWAL_BACKTEST_LEASE_MS, renewalBacktestLease } from "./renewal-backtest-job";
import { computeRenewalBacktestFor } from "./renewal-forecast-service";

/** What the renewal backtest thread is started with. */
export interface RenewalBacktestThreadData {
  config: Storage["config"];
  workspaceId: string;
  modelId: string;
  asOf: string;
  reportingCurrency: string;
}

/** The thread's one answer: stored, skipped (the data cannot replay a quarter), or failed. */
export type FromRenewalBacktestThread =
  | { kind: "done" }
  | { kind: "skipped"; reason: string }
  | { kind: "error"; error: string };

export interface RenewalBacktestRunnerOptions {
  storage: Storage;
  reportingCurrency: string;
  /** On a worker thread with its own connection (a file or server database); else in this thread. */
  threads: boolean;
  /** Told when a computation fails or is skipped; the result itself lands in the database. */
  onError?: (error: unknown, workspaceId: string) => void;
  onSkipped?: (reason: string, workspaceId: string) => void;
}

/** How often the holder extends the lease while the backtest is computed. */
const RENEW_EVERY_MS = 60_000;

/**
 * Computes a workspace's renewal backtest in the background after a churn model was trained from the
 * web app (it retrains the churn model once per replayed quarter: seconds to minutes of CPU), on a
 * worker thread so that the server keeps answering. The workspace's lease in the `leases` table makes
 * it one computation at a time across every process on the database; while it is held, the backtest
 * route answers `pending`.
 */
export class RenewalBacktestRunner {
  private readonly running = new Map<string, { job: Promise<void>; worker?: Worker }>();
  private readonly holderPrefix = `${hostname()}:${process.pid}`;

  constructor(private readonly opts: RenewalBacktestRunnerOptions) {}

  /**
   * Starts computing `ws`'s renewal backtest with the churn model `modelId` as of `asOf`, unless one is
   * already being computed (here or by another process). Resolves once the lease is taken, so a read
   * right after sees `pending`; true when this call started it.
   */
  async start(ws: string, modelId: string, asOf: string): Promise<boolean> {
    const { storage } = this.opts;
    const name = renewalBacktestLease(ws);
    const holder = `${this.holderPrefix}:${randomUUID()}`;
    if (!(await storage.leases.acquire(name, holder, RENEWAL_BACKTEST_LEASE_MS))) return false;
    // Renewed from this thread, whose event loop the computation (on its own thread) leaves free.
    const keep = setInterval(() => {
      storage.leases.renew(name, holder, RENEWAL_BACKTEST_LEASE_MS).catch(() => undefined);
    }, RENEW_EVERY_MS);
    keep.unref();
    const entry: { job: Promise<void>; worker?: Worker } = { job: Promise.resolve() };
    const data: RenewalBacktestThreadData = {
      config: storage.config,
      workspaceId: ws,
      modelId,
      asOf,
      reportingCurrency: this.opts.reportingCurrency,
    };
    const compute = this.opts.threads ? this.onThread(data, entry) : this.inProcess(data);
    entry.job = compute
      .then((skipped) => {
        if (skipped !== null) this.opts.onSkipped?.(skipped, ws);
      })
      .catch((error: unknown) => this.opts.onError?.(error, ws))
      .finally(async () => {
        clearInterval(keep);
        await storage.leases.release(name, holder).catch(() => undefined);
        this.running.delete(ws);
      });
    this.running.set(ws, entry);
    return true;
  }

  /** Whether this process is computing `ws`'s backtest now. */
  isRunning(ws: string): boolean {
    return this.running.has(ws);
  }

  /** Resolves when every computation this process started has finished (and released its lease). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.job));
  }

  /** Stops every running thread (server shutdown); their leases are released. */
  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.worker?.terminate()));
    await this.idle();
  }

  /** An in-memory database cannot be opened twice: computed here, after this request has answered. */
  private async inProcess(data: RenewalBacktestThreadData): Promise<string | null> {
    await new Promise((resolve) => setImmediate(resolve));
    return computeStoring(this.opts.storage, data);
  }

  private onThread(data: RenewalBacktestThreadData, entry: { worker?: Worker }): Promise<string | null> {
    const worker = spawnThread(import.meta.url, "renewal-backtest-thread", { ...data });
    entry.worker = worker;
    return new Promise<string | null>((resolve, reject) => {
      let answered = false;
      worker.on("message", (m: FromRenewalBacktestThread) => {
        answered = true;
        if (m.kind === "done") resolve(null);
        else if (m.kind === "skipped") resolve(m.reason);
        else reject(new Error(m.error));
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (!answered) reject(new Error(`renewal backtest thread exited (code ${code}) before storing`));
      });
    });
  }
}

/**
 * Computes and stores one renewal backtest; the reason as a string when the data cannot replay it
 * (a Tenure validation error such as no completed quarter), null when stored.
 */
export async function computeStoring(
  storage: Storage,
  data: RenewalBacktestThreadData,
): Promise<string | null> {
  try {
    await computeRenewalBacktestFor(storage, data.workspaceId, data.modelId, {
      asOf: data.asOf,
      reportingCurrency: data.reportingCurrency,
    });
    return null;
  } catch (e) {
    if (isTenureError(e)) return e.message;
    throw e;
  }
}
