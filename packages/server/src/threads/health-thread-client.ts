import type { Worker } from "node:worker_threads";
import { type RecomputeResult, spawnThread, threadReady } from "@tenure/services";
import type { Storage, StorageConfig } from "@tenure/storage";
import type { Logger } from "pino";

/** What the health thread is started with. */
export interface HealthThreadData {
  config: StorageConfig;
  intervalMinutes: number;
  reportingCurrency: string;
  /** The server's "today" (YYYY-MM-DD) at start, or null for the thread's own UTC date; see `today` below. */
  today: string | null;
}

export type ToHealth =
  | { kind: "dirty"; workspaceId: string; accountIds: string[] | null }
  | { kind: "all-dirty" }
  | { kind: "flushed"; id: number; error?: string }
  /** The server's clock moved to another day (sent before the next message, and every minute). */
  | { kind: "today"; today: string }
  | { kind: "close" };

export type FromHealth =
  | { kind: "ready" }
  | { kind: "flush"; id: number }
  | { kind: "done"; workspaceId: string; result: RecomputeResult }
  | { kind: "error"; error: string };

/** Marks what needs recomputing; the in-process HealthScheduler and HealthThread both do it. */
export interface HealthRecompute {
  markDirty(workspaceId: string, accountIds?: Iterable<string>): void;
  markAllDirty(): void;
  stop(): Promise<void>;
}

export interface HealthThreadOptions {
  storage: Storage;
  intervalMinutes: number;
  reportingCurrency: string;
  today?: () => string;
  logger?: Logger;
  /** Flushes the tracking writer's in-memory rollup counts (asked before every recompute). */
  flushRollups: () => Promise<void>;
}

/**
 * The health scheduler on a thread of its own with its own database connection: recomputes (several
 * CPU-seconds for a large book) run beside the server's event loop, not in it, so API requests are
 * not delayed by them. The server thread only forwards what changed. A thread that dies is started again.
 */
export class HealthThread implements HealthRecompute {
  private worker!: Worker;
  private ready!: Promise<void>;
  private closing = false;
  /** The day the thread was last told. */
  private told: string | null = null;
  private clock: NodeJS.Timeout | undefined;

  private constructor(private readonly opts: HealthThreadOptions) {}

  /** Starts the thread; resolves once it has opened the database. */
  static async start(opts: HealthThreadOptions): Promise<HealthThread> {
    const thread = new HealthThread(opts);
    thread.spawn();
    await thread.ready;
    // The thread scores the server's "today": a long-running server moves on to the next day.
    if (opts.today !== undefined) {
      thread.clock = setInterval(() => thread.tellToday(), 60_000);
      thread.clock.unref();
    }
    return thread;
  }

  private spawn(): void {
    const data: HealthThreadData = {
      config: this.opts.storage.config,
      intervalMinutes: this.opts.intervalMinutes,
      reportingCurrency: this.opts.reportingCurrency,
      today: this.opts.today?.() ?? null,
    };
    this.told = data.today;
    const worker = spawnThread(import.meta.url, "health-thread", data as unknown as Record<string, unknown>);
    this.worker = worker;
    this.ready = threadReady(worker);
    worker.on("message", (m: FromHealth) => this.onMessage(m));
    worker.on("error", (err) => this.opts.logger?.error({ err }, "health thread failed"));
    worker.on("exit", (code) => {
      if (this.worker !== worker || this.closing) return;
      this.opts.logger?.error({ code }, "health thread exited; starting it again");
      this.spawn();
      this.ready.catch((err) => this.opts.logger?.error({ err }, "health thread did not restart"));
    });
  }

  private onMessage(m: FromHealth): void {
    if (m.kind === "flush") {
      this.opts.flushRollups().then(
        () => this.post({ kind: "flushed", id: m.id }),
        (err: unknown) => this.post({ kind: "flushed", id: m.id, error: String(err) }),
      );
    } else if (m.kind === "done") {
      this.opts.logger?.info({ workspace: m.workspaceId, ...m.result }, "health recomputed");
    } else if (m.kind === "error") {
      this.opts.logger?.error({ err: m.error }, "health recompute failed");
    }
  }

  private post(m: ToHealth): void {
    if (this.closing) return;
    this.tellToday();
    this.worker.postMessage(m);
  }

  private tellToday(): void {
    const today = this.opts.today?.();
    if (today === undefined || today === this.told || this.closing) return;
    this.told = today;
    this.worker.postMessage({ kind: "today", today } satisfies ToHealth);
  }

  markDirty(workspaceId: string, accountIds?: Iterable<string>): void {
    this.post({ kind: "dirty", workspaceId, accountIds: accountIds === undefined ? null : [...accountIds] });
  }

  markAllDirty(): void {
    this.post({ kind: "all-dirty" });
  }

  /** Lets a running recompute step finish (at most 10 s), then stops the thread. */
  async stop(): Promise<void> {
    if (this.closing) return;
    clearInterval(this.clock);
    this.worker.postMessage({ kind: "close" } satisfies ToHealth);
    this.closing = true;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    const timeout = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timeout);
  }
}
